"""One walk through the contract, written against its names only, for any generated client.

    python tests/client_walkthrough.py CLIENT_PACKAGE BASE_URL

CLIENT_PACKAGE is a package openapi-python-client generated (importable from the working
directory); BASE_URL a running service of any of the three frameworks. Every answer, errors
included, must parse into the contract's model for its status. Exit status 0 when all did.
"""

from __future__ import annotations

import importlib
import sys
import uuid
from http import HTTPStatus
from types import ModuleType
from typing import Any


class Walk:
    def __init__(self, package: str, base_url: str) -> None:
        self.package = package
        self.models = importlib.import_module(f"{package}.models")
        client = importlib.import_module(package)
        self.anonymous = client.Client(base_url=base_url, raise_on_unexpected_status=True)
        self.client_type = client.AuthenticatedClient
        self.base_url = base_url

    def operation(self, tag: str, operation_id: str) -> ModuleType:
        return importlib.import_module(f"{self.package}.api.{tag}.{operation_id}")

    def call(self, tag: str, operation_id: str, status: int, model: str | None, *args: Any, **kwargs: Any) -> Any:
        """Call the operation; its status must be `status` and its body parse into `model`."""
        kwargs.setdefault("client", self.anonymous)
        response = self.operation(tag, operation_id).sync_detailed(*args, **kwargs)
        where = f"{operation_id} -> {response.status_code}: {response.content[:300]!r}"
        assert response.status_code == HTTPStatus(status), f"expected {status}: {where}"
        if model is None:
            assert response.parsed is None, where
        else:
            assert isinstance(response.parsed, getattr(self.models, model)), f"not a {model}: {where}"
        return response.parsed

    def model(self, name: str, **fields: Any) -> Any:
        return getattr(self.models, name)(**fields)

    def as_user(self, token: str) -> Any:
        return self.client_type(base_url=self.base_url, token=token, raise_on_unexpected_status=True)


def walk(package: str, base_url: str) -> None:
    w = Walk(package, base_url)
    assert w.call("probes", "health", 200, "Health").status == "ok"
    assert w.call("probes", "ready", 200, "Readiness").status == "ok"

    email, password = f"client-{uuid.uuid4().hex[:10]}@example.com", "client password 1"
    registration = w.model("RegisterRequest", email=email, password=password)
    user = w.call("auth", "register", 201, "User", body=registration)
    assert user.email == email and user.is_active
    w.call("auth", "register", 409, "Error", body=registration)
    too_short = w.model("RegisterRequest", email=email, password="short")
    invalid = w.call("auth", "register", 422, "ValidationError", body=too_short)
    assert all(isinstance(entry, w.models.ValidationErrorDetail) for entry in invalid.detail)

    w.call("auth", "login", 401, "Error", body=w.model("LoginRequest", email=email, password="wrong password"))
    tokens = w.call("auth", "login", 200, "TokenPair", body=w.model("LoginRequest", email=email, password=password))
    refresh = w.model("RefreshRequest", refresh_token=tokens.refresh_token)
    tokens = w.call("auth", "refresh", 200, "TokenPair", body=refresh)
    w.call("auth", "refresh", 401, "Error", body=w.model("RefreshRequest", refresh_token=tokens.access_token))
    w.call("auth", "password_reset", 202, "PasswordResetResponse202", body=w.model("PasswordResetRequest", email=email))
    w.call("auth", "password_reset_confirm", 400, "Error",
           body=w.model("PasswordResetConfirm", token="not-a-token", password="new password 1"))  # fmt: skip

    w.call("users", "read_me", 401, "Error")
    me = w.as_user(tokens.access_token)
    assert w.call("users", "read_me", 200, "User", client=me).id == user.id

    w.call("items", "list_items", 401, "Error")
    item = w.call("items", "create_item", 201, "Item", client=me, body=w.model("ItemCreate", title="first"))
    w.call("items", "create_item", 422, "ValidationError", client=me, body=w.model("ItemCreate", title=""))
    page = w.call("items", "list_items", 200, "ItemPage", client=me, limit=10, offset=0)
    assert page.count == 1 and [entry.id for entry in page.results] == [item.id]
    w.call("items", "list_items", 422, "ValidationError", client=me, limit=-1)
    assert w.call("items", "read_item", 200, "Item", item.id, client=me).title == "first"
    rename = w.model("ItemUpdate", title="second")
    changed = w.call("items", "update_item", 200, "Item", item.id, client=me, body=rename)
    assert changed.title == "second" and changed.owner_id == user.id
    w.call("items", "delete_item", 204, None, item.id, client=me)
    w.call("items", "read_item", 404, "Error", item.id, client=me)


if __name__ == "__main__":
    sys.path.insert(0, ".")
    walk(sys.argv[1], sys.argv[2])
    print("ok")
