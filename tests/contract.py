"""The black-box contract of docs/contract.md, spoken only over HTTP to a running service.

One function, `check_contract`, holds every generated service to the same wire behaviour,
whatever the framework. The server must run with `secret_key`, so that the test can forge
the tokens a client could send (expired, `alg: none`, refresh-as-access).
"""

from __future__ import annotations

import re
import time
import uuid
from datetime import datetime
from typing import Any

import httpx
import jwt

PASSWORD = "correct horse battery"
# Servers under test run with this key, so the test can forge the tokens a client could send.
SECRET_KEY = "pyweb-contract-test-key-" + "0123456789abcdef" * 4


def _is_aware_timestamp(value: object) -> bool:
    if not isinstance(value, str):
        return False
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed.tzinfo is not None


def _assert_user(body: dict[str, Any], email: str) -> None:
    assert set(body) == {"id", "email", "full_name", "is_active", "created_at"}, body
    assert isinstance(body["id"], int)
    assert body["email"].lower() == email.lower()
    assert body["is_active"] is True
    assert _is_aware_timestamp(body["created_at"]), body["created_at"]


def _assert_item(body: dict[str, Any]) -> None:
    assert set(body) == {"id", "title", "description", "owner_id", "created_at", "updated_at"}, body
    assert isinstance(body["id"], int) and isinstance(body["owner_id"], int)
    assert _is_aware_timestamp(body["created_at"]) and _is_aware_timestamp(body["updated_at"])


def _assert_validation_error(response: httpx.Response) -> None:
    assert response.status_code == 422, (response.status_code, response.text)
    detail = response.json()["detail"]
    assert isinstance(detail, list) and detail, detail
    assert all("loc" in entry and "msg" in entry for entry in detail), detail


def _assert_unauthorized(response: httpx.Response) -> None:
    assert response.status_code == 401, (response.status_code, response.text)
    assert response.headers.get("www-authenticate", "").lower().startswith("bearer"), response.headers
    assert "detail" in response.json()


class Contract:
    def __init__(self, client: httpx.Client, secret_key: str) -> None:
        self.client = client
        self.secret_key = secret_key

    def register(self, email: str, password: str = PASSWORD, **extra: Any) -> httpx.Response:
        return self.client.post("/api/v1/auth/register", json={"email": email, "password": password, **extra})

    def login(self, email: str, password: str = PASSWORD) -> httpx.Response:
        return self.client.post("/api/v1/auth/login", json={"email": email, "password": password})

    def new_user(self) -> tuple[str, dict[str, str]]:
        email = f"user-{uuid.uuid4().hex[:10]}@example.com"
        assert self.register(email).status_code == 201
        tokens = self.login(email).json()
        return email, {"Authorization": f"Bearer {tokens['access_token']}"}

    def forge(self, claims: dict[str, Any], key: str | None = None, algorithm: str = "HS256") -> str:
        return jwt.encode(claims, key or self.secret_key, algorithm=algorithm)

    # --- the contract, section by section -----------------------------------------------------

    def probes(self) -> None:
        health = self.client.get("/health")
        assert (health.status_code, health.json()) == (200, {"status": "ok"})
        ready = self.client.get("/ready")
        assert ready.status_code == 200, ready.text
        # A project with background jobs checks its broker too.
        assert ready.json() in (
            {"status": "ok", "checks": {"database": "ok"}},
            {"status": "ok", "checks": {"database": "ok", "broker": "ok"}},
        ), ready.json()

    def registration(self) -> None:
        email = f"Mixed-{uuid.uuid4().hex[:8]}@Example.com"
        created = self.register(email, full_name="Ada Lovelace")
        assert created.status_code == 201, created.text
        _assert_user(created.json(), email)
        assert created.json()["full_name"] == "Ada Lovelace"
        assert "password" not in created.text.lower()

        assert self.register(email.upper()).status_code == 409
        assert "detail" in self.register(email.lower()).json()
        _assert_validation_error(self.register("not-an-email"))
        _assert_validation_error(self.register(f"short-{uuid.uuid4().hex[:8]}@example.com", password="1234567"))
        _assert_validation_error(self.client.post("/api/v1/auth/register", json={"email": "a@example.com"}))

        no_name = self.register(f"plain-{uuid.uuid4().hex[:8]}@example.com")
        assert no_name.status_code == 201 and no_name.json()["full_name"] is None

    def login_and_tokens(self) -> None:
        email = f"login-{uuid.uuid4().hex[:8]}@example.com"
        user_id = self.register(email).json()["id"]
        response = self.login(email.upper())
        assert response.status_code == 200, response.text
        tokens = response.json()
        assert set(tokens) == {"access_token", "refresh_token", "token_type", "expires_in"}
        assert tokens["token_type"] == "bearer"
        assert tokens["expires_in"] == 15 * 60

        access = jwt.decode(tokens["access_token"], self.secret_key, algorithms=["HS256"])
        refresh = jwt.decode(tokens["refresh_token"], self.secret_key, algorithms=["HS256"])
        assert access["type"] == "access" and refresh["type"] == "refresh"
        assert str(access["sub"]) == str(user_id)
        assert {"exp", "iat"} <= set(access) and access["exp"] - access["iat"] == 15 * 60
        assert refresh["exp"] - refresh["iat"] == 7 * 24 * 3600

        wrong_password = self.login(email, "wrong password!")
        unknown_email = self.login(f"nobody-{uuid.uuid4().hex[:8]}@example.com")
        assert wrong_password.status_code == unknown_email.status_code == 401
        assert wrong_password.json()["detail"] == unknown_email.json()["detail"]

        refreshed = self.client.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
        assert refreshed.status_code == 200, refreshed.text
        assert set(refreshed.json()) == {"access_token", "refresh_token", "token_type", "expires_in"}
        me = self.client.get(
            "/api/v1/users/me", headers={"Authorization": f"Bearer {refreshed.json()['access_token']}"}
        )
        assert me.status_code == 200

        now = int(time.time())
        bad_refresh_tokens = [
            tokens["access_token"],  # an access token passed as a refresh token
            "not.a.token",
            tokens["refresh_token"][:-3] + ("aaa" if not tokens["refresh_token"].endswith("aaa") else "bbb"),
            self.forge({"sub": str(user_id), "type": "refresh", "iat": now - 20, "exp": now - 10}),
            self.forge({"sub": str(user_id), "type": "refresh", "iat": now}),  # no exp
            self.forge(
                {"sub": str(user_id), "type": "refresh", "iat": now, "exp": now + 60},
                key="another-secret-key-" + "x" * 32,
            ),
        ]
        for token in bad_refresh_tokens:
            response = self.client.post("/api/v1/auth/refresh", json={"refresh_token": token})
            assert response.status_code == 401, (token, response.status_code, response.text)

    def current_user(self) -> None:
        email, headers = self.new_user()
        me = self.client.get("/api/v1/users/me", headers=headers)
        assert me.status_code == 200
        _assert_user(me.json(), email)
        user_id = me.json()["id"]

        now = int(time.time())
        header, payload, _ = self.forge({"sub": str(user_id), "type": "access", "iat": now, "exp": now + 60}).split(".")
        unsigned = jwt.utils.base64url_encode(b'{"alg":"none","typ":"JWT"}').decode() + f".{payload}."
        refresh = self.login(email).json()["refresh_token"]
        bad_headers = [
            {},
            {"Authorization": "Bearer"},
            {"Authorization": "Bearer not-a-jwt"},
            {"Authorization": "Basic dXNlcjpwYXNz"},
            {"Authorization": f"Bearer {refresh}"},
            {"Authorization": f"Bearer {unsigned}"},
            {"Authorization": f"Bearer {header}.{payload}.{'A' * 43}"},
            {
                "Authorization": "Bearer "
                + self.forge({"sub": str(user_id), "type": "access", "iat": now - 99, "exp": now - 9})
            },
            {"Authorization": "Bearer " + self.forge({"sub": str(user_id), "type": "access", "iat": now})},
            {
                "Authorization": "Bearer "
                + self.forge({"sub": "987654321", "type": "access", "iat": now, "exp": now + 60})
            },
        ]
        for bad in bad_headers:
            _assert_unauthorized(self.client.get("/api/v1/users/me", headers=bad))

    def items(self) -> None:
        _assert_unauthorized(self.client.get("/api/v1/items"))
        _assert_unauthorized(self.client.post("/api/v1/items", json={"title": "x"}))
        _, alice = self.new_user()
        _, bob = self.new_user()

        created = self.client.post("/api/v1/items", json={"title": "First", "description": "one"}, headers=alice)
        assert created.status_code == 201, created.text
        item = created.json()
        _assert_item(item)
        assert (item["title"], item["description"]) == ("First", "one")
        untitled = self.client.post("/api/v1/items", json={"title": "No description"}, headers=alice)
        assert untitled.status_code == 201 and untitled.json()["description"] is None

        for body in ({}, {"title": ""}, {"title": "x" * 201}, {"description": "no title"}):
            _assert_validation_error(self.client.post("/api/v1/items", json=body, headers=alice))
        assert self.client.post("/api/v1/items", json={"title": "x" * 200}, headers=alice).status_code == 201

        url = f"/api/v1/items/{item['id']}"
        assert self.client.get(url, headers=alice).json() == item
        for method in ("GET", "PATCH", "DELETE"):
            other = self.client.request(
                method, url, headers=bob, json={"title": "stolen"} if method == "PATCH" else None
            )
            assert other.status_code == 404, (method, other.status_code)
            assert "detail" in other.json()
        assert self.client.get("/api/v1/items/999999999", headers=alice).status_code == 404

        patched = self.client.patch(url, json={"description": "changed"}, headers=alice)
        assert patched.status_code == 200, patched.text
        assert (patched.json()["title"], patched.json()["description"]) == ("First", "changed")
        _assert_item(patched.json())
        _assert_validation_error(self.client.patch(url, json={"title": ""}, headers=alice))
        _assert_validation_error(self.client.patch(url, json={"title": "y" * 201}, headers=alice))

        deleted = self.client.delete(url, headers=alice)
        assert deleted.status_code == 204 and deleted.content == b""
        assert self.client.get(url, headers=alice).status_code == 404

    def pagination(self) -> None:
        _, headers = self.new_user()
        _, other = self.new_user()
        self.client.post("/api/v1/items", json={"title": "someone else's"}, headers=other)
        titles = [f"item {number:03d}" for number in range(105)]
        for title in titles:
            assert self.client.post("/api/v1/items", json={"title": title}, headers=headers).status_code == 201

        first = self.client.get("/api/v1/items", headers=headers)
        assert first.status_code == 200
        page = first.json()
        assert set(page) == {"count", "next", "previous", "results"}
        assert page["count"] == 105
        assert [entry["title"] for entry in page["results"]] == titles[::-1][:20]  # newest first
        assert page["previous"] is None and page["next"]
        assert re.search(r"[?&]offset=20\b", page["next"]) and re.search(r"[?&]limit=20\b", page["next"])

        second = self.client.get("/api/v1/items", params={"limit": 20, "offset": 20}, headers=headers).json()
        assert [entry["title"] for entry in second["results"]] == titles[::-1][20:40]
        assert second["previous"] is not None

        capped = self.client.get("/api/v1/items", params={"limit": 1000}, headers=headers).json()
        assert len(capped["results"]) == 100 and capped["count"] == 105

        last = self.client.get("/api/v1/items", params={"limit": 10, "offset": 100}, headers=headers).json()
        assert len(last["results"]) == 5 and last["next"] is None

        for params in ({"limit": -1}, {"offset": -1}, {"limit": "ten"}, {"offset": "x"}):
            _assert_validation_error(self.client.get("/api/v1/items", params=params, headers=headers))

    def password_reset(self) -> None:
        """What a client sees without the mailbox (tests/test_password_reset.py reads the mail)."""
        email, _ = self.new_user()
        for address in (email, f"nobody-{uuid.uuid4().hex[:8]}@example.com"):
            answer = self.client.post("/api/v1/auth/password-reset", json={"email": address})
            assert answer.status_code == 202, (answer.status_code, answer.text)
            assert isinstance(answer.json()["detail"], str)
        for body in ({"email": "not-an-email"}, {}, {"email": "a" * 250 + "@x.io"}):
            _assert_validation_error(self.client.post("/api/v1/auth/password-reset", json=body))

        confirm = "/api/v1/auth/password-reset/confirm"
        user_id = self.client.get("/api/v1/users/me", headers=self.new_user()[1]).json()["id"]
        now = int(time.time())
        forged = [
            "garbage",
            "a.b.c",
            self.forge({"sub": str(user_id), "type": "access", "iat": now, "exp": now + 600}),
            self.forge({"sub": str(user_id), "type": "password_reset", "iat": now, "exp": now + 600}, key="x" * 40),
        ]
        for token in forged:
            answer = self.client.post(confirm, json={"token": token, "password": "a-new-password"})
            assert answer.status_code == 400, (token, answer.status_code, answer.text)
            assert isinstance(answer.json()["detail"], str)
        for body in ({"token": "garbage", "password": "short"}, {"token": "garbage"}, {"password": "long-enough"}):
            _assert_validation_error(self.client.post(confirm, json=body))
        _assert_validation_error(self.client.post(confirm, json={"token": "garbage", "password": "p" * 129}))

    def documentation(self) -> None:
        schema = self.client.get("/openapi.json")
        assert schema.status_code == 200
        document = schema.json()
        assert document["openapi"].startswith("3.")
        paths = {re.sub(r"\{[^}]+\}", "{id}", path).rstrip("/"): ops for path, ops in document["paths"].items()}
        expected = {
            "/health": {"get"},
            "/ready": {"get"},
            "/api/v1/auth/register": {"post"},
            "/api/v1/auth/login": {"post"},
            "/api/v1/auth/refresh": {"post"},
            "/api/v1/auth/password-reset": {"post"},
            "/api/v1/auth/password-reset/confirm": {"post"},
            "/api/v1/users/me": {"get"},
            "/api/v1/items": {"get", "post"},
            "/api/v1/items/{id}": {"get", "patch", "delete"},
        }
        for path, methods in expected.items():
            assert path in paths, (path, sorted(paths))
            assert methods <= set(paths[path]), (path, paths[path])

        docs = self.client.get("/docs", follow_redirects=True)
        assert docs.status_code == 200 and "text/html" in docs.headers["content-type"]
        assets = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", docs.text)
        assert any(asset.endswith(".js") or "js" in asset for asset in assets), assets
        external = [asset for asset in assets if re.match(r"(https?:)?//", asset) and "127.0.0.1" not in asset]
        assert external == [], f"/docs loads assets from outside the app: {external}"
        for asset in assets:
            if asset.endswith((".js", ".css")):
                assert self.client.get(asset if asset.startswith("/") else f"/{asset}").status_code == 200, asset

    def errors_are_json(self) -> None:
        missing = self.client.get("/api/v1/no-such-endpoint")
        assert missing.status_code == 404 and "detail" in missing.json()


def check_contract(base_url: str, secret_key: str) -> None:
    with httpx.Client(base_url=base_url, timeout=10) as client:
        contract = Contract(client, secret_key)
        contract.probes()
        contract.registration()
        contract.login_and_tokens()
        contract.current_user()
        contract.items()
        contract.pagination()
        contract.password_reset()
        contract.documentation()
        contract.errors_are_json()
