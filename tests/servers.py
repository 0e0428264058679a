"""Real servers the end-to-end tests start for themselves: Redis (Debian's redis-server) and an
SMTP sink (aiosmtpd) that keeps what it receives and can refuse deliveries on demand."""

from __future__ import annotations

import email
import email.policy
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import EmailMessage
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from tests.conftest import free_port, require_tool


class RedisServer:
    """A redis-server on a free loopback port, with no persistence; stop() and start() it at will."""

    def __init__(self, workdir: Path) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self._workdir = workdir
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        binary = require_tool("redis-server")
        arguments = ["--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        self._process = subprocess.Popen(
            [binary, *arguments, "--dir", str(self._workdir)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 10
        while not self.answers():
            assert self._process.poll() is None, "redis-server exited"
            assert time.monotonic() < deadline, "redis-server did not answer PING within 10 s"
            time.sleep(0.05)

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as connection:
                connection.sendall(b"PING\r\n")
                return connection.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        if self._process is not None:
            self._process.terminate()
            self._process.wait(timeout=10)
            self._process = None


@contextmanager
def redis_server(workdir: Path) -> Iterator[RedisServer]:
    server = RedisServer(workdir)
    server.start()
    try:
        yield server
    finally:
        server.stop()


class MailSink:
    """What an SMTP server received, by recipient; `refuse(n)` answers the next n deliveries 451."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.refused = 0
        self._to_refuse = 0
        self._lock = threading.Condition()

    def refuse(self, deliveries: int) -> None:
        with self._lock:
            self._to_refuse = deliveries

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        with self._lock:
            if self._to_refuse:
                self._to_refuse -= 1
                self.refused += 1
                return "451 4.3.0 Try again later"
            content = envelope.content if isinstance(envelope.content, bytes) else b""
            message = email.message_from_bytes(content, policy=email.policy.default)
            assert isinstance(message, EmailMessage)
            self.messages.append(message)
            self._lock.notify_all()
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        with self._lock:
            return [message for message in self.messages if address in str(message["To"])]

    def wait_for(self, address: str, count: int = 1, seconds: float = 30) -> list[EmailMessage]:
        """The first `count` messages to `address`, waiting up to `seconds` for them."""
        deadline = time.monotonic() + seconds
        with self._lock:
            while len(received := [m for m in self.messages if address in str(m["To"])]) < count:
                remaining = deadline - time.monotonic()
                assert remaining > 0, f"{count} mail(s) to {address} expected in {seconds:.0f} s, got {len(received)}"
                self._lock.wait(remaining)
            return received[:count]


@contextmanager
def smtp_sink() -> Iterator[tuple[MailSink, str]]:
    """A running SMTP sink and its `smtp://` URL."""
    sink = MailSink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield sink, f"smtp://127.0.0.1:{controller.port}"
    finally:
        controller.stop()
