"""Hostile input and slow clients ("Limits, errors and abuse" of docs/contract.md), over HTTP only.

Like `contract.py`, this speaks only to a running service, whatever the framework, so the e2e
tests (`make serve`) and the image tests share it. The framing and slow-client cases use raw
sockets (an HTTP client would refuse to send them); the rest uses httpx. The service must run in
production mode with `secret_key`, `ALLOWED_HOSTS=127.0.0.1,localhost` and `DOCS_ENABLED=true`.

`run_hostile` runs every case and returns {case: None or the failure}, so a report can say which
cases pass; `check_hostile` fails with all the failures at once.
"""

from __future__ import annotations

import contextlib
import json
import socket
import time
import traceback
import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import httpx
import jwt

PASSWORD = "correct horse battery"
FORGED_HOST = "evil.example.com"


def _address(base_url: str) -> tuple[str, int]:
    parts = urlsplit(base_url)
    return parts.hostname or "127.0.0.1", parts.port or 80


def _connect(base_url: str, timeout: float = 10) -> socket.socket:
    sock = socket.create_connection(_address(base_url), timeout=timeout)
    return sock


def _parse(raw: bytes) -> tuple[int, dict[str, str], bytes]:
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1]) if lines and lines[0].startswith("HTTP/") else 0
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    if "chunked" in headers.get("transfer-encoding", "").lower():
        body = _dechunk(body)
    return status, headers, body


def _dechunk(data: bytes) -> bytes:
    decoded = b""
    while data:
        size_line, _, rest = data.partition(b"\r\n")
        try:
            size = int(size_line.split(b";")[0], 16)
        except ValueError:
            break
        if size == 0:
            break
        decoded += rest[:size]
        data = rest[size + 2 :]
    return decoded


def _read_response(sock: socket.socket, timeout: float) -> bytes:
    """What the server sends until it closes or the headers and Content-Length bytes are in."""
    sock.settimeout(timeout)
    received = b""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            chunk = sock.recv(65536)
        except (ConnectionResetError, BrokenPipeError):
            break
        except TimeoutError:
            break
        if not chunk:
            break
        received += chunk
        if b"\r\n\r\n" in received:
            _, headers, body = _parse(received)
            if "content-length" in headers and len(body) >= int(headers["content-length"]):
                break
            if "chunked" in headers.get("transfer-encoding", "") and received.endswith(b"0\r\n\r\n"):
                break
    return received


def raw_request(base_url: str, data: bytes, *, timeout: float = 10) -> tuple[int, dict[str, str], bytes, float]:
    """Send `data` as is, read the answer: (status or 0 when none, headers, body, seconds taken)."""
    started = time.monotonic()
    with _connect(base_url, timeout) as sock:
        # The server may answer and close before it has read everything: read what it sent.
        with contextlib.suppress(ConnectionResetError, BrokenPipeError):
            sock.sendall(data)
        status, headers, body = _parse(_read_response(sock, timeout))
    return status, headers, body, time.monotonic() - started


def _request_head(method: str, path: str, host: str, headers: dict[str, str]) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}", *(f"{k}: {v}" for k, v in headers.items())]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def _json_detail(body: bytes) -> Any:
    document = json.loads(body)
    assert isinstance(document, dict) and "detail" in document, body[:300]
    return document["detail"]


class Hostile:
    def __init__(self, base_url: str, secret_key: str) -> None:
        self.base = base_url
        self.host = f"{_address(base_url)[0]}:{_address(base_url)[1]}"
        self.secret_key = secret_key
        self.checked: list[httpx.Response] = []
        self.client = httpx.Client(base_url=base_url, timeout=15, event_hooks={"response": [self._record]})

    def _record(self, response: httpx.Response) -> None:
        self.checked.append(response)

    def close(self) -> None:
        self.client.close()

    # --- helpers ---------------------------------------------------------------------------

    def new_user(self) -> tuple[str, dict[str, str]]:
        email = f"hostile-{uuid.uuid4().hex[:10]}@example.com"
        created = self.client.post("/api/v1/auth/register", json={"email": email, "password": PASSWORD})
        assert created.status_code == 201, created.text
        login = self.client.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
        assert login.status_code == 200, login.text
        return email, {"Authorization": f"Bearer {login.json()['access_token']}"}

    def health_within(self, seconds: float) -> None:
        started = time.monotonic()
        response = httpx.get(f"{self.base}/health", timeout=seconds + 2)
        took = time.monotonic() - started
        assert response.status_code == 200, response.text
        assert took < seconds, f"/health took {took:.2f} s"

    def _bad_body(self, path: str, content: bytes, headers: dict[str, str], label: str) -> None:
        response = self.client.post(path, content=content, headers={"Content-Type": "application/json", **headers})
        assert response.status_code in (400, 422), (label, path, response.status_code, response.text[:300])
        assert "detail" in response.json(), (label, response.text[:300])

    # --- the cases -------------------------------------------------------------------------

    def declared_huge_length(self) -> None:
        head = _request_head(
            "POST",
            "/api/v1/auth/register",
            self.host,
            {"Content-Type": "application/json", "Content-Length": str(10 * 1024**3)},
        )
        status, headers, body, took = raw_request(self.base, head + b"{" + b" " * 1023, timeout=10)
        assert status == 413, (status, body[:300])
        assert took < 6, f"413 took {took:.1f} s"  # "decided before the body is read": at once
        assert _json_detail(body)
        assert headers.get("x-content-type-options") == "nosniff", headers

    def real_big_body(self) -> None:
        payload = b'{"email": "big@example.com", "password": "' + b"x" * (2 * 1024 * 1024) + b'"}'
        head = _request_head(
            "POST",
            "/api/v1/auth/register",
            self.host,
            {"Content-Type": "application/json", "Content-Length": str(len(payload))},
        )
        status, _, body, _ = raw_request(self.base, head + payload, timeout=15)
        assert status == 413, (status, body[:300])
        assert _json_detail(body)

    def stalled_body_does_not_hold_the_service(self) -> None:
        head = _request_head(
            "POST",
            "/api/v1/auth/register",
            self.host,
            {"Content-Type": "application/json", "Content-Length": "1000"},
        )
        stalled = [_connect(self.base) for _ in range(4)]  # more than the workers
        try:
            for sock in stalled:
                sock.sendall(head + b'{"email": ')
            time.sleep(0.5)
            self.health_within(1)
            _, headers = self.new_user()
            assert self.client.get("/api/v1/items", headers=headers).status_code == 200
            started = time.monotonic()
            status, _, _ = _parse(_read_response(stalled[0], 15))
            took = time.monotonic() - started
            assert status in (0, 400, 408), status
            assert took < 13, f"a body that never arrives held its connection {took:.1f} s"
        finally:
            for sock in stalled:
                sock.close()

    def text_limits(self) -> None:
        _, headers = self.new_user()
        unique = uuid.uuid4().hex[:8]
        long_email = f"{unique}@" + ".".join(["a" * 60] * 4) + ".com"  # 255+ characters
        assert len(long_email) > 254
        too_long = [
            ("/api/v1/items", {"title": "x" * 201}),
            ("/api/v1/items", {"title": ""}),
            ("/api/v1/items", {"title": "ok", "description": "d" * 10001}),
            (
                "/api/v1/auth/register",
                {"email": f"n-{unique}@example.com", "password": PASSWORD, "full_name": "n" * 201},
            ),
            ("/api/v1/auth/register", {"email": long_email, "password": PASSWORD}),
            ("/api/v1/auth/register", {"email": f"p-{unique}@example.com", "password": "p" * 129}),
            ("/api/v1/auth/register", {"email": f"q-{unique}@example.com", "password": "p" * 7}),
        ]
        for path, body in too_long:
            response = self.client.post(path, json=body, headers=headers)
            assert response.status_code == 422, (path, {k: len(v) for k, v in body.items()}, response.status_code)
            detail = response.json()["detail"]
            assert isinstance(detail, list) and all("loc" in e and "msg" in e for e in detail), detail
        at_limit = [
            ("/api/v1/items", {"title": "x" * 200, "description": "d" * 10000}),
            (
                "/api/v1/auth/register",
                {"email": f"m-{unique}@example.com", "password": "p" * 128, "full_name": "n" * 200},
            ),
        ]
        for path, body in at_limit:
            response = self.client.post(path, json=body, headers=headers)
            assert response.status_code == 201, (path, response.status_code, response.text[:300])

    def never_500(self) -> None:
        _, auth = self.new_user()
        unique = uuid.uuid4().hex[:8]
        items, register = "/api/v1/items", "/api/v1/auth/register"
        deep = b"[" * 100000 + b"]" * 100000
        cases: list[tuple[str, str, bytes]] = [
            ("malformed JSON", items, b'{"title": "x",'),
            ("malformed JSON", register, b"{email: nope}"),
            ("deep nesting", items, b'{"title": ' + deep + b"}"),
            ("deep nesting", register, b'{"email": ' + deep + b', "password": "x"}'),
            ("huge integer", items, b'{"title": "x", "description": ' + b"9" * 100001 + b"}"),
            ("huge integer", register, b'{"email": "a@example.com", "password": ' + b"1" * 100001 + b"}"),
            ("invalid UTF-8", items, b'{"title": "\xff\xfe\xc3("}'),
            (
                "invalid UTF-8",
                register,
                b'{"email": "\xc0\xaf@example.com", "password": "\xff\xff\xff\xff\xff\xff\xff\xff"}',
            ),
            ("NUL in title", items, b'{"title": "a\\u0000b"}'),
            ("NUL in description", items, b'{"title": "a", "description": "x\\u0000y"}'),
            (
                "NUL in full_name",
                register,
                f'{{"email": "nul-{unique}@example.com", "password": "{PASSWORD}", "full_name": "a\\u0000b"}}'.encode(),
            ),
            (
                "NUL in email",
                register,
                f'{{"email": "nul\\u0000{unique}@example.com", "password": "{PASSWORD}"}}'.encode(),
            ),
            ("list body", items, b"[]"),
            ("list body", register, b'[{"email": "a@example.com"}]'),
            ("number body", items, b"12"),
            ("string body", register, b'"hello"'),
            ("null body", items, b"null"),
        ]
        for label, path, content in cases:
            self._bad_body(path, content, auth if path == items else {}, label)
        # A NUL byte in a field that is stored only after login too (PATCH).
        item = self.client.post(items, json={"title": "patch me"}, headers=auth).json()
        response = self.client.patch(
            f"{items}/{item['id']}",
            content=b'{"title": "a\\u0000"}',
            headers={**auth, "Content-Type": "application/json"},
        )
        assert response.status_code in (400, 422), (response.status_code, response.text[:300])

    def broken_chunked_framing(self) -> None:
        head = _request_head(
            "POST",
            "/api/v1/auth/register",
            self.host,
            {"Content-Type": "application/json", "Transfer-Encoding": "chunked"},
        )
        for framing in (b"zz\r\n{}\r\n0\r\n\r\n", b"fffffffffffffffffffff\r\n{}\r\n0\r\n\r\n", b"5\r\n{}\r\n0\r\n\r\n"):
            status, headers, body, _ = raw_request(self.base, head + framing, timeout=12)
            # Refused in JSON like any other error, or the connection dropped (a chunk that
            # announces more bytes than ever come times out).
            assert status in (0, 400, 422), (framing, status, body[:300])
            if status:
                assert headers.get("content-type", "").startswith("application/json"), (framing, headers)
                assert "detail" in json.loads(body), (framing, body[:300])
        # A well-formed chunked body is a body like any other.
        email = f"chunked-{uuid.uuid4().hex[:8]}@example.com"
        payload = json.dumps({"email": email, "password": PASSWORD}).encode()
        chunks = b"%x\r\n%s\r\n0\r\n\r\n" % (len(payload), payload)
        status, _, body, _ = raw_request(self.base, head + chunks, timeout=10)
        assert status == 201, (status, body[:300])
        assert json.loads(body)["email"] == email
        self.health_within(1)

    def bad_subjects(self) -> None:
        now = int(time.time())
        for sub in ("abc", "9223372036854775808", "-1", "", "1.5", "0"):
            token = jwt.encode({"sub": sub, "type": "access", "iat": now, "exp": now + 60}, self.secret_key, "HS256")
            for path in ("/api/v1/users/me", "/api/v1/items"):
                response = self.client.get(path, headers={"Authorization": f"Bearer {token}"})
                assert response.status_code == 401, (sub, path, response.status_code, response.text[:300])
                assert response.headers.get("www-authenticate", "").lower().startswith("bearer"), (sub, path)
                assert "detail" in response.json()

    def login_throttle(self) -> None:
        email = f"throttle-{uuid.uuid4().hex[:8]}@example.com"
        assert self.client.post("/api/v1/auth/register", json={"email": email, "password": PASSWORD}).status_code == 201
        wrong = {"email": email, "password": "wrong password!"}
        for attempt in range(10):
            response = self.client.post(
                "/api/v1/auth/login", json={**wrong, "email": email.upper() if attempt % 2 else email}
            )
            assert response.status_code == 401, (attempt, response.status_code, response.text[:300])
        for body, headers in (
            (wrong, {}),
            ({"email": email, "password": PASSWORD}, {}),  # correct, but throttled
            ({"email": email.upper(), "password": PASSWORD}, {}),
            (wrong, {"X-Forwarded-For": "203.0.113.9"}),  # an untrusted client cannot pick its IP
            ({"email": email, "password": PASSWORD}, {"X-Forwarded-For": "203.0.113.10", "X-Real-IP": "203.0.113.10"}),
        ):
            response = self.client.post("/api/v1/auth/login", json=body, headers=headers)
            assert response.status_code == 429, (body["password"], headers, response.status_code, response.text[:300])
            assert response.json()["detail"] == "Too many failed login attempts", response.text
            retry_after = response.headers.get("retry-after", "")
            assert retry_after.isdigit() and 0 < int(retry_after) <= 3600, retry_after
        # Another account from the same IP is not throttled.
        other, _ = self.new_user()
        assert other

    def security_headers(self) -> None:
        email, auth = self.new_user()
        samples = [
            self.client.get("/health"),
            self.client.get("/ready"),
            self.client.get("/api/v1/items", headers=auth),
            self.client.get("/api/v1/users/me"),
            self.client.get("/api/v1/no-such-endpoint"),
            self.client.post("/api/v1/items", json={}, headers=auth),
        ]
        for response in samples:
            assert response.headers.get("referrer-policy", "").lower() in {
                "same-origin",
                "no-referrer",
                "strict-origin",
                "strict-origin-when-cross-origin",
            }, (response.url, response.headers.get("referrer-policy"))
            assert response.headers.get("x-frame-options", "").upper() == "DENY", (response.url, response.headers)
            assert "strict-transport-security" not in response.headers, response.url
        login = self.client.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
        refresh = self.client.post("/api/v1/auth/refresh", json={"refresh_token": login.json()["refresh_token"]})
        for response in (login, refresh):
            assert response.status_code == 200
            assert "no-store" in response.headers.get("cache-control", ""), (response.url, response.headers)

    def forged_host(self) -> None:
        _, auth = self.new_user()
        for title in ("one", "two", "three"):
            self.client.post("/api/v1/items", json={"title": title}, headers=auth)
        for path in ("/health", "/api/v1/items?limit=1"):
            response = self.client.get(path, headers={**auth, "Host": FORGED_HOST})
            assert response.status_code == 400, (path, response.status_code, response.text[:300])
            assert response.json() == {"detail": "Invalid host header"}, response.text
        for headers in (
            {},
            {"X-Forwarded-Host": FORGED_HOST},
            {"Forwarded": f"host={FORGED_HOST}", "X-Forwarded-Proto": "https"},
        ):
            page = self.client.get("/api/v1/items", params={"limit": 1, "offset": 1}, headers={**auth, **headers})
            assert page.status_code in (200, 400), page.status_code
            if page.status_code == 200:
                for link in (page.json()["next"], page.json()["previous"]):
                    assert link, page.json()
                    assert FORGED_HOST not in link, link
                    assert urlsplit(link).hostname in (None, "127.0.0.1", "localhost"), link

    def slow_clients(self) -> None:
        sockets: list[socket.socket] = []
        try:
            for _ in range(50):
                sockets.append(_connect(self.base))
            for index in range(50):
                sock = _connect(self.base)
                sock.sendall(f"GET /api/v1/items?n={index} HTTP/1.1\r\nHost: {self.host}\r\nX-Slow".encode())
                sockets.append(sock)
            time.sleep(1)
            for _ in range(3):
                self.health_within(1)
        finally:
            for sock in sockets:
                sock.close()

    def nosniff_everywhere(self) -> None:
        missing = [
            (r.request.method, str(r.url), r.status_code)
            for r in self.checked
            if r.headers.get("x-content-type-options") != "nosniff"
        ]
        assert not missing, missing[:10]


CASES = [
    "declared_huge_length",
    "real_big_body",
    "stalled_body_does_not_hold_the_service",
    "text_limits",
    "never_500",
    "broken_chunked_framing",
    "bad_subjects",
    "login_throttle",
    "security_headers",
    "forged_host",
    "slow_clients",
    "nosniff_everywhere",
]


def run_hostile(base_url: str, secret_key: str) -> dict[str, str | None]:
    """Every case against a running service: {case: None when it passed, else the failure}."""
    hostile = Hostile(base_url, secret_key)
    results: dict[str, str | None] = {}
    try:
        # "Nothing lost": items written before the abuse are all there, unchanged, after it.
        _, owner = hostile.new_user()
        before = [
            hostile.client.post(
                "/api/v1/items", json={"title": f"keep {n}", "description": f"d{n}"}, headers=owner
            ).json()
            for n in range(5)
        ]
        for name in CASES:
            case: Callable[[], None] = getattr(hostile, name)
            try:
                case()
                results[name] = None
            except Exception as error:  # one case's failure must not hide the others'
                results[name] = "".join(traceback.format_exception_only(error)).strip()[:1500]
        try:
            after = hostile.client.get("/api/v1/items", params={"limit": 100}, headers=owner).json()["results"]
            assert sorted(after, key=lambda item: item["id"]) == before, (before, after)
            hostile.health_within(1)
            results["nothing_lost"] = None
        except Exception as error:
            results["nothing_lost"] = "".join(traceback.format_exception_only(error)).strip()[:1500]
    finally:
        hostile.close()
    return results


def check_hostile(base_url: str, secret_key: str) -> None:
    results = run_hostile(base_url, secret_key)
    failures = {name: error for name, error in results.items() if error}
    assert not failures, "hostile cases failed:\n" + "\n".join(f"- {n}: {e}" for n, e in failures.items())
