"""This worker's open connections (WebSockets and event streams), each with a bounded queue.

Delivering never waits: an event is put on each of the user's queues without blocking, and a
connection whose queue is full (a slow or vanished client) is closed instead of holding up the rest.
"""

import asyncio
import enum
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

# Events a connection may have waiting before it counts as too slow.
QUEUE_SIZE = 100


@dataclass(frozen=True)
class Event:
    type: str
    data: str  # the whole event as JSON, as the client receives it


class CloseReason(enum.Enum):
    TOO_SLOW = "too slow"
    EVENTS_INTERRUPTED = "events interrupted"  # the relay lost Redis: events may have been missed
    SHUTDOWN = "server shutting down"


class Connection:
    """One open connection's waiting events, ended by a CloseReason."""

    def __init__(self, user_id: int, queue_size: int) -> None:
        self.user_id = user_id
        self._queue: asyncio.Queue[Event | CloseReason] = asyncio.Queue(queue_size + 1)
        self._queue_size = queue_size
        self.close_reason: CloseReason | None = None
        self.closed = asyncio.Event()

    def offer(self, event: Event) -> None:
        if self.close_reason is not None:
            return
        if self._queue.qsize() >= self._queue_size:
            self.close(CloseReason.TOO_SLOW)
            return
        self._queue.put_nowait(event)

    def close(self, reason: CloseReason) -> None:
        """End the connection: what is still waiting is dropped, the reason comes next."""
        if self.close_reason is not None:
            return
        self.close_reason = reason
        self.closed.set()
        while not self._queue.empty():
            self._queue.get_nowait()
        self._queue.put_nowait(reason)

    async def next(self) -> Event | CloseReason:
        return await self._queue.get()


class Hub:
    """The open connections of this process, by user."""

    def __init__(self, queue_size: int = QUEUE_SIZE) -> None:
        self._queue_size = queue_size
        self._connections: defaultdict[int, set[Connection]] = defaultdict(set)

    @contextmanager
    def connect(self, user_id: int) -> Iterator[Connection]:
        connection = Connection(user_id, self._queue_size)
        self._connections[user_id].add(connection)
        try:
            yield connection
        finally:
            connections = self._connections[user_id]
            connections.discard(connection)
            if not connections:
                del self._connections[user_id]

    def deliver(self, user_id: int, event: Event) -> None:
        for connection in list(self._connections.get(user_id, ())):
            connection.offer(event)

    def close_all(self, reason: CloseReason) -> None:
        for connections in list(self._connections.values()):
            for connection in list(connections):
                connection.close(reason)
