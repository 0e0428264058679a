"""simplejwt's authentication, refusing a `sub` that cannot be a user id as a bad token."""

from typing import Any

from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme
from rest_framework_simplejwt import authentication
from rest_framework_simplejwt.exceptions import AuthenticationFailed, InvalidToken
from rest_framework_simplejwt.models import TokenUser
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.tokens import Token

# The largest primary key a BigAutoField holds.
MAX_USER_ID = 2**63 - 1


class JWTAuthentication(authentication.JWTAuthentication):
    def get_user(self, validated_token: Token) -> Any:
        """401 for a `sub` that is not a positive 64-bit integer, instead of a failed query."""
        sub = validated_token.get(api_settings.USER_ID_CLAIM)
        if not isinstance(sub, str | int) or not (str(sub).isascii() and str(sub).isdecimal()):
            raise InvalidToken("Token contained no recognizable user identification")
        if not 0 < int(sub) <= MAX_USER_ID:
            raise AuthenticationFailed("User not found", code="user_not_found")
        user: Any | TokenUser = super().get_user(validated_token)
        return user


class JWTScheme(SimpleJWTScheme):
    """drf-spectacular's scheme for simplejwt, for this class and named as the contract has it."""

    target_class = JWTAuthentication
    name = "bearerAuth"
