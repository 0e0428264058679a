"""Password reset end to end, for each framework with background jobs on and off: `make serve`
(and `make worker`) against a real SMTP sink and, with jobs, a real redis-server."""

from __future__ import annotations

import re
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

import httpx
import pytest

from tests.conftest import require_tool
from tests.servers import MailSink, RedisServer, redis_server, smtp_sink
from tests.test_e2e import FRAMEWORKS, in_background, make, serving

pytestmark = pytest.mark.e2e

RESET_PAGE = "https://app.example.test/reset-password"
OLD_PASSWORD = "old-password-1"
NEW_PASSWORD = "new-password-2"


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str, bool], Path]:
    """Each framework, with or without jobs, generated on the embedded defaults, installed and migrated once."""
    projects: dict[tuple[str, bool], Path] = {}

    def get(framework: str, jobs: bool) -> Path:
        if (framework, jobs) not in projects:
            require_tool("make")
            parent = tmp_path_factory.mktemp(f"{framework}-{'jobs' if jobs else 'nojobs'}")
            subprocess.run(
                [sys.executable, "-m", "pyweb_scaffold", "new", "demo", "--framework", framework, "--defaults",
                 "--no-git", "--data", "database=sqlite", "--data", f"background_jobs={str(jobs).lower()}"],
                cwd=parent, check=True, capture_output=True,
            )  # fmt: skip
            project = parent / "demo"
            make(project, "install")
            make(project, "migrate")
            projects[framework, jobs] = project
        return projects[framework, jobs]

    return get


@contextmanager
def working(project: Path, **env: str) -> Iterator[None]:
    """`make worker`, stopped afterwards; its log is shown on failure."""
    with in_background(project, "worker", **env) as (worker, log_path):
        try:
            time.sleep(0.5)
            assert worker.poll() is None, f"the worker stopped:\n{log_path.read_text()}"
            yield
        except AssertionError as failure:
            raise AssertionError(f"{failure}\n--- worker log ---\n{log_path.read_text()}") from None


@dataclass
class Stack:
    """A served project, its mail sink and (with jobs) its Redis."""

    project: Path
    base: str
    mail: MailSink
    redis: RedisServer | None
    env: dict[str, str]


def case_id(case: tuple[str, bool]) -> str:
    return f"{case[0]}-{'jobs' if case[1] else 'no-jobs'}"


ALL_CASES = [(framework, jobs) for framework in FRAMEWORKS for jobs in (False, True)]
# Retries and the broker exist only with background jobs.
JOBS_CASES = [case for case in ALL_CASES if case[1]]


@pytest.fixture(params=ALL_CASES, ids=case_id)
def stack(request: pytest.FixtureRequest, installed: Callable[[str, bool], Path], tmp_path: Path) -> Iterator[Stack]:
    framework, jobs = request.param
    project = installed(framework, jobs)
    with ExitStack() as servers:
        mail, smtp_url = servers.enter_context(smtp_sink())
        env = {"SMTP_URL": smtp_url, "EMAIL_FROM": "service@example.com", "PASSWORD_RESET_URL": RESET_PAGE}
        redis = None
        if jobs:
            redis = servers.enter_context(redis_server(tmp_path))
            env["REDIS_URL"] = redis.url
        base = servers.enter_context(serving(project, **env))
        yield Stack(project, base, mail, redis, env)


def worker(stack: Stack) -> ExitStack:
    """The worker for a project with jobs; nothing for one without (mail leaves after the response)."""
    workers = ExitStack()
    if stack.redis is not None:
        workers.enter_context(working(stack.project, **stack.env))
    return workers


def register_and_login(base: str, email: str) -> dict[str, str]:
    created = httpx.post(f"{base}/api/v1/auth/register", json={"email": email, "password": OLD_PASSWORD})
    assert created.status_code == 201, created.text
    return login(base, email, OLD_PASSWORD).json()


def login(base: str, email: str, password: str) -> httpx.Response:
    return httpx.post(f"{base}/api/v1/auth/login", json={"email": email, "password": password})


def request_reset(base: str, email: str) -> httpx.Response:
    return httpx.post(f"{base}/api/v1/auth/password-reset", json={"email": email}, timeout=10)


def token_in(message: EmailMessage) -> str:
    """The token of the link the mail holds, which must point at the configured page."""
    body = message.get_body(preferencelist=("plain",))
    assert body is not None, "the mail has no plain-text part"
    text = body.get_content()
    link = re.search(r"https?://\S+", text)
    assert link, f"no link in the mail:\n{text}"
    url = urllib.parse.urlsplit(link.group(0))
    assert f"{url.scheme}://{url.netloc}{url.path}" == RESET_PAGE
    (token,) = urllib.parse.parse_qs(url.query)["token"]
    return token


def confirm(base: str, token: str, password: str = NEW_PASSWORD) -> httpx.Response:
    return httpx.post(f"{base}/api/v1/auth/password-reset/confirm", json={"token": token, "password": password})


def test_a_forgotten_password_is_reset_through_the_mailed_link(stack: Stack) -> None:
    """The whole flow; with jobs the worker starts only after the request, and the mail still comes."""
    email = "forgetful@example.com"
    tokens = register_and_login(stack.base, email)

    assert request_reset(stack.base, email).status_code == 202
    assert request_reset(stack.base, "nobody@example.com").status_code == 202
    with worker(stack):
        (message,) = stack.mail.wait_for(email)
        assert message["From"] == "service@example.com"
        token = token_in(message)

        assert confirm(stack.base, token).status_code == 204
        assert login(stack.base, email, OLD_PASSWORD).status_code == 401
        assert login(stack.base, email, NEW_PASSWORD).status_code == 200
        refreshed = httpx.post(f"{stack.base}/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
        assert refreshed.status_code == 401, "a refresh token from before the reset still works"
        assert confirm(stack.base, token, "another-password-3").status_code == 400, "the token worked twice"
        assert login(stack.base, email, NEW_PASSWORD).status_code == 200
        time.sleep(1)  # the unknown address's job has long run by now: it sent nothing
        assert stack.mail.to("nobody@example.com") == []


@pytest.mark.parametrize("stack", JOBS_CASES, ids=case_id, indirect=True)
def test_mail_refused_by_the_smtp_server_is_retried_by_the_worker(stack: Stack) -> None:
    """Without jobs a failed mail is logged, not retried: each project's own suite checks that."""
    email = "patient@example.com"
    register_and_login(stack.base, email)
    stack.mail.refuse(2)
    with worker(stack):
        assert request_reset(stack.base, email).status_code == 202
        (message,) = stack.mail.wait_for(email, seconds=60)
    assert stack.mail.refused == 2
    assert confirm(stack.base, token_in(message)).status_code == 204


@pytest.mark.parametrize("stack", JOBS_CASES, ids=case_id, indirect=True)
def test_the_broker_down_answers_503_and_ready_says_so(stack: Stack) -> None:
    assert stack.redis is not None
    stack.redis.stop()
    started = time.monotonic()
    answer = request_reset(stack.base, "someone@example.com")
    assert answer.status_code == 503, answer.text
    assert time.monotonic() - started < 5
    assert int(answer.headers["Retry-After"]) > 0
    assert isinstance(answer.json()["detail"], str)
    ready = httpx.get(f"{stack.base}/ready", timeout=5)
    assert ready.status_code == 503
    assert ready.json()["checks"]["database"] == "ok"
    assert ready.json()["checks"]["broker"] != "ok"

    stack.redis.start()
    ready = httpx.get(f"{stack.base}/ready", timeout=5)
    assert ready.json() == {"status": "ok", "checks": {"database": "ok", "broker": "ok"}}
    assert request_reset(stack.base, "someone@example.com").status_code == 202
