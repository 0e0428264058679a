"""Request bodies that are not valid JSON are a 400, whatever makes them invalid.

webargs catches `json.JSONDecodeError` only; the standard library raises RecursionError
for deep nesting and ValueError for integers beyond its digit limit, and the server's
input stream raises for broken chunked framing or a body that stops arriving.
"""

import json
from typing import Any

import flask
import flask_smorest
from webargs.flaskparser import FlaskParser
from werkzeug.exceptions import HTTPException


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


class Blueprint(flask_smorest.Blueprint):
    """flask-smorest's Blueprint with the parser above."""

    ARGUMENTS_PARSER = JSONBodyParser()
