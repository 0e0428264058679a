"""`?limit=&offset=` pagination: limit 20 by default, capped at 100, bad values refused."""

from rest_framework import pagination
from rest_framework.request import Request

from .exceptions import QueryValidationError


class LimitOffsetPagination(pagination.LimitOffsetPagination):
    default_limit = 20
    max_limit = 100

    def get_limit(self, request: Request) -> int:
        limit = self._query_int(request, self.limit_query_param, self.default_limit, minimum=1)
        return min(limit, self.max_limit)

    def get_offset(self, request: Request) -> int:
        return self._query_int(request, self.offset_query_param, 0, minimum=0)

    @staticmethod
    def _query_int(request: Request, name: str, default: int, *, minimum: int) -> int:
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
        return value
