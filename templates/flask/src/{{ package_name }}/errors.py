"""JSON error bodies (`{"detail": ...}`) instead of Flask's HTML pages."""

from flask import Flask, Response, current_app
from werkzeug.exceptions import HTTPException


def handle_http_exception(exc: HTTPException) -> Response:
    # Start from werkzeug's response to keep the status and headers such as Allow.
    response = exc.get_response()
    response.set_data(current_app.json.dumps({"detail": exc.description}))
    response.content_type = "application/json"
    return response


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http_exception)
