"""`pyweb add resource NAME FIELD:TYPE ...`: the resource's names and fields, checked.

Everything here is pure: it reads no project and writes nothing, so every refusal comes
before a file is touched.
"""

from __future__ import annotations

import builtins
import keyword
import re
from dataclasses import dataclass

from pyweb_scaffold.errors import PywebError

NAME_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
MAX_NAME_LENGTH = 40
# str: 1 to 200 characters like an item's title unless `str:N`; text: at most 10,000.
DEFAULT_STR_LENGTH = 200
MAX_STR_LENGTH = 10_000
TEXT_LENGTH = 10_000
EMAIL_LENGTH = 254
URL_LENGTH = 2048
# decimal: up to 12 digits, 2 of them after the point (amounts of money).
DECIMAL_DIGITS = 12
DECIMAL_PLACES = 2
# int: what a 32-bit INTEGER column holds on every database.
INT_MIN, INT_MAX = -(2**31), 2**31 - 1

TYPES = ("str", "text", "int", "float", "decimal", "bool", "date", "datetime", "email", "url", "ref")

# Names the projects already use, or that the generated code needs for itself.
RESERVED_RESOURCES = frozenset(
    {
        "item", "user", "auth", "api", "health", "probe", "ready", "admin", "doc", "openapi",
        "metric", "model", "migration", "setting", "test", "url", "schema", "page", "pagination",
        "config", "error", "db", "database", "extension", "security", "session", "text", "web",
        "main", "middleware", "logging_config", "parsing", "throttling", "storage", "static",
        "login_failure", "token", "event", "ws", "asgi", "wsgi", "manage", "repository", "router",
        # Django's own app labels: a resource's app is labelled by its plural.
        "message", "content_type", "contenttype", "staticfile", "corsheader", "rest_framework",
    }
)  # fmt: skip
RESERVED_FIELDS = frozenset(
    {
        "id", "pk", "owner", "owner_id", "created_at", "updated_at", "objects", "metadata",
        "registry", "query", "fields", "json", "dict", "copy", "schema", "validate", "construct",
        "save", "delete", "clean", "load", "dump", "dumps", "loads", "context", "opts", "meta",
        "self", "cls", "data", "instance", "request", "session", "user",
        # Attributes of Django models, marshmallow schemas and pydantic models.
        "check", "from_db", "many", "partial", "unknown", "exclude", "only", "ordered",
        "parse_obj", "parse_raw", "parse_file", "from_orm", "schema_json", "update_forward_refs",
    }
)  # fmt: skip


class ResourceSpecError(PywebError):
    """The resource's name or one of its fields cannot be used."""


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    optional: bool = False
    max_length: int | None = None  # str, text, email, url

    @property
    def column(self) -> str:
        """The attribute, database column and JSON key: `<name>_id` for a ref."""
        return f"{self.name}_id" if self.type == "ref" else self.name

    @property
    def target(self) -> ResourceName:
        """The referenced resource of a ref."""
        return ResourceName.of(self.name)


@dataclass(frozen=True)
class ResourceName:
    singular: str
    plural: str

    @classmethod
    def of(cls, singular: str) -> ResourceName:
        return cls(singular, pluralize(singular))

    @property
    def class_name(self) -> str:
        return "".join(part.capitalize() for part in self.singular.split("_"))

    @property
    def plural_class_name(self) -> str:
        return "".join(part.capitalize() for part in self.plural.split("_"))

    @property
    def title(self) -> str:
        return self.singular.replace("_", " ")

    @property
    def plural_title(self) -> str:
        return self.plural.replace("_", " ")


@dataclass(frozen=True)
class ResourceSpec:
    name: ResourceName
    fields: tuple[Field, ...]

    @property
    def refs(self) -> tuple[Field, ...]:
        return tuple(field for field in self.fields if field.type == "ref")

    @property
    def types(self) -> frozenset[str]:
        return frozenset(field.type for field in self.fields)

    def command(self) -> str:
        return " ".join(["pyweb add resource", self.name.singular, *map(field_argument, self.fields)])


def pluralize(word: str) -> str:
    """English plurals for the regular cases (categories, boxes, projects)."""
    if re.search(r"[^aeiou]y$", word):
        return word[:-1] + "ies"
    if re.search(r"(s|x|z|ch|sh)$", word):
        return word + "es"
    return word + "s"


def field_argument(field: Field) -> str:
    kind = field.type
    if kind == "str" and field.max_length != DEFAULT_STR_LENGTH:
        kind = f"str:{field.max_length}"
    return f"{field.name}:{kind}{'?' if field.optional else ''}"


def _check_name(name: str, what: str) -> None:
    if not NAME_PATTERN.match(name) or name.endswith("_") or "__" in name:
        raise ResourceSpecError(
            f"{what} {name!r} must be lower case letters, digits and single '_', starting with a letter"
        )
    if len(name) > MAX_NAME_LENGTH:
        raise ResourceSpecError(f"{what} {name!r} is longer than {MAX_NAME_LENGTH} characters")
    if keyword.iskeyword(name) or keyword.issoftkeyword(name):
        raise ResourceSpecError(f"{what} {name!r} is a Python keyword")


def parse_name(name: str, reserved: frozenset[str] = frozenset()) -> ResourceName:
    """The resource's singular and plural names; `reserved` holds more names to refuse."""
    _check_name(name, "resource name")
    resource = ResourceName.of(name)
    for candidate in (resource.singular, resource.plural):
        if candidate in RESERVED_RESOURCES or candidate.rstrip("s") in RESERVED_RESOURCES:
            raise ResourceSpecError(f"resource name {name!r} is taken by the project itself (items, users, auth, ...)")
        if candidate in reserved or hasattr(builtins, candidate):
            raise ResourceSpecError(
                f"resource name {name!r} is reserved: {candidate!r} is a Python builtin or the package"
            )
    return resource


def parse_field(argument: str) -> Field:
    """`name:type`, `name:str:N`, `name:ref`, each with an optional `?` after the type."""
    name, sep, kind = argument.partition(":")
    if not sep or not kind:
        raise ResourceSpecError(f"field {argument!r} is not NAME:TYPE (types: {', '.join(TYPES)})")
    _check_name(name, "field name")
    if name in RESERVED_FIELDS or name.startswith("model_"):
        raise ResourceSpecError(f"field name {name!r} is reserved (id, owner, created_at, updated_at, ...)")
    optional = kind.endswith("?")
    kind = kind.removesuffix("?")
    base, _, size = kind.partition(":")
    if base not in TYPES:
        raise ResourceSpecError(f"field {argument!r} has an unknown type {base!r} (types: {', '.join(TYPES)})")
    if size and base != "str":
        raise ResourceSpecError(f"field {argument!r}: only str takes a length (str:N)")
    lengths = {"str": DEFAULT_STR_LENGTH, "text": TEXT_LENGTH, "email": EMAIL_LENGTH, "url": URL_LENGTH}
    max_length = lengths.get(base)
    if size:
        if not size.isdigit() or not 1 <= int(size) <= MAX_STR_LENGTH:
            raise ResourceSpecError(f"field {argument!r}: N in str:N must be a number from 1 to {MAX_STR_LENGTH}")
        max_length = int(size)
    if base == "ref":
        try:
            parse_name(name)  # a ref names a resource: the same rules
        except ResourceSpecError:
            raise ResourceSpecError(
                f"field {argument!r}: a ref names a resource made by `pyweb add resource` (not items or users)"
            ) from None
    return Field(name=name, type=base, optional=optional, max_length=max_length)


def parse(name: str, arguments: tuple[str, ...] | list[str], reserved: frozenset[str] = frozenset()) -> ResourceSpec:
    resource = parse_name(name, reserved)
    if not arguments:
        raise ResourceSpecError("give at least one field, e.g. `name:str`")
    fields = tuple(parse_field(argument) for argument in arguments)
    seen: set[str] = set()
    for field in fields:
        for key in {field.name, field.column}:
            if key in seen:
                raise ResourceSpecError(f"field {key!r} is given twice")
            seen.add(key)
        if field.type == "ref" and field.name == resource.singular:
            raise ResourceSpecError(f"field {field.name!r}: a resource cannot refer to itself")
    return ResourceSpec(resource, fields)
