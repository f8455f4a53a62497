from django.conf import settings
from django.http import HttpRequest

from maillage.core.ratelimit import client_address, hit


def seconds_before_raising(request: HttpRequest, caller) -> int | None:
    """Count a public need from this address; return how long to wait if it raised too many.

    The lab's team (CALLER a facilitator) is never held, whatever its address."""
    if caller is not None and caller.is_authenticated and caller.is_facilitator:
        return None
    return hit(
        "needs",
        client_address(request),
        limit=settings.NEEDS_RATE_LIMIT,
        window=settings.NEEDS_RATE_WINDOW,
    )
