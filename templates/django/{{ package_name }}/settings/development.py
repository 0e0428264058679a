"""Development: DEBUG on; works from a fresh checkout even before `.env` exists."""

from .base import *

DEBUG = True
SECRET_KEY = SECRET_KEY or "django-insecure-development-only"

# `make serve` runs gunicorn in development too: WhiteNoise serves the apps' static files
# (the admin's, the /docs page's) straight from their packages, without `collectstatic`.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
