"""Each generated project's own Dockerfile, built unchanged with podman, migrated and served.

No Docker engine runs on these machines and Docker Hub is out of reach, so the official
`python:X.Y-slim` base is stood in for by a Debian image made with mmdebstrap (python3, pip,
venv, the host's CA certificates so pip trusts what the host trusts). Debian bookworm's Python
is 3.11, so the images are built with `--build-arg PYTHON_VERSION=3.11`.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
import tarfile
import uuid
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import yaml

from tests.conftest import REPO_ROOT, free_port, fresh_database, get_json, require_tool, wait_until_answering
from tests.contract import SECRET_KEY, check_contract
from tests.hostile import check_hostile
from tests.servers import MailSink, redis_server, smtp_sink
from tests.test_locks import ENVIRONMENT_REPORT, installed_versions, locked_versions

pytestmark = pytest.mark.e2e

BASE_TAG = "docker.io/library/python:3.11-slim"
HOST_CA_DIR = Path("/usr/local/share/ca-certificates")
# Without these, runc cannot apply podman's default rlimits on this kind of machine.
ULIMITS = ["--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024"]
PYWEB_NEW = [sys.executable, "-m", "pyweb_scaffold", "new"]
RUN = ["podman", "run", "--runtime", "runc", "--network", "host", *ULIMITS]


def podman(*args: str, check: bool = True, timeout: int = 900) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(["podman", *args], capture_output=True, text=True, timeout=timeout)
    if check:
        assert result.returncode == 0, f"podman {' '.join(args)}:\n{result.stdout}\n{result.stderr}"
    return result


def _base_tarball() -> Path:
    """The stand-in rootfs, cached per machine (keyed by the host CA certificates it carries)."""
    certificates = sorted(HOST_CA_DIR.glob("*.crt")) if HOST_CA_DIR.is_dir() else []
    key = hashlib.sha256(b"bookworm-python3-v1" + b"".join(path.read_bytes() for path in certificates)).hexdigest()
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "pyweb-scaffold"
    tarball = cache / f"python-slim-standin-{key[:16]}.tar"
    if tarball.is_file():
        return tarball
    cache.mkdir(parents=True, exist_ok=True)
    partial = tarball.with_suffix(".partial.tar")  # mmdebstrap picks its format from the name
    hooks = ['rm -f "$1"/usr/lib/python3*/EXTERNALLY-MANAGED']
    if certificates:
        hooks = [f"copy-in {HOST_CA_DIR} /usr/local/share/", 'chroot "$1" update-ca-certificates', *hooks]
    subprocess.run(
        [
            "mmdebstrap",
            "--variant=minbase",
            "--include=python3,python3-venv,python3-pip,python-is-python3,ca-certificates",
            *[f"--customize-hook={hook}" for hook in hooks],
            "bookworm",
            str(partial),
        ],
        check=True,
        capture_output=True,
        timeout=900,
    )
    partial.rename(tarball)
    return tarball


@pytest.fixture(scope="module")
def base_image() -> Iterator[str]:
    for tool in ("podman", "runc", "mmdebstrap"):
        require_tool(tool)
    podman("import", "--quiet", str(_base_tarball()), BASE_TAG)
    yield BASE_TAG
    podman("rmi", "--force", BASE_TAG, check=False)


def image_files(image: str, scratch: Path) -> list[str]:
    """Every path in the image's filesystem, without a leading './'."""
    container = podman("create", image).stdout.strip()
    exported = scratch / "rootfs.tar"
    try:
        podman("export", "--output", str(exported), container)
    finally:
        podman("rm", "--force", container, check=False)
    with tarfile.open(exported) as archive:
        return [name.removeprefix("./") for name in archive.getnames()]


def compose_environment(project: Path, **ours: str) -> list[str]:
    """The app's environment as its compose.yaml sets it, with our values for what it asks of .env."""
    declared = yaml.safe_load((project / "compose.yaml").read_text())["services"]["app"].get("environment", {})
    if isinstance(declared, list):
        declared = dict(entry.split("=", 1) for entry in declared)
    resolved = {}
    for name, value in declared.items():
        reference = re.fullmatch(r"\$\{(\w+)(?::-(.*)|:\?.*)?\}", str(value))
        if name in ours:
            resolved[name] = ours[name]
        elif reference and reference.group(2) is not None:
            resolved[name] = reference.group(2)
        elif reference:
            raise AssertionError(f"compose.yaml wants {name} from .env and the test has no value for it")
        else:
            resolved[name] = str(value)
    resolved.update(ours)
    return [argument for name, value in resolved.items() for argument in ("--env", f"{name}={value}")]


def wait_for(url: str, container: str) -> None:
    def container_log() -> str:
        logs = podman("logs", container, check=False)
        return f"{logs.stdout}\n{logs.stderr}"

    def is_running() -> bool:
        return podman("inspect", "--format", "{{.State.Status}}", container).stdout.strip() == "running"

    wait_until_answering(url, is_running=is_running, server_log=container_log)


IMAGE_OPTIONS = {
    "fastapi": ["background_jobs", "realtime", "metrics"],
    "django": ["background_jobs", "realtime", "server_pages", "metrics"],
    "flask": ["background_jobs", "metrics"],
}


@dataclass
class RunningImage:
    framework: str
    image: str
    container: str
    base_url: str
    user: str
    app_files: list[str]
    environment: list[str]
    project: Path
    mail: MailSink


@pytest.fixture(scope="module", params=["fastapi", "django", "flask"])
def running_image(
    request: pytest.FixtureRequest, base_image: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningImage]:
    """The generated project's image, with every option its framework offers, built, migrated and
    serving in production mode, with a real Redis and an SMTP sink on the host."""
    framework: str = request.param
    workdir = tmp_path_factory.mktemp(f"image-{framework}")
    options = [arg for option in IMAGE_OPTIONS[framework] for arg in ("--data", f"{option}=true")]
    subprocess.run(
        [*PYWEB_NEW, "svc", "--framework", framework, "--defaults", "--no-git", *options],
        cwd=workdir,
        check=True,
        capture_output=True,
    )
    project = workdir / "svc"
    image = f"localhost/pyweb-test/{framework}-{uuid.uuid4().hex[:8]}"
    container = f"pyweb-test-{framework}-{uuid.uuid4().hex[:8]}"
    port = free_port()
    with ExitStack() as cleanup:
        database_url = cleanup.enter_context(fresh_database(request.getfixturevalue("postgres_admin_url")))
        redis = cleanup.enter_context(redis_server(workdir))
        mail, smtp_url = cleanup.enter_context(smtp_sink())
        environment = compose_environment(
            # DOCS_ENABLED: the contract includes /docs, which FastAPI hides in production by default.
            project,
            SECRET_KEY=SECRET_KEY,
            DATABASE_URL=database_url,
            PORT=str(port),
            DOCS_ENABLED="true",
            # The hostile suite forges Host headers: these are the only names it expects allowed.
            ALLOWED_HOSTS="127.0.0.1,localhost",
            FORWARDED_ALLOW_IPS="",
            REDIS_URL=redis.url,
            SMTP_URL=smtp_url,
        )
        cleanup.callback(podman, "rmi", "--force", image, check=False)
        podman(
            "build", "--pull=never", "--layers=false", "--isolation", "chroot", "--runtime", "runc",
            "--build-arg", "PYTHON_VERSION=3.11", "--tag", image, str(project),
        )  # fmt: skip
        app_files = [name for name in image_files(image, workdir) if name.startswith("app/")]
        user = podman("image", "inspect", "--format", "{{.Config.User}}", image).stdout.strip()

        migrate = yaml.safe_load((project / "compose.yaml").read_text())["services"]["migrate"]["command"]
        subprocess.run([*RUN, "--rm", *environment, image, *migrate], check=True, capture_output=True, timeout=300)
        cleanup.callback(podman, "rm", "--force", container, check=False)
        podman("run", "--detach", "--name", container, "--runtime", "runc", "--network", "host",
               *ULIMITS, *environment, image)  # fmt: skip
        base_url = f"http://127.0.0.1:{port}"
        wait_for(f"{base_url}/health", container)

        size = int(podman("image", "inspect", "--format", "{{.Size}}", image).stdout.strip())
        artifacts = REPO_ROOT / "artifacts"
        artifacts.mkdir(exist_ok=True)
        with open(artifacts / "image-sizes.txt", "a") as record:
            record.write(f"{framework}\t{size / 1e6:.0f} MB\n")
        yield RunningImage(framework, image, container, base_url, user, app_files, environment, project, mail)


def test_image_is_lean_non_root_and_serves_the_probes(running_image: RunningImage) -> None:
    assert running_image.app_files, "the image has no /app"
    for unwanted in (".env", ".git", ".venv", "tests"):
        assert not any(unwanted in Path(name).parts for name in running_image.app_files), f"{unwanted} is in the image"
    uid = running_image.user.split(":")[0]
    assert uid.isdigit() and int(uid) > 0, f"runs as {running_image.user!r}"
    assert podman("exec", running_image.container, "id", "-u").stdout.strip() == uid
    base = running_image.base_url
    assert get_json(f"{base}/health") == (200, {"status": "ok"})
    assert get_json(f"{base}/ready") == (200, {"status": "ok", "checks": {"database": "ok", "broker": "ok"}})


def test_image_runs_as_the_worker_that_sends_the_mail(running_image: RunningImage) -> None:
    """The same image, started with compose's worker command, sends the password-reset mail."""
    base = running_image.base_url
    email = "image-user@example.com"
    password = "image-password-1"
    assert httpx.post(f"{base}/api/v1/auth/register", json={"email": email, "password": password}).status_code == 201
    assert httpx.post(f"{base}/api/v1/auth/password-reset", json={"email": email}).status_code == 202
    command = yaml.safe_load((running_image.project / "compose.yaml").read_text())["services"]["worker"]["command"]
    name = f"pyweb-worker-{uuid.uuid4().hex[:8]}"
    podman("run", "--detach", "--name", name, *RUN[2:], *running_image.environment, running_image.image, *command)
    try:
        (message,) = running_image.mail.wait_for(email, seconds=60)
    except AssertionError as failure:
        logs = podman("logs", name, check=False)
        raise AssertionError(f"{failure}\n--- worker log ---\n{logs.stdout}\n{logs.stderr}") from None
    finally:
        podman("rm", "--force", name, check=False)
    assert "token=" in str(message.get_body(preferencelist=("plain",)).get_content())


def test_image_installs_exactly_the_locked_runtime_dependencies(running_image: RunningImage) -> None:
    """What the image's venv holds is uv.lock's non-dev export for the image's platform, no more."""
    report = podman("exec", running_image.container, "python", "-c", ENVIRONMENT_REPORT).stdout
    installed = installed_versions(report, "svc")
    assert installed == locked_versions(running_image.project, report, dev=False)
    assert not {"uv", "pip"} & {name for name, _ in installed}


def test_image_serves_the_contract(running_image: RunningImage) -> None:
    check_contract(running_image.base_url, SECRET_KEY)


def test_image_survives_hostile_clients(running_image: RunningImage) -> None:
    """tests/hostile.py against the image, served with its compose environment."""
    check_hostile(running_image.base_url, SECRET_KEY)


def _without(environment: list[str], name: str) -> list[str]:
    pairs = [environment[index + 1] for index in range(0, len(environment), 2)]
    kept = [pair for pair in pairs if pair.split("=", 1)[0] != name]
    return [argument for pair in kept for argument in ("--env", pair)]


def _with(environment: list[str], name: str, value: str) -> list[str]:
    return [*_without(environment, name), "--env", f"{name}={value}"]


@pytest.mark.parametrize(
    "change",
    [
        *("SECRET_KEY=", "SECRET_KEY=change-me", "SECRET_KEY=0123456789"),
        *("-DATABASE_URL", "-ALLOWED_HOSTS", "-SECRET_KEY", "-REDIS_URL"),
    ],
)
def test_image_refuses_bad_production_settings(running_image: RunningImage, change: str) -> None:
    """The image's own entry (production, as compose runs it) exits non-zero, no traceback."""
    if change.startswith("-"):
        environment = _without(running_image.environment, change[1:])
    else:
        name, value = change.split("=", 1)
        environment = _with(running_image.environment, name, value)
    environment = _with(environment, "ENVIRONMENT", "production")
    environment = _with(environment, "PORT", str(free_port()))
    name = f"pyweb-refuse-{uuid.uuid4().hex[:8]}"
    try:
        result = subprocess.run(
            [*RUN, "--rm", "--name", name, *environment, running_image.image],
            capture_output=True,
            text=True,
            timeout=30,
        )
    except subprocess.TimeoutExpired:
        podman("rm", "--force", name, check=False)
        raise AssertionError(f"the image still runs after 30 s with {change}: it did not refuse") from None
    assert result.returncode != 0, f"started with {change}:\n{result.stderr[-2000:]}"
    assert result.stderr.strip(), "no reason on stderr"
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
