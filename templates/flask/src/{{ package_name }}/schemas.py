"""Request and response schemas: flask-smorest validates with them and documents them."""

from typing import Any

import marshmallow as ma
from marshmallow import validate

# The largest id and offset a 32-bit INTEGER holds; larger values would fail in the database.
MAX_INT = 2**31 - 1


class Schema(ma.Schema):
    class Meta:
        # Ignore unknown fields, like the other pyweb templates do.
        unknown = ma.EXCLUDE


class String(ma.fields.String):
    """A string the database can store.

    JSON allows lone surrogates ("\\ud800") and NUL ("\\u0000"); UTF-8 has no lone
    surrogates and PostgreSQL text cannot hold NUL.
    """

    default_error_messages = {  # noqa: RUF012 (marshmallow merges these per class)
        "invalid_utf8": "Not a valid utf-8 string.",
        "null_character": "Must not contain a NUL character.",
    }

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        result = super()._deserialize(value, attr, data, **kwargs)
        if "\x00" in result:
            raise self.make_error("null_character")
        try:
            result.encode()
        except UnicodeEncodeError:
            raise self.make_error("invalid_utf8") from None
        return result


class Email(String, ma.fields.Email):
    pass


# Signed tokens are a few hundred characters; no valid one comes near this.
TOKEN = validate.Length(max=4096)


class RegisterRequestSchema(Schema):
    email = Email(required=True, validate=validate.Length(max=254))
    password = String(required=True, load_only=True, validate=validate.Length(min=8, max=128))
    full_name = String(allow_none=True, validate=validate.Length(max=200))


class LoginRequestSchema(Schema):
    email = Email(required=True, validate=validate.Length(max=254))
    password = String(required=True, load_only=True, validate=validate.Length(max=128))


class PasswordResetRequestSchema(Schema):
    email = Email(required=True, validate=validate.Length(max=254))

    @ma.pre_load
    def strip_email(self, data: Any, **_: Any) -> Any:
        # Pasted addresses often carry spaces; the address itself is validated as register does.
        if isinstance(data, dict) and isinstance(data.get("email"), str):
            return {**data, "email": data["email"].strip()}
        return data


class PasswordResetConfirmSchema(Schema):
    token = String(required=True, load_only=True, validate=TOKEN)
    password = String(required=True, load_only=True, validate=validate.Length(min=8, max=128))


class RefreshRequestSchema(Schema):
    refresh_token = String(required=True, validate=TOKEN)


class TokenPairSchema(Schema):
    access_token = ma.fields.String(required=True)
    refresh_token = ma.fields.String(required=True)
    token_type = ma.fields.String(required=True, validate=validate.Equal("bearer"))
    expires_in = ma.fields.Integer(
        required=True, metadata={"description": "Seconds until the access token expires"}
    )


# Answers always carry every field: `required` tells client generators so.
class UserSchema(Schema):
    id = ma.fields.Integer(required=True)
    email = ma.fields.String(required=True)
    full_name = ma.fields.String(required=True, allow_none=True)
    is_active = ma.fields.Boolean(required=True)
    created_at = ma.fields.AwareDateTime(required=True)


TITLE = validate.Length(min=1, max=200)
DESCRIPTION = validate.Length(max=10000)


class ItemCreateSchema(Schema):
    title = String(required=True, validate=TITLE)
    description = String(allow_none=True, validate=DESCRIPTION)


class ItemUpdateSchema(Schema):
    """PATCH: only the fields sent change."""

    title = String(validate=TITLE)
    description = String(allow_none=True, validate=DESCRIPTION)


class ItemSchema(Schema):
    id = ma.fields.Integer(required=True)
    title = ma.fields.String(required=True)
    description = ma.fields.String(required=True, allow_none=True)
    owner_id = ma.fields.Integer(required=True)
    created_at = ma.fields.AwareDateTime(required=True)
    updated_at = ma.fields.AwareDateTime(required=True)


MAX_LIMIT = 100


class PageQuerySchema(Schema):
    limit = ma.fields.Integer(
        load_default=20,
        validate=validate.Range(min=1),
        metadata={"description": f"Page size, at most {MAX_LIMIT} (larger values are capped)"},
    )
    offset = ma.fields.Integer(load_default=0, validate=validate.Range(min=0, max=MAX_INT))

    @ma.post_load
    def cap_limit(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        return {**data, "limit": min(data["limit"], MAX_LIMIT)}


class ItemPageSchema(Schema):
    count = ma.fields.Integer(required=True)
    next = ma.fields.Url(required=True, allow_none=True)
    previous = ma.fields.Url(required=True, allow_none=True)
    results = ma.fields.List(ma.fields.Nested(ItemSchema), required=True)
