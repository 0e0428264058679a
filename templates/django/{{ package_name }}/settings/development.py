"""Development: DEBUG on; works from a fresh checkout even before `.env` exists."""

from .base import *

DEBUG = True
SECRET_KEY = SECRET_KEY or "django-insecure-development-only"
