"""The peers: the projects people pick instead of a generated one, obtained and set up at run time.

- FastAPI: full-stack-fastapi-template's backend (`fastapi run` on its app, SQLModel on psycopg),
  its `/api/v1/items/` (first page of 20) and `/api/v1/users/me` with a user that signed up;
- Django: cookiecutter-django rendered with its DRF API, under gunicorn as its image runs it,
  its `/api/users/me/` with DRF's token authentication (it has no items).

Both are cloned from GitHub into the workdir (`git clone --depth 1`, reused by later runs);
nothing of theirs is kept in this repository. A peer that cannot be obtained or set up is left
out with a one-line reason. Flask has no peer (see bench/README.md).
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from projects import run

FASTAPI_GIT = "https://github.com/fastapi/full-stack-fastapi-template"
DJANGO_GIT = "https://github.com/cookiecutter/cookiecutter-django"
ITEMS = 20


@dataclass
class PeerSpec:
    framework: str
    label: str
    argv: list[str]
    cwd: Path
    env: dict[str, str]
    port: int
    paths: dict[str, str]
    ready_path: str
    auth_scheme: str
    seed: Callable[[int], str | None]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def clone(url: str, dest: Path) -> None:
    """A shallow clone, once; a failed one leaves nothing behind."""
    if (dest / ".git").is_dir():
        return
    shutil.rmtree(dest, ignore_errors=True)
    result = subprocess.run(
        ["git", "clone", "--quiet", "--depth", "1", url, str(dest)], capture_output=True, text=True, timeout=300
    )
    if result.returncode != 0:
        shutil.rmtree(dest, ignore_errors=True)
        lines = result.stderr.strip().splitlines() or [f"exit code {result.returncode}"]
        raise RuntimeError(f"git clone {url}: {lines[-1]}")


def venv(path: Path, *pip_args: str) -> Path:
    """A virtual environment at path with pip_args installed (uv when present); its bin folder."""
    bin_dir = path / "bin"
    if not (bin_dir / "python").exists():
        run([sys.executable, "-m", "venv", str(path)], timeout=300)
    if uv := shutil.which("uv"):
        run([uv, "pip", "install", "--quiet", "--python", str(bin_dir / "python"), *pip_args], timeout=1200)
    else:
        run([str(bin_dir / "python"), "-m", "pip", "install", "--quiet", *pip_args], timeout=1200)
    return bin_dir


def fresh_database(base: str, name: str) -> str:
    run(["psql", base, "-qc", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"], timeout=60)
    run(["psql", base, "-qc", f"CREATE DATABASE {name}"], timeout=60)
    return base.rsplit("/", 1)[0] + f"/{name}"


def call(method: str, url: str, body: bytes | None, headers: dict[str, str], timeout: float = 30) -> tuple[int, Any]:
    """One HTTP request: its status and its JSON body (or the first 200 characters of another)."""
    req = urllib.request.Request(url, data=body, headers=headers, method=method)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, raw = error.code, error.read()
    try:
        return status, json.loads(raw or b"null")
    except ValueError:
        return status, raw[:200].decode(errors="replace")


def fastapi_peer(workdir: Path, workers: int, database: Callable[[], str]) -> PeerSpec:
    repo = workdir / "full-stack-fastapi-template"
    clone(FASTAPI_GIT, repo)
    database_url = database()
    backend = repo / "backend"
    bin_dir = venv(backend / ".venv", "-e", str(backend))
    url = urllib.parse.urlsplit(database_url)
    env = {k: v for k, v in os.environ.items() if not k.startswith("VIRTUAL_ENV")}
    env.update(
        ENVIRONMENT="production",  # its settings then refuse the repository's default secrets
        PROJECT_NAME="peer",
        SECRET_KEY=secrets.token_urlsafe(32),
        FIRST_SUPERUSER="admin@example.com",
        FIRST_SUPERUSER_PASSWORD=secrets.token_urlsafe(16),
        POSTGRES_SERVER=url.hostname or "127.0.0.1",
        POSTGRES_PORT=str(url.port or 5432),
        POSTGRES_USER=urllib.parse.unquote(url.username or ""),
        POSTGRES_PASSWORD=urllib.parse.unquote(url.password or ""),
        POSTGRES_DB=url.path.lstrip("/"),
        SENTRY_DSN="",
        PATH=f"{bin_dir}:{env.get('PATH', '')}",
    )
    # What its scripts/prestart.sh does before the server starts.
    run([str(bin_dir / "alembic"), "upgrade", "head"], cwd=backend, env=env, timeout=300)
    run([str(bin_dir / "python"), "app/initial_data.py"], cwd=backend, env=env, timeout=300)
    port = free_port()
    # Its Dockerfile's command, on loopback and with our worker count.
    argv = [str(bin_dir / "fastapi"), "run", "--workers", str(workers), "--host", "127.0.0.1"]
    argv += ["--port", str(port), "app/main.py"]

    def seed(port: int) -> str | None:
        base = f"http://127.0.0.1:{port}/api/v1"
        email, password = f"bench-{secrets.token_hex(4)}@example.com", secrets.token_urlsafe(12)
        signup = json.dumps({"email": email, "password": password, "full_name": "Bench"}).encode()
        status, body = call("POST", f"{base}/users/signup", signup, {"Content-Type": "application/json"})
        if status != 200:
            print(f"[fastapi peer] signup answered {status} {body}", file=sys.stderr)
            return None
        form = urllib.parse.urlencode({"username": email, "password": password}).encode()
        form_type = {"Content-Type": "application/x-www-form-urlencoded"}
        status, body = call("POST", f"{base}/login/access-token", form, form_type)
        token = body.get("access_token") if isinstance(body, dict) else None
        if not token:
            print(f"[fastapi peer] login answered {status} {body}", file=sys.stderr)
            return None
        headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}
        for n in range(ITEMS):
            item = json.dumps({"title": f"item {n}", "description": "x" * 100}).encode()
            call("POST", f"{base}/items/", item, headers)
        return str(token)

    return PeerSpec(
        "fastapi",
        f"full-stack-fastapi-template backend, fastapi run w={workers}",
        argv,
        backend,
        env,
        port,
        {"items": "/api/v1/items/?skip=0&limit=20", "me": "/api/v1/users/me"},
        "/api/v1/utils/health-check/",
        "Bearer",
        seed,
    )


def django_peer(workdir: Path, workers: int, database: Callable[[], str]) -> PeerSpec:
    template = workdir / "cookiecutter-django"
    clone(DJANGO_GIT, template)
    database_url = database()
    project = workdir / "peerdj"
    if not (project / "manage.py").is_file():
        tools = venv(workdir / ".tools", "cookiecutter")
        answers = {
            "project_name": "peerdj",
            "project_slug": "peerdj",
            "username_type": "email",
            "use_docker": "n",
            "rest_api": "DRF",
            "cloud_provider": "None",
            "mail_service": "Other SMTP",
            "use_whitenoise": "y",
            "use_sentry": "n",
            "use_celery": "n",
            "frontend_pipeline": "None",
            "keep_local_envs_in_vcs": "n",
        }
        context = [f"{key}={value}" for key, value in answers.items()]
        run([str(tools / "cookiecutter"), "--no-input", "--output-dir", str(workdir), str(template), *context])
    # Its production requirements build psycopg from source (libpq headers); the binary wheel is the same code.
    production = (project / "requirements" / "production.txt").read_text()
    bench_requirements = project / "requirements" / "bench.txt"
    bench_requirements.write_text(production.replace("psycopg[c]", "psycopg[binary]"))
    bin_dir = venv(project / ".venv", "-r", str(bench_requirements))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "DJANGO_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(40),
        DJANGO_ADMIN_URL="admin/",
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SECURE_SSL_REDIRECT="False",
        DATABASE_URL=database_url,
        REDIS_URL="redis://127.0.0.1:6379/0",  # its cache; the users API does not touch it
        PATH=f"{bin_dir}:{env.get('PATH', '')}",
    )
    python = str(bin_dir / "python")
    run([python, "manage.py", "migrate", "--noinput"], cwd=project, env=env, timeout=300)
    run([python, "manage.py", "collectstatic", "--noinput"], cwd=project, env=env, timeout=300)
    port = free_port()
    # Its production image's start command, on loopback and with our worker count.
    argv = [str(bin_dir / "gunicorn"), "config.wsgi", "--bind", f"127.0.0.1:{port}", "-w", str(workers)]
    make_user = (
        "from django.contrib.auth import get_user_model; from rest_framework.authtoken.models import Token;"
        f" u = get_user_model().objects.create_user(email='bench-{secrets.token_hex(4)}@example.com',"
        f" password='{secrets.token_urlsafe(12)}'); print(Token.objects.create(user=u).key)"
    )

    def seed(_port: int) -> str | None:
        result = subprocess.run(
            [python, "manage.py", "shell", "-c", make_user],
            cwd=project,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        if result.returncode != 0:
            print(f"[django peer] no user: {result.stderr.strip().splitlines()[-1:]}", file=sys.stderr)
            return None
        return result.stdout.strip().splitlines()[-1]

    return PeerSpec(
        "django",
        f"cookiecutter-django (DRF), gunicorn sync w={workers}",
        argv,
        project,
        env,
        port,
        {"me": "/api/users/me/"},
        "/api/users/me/",
        "Token",
        seed,
    )


def prepare(frameworks: list[str], workdir: Path, workers: int, prefix: str, skipped: list[str]) -> list[PeerSpec]:
    """The peers of these frameworks that could be set up; a one-line reason in skipped for the others."""
    makers = {"fastapi": ("full-stack-fastapi-template", fastapi_peer), "django": ("cookiecutter-django", django_peer)}
    specs = []
    for framework in frameworks:
        if framework not in makers:
            continue
        name, maker = makers[framework]
        base = os.environ.get("TEST_POSTGRES_URL")
        try:
            if not base:
                raise RuntimeError("peers run on PostgreSQL only (TEST_POSTGRES_URL is not set)")
            workdir.mkdir(parents=True, exist_ok=True)
            name_in_db = f"{prefix}_peer_{framework}"
            specs.append(maker(workdir, workers, lambda: fresh_database(base, name_in_db)))  # noqa: B023
        except (RuntimeError, OSError, subprocess.TimeoutExpired) as exc:
            reason = f"{framework} peer {name}: {exc}"
            print(reason, file=sys.stderr)
            skipped.append(reason)
    return specs
