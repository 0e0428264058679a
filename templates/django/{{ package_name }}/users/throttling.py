"""Failed-login throttling, with its state in the database so that every worker shares it.

For one email from one client: the 11th failure within 15 minutes is refused, and so is
every attempt until the window frees; for one email from all clients: after 100 failures
in an hour. A correct password is refused too while throttled; successes do not count.
"""

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone
from rest_framework import exceptions, status

from .models import LoginFailure

# Rows older than the longest window are deleted as new failures come in.
RETENTION = timedelta(hours=1)


@dataclass(frozen=True)
class Limit:
    failures: int
    window: timedelta


PER_CLIENT = Limit(failures=10, window=timedelta(minutes=15))
PER_EMAIL = Limit(failures=100, window=timedelta(hours=1))


class LoginThrottled(exceptions.APIException):
    """429; DRF's exception handler turns `wait` into the Retry-After header."""

    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_detail = "Too many failed login attempts"
    default_code = "throttled"

    def __init__(self, wait: int) -> None:
        super().__init__()
        self.wait = wait


def check(email: str, client_ip: str) -> None:
    """Raise LoginThrottled while `email` (from `client_ip`, or from anywhere) is locked out."""
    now = timezone.now()
    waits = [
        _wait(PER_CLIENT, now, email=email.lower(), client_ip=client_ip),
        _wait(PER_EMAIL, now, email=email.lower()),
    ]
    wait = max(waits)
    if wait > 0:
        raise LoginThrottled(wait)


def record_failure(email: str, client_ip: str) -> None:
    now = timezone.now()
    LoginFailure.objects.create(email=email.lower(), client_ip=client_ip, created_at=now)
    LoginFailure.objects.filter(created_at__lt=now - RETENTION).delete()


def _wait(limit: Limit, now: datetime, **match: str) -> int:
    """Seconds until fewer than `limit.failures` failures are left in the window (0: none)."""
    recent = (
        LoginFailure.objects.filter(created_at__gt=now - limit.window, **match)
        .order_by("-created_at")
        .values_list("created_at", flat=True)
    )
    # The limit-th newest failure: once it leaves the window, there is room for one more.
    oldest_counted = next(iter(recent[limit.failures - 1 : limit.failures]), None)
    if oldest_counted is None:
        return 0
    return max(1, math.ceil((oldest_counted + limit.window - now).total_seconds()))
