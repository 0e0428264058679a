"""Passwords (Argon2) and tokens (Flask-JWT-Extended): one 401 shape for every token failure."""

import hashlib
import hmac
from functools import cache
from typing import Any

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerifyMismatchError
from flask import Response, current_app, jsonify
from flask_jwt_extended import JWTManager, create_access_token, create_refresh_token

from .extensions import db
from .models import User
from .schemas import MAX_INT

# Flask-JWT-Extended itself insists on `sub` and fills in a missing `type` as "access".
REQUIRED_CLAIMS = ("exp", "iat")
# The tokens Flask-JWT-Extended accepts; a password-reset token, signed with the same key,
# must not pass for an access token.
SESSION_TOKEN_TYPES = frozenset({"access", "refresh"})


@cache
def _hasher(profile: str) -> PasswordHasher:
    return PasswordHasher.from_parameters(getattr(profiles, profile))


def password_hasher() -> PasswordHasher:
    return _hasher(current_app.config["PASSWORD_HASH_PROFILE"])


def hash_password(password: str) -> str:
    return password_hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return password_hasher().verify(password_hash, password)
    except (VerifyMismatchError, InvalidHashError):
        return False


@cache
def _dummy_hash(profile: str) -> str:
    return _hasher(profile).hash("not the password of anyone")


def authenticate(email: str, password: str) -> User | None:
    """The active user with this email (any case) and password, else None."""
    user = db.session.execute(
        db.select(User).where(db.func.lower(User.email) == email.lower())
    ).scalar_one_or_none()
    if user is None:
        # Hash anyway, so that response times do not tell which emails exist.
        verify_password(_dummy_hash(current_app.config["PASSWORD_HASH_PROFILE"]), password)
        return None
    if not verify_password(user.password_hash, password) or not user.is_active:
        return None
    if password_hasher().check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
        db.session.commit()
    return user


def password_fingerprint(user: User) -> str:
    """A short HMAC of the user's password hash: it changes when the password does.

    Refresh and password-reset tokens carry it as their `pwd` claim, so a password change
    (or a reset, which is one) invalidates them.
    """
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, user.password_hash.encode(), hashlib.sha256).hexdigest()[:16]


def fingerprint_matches(user: User, claim: object) -> bool:
    return isinstance(claim, str) and hmac.compare_digest(claim, password_fingerprint(user))


def user_by_subject(subject: object) -> User | None:
    """The active user a token's `sub` names, else None."""
    # Only a decimal id the column can hold: "abc", "-1", "" or 2**63 match no user.
    if not isinstance(subject, str) or not subject.isascii() or not subject.isdigit():
        return None
    user_id = int(subject)
    if user_id > MAX_INT:
        return None
    user = db.session.get(User, user_id)
    return user if user is not None and user.is_active else None


def issue_tokens(user: User) -> dict[str, Any]:
    """The login and refresh answer: a fresh access and refresh token pair."""
    expires = current_app.config["JWT_ACCESS_TOKEN_EXPIRES"]
    return {
        "access_token": create_access_token(identity=user),
        "refresh_token": create_refresh_token(
            identity=user, additional_claims={"pwd": password_fingerprint(user)}
        ),
        "token_type": "bearer",
        "expires_in": int(expires.total_seconds()),
    }


def unauthorized(detail: str, *, invalid_token: bool = True) -> Response:
    """401 with `WWW-Authenticate: Bearer` (RFC 6750), as every token failure answers."""
    response = jsonify(detail=detail)
    response.status_code = 401
    challenge = 'Bearer error="invalid_token"' if invalid_token else "Bearer"
    response.headers["WWW-Authenticate"] = challenge
    return response


def init_jwt(jwt: JWTManager) -> None:
    """Wire Flask-JWT-Extended to the users table and to the contract's errors."""

    @jwt.user_identity_loader
    def user_identity(user: User) -> str:
        # `sub` must be a string (RFC 7519); PyJWT rejects anything else.
        return str(user.id)

    @jwt.user_lookup_loader
    def load_user(_header: dict[str, Any], payload: dict[str, Any]) -> User | None:
        return user_by_subject(payload["sub"])

    @jwt.token_verification_loader
    def has_every_claim(_header: dict[str, Any], payload: dict[str, Any]) -> bool:
        # PyJWT checks `exp` only when present; a token without one would never expire.
        has_claims = all(claim in payload for claim in REQUIRED_CLAIMS)
        return has_claims and payload.get("type") in SESSION_TOKEN_TYPES

    @jwt.unauthorized_loader
    def missing_token(reason: str) -> Response:
        return unauthorized(reason, invalid_token=False)

    @jwt.invalid_token_loader
    def invalid_token(reason: str) -> Response:
        return unauthorized(f"Invalid token: {reason}")

    @jwt.expired_token_loader
    def expired_token(_header: dict[str, Any], _payload: dict[str, Any]) -> Response:
        return unauthorized("Token has expired")

    @jwt.token_verification_failed_loader
    def incomplete_token(_header: dict[str, Any], _payload: dict[str, Any]) -> Response:
        return unauthorized("Token is missing a required claim or is of the wrong type")

    @jwt.user_lookup_error_loader
    def unknown_user(_header: dict[str, Any], _payload: dict[str, Any]) -> Response:
        return unauthorized("User not found or inactive")

    @jwt.revoked_token_loader
    def revoked_token(_header: dict[str, Any], _payload: dict[str, Any]) -> Response:
        return unauthorized("Token has been revoked")

    @jwt.needs_fresh_token_loader
    def stale_token(_header: dict[str, Any], _payload: dict[str, Any]) -> Response:
        return unauthorized("Fresh token required")
