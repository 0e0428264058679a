"""WSGI entry point: `gunicorn <package>.wsgi` serves `application`."""

from django.core.wsgi import get_wsgi_application

from .settings import configure

configure()
application = get_wsgi_application()
