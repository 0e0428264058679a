"""JSON answers for URLs no view handles and for errors outside DRF's views."""

from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, JsonResponse


def not_found(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    return JsonResponse({"detail": "Not found."}, status=404)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    if isinstance(exception, DisallowedHost):
        return JsonResponse({"detail": "Invalid host header"}, status=400)
    return JsonResponse({"detail": "Bad request."}, status=400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    detail = "You do not have permission to perform this action."
    return JsonResponse({"detail": detail}, status=403)


def server_error(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"detail": "Internal server error"}, status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> JsonResponse:
    return JsonResponse({"detail": f"CSRF verification failed: {reason}"}, status=403)
