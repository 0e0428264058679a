"""Registration, login, token refresh and the current user."""

from django.contrib.auth import authenticate
from django.db import IntegrityError, transaction
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.settings import api_settings as jwt_settings
from rest_framework_simplejwt.tokens import RefreshToken

from ..api.exceptions import Conflict
from ..api.network import client_ip
from . import throttling
from .models import User
from .serializers import (
    LoginSerializer,
    RefreshSerializer,
    RegisterSerializer,
    TokenPairSerializer,
    UserSerializer,
)
from .tokens import TokenPair, token_pair

# One message for an unknown email, a wrong password and an inactive account: no account leak.
INVALID_CREDENTIALS = "Incorrect email or password."
INVALID_REFRESH_TOKEN = "Invalid or expired refresh token."


class PublicView(APIView):
    """No authentication needed; a 401 from here still challenges with `Bearer`."""

    authentication_classes = ()
    permission_classes = (AllowAny,)

    def get_authenticate_header(self, request: Request) -> str:
        return "Bearer"


class RegisterView(PublicView):
    @extend_schema(
        request=RegisterSerializer,
        responses={201: UserSerializer, 409: OpenApiResponse(description="Email already taken")},
    )
    def post(self, request: Request) -> Response:
        serializer = RegisterSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            # The case-insensitive unique constraint decides, also under concurrent requests.
            with transaction.atomic():
                user = User.objects.create_user(
                    data["email"], data["password"], full_name=data.get("full_name")
                )
        except IntegrityError:
            raise Conflict("A user with this email already exists.") from None
        return Response(UserSerializer(user).data, status=status.HTTP_201_CREATED)


class LoginView(PublicView):
    @extend_schema(request=LoginSerializer, responses={200: TokenPairSerializer})
    def post(self, request: Request) -> Response:
        serializer = LoginSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        email, ip = serializer.validated_data["email"], client_ip(request)
        throttling.check(email, ip)
        # ModelBackend: case-insensitive email lookup, timing-safe for unknown emails,
        # inactive users refused.
        user = authenticate(request, **serializer.validated_data)
        if user is None:
            throttling.record_failure(email, ip)
            raise AuthenticationFailed(INVALID_CREDENTIALS)
        return token_response(token_pair(user))


class RefreshView(PublicView):
    @extend_schema(request=RefreshSerializer, responses={200: TokenPairSerializer})
    def post(self, request: Request) -> Response:
        serializer = RefreshSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            # Checks signature, expiry and that `type` is "refresh" (an access token is refused).
            refresh = RefreshToken(serializer.validated_data["refresh_token"])
        except TokenError:
            raise AuthenticationFailed(INVALID_REFRESH_TOKEN) from None
        try:
            user = User.objects.get(pk=refresh[jwt_settings.USER_ID_CLAIM], is_active=True)
        except (KeyError, ValueError, User.DoesNotExist):
            raise AuthenticationFailed(INVALID_REFRESH_TOKEN) from None
        return token_response(token_pair(user))


def token_response(tokens: TokenPair) -> Response:
    """Tokens are secrets: no cache along the way may keep them."""
    return Response(tokens, headers={"Cache-Control": "no-store"})


class MeView(APIView):
    @extend_schema(responses={200: UserSerializer})
    def get(self, request: Request) -> Response:
        return Response(UserSerializer(request.user).data)
