"""Liveness and readiness probes for load balancers and orchestrators."""

import logging
import os
from pathlib import Path
from typing import Any

import marshmallow as ma
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from .database import time_limit
from .extensions import db
from .parsing import Blueprint

blp = Blueprint("probes", __name__, description="Liveness and readiness probes")
logger = logging.getLogger(__name__)

# /ready answers within 3 s, so the database gets less than that.
READY_TIMEOUT_SECONDS = 2.0


class HealthSchema(ma.Schema):
    status = ma.fields.String(required=True, metadata={"example": "ok"})


class ReadinessSchema(ma.Schema):
    status = ma.fields.String(required=True, metadata={"example": "ok"})
    checks = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.String(), required=True)


def _missing_sqlite_file() -> str | None:
    """Why a SQLite database file cannot be used; SQLite would create an empty one."""
    url = db.engine.url
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    if url.database.startswith("file:"):
        return None
    path = Path(url.database)
    if not path.is_file():
        return "database file missing"
    if not os.access(path, os.R_OK | os.W_OK):
        return "database file not readable"
    return None


@blp.get("/health")
@blp.response(200, HealthSchema)
@blp.doc(operationId="health", security=[])
def health() -> dict[str, str]:
    """The process is up. Never touches the database."""
    return {"status": "ok"}


@blp.get("/ready")
@blp.response(200, ReadinessSchema)
@blp.alt_response(503, schema=ReadinessSchema, description="The database does not answer")
@blp.doc(operationId="ready", security=[])
def ready() -> tuple[dict[str, Any], int]:
    """The app can serve traffic: the database answers a `SELECT 1`."""
    missing = _missing_sqlite_file()
    if missing:
        logger.warning("Readiness check failed: %s", missing)
        return {"status": "unavailable", "checks": {"database": missing}}, 503
    try:
        with time_limit(READY_TIMEOUT_SECONDS):
            db.session.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        db.session.rollback()
        # The class name is enough for the probe; the detail goes to the log only.
        reason = type(exc).__name__
        logger.warning("Readiness check failed: %s", exc)
        return {"status": "unavailable", "checks": {"database": reason}}, 503
    return {"status": "ok", "checks": {"database": "ok"}}, 200
