"""Throttles shared by all workers through the database.

Failed logins (login_failures): per (email, client IP), the 11th failure within 15 minutes
and later attempts get 429; per email from all IPs, the same after 100 failures within an
hour. While throttled even a correct password gets 429; successful logins do not count.

Password-reset mails (password_reset_requests): at most 5 per address per hour.
"""

import ipaddress
from datetime import datetime, timedelta
from typing import Any

from flask import current_app, request

from .extensions import db
from .models import LoginFailure, PasswordResetRequest, utcnow

PER_CLIENT = (10, timedelta(minutes=15))
PER_EMAIL = (100, timedelta(hours=1))
KEEP = timedelta(hours=1)
TOO_MANY = "Too many failed login attempts"
RESET_MAILS_PER_HOUR = 5
RESET_WINDOW = timedelta(hours=1)


def client_ip() -> str:
    """The connecting address, or X-Forwarded-For's nearest untrusted hop from a trusted proxy."""
    trusted = current_app.config["FORWARDED_ALLOW_IPS"]
    address = request.remote_addr or ""
    if address not in trusted:
        return address
    hops = [hop.strip() for hop in request.headers.get("X-Forwarded-For", "").split(",")]
    for hop in reversed(hops):
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            break
        if hop not in trusted:
            return hop
    return address


def _seconds_until_free(
    filters: list[Any], limit: int, window: timedelta, now: datetime
) -> int | None:
    """Seconds until fewer than `limit` failures remain in `window`; None when below it."""
    recent = db.session.scalars(
        db.select(LoginFailure.created_at)
        .where(*filters, LoginFailure.created_at > now - window)
        .order_by(LoginFailure.created_at.desc())
        .limit(limit)
    ).all()
    if len(recent) < limit:
        return None
    return max(1, int((recent[-1] + window - now).total_seconds()) + 1)


def retry_after(email: str, ip: str) -> int | None:
    """Seconds the caller must wait before trying this email again, or None."""
    now = utcnow()
    email = email.lower()
    per_client = [LoginFailure.email == email, LoginFailure.client_ip == ip]
    waits = [
        _seconds_until_free(per_client, *PER_CLIENT, now),
        _seconds_until_free([LoginFailure.email == email], *PER_EMAIL, now),
    ]
    found = [wait for wait in waits if wait is not None]
    return max(found) if found else None


def record_failure(email: str, ip: str) -> None:
    """Count a failure, and drop those too old to matter."""
    now = utcnow()
    db.session.add(LoginFailure(email=email.lower(), client_ip=ip[:45], created_at=now))
    db.session.execute(db.delete(LoginFailure).where(LoginFailure.created_at < now - KEEP))
    db.session.commit()


def reset_mail_allowed(email: str) -> bool:
    """Whether this (normalised) address may get another password-reset mail this hour."""
    since = utcnow() - RESET_WINDOW
    recent = db.session.scalar(
        db.select(db.func.count())
        .select_from(PasswordResetRequest)
        .where(PasswordResetRequest.email == email, PasswordResetRequest.created_at > since)
    )
    return (recent or 0) < RESET_MAILS_PER_HOUR


def record_reset_mail(email: str) -> None:
    """Count a queued password-reset mail, and drop those older than the window."""
    now = utcnow()
    db.session.add(PasswordResetRequest(email=email, created_at=now))
    db.session.execute(
        db.delete(PasswordResetRequest).where(PasswordResetRequest.created_at < now - RESET_WINDOW)
    )
    db.session.commit()
