"""Tests: never the development database, a fixed key and a fast password hasher."""

from .base import *

SECRET_KEY = "test-secret-key-used-only-by-the-test-suite"

# Django builds its own test database from this: in memory for SQLite, `test_<name>` otherwise.
DATABASES = {"default": env.db("TEST_DATABASE_URL", default="sqlite://:memory:")}

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
