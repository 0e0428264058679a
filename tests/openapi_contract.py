"""The OpenAPI document every generated service serves, in tests/openapi.py's normalised form.

Written from ../shared/API.md's "Documentation" section: its operation ids, tags and schema
names; every status a call can answer, with its body (errors as `Error`, 422 as
`ValidationError`, 204 with none); the limits of "Limits, errors and abuse" on what clients
send (answers carry none); `nullable` exactly where null can be sent or returned; public
operations with no security, the others with the bearer scheme.
"""

from __future__ import annotations

from typing import Any

JSON = "application/json"


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def obj(required: list[str], **properties: Any) -> dict[str, Any]:
    return {"type": "object", "required": sorted(required), "properties": dict(sorted(properties.items()))}


def string(**limits: Any) -> dict[str, Any]:
    return {"type": "string", **limits}


def nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {**schema, "nullable": True}


INTEGER = {"type": "integer"}
DATETIME = string(format="date-time")
EMAIL = string(format="email", maxLength=254)
PASSWORD = string(minLength=8, maxLength=128)
TOKEN = string(maxLength=4096)
TITLE = string(minLength=1, maxLength=200)
DESCRIPTION = nullable(string(maxLength=10_000))


def page(schema: str) -> dict[str, Any]:
    """One page of a list of `schema`, as every list answers it."""
    return obj(
        ["count", "next", "previous", "results"],
        count=INTEGER,
        next=nullable(string(format="uri")),
        previous=nullable(string(format="uri")),
        results={"type": "array", "items": ref(schema)},
    )


SCHEMAS: dict[str, Any] = {
    "Health": obj(["status"], status={"type": "string", "enum": ["ok"]}),
    "Readiness": obj(
        ["status", "checks"],
        status={"type": "string", "enum": ["ok", "unavailable"]},
        checks={"type": "object", "additionalProperties": {"type": "string"}},
    ),
    "User": obj(
        ["id", "email", "full_name", "is_active", "created_at"],
        id=INTEGER,
        email=string(),
        full_name=nullable(string()),
        is_active={"type": "boolean"},
        created_at=DATETIME,
    ),
    "RegisterRequest": obj(
        ["email", "password"], email=EMAIL, password=PASSWORD, full_name=nullable(string(maxLength=200))
    ),
    "LoginRequest": obj(["email", "password"], email=EMAIL, password=string(maxLength=128)),
    "RefreshRequest": obj(["refresh_token"], refresh_token=TOKEN),
    "TokenPair": obj(
        ["access_token", "refresh_token", "token_type", "expires_in"],
        access_token=string(),
        refresh_token=string(),
        token_type={"type": "string", "enum": ["bearer"]},
        expires_in=INTEGER,
    ),
    "PasswordResetRequest": obj(["email"], email=EMAIL),
    "PasswordResetConfirm": obj(["token", "password"], token=TOKEN, password=PASSWORD),
    "Item": obj(
        ["id", "title", "description", "owner_id", "created_at", "updated_at"],
        id=INTEGER,
        title=string(),
        description=nullable(string()),
        owner_id=INTEGER,
        created_at=DATETIME,
        updated_at=DATETIME,
    ),
    "ItemCreate": obj(["title"], title=TITLE, description=DESCRIPTION),
    "ItemUpdate": obj([], title=TITLE, description=DESCRIPTION),
    "ItemPage": page("Item"),
    "Error": obj(["detail"], detail=string()),
    "ValidationError": obj(["detail"], detail={"type": "array", "items": ref("ValidationErrorDetail")}),
    "ValidationErrorDetail": obj(
        ["loc", "msg"],
        loc={"type": "array", "items": {"anyOf": [{"type": "string"}, {"type": "integer"}]}},
        msg=string(),
    ),
}

ERROR = {JSON: ref("Error")}
ACCEPTED = {JSON: obj(["detail"], detail=string())}  # a message only: no component of its own


def operation(
    operation_id: str,
    tag: str,
    responses: dict[str, Any],
    *,
    body: str | None = None,
    parameters: list[dict[str, Any]] | None = None,
    public: bool = False,
) -> dict[str, Any]:
    """An operation; every one that reads the database can answer 503, one with a body 400/413/422."""
    statuses = {**responses, "503": responses.get("503", ERROR)}
    if body is not None:
        statuses |= {"400": ERROR, "413": ERROR, "422": {JSON: ref("ValidationError")}}
    if not public:
        statuses["401"] = ERROR
    return {
        "operationId": operation_id,
        "tags": [tag],
        "parameters": sorted(parameters or [], key=lambda parameter: (parameter["in"], parameter["name"])),
        "requestBody": None if body is None else {"required": True, "content": {JSON: ref(body)}},
        "responses": dict(sorted(statuses.items())),
        "security": [] if public else [["bearerAuth"]],
    }


def query(name: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "schema": schema}


# An offset past the 32-bit range is a 422, not a database error.
MAX_INT = 2**31 - 1  # the largest id, offset or integer field value: PostgreSQL's INTEGER
OFFSET = {"type": "integer", "minimum": 0, "maximum": MAX_INT}
PAGE = [query("limit", {"type": "integer", "minimum": 1}), query("offset", OFFSET)]


def owned_rows(name: str, plural: str, schema: str) -> dict[str, Any]:
    """The five operations on the caller's own rows of one kind: the items, and each resource
    `pyweb add resource` makes, under its own names (`list_projects`, `ProjectPage`, ...)."""
    key = [{"name": f"{name}_id", "in": "path", "required": True, "schema": INTEGER}]
    found, missing = {"200": {JSON: ref(schema)}}, {"404": ERROR}
    return {
        f"/api/v1/{plural}": {
            "get": operation(
                f"list_{plural}",
                plural,
                {"200": {JSON: ref(f"{schema}Page")}, "422": {JSON: ref("ValidationError")}},
                parameters=PAGE,
            ),
            "post": operation(f"create_{name}", plural, {"201": {JSON: ref(schema)}}, body=f"{schema}Create"),
        },
        f"/api/v1/{plural}/{{{name}_id}}": {
            "get": operation(f"read_{name}", plural, found | missing, parameters=key),
            "patch": operation(f"update_{name}", plural, found | missing, body=f"{schema}Update", parameters=key),
            "delete": operation(f"delete_{name}", plural, {"204": {}} | missing, parameters=key),
        },
    }


health = operation("health", "probes", {"200": {JSON: ref("Health")}}, public=True)
del health["responses"]["503"]  # liveness never touches the database

PATHS: dict[str, Any] = {
    "/health": {"get": health},
    "/ready": {
        "get": operation(
            "ready", "probes", {"200": {JSON: ref("Readiness")}, "503": {JSON: ref("Readiness")}}, public=True
        )
    },
    "/api/v1/auth/register": {
        "post": operation(
            "register", "auth", {"201": {JSON: ref("User")}, "409": ERROR}, body="RegisterRequest", public=True
        )
    },
    "/api/v1/auth/login": {
        "post": operation(
            "login",
            "auth",
            {"200": {JSON: ref("TokenPair")}, "401": ERROR, "429": ERROR},
            body="LoginRequest",
            public=True,
        )
    },
    "/api/v1/auth/refresh": {
        "post": operation(
            "refresh", "auth", {"200": {JSON: ref("TokenPair")}, "401": ERROR}, body="RefreshRequest", public=True
        )
    },
    "/api/v1/auth/password-reset": {
        "post": operation("password_reset", "auth", {"202": ACCEPTED}, body="PasswordResetRequest", public=True)
    },
    "/api/v1/auth/password-reset/confirm": {
        "post": operation(
            "password_reset_confirm", "auth", {"204": {}, "400": ERROR}, body="PasswordResetConfirm", public=True
        )
    },
    "/api/v1/users/me": {"get": operation("read_me", "users", {"200": {JSON: ref("User")}})},
    **owned_rows("item", "items", "Item"),
}
DOCUMENT: dict[str, Any] = {
    "paths": dict(sorted(PATHS.items())),
    "schemas": dict(sorted(SCHEMAS.items())),
    "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}},
}
