"""WSGI entry point: `gunicorn <package>.wsgi` serves `application`."""

from django.conf import settings
from django.core.wsgi import get_wsgi_application

from .chunked_body import ChunkedBodyMiddleware
from .settings import configure

configure()
application = ChunkedBodyMiddleware(get_wsgi_application(), settings.MAX_REQUEST_BYTES)
