from typing import Any

import pytest
from httpx import AsyncClient

from .helpers import Headers, Login, Register, bearer


@pytest.fixture
async def other_headers(register: Register, login: Login) -> Headers:
    await register("bob@example.com")
    return bearer((await login("bob@example.com"))["access_token"])


@pytest.fixture
async def item(client: AsyncClient, auth_headers: Headers) -> dict[str, Any]:
    response = await client.post(
        "/api/v1/items", json={"title": "First", "description": "one"}, headers=auth_headers
    )
    assert response.status_code == 201
    return response.json()


async def test_create_returns_the_item(
    client: AsyncClient, user: dict[str, Any], item: dict[str, Any]
) -> None:
    # At least the contract's keys: a field added to items later joins them.
    assert set(item) >= {"id", "title", "description", "owner_id", "created_at", "updated_at"}
    assert (item["title"], item["description"], item["owner_id"]) == ("First", "one", user["id"])
    assert item["created_at"].endswith(("Z", "+00:00"))


async def test_description_is_optional(client: AsyncClient, auth_headers: Headers) -> None:
    response = await client.post("/api/v1/items", json={"title": "Bare"}, headers=auth_headers)

    assert response.status_code == 201
    assert response.json()["description"] is None


@pytest.mark.parametrize(
    "body", [{}, {"title": ""}, {"title": "x" * 201}, {"description": "no title"}, {"title": None}]
)
async def test_create_validates_the_title(
    client: AsyncClient, auth_headers: Headers, body: dict[str, Any]
) -> None:
    response = await client.post("/api/v1/items", json=body, headers=auth_headers)

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][:2] == ["body", "title"]


async def test_read_returns_the_item(
    client: AsyncClient, auth_headers: Headers, item: dict[str, Any]
) -> None:
    response = await client.get(f"/api/v1/items/{item['id']}", headers=auth_headers)

    assert response.status_code == 200
    assert response.json() == item


async def test_patch_changes_only_what_is_sent(
    client: AsyncClient, auth_headers: Headers, item: dict[str, Any]
) -> None:
    response = await client.patch(
        f"/api/v1/items/{item['id']}", json={"description": "changed"}, headers=auth_headers
    )

    assert response.status_code == 200
    patched = response.json()
    assert (patched["title"], patched["description"]) == ("First", "changed")
    assert patched["updated_at"] >= item["updated_at"]


async def test_patch_renames(
    client: AsyncClient, auth_headers: Headers, item: dict[str, Any]
) -> None:
    response = await client.patch(
        f"/api/v1/items/{item['id']}", json={"title": "Renamed"}, headers=auth_headers
    )

    assert response.status_code == 200
    assert (response.json()["title"], response.json()["description"]) == ("Renamed", "one")


async def test_patch_can_clear_the_description(
    client: AsyncClient, auth_headers: Headers, item: dict[str, Any]
) -> None:
    response = await client.patch(
        f"/api/v1/items/{item['id']}", json={"description": None}, headers=auth_headers
    )

    assert response.json()["description"] is None


@pytest.mark.parametrize("title", ["", "y" * 201, None])
async def test_patch_validates_the_title(
    client: AsyncClient, auth_headers: Headers, item: dict[str, Any], title: str | None
) -> None:
    response = await client.patch(
        f"/api/v1/items/{item['id']}", json={"title": title}, headers=auth_headers
    )

    assert response.status_code == 422


async def test_delete_removes_the_item(
    client: AsyncClient, auth_headers: Headers, item: dict[str, Any]
) -> None:
    url = f"/api/v1/items/{item['id']}"

    response = await client.delete(url, headers=auth_headers)

    assert response.status_code == 204
    assert response.content == b""
    assert (await client.get(url, headers=auth_headers)).status_code == 404


@pytest.mark.parametrize("method", ["GET", "PATCH", "DELETE"])
async def test_someone_elses_item_is_not_found(
    client: AsyncClient, other_headers: Headers, item: dict[str, Any], method: str
) -> None:
    body = {"title": "stolen"} if method == "PATCH" else None

    response = await client.request(
        method, f"/api/v1/items/{item['id']}", json=body, headers=other_headers
    )

    assert response.status_code == 404
    assert response.json() == {"detail": "Item not found"}


@pytest.mark.parametrize("item_id", ["999999", "0", str(2**31), str(2**64), "-1", "abc", "1.5"])
@pytest.mark.parametrize("method", ["GET", "PATCH", "DELETE"])
async def test_a_missing_or_impossible_id_is_not_an_item(
    client: AsyncClient, auth_headers: Headers, item_id: str, method: str
) -> None:
    body = {"title": "renamed"} if method == "PATCH" else None

    response = await client.request(
        method, f"/api/v1/items/{item_id}", json=body, headers=auth_headers
    )

    assert response.status_code == 404
    assert "detail" in response.json()


@pytest.mark.parametrize(
    ("method", "url"),
    [("GET", "/api/v1/items"), ("POST", "/api/v1/items"), ("GET", "/api/v1/items/1")],
)
async def test_items_need_a_token(client: AsyncClient, method: str, url: str) -> None:
    response = await client.request(method, url, json={"title": "x"})

    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
