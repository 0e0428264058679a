"""The token pair that login and refresh answer with."""

from typing import TypedDict

from django.utils.crypto import constant_time_compare
from rest_framework_simplejwt.tokens import RefreshToken

from .models import User

# The refresh token's claim that ties it to the password it was issued under.
PASSWORD_CLAIM = "pwd"


class TokenPair(TypedDict):
    access_token: str
    refresh_token: str
    token_type: str
    expires_in: int


def token_pair(user: User) -> TokenPair:
    """A fresh access + refresh token pair for `user` (`sub` is the id as a string)."""
    refresh = RefreshToken.for_user(user)
    access = refresh.access_token
    refresh[PASSWORD_CLAIM] = user.get_session_auth_hash()
    return {
        "access_token": str(access),
        "refresh_token": str(refresh),
        "token_type": "bearer",
        "expires_in": int(access.lifetime.total_seconds()),
    }


def issued_under_current_password(refresh: RefreshToken, user: User) -> bool:
    """False once the password changed after `refresh` was issued (Django's session rule)."""
    claim = refresh.get(PASSWORD_CLAIM)
    return isinstance(claim, str) and constant_time_compare(claim, user.get_session_auth_hash())
