"""Generate each framework with pyweb, then install, migrate, test, lint and serve it for real."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from tests.conftest import REPO_ROOT, free_port, get_json, python_for, require_tool, wait_until_answering
from tests.contract import SECRET_KEY, check_contract

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
FRAMEWORKS = ["fastapi", "django", "flask"]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


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
    """`make serve` on a free loopback port, stopped (with its workers) afterwards.

    The server writes to a file, not a pipe: nobody reads a pipe while the test runs, and a
    server that logs every request would block once the pipe's buffer is full.
    """
    port = free_port()
    log_path = project / f"serve-{port}.log"
    with open(log_path, "w") as log:
        server = subprocess.Popen(
            ["make", "serve", f"PORT={port}", "HOST=127.0.0.1"],
            cwd=project,
            env=project_env(**env),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_answering(f"{base}/health", is_running=lambda: server.poll() is None, server_log=log_path.read_text)
        yield base
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        log_path.unlink()


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
    """The README's promise: make migrate, make coverage (the suite and its gate) and make lint
    pass, make serve answers."""
    project = installed(case)
    make(project, "migrate")
    make(project, "coverage")
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


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_contract(
    installed: Callable[[str], Path], request: pytest.FixtureRequest, framework: str, database: str
) -> None:
    """`make serve` answers every row of the shared contract, over real HTTP."""
    project = installed(f"{framework}-defaults")
    env = {"SECRET_KEY": SECRET_KEY}
    if database == "postgresql":
        env["DATABASE_URL"] = request.getfixturevalue("postgres_database")()
    make(project, "migrate", **env)
    with serving(project, **env) as base:
        check_contract(base, SECRET_KEY)


def access_token(base: str) -> str:
    email = f"fuzz-{uuid.uuid4().hex[:8]}@example.com"
    password = "fuzzing password"
    httpx.post(f"{base}/api/v1/auth/register", json={"email": email, "password": password}).raise_for_status()
    login = httpx.post(f"{base}/api/v1/auth/login", json={"email": email, "password": password})
    login.raise_for_status()
    return login.json()["access_token"]


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_fuzzed_api(installed: Callable[[str], Path], framework: str) -> None:
    """Schemathesis, authenticated: no 5xx and no response outside its documented schema."""
    project = installed(f"{framework}-defaults")
    make(project, "migrate")
    with serving(project, SECRET_KEY=SECRET_KEY) as base:
        token = access_token(base)
        result = subprocess.run(
            [
                str(Path(sys.executable).parent / "schemathesis"), "run", f"{base}/openapi.json",
                "--checks", "not_a_server_error,response_schema_conformance",
                "--max-examples", "25", "--seed", "20261122", "--request-timeout", "30",
                "--header", f"Authorization: Bearer {token}",
            ],
            cwd=project, capture_output=True, text=True, timeout=600,
        )  # fmt: skip
    assert result.returncode == 0, result.stdout[-6000:]


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_docs_page_in_a_browser(installed: Callable[[str], Path], framework: str) -> None:
    """Headless Chromium, with the outside network blocked, sees /docs render every operation."""
    require_tool("chromium")
    from playwright.sync_api import sync_playwright

    project = installed(f"{framework}-defaults")
    make(project, "migrate")
    superuser = {"DJANGO_SUPERUSER_EMAIL": "admin@example.com", "DJANGO_SUPERUSER_PASSWORD": "admin password 1"}
    if framework == "django":
        subprocess.run(
            [".venv/bin/python", "manage.py", "createsuperuser", "--noinput"],
            cwd=project, env=project_env(**superuser), capture_output=True,
        )  # fmt: skip
    artifacts = REPO_ROOT / "artifacts"
    artifacts.mkdir(exist_ok=True)
    with serving(project, SECRET_KEY=SECRET_KEY) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 1600})
            outside: list[str] = []

            def only_this_app(route) -> None:
                if route.request.url.startswith(base):
                    route.continue_()
                else:
                    outside.append(route.request.url)
                    route.abort()

            page.route("**/*", only_this_app)
            page.goto(f"{base}/docs")
            page.wait_for_selector(".opblock", timeout=20_000)
            summaries = page.locator(".opblock-summary-path").all_inner_texts()
            paths = {text.replace("\u200b", "").rstrip("/") for text in summaries}
            assert {"/api/v1/items", "/api/v1/auth/login", "/api/v1/users/me"} <= paths, paths
            page.screenshot(path=str(artifacts / f"docs-{framework}.png"), full_page=True)
            assert outside == [], f"/docs reached outside the app: {outside}"

            if framework == "django":
                page.goto(f"{base}/admin/")
                page.fill("#id_username", superuser["DJANGO_SUPERUSER_EMAIL"])
                page.fill("#id_password", superuser["DJANGO_SUPERUSER_PASSWORD"])
                page.click("input[type=submit]")
                page.goto(f"{base}/admin/items/item/")
                page.wait_for_selector("#changelist", timeout=20_000)
                page.screenshot(path=str(artifacts / "admin-items-django.png"), full_page=True)
        finally:
            browser.close()
