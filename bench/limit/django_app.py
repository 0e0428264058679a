"""Django's practical limit: the generated project's authenticated reads on Django's own connection.

Raw SQL on django.db.connection (persistent, one per thread as Django keeps them), the same JWT
check, statements and JSON, no middleware or apps (gunicorn -k gthread django_app:application,
from bench/limit). DATABASE_URL, SECRET_KEY and LIMIT_TABLES ("users_user,items_item") from
the environment.
"""

import os
from urllib.parse import unquote, urlsplit

from claims import page, user_id
from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.db import connection
from django.db.backends.utils import CursorWrapper
from django.http import HttpRequest, JsonResponse
from django.urls import path
from sql import ITEM_FIELDS, LIMIT, USER_FIELDS, item_body, statements, user_body

SECRET = os.environ["SECRET_KEY"]
USER, COUNT, PAGE = statements(*os.environ.get("LIMIT_TABLES", "users_user,items_item").split(","), ["%s"] * 3)
url = urlsplit(os.environ["DATABASE_URL"])
settings.configure(
    DEBUG=False,
    SECRET_KEY=SECRET,
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[],
    INSTALLED_APPS=[],
    USE_TZ=True,
    DATABASES={
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": url.path.lstrip("/"),
            "USER": unquote(url.username or ""),
            "PASSWORD": unquote(url.password or ""),
            "HOST": url.hostname or "",
            "PORT": str(url.port or ""),
            "CONN_MAX_AGE": None,
        }
    },
)


def unauthorized() -> JsonResponse:
    return JsonResponse({"detail": "Could not validate credentials"}, status=401)


def current_user(request: HttpRequest, cursor: CursorWrapper) -> dict[str, object] | None:
    uid = user_id(request.headers.get("Authorization"), SECRET)
    if uid is None:
        return None
    cursor.execute(USER, [uid])
    row = cursor.fetchone()
    return dict(zip(USER_FIELDS, row, strict=True)) if row and row[3] else None


def health(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


def me(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        user = current_user(request, cursor)
    return JsonResponse(user_body(user)) if user else unauthorized()


def items(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        user = current_user(request, cursor)
        if user is None:
            return unauthorized()
        cursor.execute(COUNT, [user["id"]])
        count = cursor.fetchone()[0]
        cursor.execute(PAGE, [user["id"], LIMIT, 0])
        rows = cursor.fetchall()
    results = [item_body(dict(zip(ITEM_FIELDS, row, strict=True))) for row in rows]
    return JsonResponse(page(count, results, request.build_absolute_uri(request.path), LIMIT, 0))


urlpatterns = [path("health", health), path("api/v1/users/me", me), path("api/v1/items", items)]
application = get_wsgi_application()
