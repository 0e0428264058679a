"""FastAPI's practical limit: the generated project's authenticated reads on an asyncpg pool.

The same JWT check, three statements for the item list (user, count, page) and one for
/users/me, the same JSON; nothing else (uvicorn fastapi_app:app, from bench/limit).
DATABASE_URL (postgresql://...), SECRET_KEY and LIMIT_TABLES ("users,items") from the environment.
"""

import json
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg
from claims import page, user_id
from fastapi import FastAPI, Request, Response
from sql import ITEM_FIELDS, LIMIT, USER_FIELDS, item_body, statements, user_body

SECRET = os.environ["SECRET_KEY"]
USER, COUNT, PAGE = statements(*os.environ.get("LIMIT_TABLES", "users,items").split(","), ["$1", "$2", "$3"])
UNAUTHORIZED = Response('{"detail":"Could not validate credentials"}', 401, media_type="application/json")
pool: asyncpg.Pool


@asynccontextmanager
async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
    global pool
    pool = await asyncpg.create_pool(os.environ["DATABASE_URL"], min_size=1, max_size=10)
    yield
    await pool.close()


app = FastAPI(lifespan=lifespan)


def json_response(body: object) -> Response:
    return Response(json.dumps(body, separators=(",", ":")), media_type="application/json")


async def current_user(request: Request, connection: asyncpg.Connection) -> dict[str, object] | None:
    uid = user_id(request.headers.get("authorization"), SECRET)
    row = await connection.fetchrow(USER, uid) if uid is not None else None
    return dict(zip(USER_FIELDS, row, strict=True)) if row and row["is_active"] else None


@app.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}


@app.get("/api/v1/users/me")
async def me(request: Request) -> Response:
    async with pool.acquire() as connection:
        user = await current_user(request, connection)
    return json_response(user_body(user)) if user else UNAUTHORIZED


@app.get("/api/v1/items")
async def items(request: Request) -> Response:
    async with pool.acquire() as connection:
        user = await current_user(request, connection)
        if user is None:
            return UNAUTHORIZED
        count = await connection.fetchval(COUNT, user["id"])
        rows = await connection.fetch(PAGE, user["id"], LIMIT, 0)
    results = [item_body(dict(zip(ITEM_FIELDS, row, strict=True))) for row in rows]
    return json_response(page(count, results, str(request.url.remove_query_params(["limit", "offset"])), LIMIT, 0))
