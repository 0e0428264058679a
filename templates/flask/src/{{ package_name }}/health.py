"""Liveness and readiness probes for load balancers and orchestrators."""

import logging
from typing import Any

from flask import Blueprint
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from .extensions import db

bp = Blueprint("health", __name__)
logger = logging.getLogger(__name__)


@bp.get("/health")
def health() -> dict[str, str]:
    """The process is up. Never touches the database."""
    return {"status": "ok"}


@bp.get("/ready")
def ready() -> tuple[dict[str, Any], int]:
    """The app can serve traffic: the database answers a `SELECT 1`."""
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        db.session.rollback()
        # The class name is enough for the probe; the detail goes to the log only.
        reason = type(exc).__name__
        logger.warning("Readiness check failed: %s", exc)
        return {"status": "unavailable", "checks": {"database": reason}}, 503
    return {"status": "ok", "checks": {"database": "ok"}}, 200
