"""Tests: never the development database, a fixed key and a fast password hasher."""

from datetime import timedelta

from .base import *

SECRET_KEY = "test-secret-key-used-only-by-the-test-suite-0123456789abcdef"

# Django builds its own test database from this: in memory for SQLite, `test_<name>` otherwise.
DATABASES = {"default": env.db("TEST_DATABASE_URL", default="sqlite://:memory:")}

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# The contract's lifetimes, whatever the shell running the tests has set.
SIMPLE_JWT = {
    **SIMPLE_JWT,
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=15),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=7),
}
