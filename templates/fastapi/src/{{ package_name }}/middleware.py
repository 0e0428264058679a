"""Pure ASGI middleware: the Host check, the body-size limit and the security headers."""

import asyncio
import json
from collections.abc import Iterable

from starlette.datastructures import Headers, MutableHeaders
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# A body whose next chunk takes longer than this is answered 408 instead of holding the request.
BODY_CHUNK_TIMEOUT_SECONDS = 10.0


async def send_json(send: Send, status: int, detail: str) -> None:
    body = json.dumps({"detail": detail}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def security_headers(hsts_seconds: int = 0) -> dict[str, str]:
    """The headers every response carries (the 500 handler adds them too: it runs outermost)."""
    headers = {
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "X-Frame-Options": "DENY",
    }
    if hsts_seconds > 0:
        headers["Strict-Transport-Security"] = f"max-age={hsts_seconds}"
    return headers


class AllowedHosts:
    """ALLOWED_HOSTS: `*` allows any Host, `.example.com` its subdomains; an empty list, any."""

    def __init__(self, hosts: Iterable[str]) -> None:
        self.hosts = [host.lower() for host in hosts]
        self.allow_any = not self.hosts or "*" in self.hosts

    def allow(self, host: str) -> bool:
        if self.allow_any:
            return True
        name = host.lower().rsplit(":", 1)[0] if not host.endswith("]") else host.lower()
        return any(
            name == allowed or (allowed.startswith(".") and name.endswith(allowed))
            for allowed in self.hosts
        )


class AllowedHostsMiddleware:
    """400 for a Host not in ALLOWED_HOSTS."""

    def __init__(self, app: ASGIApp, allowed_hosts: Iterable[str]) -> None:
        self.app = app
        self.allowed_hosts = AllowedHosts(allowed_hosts)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket") or self.allowed_hosts.allow_any:
            await self.app(scope, receive, send)
            return
        if not self.allowed_hosts.allow(Headers(scope=scope).get("host", "")):
            await send_json(send, 400, "Invalid host header")
            return
        await self.app(scope, receive, send)


class BodyLimitMiddleware:
    """413 for a declared or streamed body over `max_bytes`; 408 for a body that stalls."""

    def __init__(
        self,
        app: ASGIApp,
        max_bytes: int,
        chunk_timeout: float = BODY_CHUNK_TIMEOUT_SECONDS,
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.chunk_timeout = chunk_timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            status = 413 if declared.isdigit() else 400
            detail = "Request body too large" if declared.isdigit() else "Invalid Content-Length"
            await send_json(send, status, detail)
            return

        received = 0
        body_done = False

        # Raised from `receive`, inside the route: FastAPI passes HTTPException through as is.
        async def limited_receive() -> Message:
            nonlocal received, body_done
            if body_done:
                return await receive()
            try:
                async with asyncio.timeout(self.chunk_timeout):
                    message = await receive()
            except TimeoutError:
                raise HTTPException(408, "Request body timed out") from None
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise HTTPException(413, "Request body too large")
                body_done = not message.get("more_body", False)
            return message

        await self.app(scope, limited_receive, send)


class SecurityHeadersMiddleware:
    """nosniff, same-origin referrers, no framing, and HSTS when asked for, on every response."""

    def __init__(self, app: ASGIApp, hsts_seconds: int = 0) -> None:
        self.app = app
        self.headers = security_headers(hsts_seconds)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in self.headers.items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)
