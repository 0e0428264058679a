"""Django's PostgreSQL backend with a client-side statement time limit and a health check
that never waits on the server.

A frozen server still has its kernel acknowledge TCP: a `SELECT 1` health check (Django's)
would wait on it forever, and so would any statement without the time limit.
"""

import select
from typing import Any

from django.db.backends.postgresql import base

from ..health.database import time_limit


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.execute_wrappers.append(time_limit)

    def is_usable(self) -> bool:
        """False once the server closed the connection (a restart), without a round trip.

        A connection at rest has nothing to read; a closed one reads end-of-file at once. A
        frozen server passes, and its first statement then meets the time limit (503).
        """
        if self.connection is None or self.connection.closed:
            return False
        readable, _, _ = select.select([self.connection.fileno()], [], [], 0)
        return not readable
