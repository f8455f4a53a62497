"""A fixed-window rate limit on the cache (per process with the local cache, shared with Redis)."""

import time

from django.core.cache import cache
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "unknown")


def hit(scope: str, key: str, *, limit: int, window: int) -> int | None:
    """Count one more request of KEY in SCOPE; return the seconds to wait if over LIMIT."""
    now = int(time.time())
    start = now - now % window
    name = f"ratelimit:{scope}:{key}:{start}"
    cache.add(name, 0, timeout=window + 1)
    try:
        count = cache.incr(name)
    except ValueError:  # expired between add and incr
        cache.set(name, 1, timeout=window + 1)
        count = 1
    return start + window - now if count > limit else None
