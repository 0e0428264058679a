"""Liveness and readiness probes for load balancers and orchestrators."""

import logging

from django.db import DatabaseError, connection
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

logger = logging.getLogger(__name__)

Status = inline_serializer("Status", {"status": serializers.CharField()})
Readiness = inline_serializer(
    "Readiness", {"status": serializers.CharField(), "checks": serializers.DictField()}
)


@extend_schema(responses={200: Status})
@api_view(["GET", "HEAD"])
@authentication_classes([])
@permission_classes([AllowAny])
def health(request: Request) -> Response:
    """Liveness: the process answers. Never touches the database."""
    return Response({"status": "ok"})


@extend_schema(responses={200: Readiness, 503: Readiness})
@api_view(["GET", "HEAD"])
@authentication_classes([])
@permission_classes([AllowAny])
def ready(request: Request) -> Response:
    """Readiness: the database answers a real query."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        # The driver's message can name hosts and users: it goes to the log, not the response.
        logger.warning("Readiness check failed: %s", exc)
        return Response(
            {"status": "unavailable", "checks": {"database": "unreachable"}},
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
        )
    return Response({"status": "ok", "checks": {"database": "ok"}})
