"""Liveness and readiness probes for load balancers and orchestrators.

DRF views, so that the OpenAPI document describes them, but with nothing to decide per
request: no authentication, permissions or throttling, and JSON whatever the Accept header
says, so a probe costs little and never answers 406.
"""

import logging
import os
from collections.abc import Sequence

from django.db import DatabaseError, connection
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.parsers import BaseParser
from rest_framework.permissions import AllowAny
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .database import statement_limit

logger = logging.getLogger(__name__)

# The probe answers within 3 s: connecting may take its 3 s timeout, a query 2 s.
READY_QUERY_SECONDS = 2.0

Status = inline_serializer("Status", {"status": serializers.CharField()})
Readiness = inline_serializer(
    "Readiness", {"status": serializers.CharField(), "checks": serializers.DictField()}
)


class FirstRenderer(BaseContentNegotiation):
    """Answer with the view's first renderer, without parsing the Accept header."""

    def select_parser(self, request: Request, parsers: Sequence[BaseParser]) -> None:
        return None

    def select_renderer(
        self,
        request: Request,
        renderers: Sequence[BaseRenderer],
        format_suffix: str | None = None,
    ) -> tuple[BaseRenderer, str]:
        return renderers[0], renderers[0].media_type


class ProbeView(APIView):
    authentication_classes = ()
    permission_classes = (AllowAny,)
    throttle_classes = ()
    parser_classes = ()
    renderer_classes = (JSONRenderer,)
    content_negotiation_class = FirstRenderer


class HealthView(ProbeView):
    @extend_schema(responses={200: Status})
    def get(self, request: Request) -> Response:
        """Liveness: the process answers. Never touches the database."""
        return Response({"status": "ok"})


class ReadyView(ProbeView):
    @extend_schema(responses={200: Readiness, 503: Readiness})
    def get(self, request: Request) -> Response:
        """Readiness: the database answers a real query."""
        if missing_sqlite_file():
            # Connecting would create an empty database file: ready it is not.
            return unavailable("database file missing or unreadable")
        try:
            with statement_limit(READY_QUERY_SECONDS), connection.cursor() as cursor:
                cursor.execute("SELECT 1")
                cursor.fetchone()
        except DatabaseError as exc:
            # The driver's message can name hosts and users: it goes to the log, not the response.
            logger.warning("Readiness check failed: %s", exc)
            return unavailable("unreachable")
        return Response({"status": "ok", "checks": {"database": "ok"}})


def missing_sqlite_file() -> bool:
    if connection.vendor != "sqlite" or connection.is_in_memory_db():
        return False
    return not os.access(connection.settings_dict["NAME"], os.R_OK | os.W_OK)


def unavailable(reason: str) -> Response:
    return Response(
        {"status": "unavailable", "checks": {"database": reason}},
        status=status.HTTP_503_SERVICE_UNAVAILABLE,
    )
