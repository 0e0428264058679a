"""Production: DEBUG off, a real SECRET_KEY, HTTPS everywhere, static files from WhiteNoise.

`manage.py check --deploy --fail-level WARNING` passes with these settings as they are.
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *

# Django's own deployment check asks for 50 characters with at least 5 different ones.
MIN_SECRET_KEY_LENGTH = 50

if (
    len(SECRET_KEY) < MIN_SECRET_KEY_LENGTH
    or len(set(SECRET_KEY)) < 5
    or SECRET_KEY.startswith("django-insecure-")
):
    raise ImproperlyConfigured(
        f"Set SECRET_KEY to a random value of at least {MIN_SECRET_KEY_LENGTH} characters"
        " (a django-insecure- key is for development only)."
    )

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1"])

# Each worker keeps its database connection between requests for up to a minute (Django's
# default opens one per request, which on PostgreSQL costs more than the request itself) and
# checks it before reuse, so a restarted database costs a reconnect rather than an error.
DATABASES["default"]["CONN_MAX_AGE"] = 60
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# `collectstatic` gathers the static files here (the Docker build does); WhiteNoise serves them.
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# TLS ends at the proxy in front of the app; trust its X-Forwarded-Proto header.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Plain HTTP is redirected to HTTPS, except the probes: orchestrators call them over HTTP.
# Set SECURE_SSL_REDIRECT=false when the proxy already redirects.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^health$", r"^ready$"]
if not SECURE_SSL_REDIRECT:
    SILENCED_SYSTEM_CHECKS = ["security.W008"]

# One year of HSTS, subdomains included and preload-ready; lower SECURE_HSTS_SECONDS
# (e.g. 3600) while trying HTTPS out on a new domain.
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True

SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
