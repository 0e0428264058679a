"""Each generated project's own Dockerfile, built unchanged with podman, migrated and served.

No Docker engine runs on these machines and Docker Hub is out of reach, so the official
`python:X.Y-slim` base is stood in for by a Debian image made with mmdebstrap (python3, pip,
venv, the host's CA certificates so pip trusts what the host trusts). Debian bookworm's Python
is 3.11, so the images are built with `--build-arg PYTHON_VERSION=3.11`.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tarfile
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO_ROOT, free_port, get_json, require_tool

pytestmark = pytest.mark.e2e

BASE_TAG = "docker.io/library/python:3.11-slim"
HOST_CA_DIR = Path("/usr/local/share/ca-certificates")
# Without these, runc cannot apply podman's default rlimits on this kind of machine.
ULIMITS = ["--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024"]
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


def wait_for(url: str, container: str) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(url, timeout=3).close()
            return
        except (urllib.error.URLError, ConnectionError):
            state = podman("inspect", "--format", "{{.State.Status}}", container).stdout.strip()
            logs = podman("logs", container, check=False)
            assert state == "running", f"container {state}:\n{logs.stdout}\n{logs.stderr}"
            assert time.monotonic() < deadline, f"no answer from {url} within 60 s:\n{logs.stderr}"
            time.sleep(0.5)


@pytest.mark.parametrize("framework", ["fastapi", "django", "flask"])
def test_image_builds_migrates_and_serves(
    framework: str, base_image: str, tmp_path: Path, postgres_database: Callable[[], str]
) -> None:
    subprocess.run(
        [sys.executable, "-m", "pyweb_scaffold", "new", "svc", "--framework", framework, "--defaults", "--no-git"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
    )
    project = tmp_path / "svc"
    image = f"localhost/pyweb-test/{framework}-{uuid.uuid4().hex[:8]}"
    container = f"pyweb-test-{framework}-{uuid.uuid4().hex[:8]}"
    port = free_port()
    environment = [
        "--env", f"SECRET_KEY={uuid.uuid4().hex}{uuid.uuid4().hex}",
        "--env", f"DATABASE_URL={postgres_database()}",
        "--env", f"PORT={port}",
    ]  # fmt: skip
    try:
        podman(
            "build", "--pull=never", "--layers=false", "--isolation", "chroot", "--runtime", "runc",
            "--build-arg", "PYTHON_VERSION=3.11", "--tag", image, str(project),
        )  # fmt: skip

        app_files = [name for name in image_files(image, tmp_path) if name.startswith("app/")]
        assert app_files, "the image has no /app"
        for unwanted in (".env", ".git", ".venv", "tests"):
            assert not any(unwanted in Path(name).parts for name in app_files), f"{unwanted} is in the image"
        user = podman("image", "inspect", "--format", "{{.Config.User}}", image).stdout.strip()
        assert user.split(":")[0].isdigit() and int(user.split(":")[0]) > 0, f"runs as {user!r}"

        migrate = yaml.safe_load((project / "compose.yaml").read_text())["services"]["migrate"]["command"]
        subprocess.run([*RUN, "--rm", *environment, image, *migrate], check=True, capture_output=True, timeout=300)

        podman("run", "--detach", "--name", container, "--runtime", "runc", "--network", "host",
               *ULIMITS, *environment, image)  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        wait_for(f"{base}/health", container)
        assert podman("exec", container, "id", "-u").stdout.strip() == user.split(":")[0]
        assert get_json(f"{base}/health") == (200, {"status": "ok"})
        assert get_json(f"{base}/ready") == (200, {"status": "ok", "checks": {"database": "ok"}})

        size = int(podman("image", "inspect", "--format", "{{.Size}}", image).stdout.strip())
        artifacts = REPO_ROOT / "artifacts"
        artifacts.mkdir(exist_ok=True)
        with open(artifacts / "image-sizes.txt", "a") as record:
            record.write(f"{framework}\t{size / 1e6:.0f} MB\n")
    finally:
        podman("rm", "--force", container, check=False)
        podman("rmi", "--force", image, check=False)
