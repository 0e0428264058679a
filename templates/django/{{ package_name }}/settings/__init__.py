"""One settings module per ENVIRONMENT; `configure()` picks it for manage.py, WSGI and ASGI."""

import os
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

ENVIRONMENTS = ("development", "test", "production")
ENV_FILE = Path(__file__).resolve().parents[2] / ".env"


def settings_module(environment: str) -> str:
    """The dotted path of the settings module for `environment`."""
    if environment not in ENVIRONMENTS:
        choices = ", ".join(ENVIRONMENTS)
        raise ImproperlyConfigured(f"ENVIRONMENT must be one of {choices}, not {environment!r}")
    return f"{__name__}.{environment}"


def configure(env_file: Path = ENV_FILE) -> None:
    """Fill the environment from `env_file` and point DJANGO_SETTINGS_MODULE at ENVIRONMENT.

    Variables already set win over the file, and an explicit DJANGO_SETTINGS_MODULE wins
    over ENVIRONMENT. In production `.env` is never read: only real variables count there.
    """
    if os.environ.get("ENVIRONMENT") != "production" and env_file.is_file():
        environ.Env.read_env(env_file)
    if "DJANGO_SETTINGS_MODULE" not in os.environ:
        environment = os.environ.get("ENVIRONMENT", "development")
        os.environ["DJANGO_SETTINGS_MODULE"] = settings_module(environment)
