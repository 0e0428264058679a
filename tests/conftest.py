"""Shared fixtures: an isolated template store, and tools that must exist in CI."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
IN_CI = os.environ.get("CI", "").lower() == "true"
PYENV_VERSIONS = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"


def require(condition: bool, reason: str) -> None:
    """Skip with the reason on a developer's machine; fail under CI=true."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"CI must provide this: {reason}")
    pytest.skip(reason)


def require_tool(name: str) -> str:
    path = shutil.which(name)
    require(path is not None, f"{name} is not installed")
    assert path is not None
    return path


def python_for(version: str) -> str:
    """An interpreter of exactly `version` (3.11, 3.12, 3.13) from PATH or pyenv."""
    candidates = [shutil.which(f"python{version}"), *sorted(PYENV_VERSIONS.glob(f"{version}.*/bin/python{version}"))]
    for candidate in candidates:
        if not candidate:
            continue
        probe = subprocess.run([candidate, "--version"], capture_output=True, text=True)
        if probe.returncode == 0 and probe.stdout.split()[1].startswith(f"{version}."):
            return str(candidate)
    require(False, f"no Python {version} interpreter found")
    raise AssertionError  # unreachable: require() skipped or failed


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get_json(url: str) -> tuple[int, object]:
    """GET a JSON document: (status, body), error statuses included."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def wait_until_answering(
    url: str, *, is_running: Callable[[], bool], server_log: Callable[[], str], seconds: float = 60
) -> None:
    """Poll `url` until the server answers; fail with its log if it stops or stays silent.

    A socket timeout counts as "not yet": the socket accepts before the workers have booted.
    """
    deadline = time.monotonic() + seconds
    while True:
        assert is_running(), f"the server stopped:\n{server_log()}"
        try:
            get_json(url)
            return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            assert time.monotonic() < deadline, f"no answer from {url} within {seconds:.0f} s:\n{server_log()}"
            time.sleep(0.3)


@pytest.fixture(scope="session")
def postgres_admin_url() -> str:
    """A PostgreSQL server to create test databases on (.ci/run starts one and sets the URL)."""
    url = os.environ.get("TEST_POSTGRES_URL")
    require(bool(url), "no PostgreSQL server: set TEST_POSTGRES_URL=postgresql://user:password@host:port/postgres")
    assert url
    require_tool("psql")
    return url


@contextmanager
def fresh_database(admin_url: str) -> Iterator[str]:
    """An empty PostgreSQL database for one test's use, dropped afterwards; yields its URL."""
    name = f"pyweb_{uuid.uuid4().hex[:12]}"
    subprocess.run(["psql", admin_url, "-qc", f"CREATE DATABASE {name}"], check=True)
    try:
        yield admin_url.rsplit("/", 1)[0] + f"/{name}"
    finally:
        subprocess.run(["psql", admin_url, "-qc", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"], check=True)


@pytest.fixture
def postgres_database(postgres_admin_url: str) -> Iterator[Callable[[], str]]:
    """Creates empty databases on demand and drops them afterwards; returns their URLs."""
    with ExitStack() as stack:
        yield lambda: stack.enter_context(fresh_database(postgres_admin_url))


@pytest.fixture(scope="session", autouse=True)
def template_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Keep pyweb's template store out of the user's data folder."""
    store = tmp_path_factory.mktemp("store") / "templates"
    previous = os.environ.get("PYWEB_TEMPLATE_STORE")
    os.environ["PYWEB_TEMPLATE_STORE"] = str(store)
    yield store
    if previous is None:
        del os.environ["PYWEB_TEMPLATE_STORE"]
    else:
        os.environ["PYWEB_TEMPLATE_STORE"] = previous
