"""Registration, login and token refresh."""

from typing import Any

from flask_jwt_extended import current_user, jwt_required
from flask_smorest import abort
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import User
from ..parsing import Blueprint
from ..schemas import LoginSchema, RefreshSchema, RegisterSchema, TokenSchema, UserSchema
from ..security import authenticate, hash_password, issue_tokens
from ..throttling import TOO_MANY, client_ip, record_failure, retry_after
from ..web import no_store

blp = Blueprint("auth", __name__, description="Registration and JSON Web Tokens")
# Token responses must not be kept by any cache.
blp.after_request(no_store)

INVALID_CREDENTIALS = "Incorrect email or password"


def _email_taken(email: str) -> bool:
    query = db.select(User.id).where(db.func.lower(User.email) == email.lower())
    return db.session.execute(query).first() is not None


@blp.post("/register")
@blp.arguments(RegisterSchema)
@blp.response(201, UserSchema)
@blp.alt_response(409, response="CONFLICT", description="The email is already registered")
def register(data: dict[str, Any]) -> User:
    """Create an account"""
    if _email_taken(data["email"]):
        abort(409, message="A user with this email already exists")
    user = User(
        email=data["email"],
        full_name=data.get("full_name"),
        password_hash=hash_password(data["password"]),
    )
    db.session.add(user)
    try:
        db.session.commit()
    except IntegrityError:
        # Another request registered the same email since the check above.
        db.session.rollback()
        abort(409, message="A user with this email already exists")
    return user


@blp.post("/login")
@blp.arguments(LoginSchema)
@blp.response(200, TokenSchema)
@blp.alt_response(401, response="UNAUTHORIZED", description=INVALID_CREDENTIALS)
@blp.alt_response(429, response="DEFAULT_ERROR", description=TOO_MANY)
def login(data: dict[str, Any]) -> dict[str, Any]:
    """Exchange email and password for an access and a refresh token"""
    ip = client_ip()
    wait = retry_after(data["email"], ip)
    if wait is not None:
        abort(429, message=TOO_MANY, headers={"Retry-After": str(wait)})
    user = authenticate(data["email"], data["password"])
    if user is None:
        record_failure(data["email"], ip)
        abort(401, message=INVALID_CREDENTIALS)
    return issue_tokens(user)


@blp.post("/refresh")
@blp.arguments(RefreshSchema)
@blp.response(200, TokenSchema)
@blp.alt_response(401, response="UNAUTHORIZED", description="Not a valid refresh token")
@jwt_required(refresh=True, locations=["json"])
def refresh(_data: dict[str, Any]) -> dict[str, Any]:
    """Exchange a refresh token for a new token pair"""
    return issue_tokens(current_user)
