"""The client's address, as far as the service can trust it."""

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The connecting address, or the one a trusted proxy (FORWARDED_ALLOW_IPS) forwarded.

    Only the last X-Forwarded-For entry counts: the one the trusted proxy itself appended;
    whatever the client sent before it is not to be believed.
    """
    remote = str(request.META.get("REMOTE_ADDR", ""))
    trusted = settings.FORWARDED_ALLOW_IPS
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
    if forwarded and ("*" in trusted or remote in trusted):
        return forwarded.rsplit(",", 1)[-1].strip()
    return remote
