"""Production: DEBUG off, a real SECRET_KEY required, hashed static files served by WhiteNoise."""

from django.core.exceptions import ImproperlyConfigured

from .base import *

MIN_SECRET_KEY_LENGTH = 32

if len(SECRET_KEY) < MIN_SECRET_KEY_LENGTH or SECRET_KEY.startswith("django-insecure-"):
    raise ImproperlyConfigured(
        f"Set SECRET_KEY to a random value of at least {MIN_SECRET_KEY_LENGTH} characters"
        " (a django-insecure- key is for development only)."
    )

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1"])

# `collectstatic` gathers the static files here (the Docker build does); WhiteNoise serves them.
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# TLS ends at the proxy in front of the app; trust its header and keep cookies HTTPS-only.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
