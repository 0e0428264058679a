"""The access-token check every limit app makes, as the generated projects make it.

PyJWT, HS256 only, the claims of the API contract (`sub` = user id as a string, `type`,
`iat`, `exp`), and `type` must be "access".
"""

from datetime import datetime

import jwt

REQUIRED_CLAIMS = ["exp", "iat", "sub", "type"]


def user_id(authorization: str | None, secret: str) -> int | None:
    """The user id of a valid bearer access token, else None."""
    if not authorization or not authorization.startswith("Bearer "):
        return None
    try:
        claims = jwt.decode(authorization[7:], secret, algorithms=["HS256"], options={"require": REQUIRED_CLAIMS})
    except jwt.InvalidTokenError:
        return None
    if claims["type"] != "access" or not str(claims["sub"]).isdecimal():
        return None
    return int(claims["sub"])


def iso(moment: datetime) -> str:
    """ISO 8601 in UTC with a Z, as the FastAPI and Django projects write datetimes."""
    return moment.isoformat().replace("+00:00", "Z")


def page(count: int, results: list[dict[str, object]], url: str, limit: int, offset: int) -> dict[str, object]:
    """The contract's page body: `{count, next, previous, results}`."""

    def link(at: int) -> str:
        return f"{url}?limit={limit}&offset={at}"

    return {
        "count": count,
        "next": link(offset + limit) if offset + limit < count else None,
        "previous": link(max(offset - limit, 0)) if offset > 0 else None,
        "results": results,
    }
