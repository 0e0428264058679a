import json
import re
from pathlib import Path

from flask.testing import FlaskClient

COMMITTED = Path(__file__).resolve().parent.parent / "openapi.json"

ENDPOINTS = {
    "/api/v1/auth/register": {"post"},
    "/api/v1/auth/login": {"post"},
    "/api/v1/auth/refresh": {"post"},
    "/api/v1/users/me": {"get"},
    "/api/v1/items": {"get", "post"},
    "/api/v1/items/{item_id}": {"get", "patch", "delete"},
}


def test_openapi_documents_every_endpoint(client: FlaskClient) -> None:
    response = client.get("/openapi.json")

    assert response.status_code == 200
    document = response.get_json()
    assert document["openapi"].startswith("3.")
    for path, methods in ENDPOINTS.items():
        assert methods <= set(document["paths"][path]), path


def test_openapi_documents_the_error_shape_and_bearer_auth(client: FlaskClient) -> None:
    document = client.get("/openapi.json").get_json()

    assert document["components"]["schemas"]["Error"]["required"] == ["detail"]
    assert document["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    assert document["paths"]["/api/v1/users/me"]["get"]["security"] == [{"bearerAuth": []}]


def test_the_committed_openapi_json_is_the_served_document(client: FlaskClient) -> None:
    served = client.get("/openapi.json").get_json()

    assert served == json.loads(COMMITTED.read_text()), (
        "openapi.json differs from the API: run `make openapi` and commit it"
    )


def test_validation_errors_are_documented_field_by_field(client: FlaskClient) -> None:
    document = client.get("/openapi.json").get_json()

    invalid = document["paths"]["/api/v1/items"]["post"]["responses"]["422"]
    schema = invalid["content"]["application/json"]["schema"]
    assert schema == {"$ref": "#/components/schemas/ValidationError"}
    assert "default" not in document["paths"]["/health"]["get"]["responses"]


def test_docs_page_loads_its_assets_from_the_app(client: FlaskClient) -> None:
    response = client.get("/docs")

    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assets = re.findall(r"""(?:src|href)=["']([^"']+)["']""", response.get_data(as_text=True))
    assert {"docs/assets/swagger-ui-bundle.js", "docs/assets/swagger-ui.css"} <= set(assets)
    for asset in assets:
        assert not re.match(r"(https?:)?//", asset), asset
        asset_response = client.get(f"/{asset}")
        assert asset_response.status_code == 200, asset
        asset_response.close()


def test_unknown_assets_are_404(client: FlaskClient) -> None:
    assert client.get("/docs/assets/no-such-file.js").status_code == 404
