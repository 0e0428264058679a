"""The OpenAPI document and the docs page, which works with no internet access."""

import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

ENDPOINTS = {
    "/api/v1/auth/register": {"post"},
    "/api/v1/auth/login": {"post"},
    "/api/v1/auth/refresh": {"post"},
    "/api/v1/auth/password-reset": {"post"},
    "/api/v1/auth/password-reset/confirm": {"post"},
    "/api/v1/users/me": {"get"},
    "/api/v1/items": {"get", "post"},
    "/api/v1/items/{item_id}": {"get", "patch", "delete"},
}


def test_the_openapi_document_describes_every_endpoint(client: Client) -> None:
    response = client.get("/openapi.json")

    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    for path, methods in ENDPOINTS.items():
        assert methods <= set(document["paths"][path]), path
    assert "bearerAuth" in document["components"]["securitySchemes"]


def test_the_served_document_is_the_committed_openapi_json(client: Client, settings: Any) -> None:
    committed = json.loads((settings.BASE_DIR / "openapi.json").read_text())

    served = client.get("/openapi.json").json()

    assert served == committed, "openapi.json is stale: run `make openapi` and commit it"


def test_make_openapi_writes_the_served_document(
    client: Client, settings: Any, tmp_path: Path
) -> None:
    settings.BASE_DIR = tmp_path

    call_command("openapi", stdout=io.StringIO())

    written = (tmp_path / "openapi.json").read_text()
    assert json.loads(written) == client.get("/openapi.json").json()
    assert written.endswith("}\n")


def test_the_docs_page_loads_its_assets_from_the_app(client: Client, settings: object) -> None:
    settings.WHITENOISE_USE_FINDERS = True  # as in development; production collects them

    page = client.get("/docs")

    assert page.status_code == 200
    assert "text/html" in page["Content-Type"]
    assets = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", page.content.decode())
    scripts_and_styles = [asset for asset in assets if asset.endswith((".js", ".css"))]
    assert scripts_and_styles
    for asset in scripts_and_styles:
        assert asset.startswith("/static/"), asset
        assert client.get(asset).status_code == 200, asset


@pytest.mark.parametrize("path", ["/openapi.json", "/docs"])
def test_the_docs_need_no_token(client: Client, path: str) -> None:
    assert client.get(path).status_code == 200


def test_the_password_reset_operations_have_the_contract_ids(client: Client) -> None:
    paths = client.get("/openapi.json").json()["paths"]

    assert paths["/api/v1/auth/password-reset"]["post"]["operationId"] == "password_reset"
    confirm = paths["/api/v1/auth/password-reset/confirm"]["post"]
    assert confirm["operationId"] == "password_reset_confirm"
    assert confirm["security"] == []
