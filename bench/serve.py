#!/usr/bin/env python3
"""HTTP throughput of generated projects against bare apps, or of server choices, with wrk.

    python bench/serve.py                      # bare vs generated, every framework, /health and items
    python bench/serve.py --smoke              # the same with ~2 s load runs (CI smoke)
    python bench/serve.py --variants           # server choice: each generated project under several servers

Every server runs at once on its own loopback port; the load runs are interleaved (the order
reverses every round), so a slower or busier moment of a shared machine hits all servers alike.
Ratios are taken per round and their median reported. Results go to bench/results/.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import secrets
import shlex
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import peers
from projects import BENCH, FRAMEWORKS, Project, ensure_project, pip_install, run

ITEMS = 20  # one full default page
ENDPOINTS = {"health": "/health", "items": "/api/v1/items", "me": "/api/v1/users/me"}
AUTHENTICATED = ("items", "me")
# The generated project's tables, which its limit app reads.
TABLES = {"fastapi": "users,items", "flask": "users,items", "django": "users_user,items_item"}
VARIANT_PACKAGES = ("gunicorn==27.0.1", "uvicorn[standard]==0.54.0", "uvicorn-worker==0.4.0")
CORES = os.cpu_count() or 1


@dataclass
class Server:
    framework: str
    kind: str  # "bare", "generated", "limit" or "peer"
    label: str  # the server command, in words
    argv: list[str]
    cwd: Path
    env: dict[str, str]
    port: int
    default: bool = False  # the template's own server (the reference of --variants)
    endpoints: list[str] = field(default_factory=lambda: ["health"])
    paths: dict[str, str] = field(default_factory=lambda: dict(ENDPOINTS))
    ready_path: str = "/health"  # answers (any status below 500) once the server is up
    token: str | None = None  # a peer's own credentials (generated and limit share the project's)
    auth_scheme: str = "Bearer"
    seeder: Callable[[int], str | None] | None = None  # a peer's own user and items: its token
    process: subprocess.Popen[bytes] | None = None

    @property
    def name(self) -> str:
        return f"{self.framework} {self.kind}: {self.label}"

    def url(self, endpoint: str) -> str:
        return f"http://127.0.0.1:{self.port}{self.paths[endpoint]}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def peer_servers(frameworks: list[str], args: argparse.Namespace, skipped: list[str]) -> list[Server]:
    """The peers that could be obtained and set up (see peers.py); the others named in skipped."""
    found = []
    for spec in peers.prepare(frameworks, args.workdir / "peers", args.workers, args.db_prefix, skipped):
        found.append(
            Server(
                spec.framework,
                "peer",
                spec.label,
                spec.argv,
                spec.cwd,
                spec.env,
                spec.port,
                endpoints=[],
                paths=spec.paths,
                ready_path=spec.ready_path,
                auth_scheme=spec.auth_scheme,
                seeder=spec.seed,
            )
        )
    return found


def production_env(project: Project, database_url: str, workers: int, port: int, secret: str) -> dict[str, str]:
    """What a deployment sets: production settings, a real key, the database, the bind address."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "DJANGO_", "FLASK_"))}
    env.update(
        ENVIRONMENT="production",
        SECRET_KEY=secret,
        DATABASE_URL=database_url,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="false",
        ACCESS_TOKEN_EXPIRE_MINUTES="240",
        HOST="127.0.0.1",
        PORT=str(port),
        WEB_CONCURRENCY=str(workers),
        PATH=f"{project.bin}:{env.get('PATH', '')}",
    )
    return env


APPS = {"fastapi": "fastapi_app:app", "django": "django_app:application", "flask": "flask_app:app"}


def gunicorn_workers(project: Project) -> tuple[str, int | None]:
    """The worker class and threads that the project's gunicorn.conf.py sets (`make serve`'s)."""
    conf = project.path / "gunicorn.conf.py"
    settings = conf.read_text() if conf.is_file() else ""
    worker_class = re.search(r'^worker_class = "(\w+)"', settings, re.M)
    threads = re.search(r'"GUNICORN_THREADS", "(\d+)"', settings)
    return (worker_class.group(1) if worker_class else "sync"), (int(threads.group(1)) if threads else None)


def like_the_project(project: Project, port: int, workers: int) -> tuple[list[str], str]:
    """A bench app's server command with the worker settings `make serve` uses, and its label:
    the project's __main__.py options for uvicorn, its gunicorn.conf.py's worker class and threads."""
    if project.framework == "fastapi":
        argv = [f"{project.bin}/uvicorn", APPS["fastapi"], "--port", str(port), "--workers", str(workers)]
        argv += ["--loop", "uvloop", "--http", "httptools", "--no-access-log", "--timeout-keep-alive", "5"]
        return argv, f"uvicorn w={workers}"
    argv = [f"{project.bin}/gunicorn", "-b", f"127.0.0.1:{port}", "-w", str(workers), "--no-control-socket"]
    worker_class, threads = gunicorn_workers(project)
    argv += ["-k", worker_class, "--keep-alive", "5"] + (["--threads", str(threads)] if threads else [])
    return [*argv, APPS[project.framework]], f"gunicorn {worker_class} w={workers}"


def bare_server(project: Project, workers: int) -> Server:
    """The framework's few-line app, under the project's server settings, in its .venv."""
    port = free_port()
    argv, label = like_the_project(project, port, workers)
    return Server(project.framework, "bare", label, argv, BENCH / "bare", dict(os.environ), port)


def limit_server(project: Project, database_url: str, workers: int, secret: str) -> Server:
    """The practical limit: the same database work, JWT check and JSON, same driver and server."""
    port = free_port()
    argv, server = like_the_project(project, port, workers)
    driver = {"fastapi": "asyncpg pool", "django": "django.db.connection", "flask": "psycopg"}[project.framework]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "DJANGO_", "FLASK_"))}
    env.update(DATABASE_URL=database_url, SECRET_KEY=secret, LIMIT_TABLES=TABLES[project.framework])
    return Server(project.framework, "limit", f"{driver}, {server}", argv, BENCH / "limit", env, port)


def generated_servers(project: Project, database_url: str, workers: int, variants: bool, secret: str) -> list[Server]:
    """`make serve` (the template's server), and with variants the alternatives worth measuring."""
    many = 2 * CORES + 1  # gunicorn's documented rule of thumb
    pkg = project.package
    conf = ["-c", "gunicorn.conf.py"] if (project.path / "gunicorn.conf.py").is_file() else []
    worker_class, threads = gunicorn_workers(project)
    own = worker_class + (f" threads={threads}" if worker_class == "gthread" and threads else "")
    gthread = ["gunicorn", *conf, "-k", "gthread", "--threads", "4"]
    uvicorn_worker = ["gunicorn", *conf, "-k", "uvicorn_worker.UvicornWorker"]
    # (label, argv or None for `make serve`, worker count, is the template's default)
    choices: list[tuple[str, list[str] | None, int, bool]]
    if project.framework == "django":
        uvicorn = ["uvicorn", f"{pkg}.asgi:application", "--host", "127.0.0.1", "--port", "{port}"]
        choices = [
            (f"gunicorn {own} w={workers} (make serve)", None, workers, True),
            (f"gunicorn {own} w={many}", None, many, False),
            (f"gunicorn gthread w={workers} threads=4", [*gthread, f"{pkg}.wsgi"], workers, False),
            (f"gunicorn+uvicorn-worker w={workers} (ASGI)", [*uvicorn_worker, f"{pkg}.asgi"], workers, False),
            (f"uvicorn w={workers} (ASGI)", [*uvicorn, "--workers", str(workers)], workers, False),
        ]
    elif project.framework == "flask":
        choices = [
            (f"gunicorn {own} w={workers} (make serve)", None, workers, True),
            (f"gunicorn {own} w={many}", None, many, False),
            (f"gunicorn gthread w={workers} threads=4", [*gthread, f"{pkg}:create_app()"], workers, False),
            (f"gunicorn gthread w={many} threads=4", [*gthread, f"{pkg}:create_app()"], many, False),
        ]
    else:  # no gunicorn.conf.py: the options that make serve's uvicorn has
        # gunicorn takes its worker count from WEB_CONCURRENCY.
        bind = ["gunicorn", "-b", "127.0.0.1:{port}", "--no-control-socket", "--access-logfile", "-"]
        app = f"{pkg}.main:app"
        choices = [
            (f"uvicorn w={workers} (make serve)", None, workers, True),
            (f"gunicorn+uvicorn-worker w={workers}", [*bind, *uvicorn_worker[-2:], app], workers, False),
            (f"gunicorn asgi w={workers}", [*bind, "-k", "asgi", app], workers, False),
        ]
    if not variants:
        choices = choices[:1]
    servers = []
    for label, argv, count, default in choices:
        port = free_port()
        command = ["make", "serve"] if argv is None else [a.replace("{port}", str(port)) for a in argv]
        env = production_env(project, database_url, count, port, secret)
        servers.append(Server(project.framework, "generated", label, command, project.path, env, port, default))
    return servers


MIN_CONNECTIONS = 300


def check_max_connections(base: str) -> None:
    """Warn when PostgreSQL may refuse connections: gthread servers keep one per busy thread."""
    result = subprocess.run(["psql", base, "-Atc", "SHOW max_connections"], capture_output=True, text=True, timeout=60)
    if result.returncode == 0 and int(result.stdout.strip() or 0) < MIN_CONNECTIONS:
        print(
            f"warning: max_connections is {result.stdout.strip()} on TEST_POSTGRES_URL; with every server up at once"
            f" the Django and Flask ones may be refused ('too many clients'): use a server with {MIN_CONNECTIONS}+",
            file=sys.stderr,
        )


def prepare_database(project: Project, env: dict[str, str], prefix: str) -> str:
    """A fresh, migrated database for the project: a SQLite file, or one on TEST_POSTGRES_URL."""
    if base := os.environ.get("TEST_POSTGRES_URL"):
        name = f"{prefix}_{project.framework}"
        run(["psql", base, "-qc", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"], timeout=60)
        run(["psql", base, "-qc", f"CREATE DATABASE {name}"], timeout=60)
        url = base.rsplit("/", 1)[0] + f"/{name}"
    else:
        path = project.path / "bench.db"
        path.unlink(missing_ok=True)
        url = f"sqlite:///{path}"
    env = {**env, "DATABASE_URL": url}
    run(["make", "migrate"], cwd=project.path, env=env, timeout=300)
    if project.framework == "django":  # as the Dockerfile does; WhiteNoise then finds its folder
        run([f"{project.bin}/python", "manage.py", "collectstatic", "--noinput"], cwd=project.path, env=env)
    return url


def start(server: Server, log_dir: Path) -> None:
    log = open(log_dir / f"{re.sub(r'[^a-z0-9]+', '-', server.name.lower())}.log", "wb")  # noqa: SIM115
    with log:  # the child keeps its own descriptor
        server.process = subprocess.Popen(
            server.argv, cwd=server.cwd, env=server.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )


def stop(server: Server) -> None:
    """End the server's whole process group: SIGTERM, then SIGKILL after 15 s."""
    process = server.process
    if process is None:
        return
    for sig, grace in ((signal.SIGTERM, 15), (signal.SIGKILL, 5)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            break
        try:
            process.wait(timeout=grace)
            break
        except subprocess.TimeoutExpired:
            continue
    # A worker that outlived its master is still in the group.
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)


def request(
    method: str, url: str, body: Any = None, token: str | None = None, scheme: str = "Bearer"
) -> tuple[int, Any]:
    data = None if body is None else json.dumps(body).encode()
    headers = {"Content-Type": "application/json"} | ({"Authorization": f"{scheme} {token}"} if token else {})
    return peers.call(method, url, data, headers, timeout=10)


def wait_ready(server: Server, deadline: float) -> None:
    while time.monotonic() < deadline:
        assert server.process is not None
        if server.process.poll() is not None:
            raise RuntimeError(f"{server.name} exited with {server.process.returncode}; see its log")
        try:
            if request("GET", f"http://127.0.0.1:{server.port}{server.ready_path}")[0] < 500:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{server.name} did not answer {server.ready_path} in time")


def seed(server: Server) -> str | None:
    """Register, log in and create a page of items; the token, or None without the items API."""
    base = f"http://127.0.0.1:{server.port}/api/v1"
    credentials = {"email": f"bench-{secrets.token_hex(4)}@example.com", "password": secrets.token_hex(8)}
    status, body = request("POST", f"{base}/auth/register", credentials)
    if status != 201:
        print(f"[{server.framework}] no items run: register answered {status} {body}", file=sys.stderr)
        return None
    status, body = request("POST", f"{base}/auth/login", credentials)
    token = body.get("access_token") if status == 200 and isinstance(body, dict) else None
    if not token:
        print(f"[{server.framework}] no items run: login answered {status}", file=sys.stderr)
        return None
    for n in range(ITEMS):
        request("POST", f"{base}/items", {"title": f"item {n}", "description": "x" * 100}, token)
    return token


def check(server: Server, token: str | None) -> None:
    """Keep only the endpoints that answer as the contract says, so wrk never measures errors."""
    if server.kind != "peer":
        status, body = request("GET", server.url("health"))
        if (status, body) != (200, {"status": "ok"}):
            raise RuntimeError(f"{server.name}: /health answered {status} {body!r}")
    if server.kind == "bare" or not token:
        return
    status, body = request("GET", server.url("items"), token=token, scheme=server.auth_scheme)
    results = body.get("results", body.get("data")) if isinstance(body, dict) else body
    if status == 200 and isinstance(results, list) and len(results) == ITEMS:
        server.endpoints.append("items")
    elif "items" in server.paths:
        print(f"{server.name}: items answered {status}; not measured", file=sys.stderr)
    status, body = request("GET", server.url("me"), token=token, scheme=server.auth_scheme)
    if status == 200 and isinstance(body, dict) and ("email" in body or server.kind == "peer"):
        server.endpoints.append("me")
    else:
        print(f"{server.name}: users/me answered {status}; not measured", file=sys.stderr)


def compare_bodies(limit: Server, generated: Server, token: str | None) -> None:
    """Say where the limit app's JSON differs from the generated project's (it should not)."""
    for endpoint in AUTHENTICATED:
        if endpoint not in limit.endpoints or endpoint not in generated.endpoints:
            continue
        mine = request("GET", limit.url(endpoint), token=token)[1]
        theirs = request("GET", generated.url(endpoint), token=token)[1]
        if mine != theirs:
            difference = f"{mine!r:.300} vs {theirs!r:.300}"
            print(f"{limit.name} {ENDPOINTS[endpoint]}: body differs: {difference}", file=sys.stderr)


WRK_LINE = {
    "p50": re.compile(r"^\s*50%\s+([\d.]+)(us|ms|s)\s*$", re.M),
    "p99": re.compile(r"^\s*99%\s+([\d.]+)(us|ms|s)\s*$", re.M),
}


def wrk(url: str, args: argparse.Namespace, duration: int, token: str | None, scheme: str) -> dict[str, float]:
    header = ["-H", f"Authorization: {scheme} {token}"] if token else []
    argv = ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{duration}s", "--latency", "--timeout", "10s"]
    result = subprocess.run([*argv, *header, url], capture_output=True, text=True, timeout=duration + 30, check=True)
    out = result.stdout
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    figures = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))}  # type: ignore[union-attr]
    figures["requests"] = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    for key, pattern in WRK_LINE.items():
        match = pattern.search(out)
        figures[f"{key}_ms"] = float(match.group(1)) * scale[match.group(2)] if match else float("nan")
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    figures["socket_errors"] = sum(map(int, errors.groups())) if errors else 0
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    figures["non_2xx"] = int(non2xx.group(1)) if non2xx else 0
    return figures


CLOCK_TICK = os.sysconf("SC_CLK_TCK")


def group_cpu_seconds(pgid: int) -> float:
    """utime + stime of every process in the group, and cutime + cstime of the children they reaped.

    A worker that exited (and was reaped by its master) is in its master's cutime/cstime.
    """
    ticks = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # After the ")" of the command: field 3 (state) is fields[0], so field n is fields[n - 3].
        if int(fields[5 - 3]) == pgid:
            ticks += sum(int(fields[n - 3]) for n in (14, 15, 16, 17))
    return ticks / CLOCK_TICK


def process_tree(root: int) -> dict[int, int]:
    """pid -> ppid of root and all its descendants."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    tree = {root: parents.get(root, 0)}
    grew = True
    while grew:
        grew = False
        for pid, ppid in parents.items():
            if ppid in tree and pid not in tree:
                tree[pid] = ppid
                grew = True
    return tree


def vm_rss_mib(pid: int) -> float:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return float("nan")
    match = re.search(r"^VmRSS:\s+(\d+) kB", status, re.M)
    return int(match.group(1)) / 1024 if match else float("nan")


def memory(server: Server) -> dict[str, Any]:
    """VmRSS of each worker (the leaves of the server's process tree) and of the whole server."""
    assert server.process is not None
    tree = process_tree(server.process.pid)
    python = {}
    for pid in tree:
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if "python" in cmdline and "resource_tracker" not in cmdline:
            python[pid] = cmdline
    workers = [pid for pid in python if pid not in tree.values()]
    return {
        "worker_rss_mib": [round(vm_rss_mib(pid), 1) for pid in workers],
        "total_rss_mib": round(sum(vm_rss_mib(pid) for pid in python), 1),
    }


def versions(project: Project) -> dict[str, str]:
    names = ["python", "django", "flask", "fastapi", "starlette", "pydantic", "gunicorn", "uvicorn", "uvloop"]
    code = (
        "import importlib.metadata as m, json, platform\n"
        f"out = {{'python': platform.python_version()}}\n"
        f"for n in {names[1:]!r}:\n"
        "    try: out[n] = m.version(n)\n"
        "    except m.PackageNotFoundError: pass\n"
        "print(json.dumps(out))"
    )
    result = subprocess.run([f"{project.bin}/python", "-c", code], capture_output=True, text=True, timeout=60)
    return json.loads(result.stdout) if result.returncode == 0 else {}


def machine() -> dict[str, Any]:
    cpuinfo = Path("/proc/cpuinfo").read_text()
    model = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.M)
    return {
        "cpu": model.group(1) if model else platform.processor(),
        "cores": CORES,
        "kernel": platform.release(),
        "bench_python": platform.python_version(),
    }


def rounds_order(servers: list[Server], rounds: int) -> Iterator[tuple[int, Server]]:
    for n in range(rounds):
        for server in servers if n % 2 == 0 else reversed(servers):
            yield n, server


def reference_of(server: Server, servers: list[Server]) -> Server | None:
    """What a server's req/s is divided by: the bare app, or else the template's own server."""
    others = [s for s in servers if s.framework == server.framework and s is not server]
    if server.kind == "bare":
        return None
    if bare := next((s for s in others if s.kind == "bare"), None):
        return bare
    return None if server.default else next((s for s in others if s.default), None)


Runs = dict[tuple[str, str], list[dict[str, float]]]


def per_round(mine: list[dict[str, float]], theirs: list[dict[str, float]] | None, key: str) -> float | None:
    """The median over the rounds of my figure over theirs, taken round by round."""
    if not theirs:
        return None
    ratios = [a[key] / b[key] for a, b in zip(mine, theirs, strict=True) if b[key]]
    return round(statistics.median(ratios), 3) if ratios else None


def summarize(servers: list[Server], runs: Runs, mem: dict[str, Any]) -> list[dict[str, Any]]:
    """Medians per server and endpoint, and the medians of per-round ratios to the other servers.

    ratio: req/s over the bare app's (with --variants, over the template's own server's);
    a generated project's row also has req/s and CPU per request over the limit app's, and
    req/s over the peer's.
    """
    rows = []
    for server in servers:
        reference = reference_of(server, servers)
        same = [s for s in servers if s.framework == server.framework]
        limit = next((s for s in same if s.kind == "limit"), None)
        peer = next((s for s in same if s.kind == "peer"), None)
        for endpoint in server.endpoints:
            mine = runs[(server.name, endpoint)]
            row: dict[str, Any] = {
                "framework": server.framework,
                "kind": server.kind,
                "server": server.label,
                "default": server.default,
                "endpoint": ENDPOINTS[endpoint],
                "path": server.paths[endpoint],
                "rps": round(statistics.median(r["rps"] for r in mine), 1),
                "p50_ms": round(statistics.median(r["p50_ms"] for r in mine), 2),
                "p99_ms": round(statistics.median(r["p99_ms"] for r in mine), 2),
                "cpu_us_per_request": round(statistics.median(r["cpu_us"] for r in mine), 1),
                "errors": int(sum(r["socket_errors"] + r["non_2xx"] for r in mine)),
                "rounds": [r["rps"] for r in mine],
                "rounds_cpu_us": [r["cpu_us"] for r in mine],
                **mem[server.name],
            }
            if reference and (ratio := per_round(mine, runs.get((reference.name, endpoint)), "rps")):
                row["ratio"], row["ratio_to"] = ratio, reference.name
            if server.kind == "generated":
                for other, prefix in ((limit, "limit"), (peer, "peer")):
                    theirs = runs.get((other.name, endpoint)) if other else None
                    if other and theirs:
                        row[f"rps_ratio_to_{prefix}"] = per_round(mine, theirs, "rps")
                        row[f"cpu_ratio_to_{prefix}"] = per_round(mine, theirs, "cpu_us")
                        row[f"{prefix}_server"] = other.name
            rows.append(row)
    return rows


def markdown(rows: list[dict[str, Any]], meta: dict[str, Any]) -> str:
    load = meta["load"]

    def ratio(row: dict[str, Any], key: str) -> str:
        return f"{row[key]:.2f}" if row.get(key) is not None else "—"

    lines = [
        f"wrk -t{load['threads']} -c{load['connections']} -d{load['duration']}s, {load['rounds']} interleaved rounds"
        f" (medians), {load['workers']} workers unless named; {meta['machine']['cpu']}, {CORES} cores;"
        f" load average {meta['loadavg_before']} before, {meta['loadavg_after']} after",
        "",
        "| framework | server | endpoint | req/s | p50 ms | p99 ms | CPU µs/req | RSS/worker MiB | RSS total MiB"
        " | ratio | req/s ÷ limit | CPU ÷ limit | req/s ÷ peer | CPU ÷ peer | errors |",
        "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        worker = statistics.mean(r["worker_rss_mib"]) if r["worker_rss_mib"] else float("nan")
        ratios = " | ".join(
            ratio(r, key)
            for key in ("ratio", "rps_ratio_to_limit", "cpu_ratio_to_limit", "rps_ratio_to_peer", "cpu_ratio_to_peer")
        )
        endpoint = r["endpoint"] if r["path"] == r["endpoint"] else f"{r['endpoint']} (`{r['path']}`)"
        lines.append(
            f"| {r['framework']} | {r['kind']}: {r['server']} | {endpoint} | {r['rps']:.0f} | {r['p50_ms']:.1f}"
            f" | {r['p99_ms']:.1f} | {r['cpu_us_per_request']:.0f} | {worker:.0f} | {r['total_rss_mib']:.0f}"
            f" | {ratios} | {r['errors']} |"
        )
    lines += [
        "",
        "CPU µs/req: user + system CPU of the server's whole process group during the run, over the requests"
        " wrk counted. ratio: req/s over the bare app's (with --variants, over the template's own server's);"
        " ÷ limit, ÷ peer: the generated project's req/s or CPU per request over the limit app's or the peer's."
        " Every ratio is the median of the per-round ratios.",
    ]
    if meta.get("peers_skipped"):
        lines += ["", *(f"Not measured: {reason}" for reason in meta["peers_skipped"])]
    return "\n".join(lines) + "\n"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--frameworks", default=",".join(FRAMEWORKS), help="comma-separated (default: all)")
    parser.add_argument("--variants", action="store_true", help="compare server choices instead of bare vs generated")
    parser.add_argument("--only", help="--variants: only labels matching this regex, and make serve")
    parser.add_argument("--workers", type=int, default=2, help="worker processes per server (default 2)")
    parser.add_argument("--threads", type=int, default=1, help="wrk threads (default 1: leaves the cores to servers)")
    parser.add_argument("--connections", type=int, default=32, help="wrk connections (default 32)")
    parser.add_argument("--duration", type=int, default=10, help="seconds per load run (default 10)")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of discarded load before each run")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds (default 3)")
    parser.add_argument("--smoke", action="store_true", help="CI smoke: 2 s runs, 1 s warm-up, one round")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/pyweb-bench"), help="where projects are generated")
    parser.add_argument("--fresh", action="store_true", help="generate and install the projects anew")
    parser.add_argument("--results", type=Path, default=BENCH / "results", help="where the JSON and markdown go")
    parser.add_argument("--db-prefix", default="bench", help="PostgreSQL database names: PREFIX_<framework>")
    parser.add_argument("--no-peers", action="store_true", help="leave out the peer projects")
    args = parser.parse_args()
    if args.smoke:
        args.duration, args.warmup, args.rounds = 2, 1, 1
    return args


def main() -> None:
    args = parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # run the finally blocks on kill too
    frameworks = [f.strip() for f in args.frameworks.split(",") if f.strip()]
    if unknown := set(frameworks) - set(FRAMEWORKS):
        sys.exit(f"unknown frameworks: {', '.join(sorted(unknown))}")
    database = "postgresql" if os.environ.get("TEST_POSTGRES_URL") else "sqlite"
    if database == "postgresql":
        check_max_connections(os.environ["TEST_POSTGRES_URL"])
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    log_dir = args.workdir / "logs" / stamp
    log_dir.mkdir(parents=True, exist_ok=True)
    args.results.mkdir(parents=True, exist_ok=True)

    servers: list[Server] = []
    tokens: dict[str, str | None] = {}
    package_versions = {}
    peers_skipped: list[str] = []
    secret = secrets.token_hex(32)  # one key for all, so that one token serves every variant and the limit
    for framework in frameworks:
        project = ensure_project(framework, args.workdir / database, database, args.fresh)
        if args.variants:
            pip_install(project, *VARIANT_PACKAGES)
        package_versions[framework] = versions(project)
        env = production_env(project, "", args.workers, 0, secret)
        url = prepare_database(project, env, args.db_prefix)
        if not args.variants:
            servers.append(bare_server(project, args.workers))
            if database == "postgresql":
                servers.append(limit_server(project, url, args.workers, secret))
        generated = generated_servers(project, url, args.workers, args.variants, secret)
        servers += [s for s in generated if s.default or not args.only or re.search(args.only, s.label)]
    if not args.variants and not args.no_peers:
        servers += peer_servers(frameworks, args, peers_skipped)

    loadavg_before = os.getloadavg()
    runs: Runs = {}
    mem: dict[str, Any] = {}
    with ExitStack() as stack:
        for server in servers:
            stack.callback(stop, server)
            start(server, log_dir)
        deadline = time.monotonic() + 120
        for server in servers:
            wait_ready(server, deadline)
        for framework in frameworks:
            first = next(s for s in servers if s.framework == framework and s.kind == "generated")
            tokens[framework] = seed(first)
        for server in [s for s in servers if s.kind == "peer"]:
            assert server.seeder is not None
            server.token = server.seeder(server.port)
        for server in servers:
            check(server, server.token or tokens.get(server.framework))
        for limit in [s for s in servers if s.kind == "limit"]:
            generated = next(s for s in servers if s.framework == limit.framework and s.kind == "generated")
            compare_bodies(limit, generated, tokens.get(limit.framework))
        for n, server in rounds_order(servers, args.rounds):
            assert server.process is not None
            for endpoint in server.endpoints:
                token = (server.token or tokens[server.framework]) if endpoint in AUTHENTICATED else None
                url = server.url(endpoint)
                if args.warmup:
                    wrk(url, args, args.warmup, token, server.auth_scheme)
                cpu_before = group_cpu_seconds(server.process.pid)
                figures = wrk(url, args, args.duration, token, server.auth_scheme)
                cpu = group_cpu_seconds(server.process.pid) - cpu_before
                figures["cpu_us"] = cpu * 1e6 / figures["requests"] if figures["requests"] else float("nan")
                runs.setdefault((server.name, endpoint), []).append(figures)
                print(
                    f"round {n + 1}: {server.name} {ENDPOINTS[endpoint]}: {figures['rps']:.0f} req/s,"
                    f" {figures['cpu_us']:.0f} µs CPU/req",
                    file=sys.stderr,
                )
        for server in servers:
            mem[server.name] = memory(server)

    meta = {
        "date": stamp,
        "machine": machine(),
        "versions": package_versions,
        "database": database,
        "loadavg_before": [round(x, 2) for x in loadavg_before],
        "loadavg_after": [round(x, 2) for x in os.getloadavg()],
        "load": {k: getattr(args, k) for k in ("threads", "connections", "duration", "warmup", "rounds", "workers")},
        "commands": {s.name: shlex.join(s.argv) for s in servers},
        "peers_skipped": peers_skipped,
    }
    rows = summarize(servers, runs, mem)
    name = f"serve-{'variants' if args.variants else 'bare'}-{stamp}"
    (args.results / f"{name}.json").write_text(json.dumps({"meta": meta, "results": rows}, indent=2) + "\n")
    table = markdown(rows, meta)
    (args.results / f"{name}.md").write_text(table)
    print(table)
    print(f"written: {args.results / name}.json and .md", file=sys.stderr)


if __name__ == "__main__":
    main()
