"""Generate each framework with pyweb, then install, migrate, test, lint and serve it for real."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import REPO_ROOT, free_port, get_json, python_for, require, require_tool, wait_until_answering
from tests.contract import SECRET_KEY, check_contract
from tests.hostile import check_hostile
from tests.openapi import difference, normalise
from tests.openapi_contract import DOCUMENT
from tests.servers import redis_server

pytestmark = pytest.mark.e2e

CASES = {
    "fastapi-defaults": ("fastapi", "3.11", []),
    "django-defaults": ("django", "3.11", []),
    "flask-defaults": ("flask", "3.11", []),
    "fastapi-py313-sqlite": ("fastapi", "3.13", ["database=sqlite", "docker=false", "ci=none"]),
    "django-py312-sqlite": ("django", "3.12", ["database=sqlite", "ci=gitlab"]),
    "flask-py313": ("flask", "3.13", ["docker=false", "ci=gitlab"]),
    # Every option a framework offers beyond the defaults (background jobs have tests of their own).
    "fastapi-options": ("fastapi", "3.11", ["realtime=true", "metrics=true"]),
    "django-options": ("django", "3.11", ["realtime=true", "server_pages=true", "metrics=true"]),
    "flask-options": ("flask", "3.11", ["metrics=true"]),
}
POSTGRES_CASES = [case for case in CASES if "sqlite" not in case]
# The cases whose projects need Redis (REDIS_URL) to be ready.
REDIS_CASES = {case for case, (_, _, data) in CASES.items() if "realtime=true" in data}
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
def in_background(project: Path, *make_args: str, **env: str) -> Iterator[tuple[subprocess.Popen[bytes], Path]]:
    """`make ARGS` running in its own process group, stopped (children included) afterwards.

    It writes to a log file, not a pipe: nobody reads a pipe while the test runs, and a server
    that logs every request would block once the pipe's buffer is full.
    """
    log_path = project / f"{make_args[0]}-{time.monotonic_ns()}.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            ["make", *make_args],
            cwd=project,
            env=project_env(**env),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        yield process, log_path
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log_path.unlink()


@contextmanager
def serving(project: Path, **env: str) -> Iterator[str]:
    """`make serve` on a free loopback port, answering."""
    port = free_port()
    with in_background(project, "serve", f"PORT={port}", "HOST=127.0.0.1", **env) as (server, log_path):
        base = f"http://127.0.0.1:{port}"
        wait_until_answering(f"{base}/health", is_running=lambda: server.poll() is None, server_log=log_path.read_text)
        yield base


def installed_with(tmp_path_factory: pytest.TempPathFactory, *data: str) -> Callable[[str], Path]:
    """Each framework on SQLite with the answers `data` (`realtime=true`, ...), generated,
    installed and migrated at its first use, once per module."""
    projects: dict[str, Path] = {}

    def get(framework: str) -> Path:
        if framework not in projects:
            require_tool("make")
            parent = tmp_path_factory.mktemp(f"{framework}-{'-'.join(data)}")
            options = [arg for item in ["database=sqlite", *data] for arg in ("--data", item)]
            subprocess.run(
                [sys.executable, "-m", "pyweb_scaffold", "new", "demo", "--framework", framework, "--defaults",
                 "--no-git", *options],
                cwd=parent, check=True, capture_output=True,
            )  # fmt: skip
            project = parent / "demo"
            make(project, "install")
            make(project, "migrate")
            projects[framework] = project
        return projects[framework]

    return get


def assert_serves_probes(base: str, *, broker: bool = False) -> None:
    assert get_json(f"{base}/health") == (200, {"status": "ok"})
    checks = {"database": "ok", **({"broker": "ok"} if broker else {})}
    assert get_json(f"{base}/ready") == (200, {"status": "ok", "checks": checks})


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One real Redis for the module's projects that need one."""
    with redis_server(tmp_path_factory.mktemp("redis")) as server:
        yield server.url


def redis_env(case: str, request: pytest.FixtureRequest) -> dict[str, str]:
    return {"REDIS_URL": request.getfixturevalue("redis_url")} if case in REDIS_CASES else {}


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
def test_on_sqlite(installed: Callable[[str], Path], request: pytest.FixtureRequest, case: str) -> None:
    """The README's promise: make migrate, make coverage (the suite and its gate) and make lint
    pass, make serve answers."""
    project = installed(case)
    make(project, "migrate")
    make(project, "coverage")
    make(project, "lint")
    with serving(project, **redis_env(case, request)) as base:
        assert_serves_probes(base, broker=case in REDIS_CASES)


@pytest.mark.parametrize("case", POSTGRES_CASES)
def test_on_postgresql(
    installed: Callable[[str], Path], postgres_database: Callable[[], str], request: pytest.FixtureRequest, case: str
) -> None:
    """The same project against a real PostgreSQL server: its own suite, migrations, serving."""
    project = installed(case)
    redis = redis_env(case, request)
    test_redis = {"TEST_REDIS_URL": redis["REDIS_URL"]} if redis else {}
    make(project, "test", TEST_DATABASE_URL=postgres_database(), **test_redis)
    database_url = postgres_database()
    make(project, "migrate", DATABASE_URL=database_url)
    with serving(project, DATABASE_URL=database_url, **redis) as base:
        assert_serves_probes(base, broker=bool(redis))


# Each framework's defaults on both databases, and with every option it offers on SQLite.
CONTRACT_CASES = [
    *[(f"{framework}-defaults", database) for framework in FRAMEWORKS for database in ("sqlite", "postgresql")],
    *[(f"{framework}-options", "sqlite") for framework in FRAMEWORKS],
]


@pytest.mark.parametrize(("case", "database"), CONTRACT_CASES)
def test_contract(installed: Callable[[str], Path], request: pytest.FixtureRequest, case: str, database: str) -> None:
    """`make serve` answers every row of the shared contract, over real HTTP, with the options on too."""
    project = installed(case)
    env = {"SECRET_KEY": SECRET_KEY, **redis_env(case, request)}
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


@pytest.fixture(scope="module")
def all_serving(installed: Callable[[str], Path]) -> Iterator[dict[str, str]]:
    """The three frameworks' default projects, each served by `make serve`, at once."""
    with ExitStack() as servers:
        bases = {}
        for framework in FRAMEWORKS:
            project = installed(f"{framework}-defaults")
            make(project, "migrate")
            bases[framework] = servers.enter_context(serving(project, SECRET_KEY=SECRET_KEY))
        yield bases


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_the_openapi_document_is_the_contracts(all_serving: dict[str, str], framework: str) -> None:
    """The same in all three after normalisation (tests/openapi.py): tests/openapi_contract.py's."""
    served = normalise(httpx.get(f"{all_serving[framework]}/openapi.json").json())
    diff = difference(DOCUMENT, served, ("the contract", framework))
    assert not diff, f"{framework}'s document is not the contract's:\n{diff}"


@pytest.fixture(scope="module")
def clients(all_serving: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A Python client generated by openapi-python-client from each framework's document."""
    folder = tmp_path_factory.mktemp("clients")
    for framework, base in all_serving.items():
        (folder / f"{framework}.json").write_text(httpx.get(f"{base}/openapi.json").text)
        (folder / f"{framework}.yml").write_text(f"package_name_override: {framework}_client\npost_hooks: []\n")
        generated = subprocess.run(
            [require_tool("openapi-python-client"), "generate", "--path", f"{framework}.json",
             "--config", f"{framework}.yml", "--meta", "none", "--fail-on-warning"],
            cwd=folder, capture_output=True, text=True,
        )  # fmt: skip
        assert generated.returncode == 0, generated.stdout + generated.stderr
    return folder


@pytest.mark.parametrize("service", FRAMEWORKS)
@pytest.mark.parametrize("client", FRAMEWORKS)
def test_a_client_generated_from_one_framework_works_against_each(
    all_serving: dict[str, str], clients: Path, client: str, service: str
) -> None:
    """tests/client_walkthrough.py, through `client`'s generated package, against `service`."""
    walk = subprocess.run(
        [sys.executable, str(REPO_ROOT / "tests" / "client_walkthrough.py"), f"{client}_client", all_serving[service]],
        cwd=clients,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert walk.returncode == 0, walk.stdout + walk.stderr


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_make_client_writes_a_package_that_walks_the_contract(
    installed: Callable[[str], Path], all_serving: dict[str, str], framework: str
) -> None:
    """`make client` in a generated project: its package, in the project's own environment,
    takes tests/client_walkthrough.py through the project's running service."""
    project = installed(f"{framework}-defaults")
    make(project, "client")
    assert (project / "client" / "pyproject.toml").is_file()
    walk = subprocess.run(
        [str(project / ".venv" / "bin" / "python"), str(REPO_ROOT / "tests" / "client_walkthrough.py"), "demo_client",
         all_serving[framework]],
        cwd=project / "client", capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert walk.returncode == 0, walk.stdout + walk.stderr
    make(project, "lint")  # the client is git-ignored, and so out of the project's lint


def app_only_page(browser: Any, base: str, *, width: int, height: int) -> tuple[Any, list[str]]:
    """A new page whose requests reach only the app at `base`; the list fills with any other URL
    the page tried (and was refused), so a test can assert that it needs no internet."""
    page = browser.new_page(viewport={"width": width, "height": height})
    outside: list[str] = []

    def only_this_app(route: Any) -> None:
        if route.request.url.startswith(base):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", only_this_app)
    return page, outside


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
            page, outside = app_only_page(browser, base, width=1280, height=1600)
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


# --- issue 11: hostile input, bad production settings, database faults -----------------------

PRODUCTION = {
    "ENVIRONMENT": "production",
    "SECRET_KEY": SECRET_KEY,
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "DOCS_ENABLED": "true",
}
# Settings the tests set themselves; the user's own environment must not leak them in.
SETTING_NAMES = ["ENVIRONMENT", "SECRET_KEY", "ALLOWED_HOSTS", "DOCS_ENABLED", "DATABASE_URL", "FORWARDED_ALLOW_IPS"]


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"  # path is absolute: sqlite:////tmp/...


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_hostile(
    installed: Callable[[str], Path], request: pytest.FixtureRequest, framework: str, database: str
) -> None:
    """`make serve` in production mode survives tests/hostile.py, and loses nothing."""
    project = installed(f"{framework}-defaults")
    if database == "postgresql":
        database_url = request.getfixturevalue("postgres_database")()
    else:
        database_url = sqlite_url(project / f"hostile-{uuid.uuid4().hex[:6]}.db")
    env = {**PRODUCTION, "DATABASE_URL": database_url}
    make(project, "migrate", **env)
    with serving(project, **env) as base:
        check_hostile(base, SECRET_KEY)


def refused(command: list[str], cwd: Path | None, env: dict[str, str], seconds: float = 20) -> str:
    """Run a server that must refuse to start: its stderr, after checking it exits non-zero in time."""
    started = time.monotonic()
    process = subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    try:
        _, stderr = process.communicate(timeout=seconds)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise AssertionError(f"{command} still running after {seconds:.0f} s: it did not refuse") from None
    took = time.monotonic() - started
    assert process.returncode != 0, f"{command} exited 0"
    assert stderr.strip(), "no reason on stderr"
    assert "Traceback" not in stderr, stderr
    assert took < seconds, took
    return stderr


BAD_PRODUCTION_SETTINGS = {
    "secret-missing": {"SECRET_KEY": None},
    "secret-placeholder": {"SECRET_KEY": "change-me"},
    "secret-short": {"SECRET_KEY": "0123456789"},
    "database-url-unset": {"DATABASE_URL": None},
    "allowed-hosts-unset": {"ALLOWED_HOSTS": None},
}


def production_env(database_url: str, **changes: str | None) -> dict[str, str]:
    env = {**PRODUCTION, "DATABASE_URL": database_url, **changes}
    return {name: value for name, value in env.items() if value is not None}


@pytest.mark.parametrize("setting", BAD_PRODUCTION_SETTINGS)
@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_production_refuses_bad_settings(installed: Callable[[str], Path], framework: str, setting: str) -> None:
    """ENVIRONMENT=production and a missing/weak setting: `make serve` exits non-zero, no traceback."""
    project = installed(f"{framework}-defaults")  # its production database is PostgreSQL
    env = production_env("postgresql://app:app@127.0.0.1:9/app", **BAD_PRODUCTION_SETTINGS[setting])
    base = {key: value for key, value in project_env().items() if key not in SETTING_NAMES}
    port = free_port()
    refused(["make", "serve", f"PORT={port}", "HOST=127.0.0.1"], project, {**base, **env})


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_production_does_not_read_dotenv(installed: Callable[[str], Path], framework: str) -> None:
    """A valid SECRET_KEY only in .env does not count in production."""
    project = installed(f"{framework}-defaults")
    dotenv = project / ".env"
    saved = dotenv.read_text() if dotenv.exists() else None
    dotenv.write_text(f"SECRET_KEY={SECRET_KEY}\nALLOWED_HOSTS=127.0.0.1\n")
    try:
        env = production_env("postgresql://app:app@127.0.0.1:9/app", SECRET_KEY=None)
        base = {key: value for key, value in project_env().items() if key not in SETTING_NAMES}
        refused(["make", "serve", f"PORT={free_port()}", "HOST=127.0.0.1"], project, {**base, **env})
    finally:
        if saved is None:
            dotenv.unlink()
        else:
            dotenv.write_text(saved)


@contextmanager
def private_postgres() -> Iterator[tuple[str, Callable[[], list[int]], str]]:
    """A throwaway PostgreSQL cluster of our own (never the shared one): (URL, its pids, its name)."""
    for tool in ("pg_createcluster", "pg_ctlcluster", "pg_dropcluster", "psql"):
        require_tool(tool)
    require(os.geteuid() == 0, "pg_createcluster needs root here")
    version = sorted(os.listdir("/usr/lib/postgresql"))[-1]
    name = f"pyweb_fault_{uuid.uuid4().hex[:8]}"
    port = free_port()
    subprocess.run(["pg_createcluster", version, name, "-p", str(port)], check=True, capture_output=True)
    try:
        subprocess.run(["pg_ctlcluster", version, name, "start"], check=True, capture_output=True)
        subprocess.run(
            ["su", "postgres", "-c", f"psql -q -p {port} -c \"CREATE ROLE app LOGIN PASSWORD 'app'\" "
             f"-c 'CREATE DATABASE app OWNER app'"],
            check=True, capture_output=True,
        )  # fmt: skip

        def pids() -> list[int]:
            data = Path(f"/var/lib/postgresql/{version}/{name}/postmaster.pid")
            postmaster = int(data.read_text().split()[0])
            children = subprocess.run(["ps", "--ppid", str(postmaster), "-o", "pid="], capture_output=True, text=True)
            return [postmaster, *(int(pid) for pid in children.stdout.split())]

        yield f"postgresql://app:app@127.0.0.1:{port}/app", pids, f"{version} {name}"
    finally:
        try:
            for pid in pids():
                os.kill(pid, signal.SIGCONT)
        except (OSError, ValueError, UnboundLocalError):
            pass
        subprocess.run(["pg_dropcluster", "--stop", version, name], capture_output=True)


def timed(method: str, url: str, seconds: float, **kwargs: object) -> tuple[httpx.Response | None, float]:
    started = time.monotonic()
    try:
        response = httpx.request(method, url, timeout=seconds + 5, **kwargs)  # type: ignore[arg-type]
    except httpx.TimeoutException:
        response = None
    return response, time.monotonic() - started


# The services' database limits are 5 s; the margin is for a CI machine busy with other suites
# (a run there once took 7.0 s), still far from a request that hangs.
DOWN_ANSWER_SECONDS = 8.0


def assert_database_down(base: str, auth: dict[str, str]) -> None:
    """503 + Retry-After within ~5 s, /ready 503 within 3 s, /health 200 within 1 s, even with
    requests stuck on the database in every worker."""
    stuck = [
        threading.Thread(target=timed, args=("GET", f"{base}/api/v1/items", 10), kwargs={"headers": auth}, daemon=True)
        for _ in range(3)
    ]
    for thread in stuck:
        thread.start()
    time.sleep(0.3)
    health, took = timed("GET", f"{base}/health", 1)
    assert health is not None and health.status_code == 200 and took < 1, (health, took)
    items, took = timed("GET", f"{base}/api/v1/items", 6, headers=auth)
    assert items is not None and took < DOWN_ANSWER_SECONDS, f"no answer within {took:.1f} s"
    assert items.status_code == 503, (items.status_code, items.text[:300])
    assert items.json() == {"detail": "Service unavailable"}, items.text
    assert items.headers.get("retry-after") == "5", items.headers
    created, took = timed("POST", f"{base}/api/v1/items", 6, headers=auth, json={"title": "while down"})
    assert created is not None and created.status_code == 503 and took < DOWN_ANSWER_SECONDS, (created, took)
    login, took = timed("POST", f"{base}/api/v1/auth/login", 6, json={"email": "x@example.com", "password": "x" * 9})
    assert login is not None and login.status_code == 503 and took < DOWN_ANSWER_SECONDS, (login, took)
    ready, took = timed("GET", f"{base}/ready", 3)
    assert ready is not None and took < 3.5, f"/ready took {took:.1f} s"  # 3 s, and the test's own overhead
    assert ready.status_code == 503 and ready.json()["status"] == "unavailable", ready.text
    assert ready.json()["checks"]["database"] not in ("", "ok"), ready.text
    health, took = timed("GET", f"{base}/health", 1)
    assert health is not None and health.status_code == 200 and took < 1, (health, took)


def assert_recovers(base: str, auth: dict[str, str], seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while True:
        items, _ = timed("GET", f"{base}/api/v1/items", 6, headers=auth)
        ready, _ = timed("GET", f"{base}/ready", 3)
        if items is not None and items.status_code == 200 and ready is not None and ready.status_code == 200:
            return
        assert time.monotonic() < deadline, f"no recovery within {seconds} s: {items and items.text[:200]}"
        time.sleep(0.5)


def login_headers(base: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {access_token(base)}"}


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_postgresql_stopped_and_frozen(installed: Callable[[str], Path], framework: str) -> None:
    """A private cluster stopped, then frozen with SIGSTOP: 503 fast, /health alive, then recovery."""
    project = installed(f"{framework}-defaults")
    with private_postgres() as (database_url, pids, cluster):
        env = {**PRODUCTION, "DATABASE_URL": database_url}
        make(project, "migrate", **env)
        with serving(project, **env) as base:
            auth = login_headers(base)
            assert httpx.post(f"{base}/api/v1/items", json={"title": "t"}, headers=auth).status_code == 201

            subprocess.run(["pg_ctlcluster", *cluster.split(), "stop", "-m", "fast"], check=True)
            assert_database_down(base, auth)
            subprocess.run(["pg_ctlcluster", *cluster.split(), "start"], check=True)
            assert_recovers(base, auth)

            frozen = pids()
            for pid in frozen:
                os.kill(pid, signal.SIGSTOP)
            try:
                assert_database_down(base, auth)
            finally:
                for pid in frozen:
                    os.kill(pid, signal.SIGCONT)
            assert_recovers(base, auth)


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_sqlite_file_moved_away(installed: Callable[[str], Path], framework: str) -> None:
    """/ready is 503 while the SQLite file is missing (and does not recreate it), 200 once it is back."""
    project = installed(f"{framework}-defaults")
    database = project / f"moved-{uuid.uuid4().hex[:6]}.db"
    env = {**PRODUCTION, "DATABASE_URL": sqlite_url(database)}
    make(project, "migrate", **env)
    with serving(project, **env) as base:
        assert get_json(f"{base}/ready")[0] == 200
        away = database.with_suffix(".away")
        database.rename(away)
        try:
            ready, took = timed("GET", f"{base}/ready", 3)
            assert ready is not None and took < 3 and ready.status_code == 503, (ready and ready.text, took)
            assert ready.json()["status"] == "unavailable"
            assert not database.exists() or database.stat().st_size == 0, "the probe recreated the database"
            assert get_json(f"{base}/health")[0] == 200
        finally:
            if database.exists():
                database.unlink()
            away.rename(database)
        assert get_json(f"{base}/ready") == (200, {"status": "ok", "checks": {"database": "ok"}})
