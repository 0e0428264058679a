"""A client-side time limit on every PostgreSQL statement.

A frozen server (SIGSTOP, a hung host) still has its kernel acknowledge TCP, so neither
TCP keepalives nor the server's statement_timeout ever fire, and psycopg would wait
forever. A timer per statement shuts the connection's socket down after
`DATABASE_STATEMENT_TIMEOUT` seconds instead: psycopg then raises OperationalError (the API
answers 503), and Django drops the broken connection at the end of the request.
PostgreSQL only: SQLite waits on no server (and has its own 5 s lock timeout).
"""

import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db.backends.base.base import BaseDatabaseWrapper

_limit: ContextVar[float | None] = ContextVar("statement_limit", default=None)


@contextmanager
def statement_limit(seconds: float) -> Iterator[None]:
    """A shorter limit for the statements run inside (the readiness probe's)."""
    token = _limit.set(seconds)
    try:
        yield
    finally:
        _limit.reset(token)


def time_limit(
    execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]
) -> Any:
    """An execute wrapper (the PostgreSQL backend installs it on every connection)."""
    seconds = _limit.get() or settings.DATABASE_STATEMENT_TIMEOUT
    timer = threading.Timer(seconds, _shut_down, (context["connection"],))
    timer.daemon = True
    timer.start()
    try:
        return execute(sql, params, many, context)
    finally:
        timer.cancel()


def _shut_down(connection: BaseDatabaseWrapper) -> None:
    """Wake the blocked read with end-of-file: the socket is shut, the descriptor kept."""
    try:
        fileno = connection.connection.fileno()
        with socket.socket(fileno=socket.dup(fileno)) as sock:
            sock.shutdown(socket.SHUT_RDWR)
    except (OSError, AttributeError):
        pass  # Already closed: nothing is waiting on it any more.
