"""The OpenAPI document as the API contract has it, from drf-spectacular.

Each view's decorators name its operation id, tag and the answers that are its own (201,
409, ...). The answers the machinery around every view gives are added here, so that no view
can forget them: 401 from authentication, 400/413/422 for a request body, 404 for an object
in the path, 422 for a page's query and 503 when the database is away.
"""

from typing import Any

from drf_spectacular import openapi
from drf_spectacular.plumbing import ComponentRegistry
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    """Every error but a validation error: one message."""

    detail = serializers.CharField()


@extend_schema_field(
    {"type": "array", "items": {"anyOf": [{"type": "string"}, {"type": "integer"}]}}
)
class LocationField(serializers.ListField):
    """`body` or `query`, then the field names and list indexes down to the bad value."""


class ValidationErrorDetailSerializer(serializers.Serializer):
    loc = LocationField()
    msg = serializers.CharField()


class ValidationErrorSerializer(serializers.Serializer):
    """422: every problem with the request's body or query, each where it is."""

    detail = ValidationErrorDetailSerializer(many=True)


# The answers of the machinery, by status: (body, description).
UNAUTHENTICATED = {"401": (ErrorSerializer, "Missing, invalid or expired access token")}
BODY_ERRORS = {
    "400": (ErrorSerializer, "The body was cut short or its chunked framing is broken"),
    "413": (ErrorSerializer, "The body is larger than MAX_REQUEST_BYTES"),
    "422": (ValidationErrorSerializer, "The body is not valid JSON or breaks a field's rules"),
}
NOT_FOUND = {"404": (ErrorSerializer, "No such object among the caller's own")}
BAD_PAGE = {"422": (ValidationErrorSerializer, "`limit` or `offset` is not a valid integer")}
UNAVAILABLE = {"503": (ErrorSerializer, "The database is unavailable or too slow (Retry-After)")}


class AutoSchema(openapi.AutoSchema):
    def get_operation(
        self,
        path: str,
        path_regex: str,
        path_prefix: str,
        method: str,
        registry: ComponentRegistry,
    ) -> dict[str, Any] | None:
        operation: dict[str, Any] | None = super().get_operation(
            path, path_regex, path_prefix, method, registry
        )
        if operation is None:
            return None
        # drf-spectacular marks public operations `[{}]` ("a token is optional"); they need none.
        operation["security"] = [
            requirement for requirement in operation.get("security", []) if requirement
        ]
        if "requestBody" in operation:
            # Also a PATCH whose fields are all optional: clients send an object, `{}` at least.
            operation["requestBody"]["required"] = True
        responses = operation["responses"]
        for status, (serializer, description) in self._machinery_answers(operation).items():
            if status not in responses:
                schema = self.resolve_serializer(serializer, "response").ref
                content = {"application/json": {"schema": schema}}
                responses[status] = {"content": content, "description": description}
        operation["responses"] = dict(sorted(responses.items()))
        return operation

    def _machinery_answers(self, operation: dict[str, Any]) -> dict[str, Any]:
        answers: dict[str, Any] = {}
        if operation["security"]:
            answers |= UNAUTHENTICATED
        if "requestBody" in operation:
            answers |= BODY_ERRORS
        if any(parameter["in"] == "path" for parameter in operation.get("parameters", [])):
            answers |= NOT_FOUND
        if getattr(self.view, "action", None) == "list":
            answers |= BAD_PAGE
        # Every API view reads the database; the probes answer for themselves.
        if self.path.startswith("/api/"):
            answers |= UNAVAILABLE
        return answers

    def get_paginated_name(self, serializer_name: str) -> str:
        return f"{serializer_name}Page"


def inline_enums(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """A postprocessing hook: drops the ids drf-spectacular marks enums with for its enum hook.

    That hook (left out of POSTPROCESSING_HOOKS) would make a component of every enum; the
    contract keeps them inline.
    """

    def without_ids(node: Any) -> Any:
        if isinstance(node, dict):
            return {
                key: without_ids(value) for key, value in node.items() if key != "x-spec-enum-id"
            }
        if isinstance(node, list):
            return [without_ids(value) for value in node]
        return node

    cleaned: dict[str, Any] = without_ids(result)
    return cleaned
