"""Real-time item events end to end: `make serve` replicas of several workers on one real Redis,
real WebSocket and Server-Sent Events clients, changes made through another replica."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AsyncExitStack, ExitStack, asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from tests.servers import redis_server
from tests.test_e2e import installed_with, serving

pytestmark = pytest.mark.e2e

# The frameworks that offer `realtime` (Flask refuses it).
FRAMEWORKS = ["fastapi", "django"]
PASSWORD = "correct horse battery"
# Every wait for an event; the whole scenario is bounded too.
EVENT_SECONDS = 10
SCENARIO_SECONDS = 90
# `make serve` must stop this soon after SIGTERM, with clients still connected.
STOP_SECONDS = 10


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with redis_server(tmp_path_factory.mktemp("redis")) as server:
        yield server.url


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """Each framework with `realtime`, on SQLite, generated, installed and migrated once."""
    return installed_with(tmp_path_factory, "realtime=true")


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def ws_url(base: str) -> str:
    return base.replace("http://", "ws://", 1) + "/api/v1/items/ws"


async def sign_up(http: httpx.AsyncClient, base: str, email: str) -> str:
    """Register and log in through `base`; the access token."""
    response = await http.post(f"{base}/api/v1/auth/register", json={"email": email, "password": PASSWORD})
    assert response.status_code == 201, response.text
    response = await http.post(f"{base}/api/v1/auth/login", json={"email": email, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])


@asynccontextmanager
async def item_socket(base: str, token: str) -> AsyncIterator[ClientConnection]:
    """A WebSocket that has authenticated and been told it is ready."""
    async with connect(ws_url(base)) as websocket:
        await websocket.send(json.dumps({"type": "auth", "token": token}))
        assert await receive(websocket) == {"type": "ready"}
        yield websocket


async def receive(websocket: ClientConnection) -> dict[str, Any]:
    return json.loads(await asyncio.wait_for(websocket.recv(), EVENT_SECONDS))


class EventStream:
    """An open `GET /api/v1/items/events`, read event by event (comments skipped)."""

    def __init__(self, response: httpx.Response) -> None:
        assert response.status_code == 200, response.status_code
        assert response.headers["content-type"].startswith("text/event-stream")
        self._lines = response.aiter_lines()

    async def next_event(self) -> tuple[str, dict[str, Any]]:
        async with asyncio.timeout(EVENT_SECONDS):
            fields: dict[str, str] = {}
            async for line in self._lines:
                if line == "" and "data" in fields:
                    return fields.get("event", "message"), json.loads(fields["data"])
                name, _, value = line.partition(":")
                if name in ("event", "data"):
                    fields[name] = value.removeprefix(" ")
        raise AssertionError("the event stream ended")


@asynccontextmanager
async def event_stream(http: httpx.AsyncClient, base: str, token: str) -> AsyncIterator[EventStream]:
    async with http.stream("GET", f"{base}/api/v1/items/events", headers=bearer(token)) as response:
        yield EventStream(response)


async def until_listening(http: httpx.AsyncClient, base: str, token: str, stream: EventStream) -> None:
    """Change an item until the stream shows it: its subscription is live from then on."""
    for _ in range(10):
        response = await http.post(f"{base}/api/v1/items", json={"title": "warm-up"}, headers=bearer(token))
        assert response.status_code == 201, response.text
        try:
            await asyncio.wait_for(stream.next_event(), 1)
            return
        except TimeoutError:
            continue
    raise AssertionError("the event stream received none of 10 changes")


async def events_about(stream: EventStream, item_id: int, count: int) -> list[tuple[str, dict[str, Any]]]:
    """The next `count` events about one item (a warm-up's late events are skipped)."""
    events = []
    while len(events) < count:
        name, event = await stream.next_event()
        if event["item"]["id"] == item_id:
            events.append((name, event))
    return events


async def across_replicas(a: str, b: str) -> None:
    async with httpx.AsyncClient(timeout=EVENT_SECONDS) as http, AsyncExitStack() as stack:
        alice = await sign_up(http, b, "alice@example.com")
        bob = await sign_up(http, b, "bob@example.com")
        stream = await stack.enter_async_context(event_stream(http, a, alice))
        await until_listening(http, b, alice, stream)
        alice_socket = await stack.enter_async_context(item_socket(a, alice))
        bob_socket = await stack.enter_async_context(item_socket(a, bob))

        created = await http.post(f"{b}/api/v1/items", json={"title": "on B"}, headers=bearer(alice))
        item = created.json()
        path = f"{b}/api/v1/items/{item['id']}"
        updated = await http.patch(path, json={"title": "still on B"}, headers=bearer(alice))
        deleted = await http.delete(path, headers=bearer(alice))
        assert (created.status_code, updated.status_code, deleted.status_code) == (201, 200, 204)

        expected = [
            {"type": "item.created", "item": item},
            {"type": "item.updated", "item": updated.json()},
            {"type": "item.deleted", "item": {"id": item["id"]}},
        ]
        assert [await receive(alice_socket) for _ in expected] == expected
        assert await events_about(stream, item["id"], len(expected)) == [(e["type"], e) for e in expected]
        # Bob's first event is his own: none of Alice's reached him.
        own = await http.post(f"{b}/api/v1/items", json={"title": "bob's"}, headers=bearer(bob))
        assert await receive(bob_socket) == {"type": "item.created", "item": own.json()}


async def many_connections(base: str, stop_server: Callable[[], None], connections: int = 8) -> None:
    async with httpx.AsyncClient(timeout=EVENT_SECONDS) as http, AsyncExitStack() as stack:
        token = await sign_up(http, base, "carol@example.com")
        stream = await stack.enter_async_context(event_stream(http, base, token))
        await until_listening(http, base, token, stream)
        sockets = [await stack.enter_async_context(item_socket(base, token)) for _ in range(connections)]

        created = await http.post(f"{base}/api/v1/items", json={"title": "to all"}, headers=bearer(token))
        expected = {"type": "item.created", "item": created.json()}
        # The workers share the listening socket: these connections are spread over both.
        assert await asyncio.gather(*(receive(websocket) for websocket in sockets)) == [expected] * connections

        started = time.monotonic()
        await asyncio.to_thread(stop_server)
        assert time.monotonic() - started < STOP_SECONDS
        for websocket in sockets:
            with pytest.raises(ConnectionClosed):
                await asyncio.wait_for(websocket.recv(), EVENT_SECONDS)


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_events_cross_replicas_and_reach_only_their_owner(
    installed: Callable[[str], Path], redis_url: str, framework: str
) -> None:
    """Two `make serve` replicas of 2 workers each: a change through B reaches A's clients."""
    project = installed(framework)
    env = {"REDIS_URL": redis_url, "WEB_CONCURRENCY": "2"}
    with serving(project, **env) as a, serving(project, **env) as b:
        asyncio.run(asyncio.wait_for(across_replicas(a, b), SCENARIO_SECONDS))


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_one_server_of_two_workers_serves_many_connections_and_stops_promptly(
    installed: Callable[[str], Path], redis_url: str, framework: str
) -> None:
    project = installed(framework)
    with ExitStack() as stack:
        base = stack.enter_context(serving(project, REDIS_URL=redis_url, WEB_CONCURRENCY="2"))
        asyncio.run(asyncio.wait_for(many_connections(base, stack.close), SCENARIO_SECONDS))
