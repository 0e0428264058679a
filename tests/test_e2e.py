"""Generate each framework with pyweb, then install, migrate, test, lint and serve it for real."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import python_for, require_tool

pytestmark = pytest.mark.e2e

CASES = [
    pytest.param("fastapi", "3.11", [], id="fastapi-defaults"),
    pytest.param("django", "3.11", [], id="django-defaults"),
    pytest.param("flask", "3.11", [], id="flask-defaults"),
    pytest.param("fastapi", "3.13", ["database=sqlite", "docker=false", "ci=none"], id="fastapi-py313-sqlite"),
    pytest.param("django", "3.12", ["database=sqlite", "ci=gitlab"], id="django-py312-sqlite"),
    pytest.param("flask", "3.13", ["docker=false", "ci=gitlab"], id="flask-py313"),
]


def project_env() -> dict[str, str]:
    """The user's environment, with this venv's tools (uv) on PATH but not its packages."""
    env = {key: value for key, value in os.environ.items() if key not in {"VIRTUAL_ENV", "PYTHONPATH"}}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"
    return env


def make(project: Path, *args: str, timeout: int = 600) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        ["make", *args], cwd=project, env=project_env(), capture_output=True, text=True, timeout=timeout
    )
    assert result.returncode == 0, f"make {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return result


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get_json(url: str) -> tuple[int, object]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


@contextmanager
def serving(project: Path) -> Iterator[str]:
    port = free_port()
    server = subprocess.Popen(
        ["make", "serve", f"PORT={port}", "HOST=127.0.0.1"],
        cwd=project,
        env=project_env(),
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


@pytest.mark.parametrize(("framework", "python_version", "data"), CASES)
def test_generated_project_works(tmp_path: Path, framework: str, python_version: str, data: list[str]) -> None:
    require_tool("make")
    require_tool("git")
    interpreter = python_for(python_version)
    options = [arg for item in [*data, f"python_version={python_version}"] for arg in ("--data", item)]
    subprocess.run(
        [sys.executable, "-m", "pyweb_scaffold", "new", "demo", "--framework", framework, "--defaults", *options],
        cwd=tmp_path,
        check=True,
        capture_output=True,
    )
    project = tmp_path / "demo"

    make(project, "install", f"PYTHON={interpreter}")
    version = subprocess.run([".venv/bin/python", "--version"], cwd=project, capture_output=True, text=True)
    assert version.stdout.split()[1].startswith(f"{python_version}.")
    make(project, "migrate")
    make(project, "test")
    make(project, "lint")

    with serving(project) as base:
        assert get_json(f"{base}/health") == (200, {"status": "ok"})
        assert get_json(f"{base}/ready") == (200, {"status": "ok", "checks": {"database": "ok"}})
