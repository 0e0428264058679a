from typing import ClassVar

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from .managers import UserManager


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in with an email address and a password."""

    # `unique` is what Django's auth checks ask of a USERNAME_FIELD; the constraint in Meta
    # makes it case-insensitive.
    email = models.EmailField(max_length=320, unique=True)
    # NULL, not "", when not given: the API answers `"full_name": null`.
    full_name = models.CharField(max_length=200, null=True, blank=True)  # noqa: DJ001
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, help_text="Can log in to the admin site.")
    created_at = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        ordering = ("-created_at", "-id")
        constraints = (
            # Case-insensitive on every database: A@x.com and a@x.com are the same account.
            models.UniqueConstraint(
                Lower("email"),
                name="users_user_email_ci_unique",
                violation_error_message="A user with this email already exists.",
            ),
        )

    def __str__(self) -> str:
        return self.email


class LoginFailure(models.Model):
    """One failed login, kept an hour for throttling (see `throttling.py`)."""

    email = models.EmailField(max_length=254)
    client_ip = models.GenericIPAddressField()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        db_table = "login_failures"
        indexes: ClassVar = [models.Index(fields=["email", "created_at"])]

    def __str__(self) -> str:
        return f"{self.email} from {self.client_ip}"


class PasswordResetRequest(models.Model):
    """One password-reset email handed on, kept an hour to cap them (see `password_reset.py`)."""

    email = models.EmailField(max_length=254)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        db_table = "password_reset_requests"
        indexes: ClassVar = [models.Index(fields=["email", "created_at"])]

    def __str__(self) -> str:
        return self.email
