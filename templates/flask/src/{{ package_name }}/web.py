"""Protections for every request: Host validation, the body size limit, security headers."""

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, Response, abort, current_app, jsonify, request

# A request body that stops arriving fails the read (400) after this long.
BODY_READ_TIMEOUT_SECONDS = 10


def host_allowed(host: str, allowed: list[str]) -> bool:
    if not allowed or "*" in allowed:
        return True
    try:
        name = urlsplit(f"//{host}").hostname
    except ValueError:
        return False
    return name is not None and name.lower() in allowed


def check_request() -> Response | None:
    """Refuse a forged Host header, and a declared body too large to read."""
    if not host_allowed(request.environ.get("HTTP_HOST", ""), current_app.config["ALLOWED_HOSTS"]):
        response = jsonify(detail="Invalid host header")
        response.status_code = 400
        return response
    limit = current_app.config["MAX_CONTENT_LENGTH"]
    if request.content_length is not None and request.content_length > limit:
        abort(413)
    # gunicorn passes the connection's socket; without a timeout a client that declares a
    # body and never sends it would hold a worker thread until it disconnects.
    client_socket = request.environ.get("gunicorn.socket")
    if client_socket is not None:
        client_socket.settimeout(BODY_READ_TIMEOUT_SECONDS)
    return None


def security_headers(config: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The headers every answer carries, in the order they are sent."""
    headers = [
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "same-origin"),
        ("X-Frame-Options", "DENY"),
    ]
    hsts_seconds = config["SECURE_HSTS_SECONDS"]
    if hsts_seconds > 0:
        headers.append(("Strict-Transport-Security", f"max-age={hsts_seconds}"))
    return headers


def add_security_headers(response: Response) -> Response:
    for name, value in security_headers(current_app.config):
        response.headers.setdefault(name, value)
    return response


def no_store(response: Response) -> Response:
    """For responses that hold tokens: no cache may keep them."""
    response.headers["Cache-Control"] = "no-store"
    return response


def init_web(app: Flask) -> None:
    app.before_request(check_request)
    app.after_request(add_security_headers)
