"""Errors on the pages answer a page; everywhere else (the API) they stay JSON."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ..api import views as api_views


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if not is_page(request):
        return api_views.not_found(request, exception)
    message = "There is no such page, or it is not yours."
    return error_page(request, "Not found", message, status=404)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    if not is_page(request):
        return api_views.csrf_failure(request, reason)
    message = "The form had expired or came from elsewhere. Go back, reload the page and try again."
    return error_page(request, "Form refused", message, status=403)


def is_page(request: HttpRequest) -> bool:
    match = getattr(request, "resolver_match", None)
    return match is not None and match.namespace == "pages"


def error_page(request: HttpRequest, title: str, message: str, status: int) -> HttpResponse:
    context = {"title": title, "message": message}
    return render(request, "pages/error.html", context, status=status)
