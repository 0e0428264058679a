"""Chunked request bodies for Django, which reads a body only up to its Content-Length.

gunicorn decodes `Transfer-Encoding: chunked` and marks its stream `wsgi.input_terminated`,
but Django sees no Content-Length and reads nothing: a valid chunked JSON body arrived empty.
This WSGI layer buffers such a body (at most one byte over MAX_REQUEST_BYTES, so that
RequestSizeLimitMiddleware still answers 413) and tells Django its length.
"""

import io
import json
import socket
from collections.abc import Iterable
from typing import TYPE_CHECKING

from gunicorn.http.errors import ParseException

from .api.middleware import BODY_READ_TIMEOUT

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment


class ChunkedBodyMiddleware:
    def __init__(self, app: "WSGIApplication", max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    def __call__(
        self, environ: "WSGIEnvironment", start_response: "StartResponse"
    ) -> Iterable[bytes]:
        chunked = "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
        if not chunked or environ.get("CONTENT_LENGTH") or not environ.get("wsgi.input_terminated"):
            return self.app(environ, start_response)
        connection = environ.get("gunicorn.socket")
        if isinstance(connection, socket.socket):
            connection.settimeout(BODY_READ_TIMEOUT)
        try:
            body = environ["wsgi.input"].read(self.max_bytes + 1)
        except (ParseException, OSError):
            # Broken framing (a bad chunk size, a missing terminator) or a body that stopped coming.
            return bad_request(start_response, "Malformed chunked request body")
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        return self.app(environ, start_response)


def bad_request(start_response: "StartResponse", detail: str) -> list[bytes]:
    body = json.dumps({"detail": detail}).encode()
    start_response(
        "400 Bad Request",
        [
            ("Content-Type", "application/json"),
            ("Content-Length", str(len(body))),
            ("X-Content-Type-Options", "nosniff"),
        ],
    )
    return [body]
