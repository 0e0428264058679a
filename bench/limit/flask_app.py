"""Flask's practical limit: the generated project's authenticated reads with psycopg 3.

One autocommit connection per worker process (the project has no psycopg_pool; psycopg lets
gthread's threads share it, one statement at a time), the same JWT check, statements and JSON
(gunicorn -k gthread flask_app:app, from bench/limit). DATABASE_URL, SECRET_KEY and
LIMIT_TABLES ("users,items") from the environment. Datetimes as the project writes them (+00:00).
"""

import os
import threading
from datetime import datetime

import psycopg
from claims import page, user_id
from flask import Flask, request
from sql import ITEM_FIELDS, LIMIT, USER_FIELDS, item_body, statements, user_body

SECRET = os.environ["SECRET_KEY"]
USER, COUNT, PAGE = statements(*os.environ.get("LIMIT_TABLES", "users,items").split(","), ["%s"] * 3)
UNAUTHORIZED = ({"detail": "Could not validate credentials"}, 401)
app = Flask(__name__)
_connection: psycopg.Connection | None = None
_opening = threading.Lock()


def connection() -> psycopg.Connection:
    """The worker's connection, opened on first use (after gunicorn's fork)."""
    global _connection
    with _opening:
        if _connection is None or _connection.closed:
            url = os.environ["DATABASE_URL"].replace("postgresql+psycopg://", "postgresql://")
            _connection = psycopg.connect(url, autocommit=True, options="-c TimeZone=UTC")
        return _connection


def current_user(db: psycopg.Connection) -> dict[str, object] | None:
    uid = user_id(request.headers.get("Authorization"), SECRET)
    row = db.execute(USER, (uid,)).fetchone() if uid is not None else None
    return dict(zip(USER_FIELDS, row, strict=True)) if row and row[3] else None


@app.get("/health")
def health() -> dict[str, str]:
    return {"status": "ok"}


@app.get("/api/v1/users/me")
def me() -> object:
    user = current_user(connection())
    return user_body(user, datetime.isoformat) if user else UNAUTHORIZED


@app.get("/api/v1/items")
def items() -> object:
    db = connection()
    user = current_user(db)
    if user is None:
        return UNAUTHORIZED
    count = db.execute(COUNT, (user["id"],)).fetchone()[0]  # type: ignore[index]
    rows = db.execute(PAGE, (user["id"], LIMIT, 0)).fetchall()
    results = [item_body(dict(zip(ITEM_FIELDS, row, strict=True)), datetime.isoformat) for row in rows]
    return page(count, results, request.base_url, LIMIT, 0)
