"""ASGI entry point, for an ASGI server such as uvicorn or daphne."""

from django.core.asgi import get_asgi_application

from .settings import configure

configure()
application = get_asgi_application()
