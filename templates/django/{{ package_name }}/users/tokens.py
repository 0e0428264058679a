"""The token pair that login and refresh answer with."""

from typing import TypedDict

from rest_framework_simplejwt.tokens import RefreshToken

from .models import User


class TokenPair(TypedDict):
    access_token: str
    refresh_token: str
    token_type: str
    expires_in: int


def token_pair(user: User) -> TokenPair:
    """A fresh access + refresh token pair for `user` (`sub` is the id as a string)."""
    refresh = RefreshToken.for_user(user)
    access = refresh.access_token
    return {
        "access_token": str(access),
        "refresh_token": str(refresh),
        "token_type": "bearer",
        "expires_in": int(access.lifetime.total_seconds()),
    }
