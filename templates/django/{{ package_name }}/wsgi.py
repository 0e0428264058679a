"""WSGI entry point: `gunicorn <package>.wsgi` serves `application`."""

from django.conf import settings
from django.core.wsgi import get_wsgi_application

from .chunked_body import ChunkedBodyMiddleware
from .settings import configure

configure()
# Before anything that imports models: this sets Django up.
django_application = get_wsgi_application()

from .health.probes import ProbesMiddleware  # noqa: E402

application = ChunkedBodyMiddleware(
    ProbesMiddleware(django_application), settings.MAX_REQUEST_BYTES
)
