"""`?limit=&offset=` pagination: limit 20 by default, capped at 100, bad values refused; the
page and its count in one query."""

from typing import Any

from django.db.models import Count, QuerySet, Window
from rest_framework import pagination
from rest_framework.request import Request
from rest_framework.views import APIView

from .exceptions import QueryValidationError

# An offset past the 32-bit range is refused (422) rather than handed to the database.
MAX_OFFSET = 2**31 - 1


class LimitOffsetPagination(pagination.LimitOffsetPagination):
    default_limit = 20
    max_limit = 100

    def get_limit(self, request: Request) -> int:
        limit = self._query_int(request, self.limit_query_param, self.default_limit, minimum=1)
        return min(limit, self.max_limit)

    def get_offset(self, request: Request) -> int:
        return self._query_int(request, self.offset_query_param, 0, minimum=0, maximum=MAX_OFFSET)

    def paginate_queryset(
        self, queryset: QuerySet[Any], request: Request, view: APIView | None = None
    ) -> list[Any]:
        """The page and the total in one query, a window count (DRF asks COUNT, then the page)."""
        self.request = request
        self.limit = self.get_limit(request)
        self.offset = self.get_offset(request)
        rows = queryset.annotate(page_total=Window(Count("pk")))
        page = list(rows[self.offset : self.offset + self.limit])
        if page:
            self.count = page[0].page_total
        else:
            # Past the last row, only a COUNT says how many there are.
            self.count = self.get_count(queryset) if self.offset else 0
        return page

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        # `next` and `previous` are always there, null on the last and the first page; in
        # OpenAPI 3.1 null is a type (DRF writes 3.0's `nullable`).
        page = super().get_paginated_response_schema(schema)
        for link in ("next", "previous"):
            page["properties"][link] = {"type": ["string", "null"], "format": "uri"}
        return {**page, "required": ["count", "next", "previous", "results"]}

    def get_schema_operation_parameters(self, view: APIView) -> list[dict[str, Any]]:
        minimums = {self.limit_query_param: 1, self.offset_query_param: 0}
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = minimums[parameter["name"]]
            if parameter["name"] == self.offset_query_param:
                parameter["schema"]["maximum"] = MAX_OFFSET
        return parameters

    @staticmethod
    def _query_int(
        request: Request, name: str, default: int, *, minimum: int, maximum: int | None = None
    ) -> int:
        """DRF falls back to the default on a bad value; the contract answers 422 instead."""
        raw = request.query_params.get(name)
        if raw is None:
            return default
        try:
            value = int(raw)
        except ValueError:
            raise QueryValidationError({name: ["A valid integer is required."]}) from None
        if value < minimum:
            raise QueryValidationError(
                {name: [f"Ensure this value is greater than or equal to {minimum}."]}
            )
        if maximum is not None and value > maximum:
            raise QueryValidationError(
                {name: [f"Ensure this value is less than or equal to {maximum}."]}
            )
        return value
