"""Request bodies that are not valid JSON are a 400, whatever makes them invalid.

webargs catches `json.JSONDecodeError` only; the standard library raises RecursionError
for deep nesting and ValueError for integers beyond its digit limit, and the server's
input stream raises for broken chunked framing or a body that stops arriving.
"""

import json
from typing import Any

import flask
import flask_smorest
import marshmallow as ma
from webargs.flaskparser import FlaskParser
from werkzeug.exceptions import HTTPException

from .errors import ErrorSchema, ValidationErrorSchema


class JSONBodyParser(FlaskParser):
    def _raw_load_json(self, req: flask.Request) -> Any:
        try:
            # Read the body first: the server's stream raises its own errors (gunicorn's
            # InvalidChunkSize, a socket timeout) that are the client's fault, not a 500.
            req.get_data(cache=True)
        except HTTPException:
            raise  # 413 for a body over MAX_CONTENT_LENGTH
        except Exception as exc:
            raise json.JSONDecodeError(f"Unreadable request body: {exc}", "<body>", 0) from exc
        try:
            return super()._raw_load_json(req)
        except json.JSONDecodeError:
            raise
        except (RecursionError, ValueError) as exc:
            # A non-empty `doc`: webargs takes an empty one for a missing body.
            message = f"Unreadable JSON body: {type(exc).__name__}"
            raise json.JSONDecodeError(message, "<body>", 0) from exc


def _error(description: str, schema: type[ma.Schema] = ErrorSchema) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


# Written out in each operation rather than as flask-smorest's shared responses, whose names
# (HTTPStatus member names) change with the Python version.
BAD_BODY = _error("The body is not JSON, or cannot be read")
TOO_LARGE_BODY = _error("The body is larger than MAX_REQUEST_BYTES")
INVALID = _error("The request does not validate", ValidationErrorSchema)
UNAVAILABLE = _error("A service it needs is unavailable: retry after Retry-After seconds")


class Blueprint(flask_smorest.Blueprint):
    """flask-smorest's Blueprint for the API: the parser above, and the errors every operation
    can answer besides its own in the OpenAPI document (a body's 400, 413 and 422, a query's
    422, and 503 when the database, or the broker, does not answer).
    """

    ARGUMENTS_PARSER = JSONBodyParser()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Runs after flask-smorest's own callbacks, which fill in each operation's document.
        self._prepare_doc_cbks.append(self._prepare_error_doc)

    @staticmethod
    def _prepare_error_doc(doc: dict[str, Any], _doc_info: Any, **_: Any) -> dict[str, Any]:
        responses = doc.setdefault("responses", {})
        if 422 in responses:
            responses[422] = INVALID
        if "requestBody" in doc:
            responses.setdefault(400, BAD_BODY)
            responses.setdefault(413, TOO_LARGE_BODY)
        responses.setdefault(503, UNAVAILABLE)
        return doc
