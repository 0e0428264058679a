"""One page of rows and how many rows there are in all, in one query."""

from typing import Any

from sqlalchemy import Select, func, select

from .extensions import db


def page_and_count(query: Select[Any], limit: int, offset: int) -> tuple[list[Any], int]:
    """The page's entities and the total, a window count beside each row (not COUNT, then
    the page). Past the last row there is no row to carry it: only then a COUNT is asked."""
    rows = db.session.execute(query.add_columns(func.count().over()).limit(limit).offset(offset))
    page = rows.all()
    if page:
        return [row[0] for row in page], page[0][1]
    if not offset:
        return [], 0
    total = select(func.count()).select_from(query.order_by(None).subquery())
    return [], db.session.execute(total).scalar_one()
