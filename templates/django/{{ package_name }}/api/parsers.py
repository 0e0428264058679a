"""DRF's JSON parser, with absurdly deep nesting answered like any other bad JSON."""

from collections.abc import Mapping
from typing import IO, Any

from rest_framework import parsers
from rest_framework.exceptions import ParseError


class JSONParser(parsers.JSONParser):
    def parse(
        self,
        stream: IO[Any],
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            # The json module recurses once per nesting level; DRF only catches ValueError.
            raise ParseError("JSON parse error - nested too deeply") from None
