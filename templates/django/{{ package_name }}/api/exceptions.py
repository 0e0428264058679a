"""Errors as the API contract has them: JSON with `detail`, validation errors as 422."""

import logging
from collections.abc import Iterator
from typing import Any

from django.db import InterfaceError, OperationalError
from django.http import UnreadablePostError
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

logger = logging.getLogger(__name__)

Location = list[str | int]


class QueryValidationError(exceptions.ValidationError):
    """A bad query parameter; its errors are located under `query` instead of `body`."""

    location = "query"


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The resource already exists."
    default_code = "conflict"


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, reshaped: 422 with a `detail` list for validation, `{"detail": str}` else."""
    if isinstance(exc, exceptions.ValidationError | exceptions.ParseError):
        location = getattr(exc, "location", "body")
        errors = list(_validation_errors(exc.detail, [location]))
        return Response({"detail": errors}, status=status.HTTP_422_UNPROCESSABLE_ENTITY)

    if isinstance(exc, UnreadablePostError):
        # The client stopped sending its body (see RequestSizeLimitMiddleware) or left.
        return Response({"detail": "Request body incomplete"}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, OperationalError | InterfaceError):
        # Database down, refusing connections or too slow (see the database timeouts).
        logger.error("Database unavailable: %s", exc)
        return Response(
            {"detail": "Service unavailable"},
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
            headers={"Retry-After": "5"},
        )

    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, exceptions.APIException):
        response.data = {"detail": _message(exc.detail)}
    return response


def _validation_errors(detail: Any, location: Location) -> Iterator[dict[str, Any]]:
    """Flatten DRF's nested error dicts and lists into FastAPI-style `{loc, msg, type}` entries."""
    if isinstance(detail, dict):
        for field, errors in detail.items():
            # Errors about the whole object (non_field_errors) belong to the object itself.
            nested = location if field == api_settings.NON_FIELD_ERRORS_KEY else [*location, field]
            yield from _validation_errors(errors, nested)
    elif isinstance(detail, list):
        for index, error in enumerate(detail):
            if isinstance(error, dict | list):
                yield from _validation_errors(error, [*location, index])
            else:
                yield from _validation_errors(error, location)
    else:
        yield {"loc": location, "msg": str(detail), "type": getattr(detail, "code", "invalid")}


def _message(detail: Any) -> str:
    """One human-readable message from an APIException's detail (simplejwt nests its own)."""
    if isinstance(detail, dict):
        return _message(detail.get("detail", next(iter(detail.values()), "")))
    if isinstance(detail, list):
        return _message(detail[0]) if detail else ""
    return str(detail)
