"""The OpenAPI documents of the three frameworks, reduced to what a client generator reads.

`normalise()` keeps the paths, operations, parameters, bodies, statuses, schemas and security,
and drops what only people read (titles, descriptions, examples) and the spellings that say the
same thing (`nullable: true` in OpenAPI 3.0, a `null` type in 3.1): two documents that normalise
to the same value give a client generator the same client.
"""

from __future__ import annotations

import difflib
import json
from typing import Any

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
# Read by people, not by a client generator.
ANNOTATIONS = {"title", "description", "summary", "example", "examples", "externalDocs", "readOnly", "writeOnly",
               "default", "deprecated"}  # fmt: skip


def normalise(document: dict[str, Any]) -> dict[str, Any]:
    components = document.get("components", {})
    default_security = document.get("security", [])
    return {
        "paths": {
            path: {
                method: _operation(_resolved(_with_path_parameters(operation, item), components), default_security)
                for method, operation in sorted(item.items())
                if method in METHODS
            }
            for path, item in sorted(document["paths"].items())
        },
        "schemas": {name: _schema(schema) for name, schema in sorted(components.get("schemas", {}).items())},
        "securitySchemes": {
            name: {key: scheme[key] for key in ("type", "scheme", "in", "name") if key in scheme}
            for name, scheme in sorted(components.get("securitySchemes", {}).items())
        },
    }


def _with_path_parameters(operation: dict[str, Any], item: dict[str, Any]) -> dict[str, Any]:
    """The operation with the parameters its path item declares for every operation (its own win)."""
    own = {(parameter.get("name"), parameter.get("in")) for parameter in operation.get("parameters", [])}
    shared = [p for p in item.get("parameters", []) if (p.get("name"), p.get("in")) not in own]
    return {**operation, "parameters": [*shared, *operation.get("parameters", [])]} if shared else operation


def _resolved(operation: dict[str, Any], components: dict[str, Any]) -> dict[str, Any]:
    """The operation with its `$ref`ed responses, parameters and body written out."""

    def target(entry: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in entry:
            _, _, kind, name = entry["$ref"].split("/")
            entry = components[kind][name]
        return entry

    resolved = {**operation, "responses": {status: target(r) for status, r in operation["responses"].items()}}
    resolved["parameters"] = [target(parameter) for parameter in operation.get("parameters", [])]
    if "requestBody" in operation:
        resolved["requestBody"] = target(operation["requestBody"])
    return resolved


def _operation(operation: dict[str, Any], default_security: list[dict[str, list[str]]]) -> dict[str, Any]:
    body = operation.get("requestBody")
    return {
        "operationId": operation.get("operationId"),
        "tags": sorted(operation.get("tags", [])),
        "parameters": sorted(
            (
                {
                    "name": parameter["name"],
                    "in": parameter["in"],
                    "required": parameter.get("required", False),
                    "schema": _schema(parameter.get("schema", {})),
                }
                for parameter in operation.get("parameters", [])
            ),
            key=lambda parameter: (parameter["in"], parameter["name"]),
        ),
        "requestBody": None
        if body is None
        else {"required": body.get("required", False), "content": _content(body.get("content", {}))},
        "responses": {
            status: _content(response.get("content", {})) for status, response in sorted(operation["responses"].items())
        },
        "security": sorted(
            sorted(requirement) for requirement in operation.get("security", default_security) if requirement
        ),
    }


def _content(content: dict[str, Any]) -> dict[str, Any]:
    return {media_type: _schema(entry.get("schema", {})) for media_type, entry in sorted(content.items())}


def _schema(schema: Any) -> Any:
    """One spelling for each meaning: nullability as `nullable`, a lone `allOf` as its member,
    a whole number as an integer."""
    if isinstance(schema, list):
        return [_schema(entry) for entry in schema]
    if isinstance(schema, float) and schema.is_integer():
        return int(schema)  # one JSON number: FastAPI writes a body field's `le=` limit as 2147483647.0
    if not isinstance(schema, dict):
        return schema
    kept = {key: value for key, value in schema.items() if key not in ANNOTATIONS and not key.startswith("x-")}
    result = {key: _schema(value) for key, value in kept.items() if key != "properties"}
    if "properties" in kept:  # a mapping of names (`title` may be one), each to a schema
        result["properties"] = {name: _schema(value) for name, value in sorted(kept["properties"].items())}
    if "properties" in result:  # no `required` and `required: []` say the same
        result.setdefault("required", [])
    for key in ("required", "enum"):
        if key in result:
            result[key] = sorted(result[key], key=str)
    if "const" in result:
        result["enum"] = [result.pop("const")]
    nullable = bool(result.pop("nullable", False))
    types = result.get("type")
    if isinstance(types, list):
        nullable = nullable or "null" in types
        rest = [kind for kind in types if kind != "null"]
        result["type"] = rest[0] if len(rest) == 1 else rest
    for key in ("anyOf", "oneOf"):
        if key in result:
            members = [member for member in result[key] if member != {"type": "null"}]
            nullable = nullable or len(members) < len(result[key])
            if len(members) == 1:
                del result[key]
                result = {**members[0], **result}
            else:
                result[key] = members
    if list(result.get("allOf", [])) and len(result["allOf"]) == 1:
        result = {**result.pop("allOf")[0], **result}
    if nullable:
        result["nullable"] = True
    return result


def difference(expected: dict[str, Any], actual: dict[str, Any], names: tuple[str, str]) -> str:
    """A unified diff of two normalised documents, empty when they are the same."""
    dump = [json.dumps(document, indent=1, sort_keys=True).splitlines() for document in (expected, actual)]
    return "\n".join(difflib.unified_diff(*dump, *names, lineterm="", n=2))
