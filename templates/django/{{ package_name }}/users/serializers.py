from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from .models import User


class UserSerializer(serializers.ModelSerializer):
    # As stored, without the format that only what clients send is checked against.
    email = serializers.CharField(read_only=True)

    class Meta:
        model = User
        fields = ("id", "email", "full_name", "is_active", "created_at")
        read_only_fields = fields


@extend_schema_serializer(component_name="RegisterRequest")
class RegisterSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(
        write_only=True, min_length=8, max_length=128, trim_whitespace=False
    )
    full_name = serializers.CharField(max_length=200, required=False, allow_null=True)

    def validate(self, attrs: dict[str, str]) -> dict[str, str]:
        candidate = User(email=attrs["email"], full_name=attrs.get("full_name"))
        try:
            password_validation.validate_password(attrs["password"], candidate)
        except DjangoValidationError as exc:
            raise serializers.ValidationError({"password": list(exc.messages)}) from exc
        return attrs


@extend_schema_serializer(component_name="LoginRequest")
class LoginSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(write_only=True, max_length=128, trim_whitespace=False)


@extend_schema_serializer(component_name="RefreshRequest")
class RefreshSerializer(serializers.Serializer):
    refresh_token = serializers.CharField(max_length=4096)


class TokenPairSerializer(serializers.Serializer):
    access_token = serializers.CharField()
    refresh_token = serializers.CharField()
    token_type = serializers.ChoiceField(choices=["bearer"])
    expires_in = serializers.IntegerField(help_text="Seconds until the access token expires.")


@extend_schema_serializer(component_name="PasswordResetRequest")
class PasswordResetSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)


class PasswordResetConfirmSerializer(serializers.Serializer):
    # Any string: one that does not verify is a 400, not a validation error.
    token = serializers.CharField(allow_blank=True, trim_whitespace=False, max_length=4096)
    password = serializers.CharField(
        write_only=True, min_length=8, max_length=128, trim_whitespace=False
    )

    def validate_password(self, password: str) -> str:
        # The register rules that need no user; UserAttributeSimilarity follows in the view.
        try:
            password_validation.validate_password(password)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(list(exc.messages)) from exc
        return password
