"""JSON error bodies: `{"detail": "message"}`, or a list of `{loc, msg}` for a 422."""

import logging
from collections.abc import Iterator
from typing import Any

import marshmallow as ma
from flask import Flask, Response, current_app, jsonify
from sqlalchemy.exc import OperationalError, TimeoutError
from werkzeug.exceptions import HTTPException

from .schemas import Schema

logger = logging.getLogger(__name__)

# Fixed messages of the contract, the same in every pyweb template.
TOO_LARGE = "Request body too large"
INTERNAL_ERROR = "Internal server error"
UNAVAILABLE = "Service unavailable"
RETRY_AFTER_SECONDS = 5

# webargs names where a value came from; the contract speaks of the body and the query.
LOCATIONS = {"json": "body", "query": "query", "querystring": "query"}


# What error responses carry, for the OpenAPI document (the handler below writes them).
class ErrorSchema(Schema):
    detail = ma.fields.String(required=True)


class ValidationErrorDetailSchema(Schema):
    loc = ma.fields.List(
        ma.fields.Raw(metadata={"anyOf": [{"type": "string"}, {"type": "integer"}]}),
        required=True,
        metadata={"description": "Where: body or query, then the field names and indexes"},
    )
    msg = ma.fields.String(required=True)


class ValidationErrorSchema(Schema):
    """A 422: what is wrong with the request, one entry per problem."""

    detail = ma.fields.List(ma.fields.Nested(ValidationErrorDetailSchema), required=True)


def _flatten(messages: Any, loc: list[str | int]) -> Iterator[dict[str, Any]]:
    """Turn marshmallow's nested error dict into a flat list of `{loc, msg}`."""
    if isinstance(messages, dict):
        for key, value in messages.items():
            # `_schema` marks an error about the whole object, not one field.
            yield from _flatten(value, loc if key == ma.exceptions.SCHEMA else [*loc, key])
    elif isinstance(messages, list | tuple):
        for message in messages:
            yield from _flatten(message, loc)
    else:
        yield {"loc": loc, "msg": str(messages)}


def validation_errors(messages: dict[str, Any]) -> list[dict[str, Any]]:
    """webargs' `{"json": {"title": ["..."]}}` as `[{"loc": ["body", "title"], "msg": "..."}]`."""
    errors = []
    for location, fields in messages.items():
        errors.extend(_flatten(fields, [LOCATIONS.get(location, location)]))
    return errors


def handle_http_exception(exc: HTTPException) -> Response:
    """Every HTTP error (aborts, 404, 405, and unhandled exceptions as 500) as JSON."""
    # Start from werkzeug's response to keep the status and headers such as Allow.
    response = exc.get_response()
    data = getattr(exc, "data", None) or {}
    messages = data.get("messages")
    detail: Any = exc.description
    if messages and exc.code == 422:
        detail = validation_errors(messages)
    elif messages:
        detail = "; ".join(error["msg"] for error in validation_errors(messages))
    elif "message" in data:
        detail = data["message"]
    elif exc.code == 413:
        detail = TOO_LARGE
    for name, value in (data.get("headers") or {}).items():
        response.headers[name] = value
    if exc.code == 401:
        response.headers.setdefault("WWW-Authenticate", "Bearer")
    response.set_data(current_app.json.dumps({"detail": detail}))
    response.content_type = "application/json"
    return response


def handle_database_unavailable(exc: OperationalError | TimeoutError) -> tuple[Response, int]:
    """The database is down, refuses connections or stopped answering: 503, retry soon."""
    logger.warning("Database unavailable: %s", exc)
    response = jsonify(detail=UNAVAILABLE)
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response, 503


def handle_unexpected_error(exc: Exception) -> tuple[Response, int]:
    """Any other exception: a JSON 500 without details; the traceback goes to the log."""
    logger.exception("Unhandled exception", exc_info=exc)
    return jsonify(detail=INTERNAL_ERROR), 500


def init_error_handlers(app: Flask) -> None:
    """JSON for what flask-smorest's HTTPException handler does not see."""
    app.register_error_handler(OperationalError, handle_database_unavailable)
    app.register_error_handler(TimeoutError, handle_database_unavailable)
    app.register_error_handler(Exception, handle_unexpected_error)
