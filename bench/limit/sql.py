"""The three statements of the authenticated item list (the user lookup alone for /users/me).

`{users}` and `{items}` are the generated project's table names; `{p}` its driver's placeholder.
"""

from collections.abc import Callable
from datetime import datetime

from claims import iso

Iso = Callable[[datetime], str]

USER = "SELECT id, email, full_name, is_active, created_at FROM {users} WHERE id = {p}"
COUNT = "SELECT count(*) FROM {items} WHERE owner_id = {p}"
PAGE = (
    "SELECT id, title, description, owner_id, created_at, updated_at FROM {items} WHERE owner_id = {p}"
    " ORDER BY created_at DESC, id DESC LIMIT {p} OFFSET {p}"
)
USER_FIELDS = ("id", "email", "full_name", "is_active", "created_at")
ITEM_FIELDS = ("id", "title", "description", "owner_id", "created_at", "updated_at")
LIMIT = 20  # the default page


def statements(users: str, items: str, placeholders: list[str]) -> tuple[str, str, str]:
    """USER, COUNT and PAGE for these tables, with numbered ($1) or positional (%s) placeholders."""

    def fill(template: str) -> str:
        parts = template.replace("{users}", users).replace("{items}", items).split("{p}")
        return "".join(part + (placeholders[n] if n < len(parts) - 1 else "") for n, part in enumerate(parts))

    return fill(USER), fill(COUNT), fill(PAGE)


def user_body(row: dict[str, object], iso: Iso = iso) -> dict[str, object]:
    return {**row, "created_at": iso(row["created_at"])}  # type: ignore[arg-type]


def item_body(row: dict[str, object], iso: Iso = iso) -> dict[str, object]:
    return {**row, "created_at": iso(row["created_at"]), "updated_at": iso(row["updated_at"])}  # type: ignore[arg-type]
