"""Refuse an oversized request body before anything reads it, and a body that never comes;
HSTS on every response when it is configured."""

import socket
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse

# Seconds the client may leave the connection silent while it sends the body.
BODY_READ_TIMEOUT = 10.0


class RequestSizeLimitMiddleware:
    """413 for a declared Content-Length above MAX_REQUEST_BYTES.

    Django's DATA_UPLOAD_MAX_MEMORY_SIZE only applies once a view reads the body; this
    answers before, from the header alone. A chunked body has no Content-Length, and Django
    reads none of it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return JsonResponse({"detail": "Invalid Content-Length header"}, status=400)
        if length > settings.MAX_REQUEST_BYTES:
            return JsonResponse({"detail": "Request body too large"}, status=413)
        connection = request.META.get("gunicorn.socket")
        if length and isinstance(connection, socket.socket):
            # A body that stops coming must not hold the worker thread: reading it times out
            # (UnreadablePostError, a 400). gunicorn resets the socket for the next request.
            connection.settimeout(BODY_READ_TIMEOUT)
        return self.get_response(request)


class StrictTransportSecurityMiddleware:
    """`Strict-Transport-Security` on every response when SECURE_HSTS_SECONDS is above 0.

    SecurityMiddleware sends it only on requests Django sees as HTTPS, but TLS ends at the
    proxy in front, which may not say so (X-Forwarded-Proto); the operator who sets
    SECURE_HSTS_SECONDS has said that the service is reached over HTTPS only.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        value = strict_transport_security()
        if value and not response.has_header("Strict-Transport-Security"):
            response.headers["Strict-Transport-Security"] = value
        return response


def strict_transport_security() -> str:
    """The header's value as the settings give it (SecurityMiddleware's format); empty for none."""
    seconds = settings.SECURE_HSTS_SECONDS
    if not seconds:
        return ""
    value = f"max-age={seconds}"
    if settings.SECURE_HSTS_INCLUDE_SUBDOMAINS:
        value += "; includeSubDomains"
    if settings.SECURE_HSTS_PRELOAD:
        value += "; preload"
    return value
