"""Generate each framework with pyweb, then install, migrate, test, lint and serve it for real."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.error
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import free_port, get_json, python_for, require_tool

pytestmark = pytest.mark.e2e

CASES = {
    "fastapi-defaults": ("fastapi", "3.11", []),
    "django-defaults": ("django", "3.11", []),
    "flask-defaults": ("flask", "3.11", []),
    "fastapi-py313-sqlite": ("fastapi", "3.13", ["database=sqlite", "docker=false", "ci=none"]),
    "django-py312-sqlite": ("django", "3.12", ["database=sqlite", "ci=gitlab"]),
    "flask-py313": ("flask", "3.13", ["docker=false", "ci=gitlab"]),
}
POSTGRES_CASES = [case for case in CASES if "sqlite" not in case]


def project_env(**extra: str) -> dict[str, str]:
    """The user's environment, with this venv's tools (uv) on PATH but not its packages."""
    env = {key: value for key, value in os.environ.items() if key not in {"VIRTUAL_ENV", "PYTHONPATH"}}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"
    return {**env, **extra}


def make(project: Path, *args: str, timeout: int = 600, **env: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        ["make", *args], cwd=project, env=project_env(**env), capture_output=True, text=True, timeout=timeout
    )
    assert result.returncode == 0, f"make {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return result


@contextmanager
def serving(project: Path, **env: str) -> Iterator[str]:
    """`make serve` on a free loopback port, stopped (with its workers) afterwards."""
    port = free_port()
    server = subprocess.Popen(
        ["make", "serve", f"PORT={port}", "HOST=127.0.0.1"],
        cwd=project,
        env=project_env(**env),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, f"make serve exited:\n{server.stdout.read() if server.stdout else ''}"
            try:
                get_json(f"{base}/health")
                break
            except (urllib.error.URLError, ConnectionError):
                assert time.monotonic() < deadline, "make serve did not answer within 60 s"
                time.sleep(0.3)
        yield base
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def assert_serves_probes(base: str) -> None:
    assert get_json(f"{base}/health") == (200, {"status": "ok"})
    assert get_json(f"{base}/ready") == (200, {"status": "ok", "checks": {"database": "ok"}})


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """Generate and `make install` each case once; the SQLite and PostgreSQL tests share it."""
    projects: dict[str, Path] = {}

    def get(case: str) -> Path:
        if case not in projects:
            require_tool("make")
            require_tool("git")
            framework, python_version, data = CASES[case]
            interpreter = python_for(python_version)
            options = [arg for item in [*data, f"python_version={python_version}"] for arg in ("--data", item)]
            parent = tmp_path_factory.mktemp(case)
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "pyweb_scaffold",
                    "new",
                    "demo",
                    "--framework",
                    framework,
                    "--defaults",
                    *options,
                ],
                cwd=parent,
                check=True,
                capture_output=True,
            )
            project = parent / "demo"
            make(project, "install", f"PYTHON={interpreter}")
            version = subprocess.run([".venv/bin/python", "--version"], cwd=project, capture_output=True, text=True)
            assert version.stdout.split()[1].startswith(f"{python_version}.")
            projects[case] = project
        return projects[case]

    return get


@pytest.mark.parametrize("case", CASES)
def test_on_sqlite(installed: Callable[[str], Path], case: str) -> None:
    """The README's promise: make migrate, make test and make lint pass, make serve answers."""
    project = installed(case)
    make(project, "migrate")
    make(project, "test")
    make(project, "lint")
    with serving(project) as base:
        assert_serves_probes(base)


@pytest.mark.parametrize("case", POSTGRES_CASES)
def test_on_postgresql(installed: Callable[[str], Path], postgres_database: Callable[[], str], case: str) -> None:
    """The same project against a real PostgreSQL server: its own suite, migrations, serving."""
    project = installed(case)
    make(project, "test", TEST_DATABASE_URL=postgres_database())
    database_url = postgres_database()
    make(project, "migrate", DATABASE_URL=database_url)
    with serving(project, DATABASE_URL=database_url) as base:
        assert_serves_probes(base)
