"""A client-side time limit on every PostgreSQL statement.

A frozen server (SIGSTOP, a hung host) still has its kernel acknowledge TCP, so neither
TCP keepalives nor the server's statement_timeout ever fire, and psycopg would wait
forever. A watchdog thread per process shuts the connection's socket down once a statement
has run `DATABASE_STATEMENT_TIMEOUT` seconds instead: psycopg then raises OperationalError (the
API answers 503), and Django drops the broken connection at the end of the request. Starting a
timer thread per statement instead cost about half of a listing's CPU time.
PostgreSQL only: SQLite waits on no server (and has its own 5 s lock timeout).
"""

import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db.backends.base.base import BaseDatabaseWrapper

# How often the watchdog looks: a statement may run this much past its limit.
WATCH_INTERVAL = 0.1

_limit: ContextVar[float | None] = ContextVar("statement_limit", default=None)


@contextmanager
def statement_limit(seconds: float) -> Iterator[None]:
    """A shorter limit for the statements run inside (the readiness probe's)."""
    token = _limit.set(seconds)
    try:
        yield
    finally:
        _limit.reset(token)


class Watchdog:
    """The statements running in this process, by thread, and the thread that ends late ones."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.running: dict[int, tuple[float, BaseDatabaseWrapper]] = {}
        self.pid = 0  # the process whose thread watches: gunicorn forks workers

    def watch(self, seconds: float, connection: BaseDatabaseWrapper) -> None:
        with self.lock:
            self.running[threading.get_ident()] = (time.monotonic() + seconds, connection)
            if self.pid != os.getpid():
                self.pid = os.getpid()
                threading.Thread(target=self.run, name="statement-watchdog", daemon=True).start()

    def done(self) -> None:
        with self.lock:
            self.running.pop(threading.get_ident(), None)

    def run(self) -> None:
        while True:
            time.sleep(WATCH_INTERVAL)
            now = time.monotonic()
            with self.lock:
                late = [key for key, (deadline, _) in self.running.items() if deadline <= now]
                connections = [self.running.pop(key)[1] for key in late]
            for connection in connections:
                _shut_down(connection)


_watchdog = Watchdog()


def time_limit(
    execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]
) -> Any:
    """An execute wrapper (the PostgreSQL backend installs it on every connection)."""
    _watchdog.watch(_limit.get() or settings.DATABASE_STATEMENT_TIMEOUT, context["connection"])
    try:
        return execute(sql, params, many, context)
    finally:
        _watchdog.done()


def _shut_down(connection: BaseDatabaseWrapper) -> None:
    """Wake the blocked read with end-of-file: the socket is shut, the descriptor kept."""
    try:
        fileno = connection.connection.fileno()
        with socket.socket(fileno=socket.dup(fileno)) as sock:
            sock.shutdown(socket.SHUT_RDWR)
    except (OSError, AttributeError):
        pass  # Already closed: nothing is waiting on it any more.
