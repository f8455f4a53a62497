"""The cache, on Redis when REDIS_URL is set — and still there when Redis is not.

The cache holds what can be counted again (the observatory's figures) and the rate limits'
counters (ours and allauth's). With Redis unreachable, nothing a person does may fail: each
operation falls back to this process's memory, and Redis is tried again a few seconds later
(not on every call: a dead server would make each request wait for its timeout). Meanwhile
counters and figures are this process's own, which only makes limits a little looser. The
outage is logged, once each time Redis is found gone."""

import logging
import time

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)
RETRY_SECONDS = 5.0


def _unreachable() -> tuple[type[BaseException], ...]:
    from redis.exceptions import ConnectionError, TimeoutError

    return ConnectionError, TimeoutError, OSError


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._fallback = LocMemCache(f"maillage-fallback-{server}", {"TIMEOUT": params.get(
            "TIMEOUT", 300), "OPTIONS": {"MAX_ENTRIES": 10_000}})  # fmt: skip
        self._down_until = 0.0

    def _call(self, name: str, *args, **kwargs):
        if time.monotonic() >= self._down_until:
            try:
                return getattr(RedisCache, name)(self, *args, **kwargs)
            except _unreachable() as error:
                self._lost(error)
        return getattr(self._fallback, name)(*args, **kwargs)

    def _lost(self, error: BaseException) -> None:
        if self._down_until == 0.0 or time.monotonic() >= self._down_until:
            logger.warning("Redis is unreachable (%s): the cache is this process's memory "
                           "until it comes back", error)  # fmt: skip
        self._down_until = time.monotonic() + RETRY_SECONDS

    @property
    def available(self) -> bool:
        return time.monotonic() >= self._down_until

    def add(self, *args, **kwargs):
        return self._call("add", *args, **kwargs)

    def get(self, *args, **kwargs):
        return self._call("get", *args, **kwargs)

    def set(self, *args, **kwargs):
        return self._call("set", *args, **kwargs)

    def touch(self, *args, **kwargs):
        return self._call("touch", *args, **kwargs)

    def delete(self, *args, **kwargs):
        return self._call("delete", *args, **kwargs)

    def get_many(self, *args, **kwargs):
        return self._call("get_many", *args, **kwargs)

    def has_key(self, *args, **kwargs):
        return self._call("has_key", *args, **kwargs)

    def incr(self, *args, **kwargs):
        return self._call("incr", *args, **kwargs)

    def set_many(self, *args, **kwargs):
        return self._call("set_many", *args, **kwargs)

    def delete_many(self, *args, **kwargs):
        return self._call("delete_many", *args, **kwargs)

    def clear(self):
        self._fallback.clear()
        return self._call("clear")

    def count(self, counters: list[tuple[str, int]]) -> list[int]:
        """Add one to each counter (its name, the seconds it lives once made), in one round
        trip: each made at 0 if missing (as `add` would), then incremented."""
        if self.available:
            try:
                pipe = self._cache.get_client(write=True).pipeline(transaction=False)
                for name, lives in counters:
                    key = self.make_and_validate_key(name)
                    pipe.set(key, 0, ex=lives, nx=True)
                    pipe.incr(key)
                return pipe.execute()[1::2]
            except _unreachable() as error:
                self._lost(error)
        counts = []
        for name, lives in counters:
            self._fallback.add(name, 0, timeout=lives)
            counts.append(self._fallback.incr(name))
        return counts


def counted_once(key: str, count, *, fresh: int, version=None):
    """What COUNT() returns, kept in the cache under KEY: fresh for FRESH seconds and while
    VERSION stays the same. When it no longer is, one caller counts it again (a lock in the
    cache) while the others are given the last value; only when there is none yet do they wait
    for the one counting. So an expired figure costs one count, not one per request at once."""
    from django.core.cache import cache

    kept = cache.get(key)
    now = time.time()
    if kept is not None and kept[0] == version and now - kept[1] < fresh:
        return kept[2]
    counting = f"{key}:counting"
    if cache.add(counting, 1, timeout=COUNT_AT_MOST):
        try:
            value = count()
            cache.set(key, (version, time.time(), value), timeout=fresh * KEEP_STALE)
            return value
        finally:
            cache.delete(counting)
    if kept is not None:
        return kept[2]  # someone is counting: the last figures meanwhile
    deadline = time.monotonic() + COUNT_AT_MOST
    while time.monotonic() < deadline:
        time.sleep(0.05)
        if (kept := cache.get(key)) is not None:
            return kept[2]
        if not cache.has_key(counting):  # done between the two reads, or gave up
            kept = cache.get(key)
            return kept[2] if kept is not None else count()
    return count()


COUNT_AT_MOST = 30  # seconds a count may take before another caller counts too
KEEP_STALE = 24  # how many freshness periods a stale value is kept, to be served meanwhile
