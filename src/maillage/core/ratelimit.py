"""Rate limits: how many writes one sender may make in a window of time.

A sender is its account when logged in, else its address — the client's own, as the trusted
proxies in front of the site report it (TRUSTED_PROXIES), never what any client writes in a
header — or, in a workshop's room, the participant (a hall's phones share one Wi-Fi address).
Counters live in the cache (shared between processes with Redis; see core.cache for what
happens when Redis is gone).

Every write of the site goes through WriteLimitMiddleware, a generous limit per sender that no
person reaches by hand; the public writes that cost the most (a need, a registration, a
booking, an invitation: each e-mails someone) have a tighter one of their own, `limited`. The
lab's team is never held."""

import ipaddress
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

# scope → (writes allowed, window in seconds), for one sender.
RATES = {
    "needs": ("NEEDS_RATE_LIMIT", "NEEDS_RATE_WINDOW"),  # raise, « moi aussi »: settings
    "requester": (10, 600),  # a requester's message, withdrawal or erasure, per need's page
    "registrations": (10, 600),  # a workshop's registration (a known address is e-mailed)
    "bookings": (30, 3600),
    "appointments": (10, 3600),  # an appointment at the permanence, booked online
    "invitations": (20, 3600),  # each one e-mails an address
    "projects": (30, 3600),  # asking to join a working group
    "offers": (20, 3600),  # an offer declared to the register
    # A room's join page, per address: a hall's phones share one Wi-Fi address; a workshop
    # holds its own ceiling per address (workshops/live.py).
    "joins": (1200, 60),
    "ideas": (10, 60),  # per participant
    "ballots": (60, 60),  # per participant: a ballot per scenario, grades changed at will
    "writes": (60, 60),  # any write, per sender: the backstop
    "room-writes": (120, 60),  # any write in a room, per participant
}
SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}


def _networks(entries: list[str]) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [ipaddress.ip_network(entry, strict=False) for entry in entries]


def _address(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(value.strip().strip("[]"))
    except ValueError:
        return None


def client_address(request: HttpRequest) -> str:
    """The client's address. Behind trusted proxies (TRUSTED_PROXIES: addresses or networks),
    the nearest address of X-Forwarded-For that is not one of them; a client cannot claim
    another address by writing the header itself, since only the proxies' entries are read."""
    remote = _address(request.META.get("REMOTE_ADDR", ""))
    if remote is None:
        return "unknown"
    trusted = _networks(settings.TRUSTED_PROXIES)
    if not any(remote in network for network in trusted):
        return str(remote)
    chain = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    for entry in reversed(chain):
        address = _address(entry)
        if address is None:
            return str(remote)  # a hop that is no address: nothing further can be trusted
        if not any(address in network for network in trusted):
            return str(address)
    return str(remote)


def sender(request: HttpRequest) -> str:
    """Who sends: the account when logged in, else the client's address."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"account:{user.pk}"
    return f"address:{client_address(request)}"


def hit(scope: str, key: str, *, limit: int | None = None, window: int | None = None) -> int | None:
    """Count one more request of KEY in SCOPE; return the seconds to wait if over the limit
    (SCOPE's rate unless LIMIT and WINDOW are given)."""
    return hits([scope], key, limit=limit, window=window)


def hits(scopes: list[str], key: str, *, limit: int | None = None,
         window: int | None = None) -> int | None:  # fmt: skip
    """Count one more request of KEY in each of SCOPES, at once (one round trip to Redis: a
    hall's ballots are counted in two); the longest wait if over any limit, else None."""
    now, counters = int(time.time()), []
    for scope in scopes:
        default_limit, default_window = RATES[scope]
        if isinstance(default_limit, str):  # read from the settings, which tests change
            default_limit, default_window = (getattr(settings, n) for n in RATES[scope])
        allowed, seconds = limit or default_limit, window or default_window
        start = now - now % seconds
        counters.append((f"ratelimit:{scope}:{key}:{start}", seconds + 1, allowed, start + seconds))
    counts = _count([(name, lives) for name, lives, _allowed, _end in counters])
    waits = [end - now for (_n, _l, allowed, end), count in zip(counters, counts, strict=True)
             if count > allowed]  # fmt: skip
    return max(waits) if waits else None


def _count(counters: list[tuple[str, int]]) -> list[int]:
    """Add one to each counter (its name, the seconds it lives once made)."""
    if hasattr(cache, "count"):  # Redis: all at once (core/cache.py)
        return cache.count(counters)
    counts = []
    for name, lives in counters:
        cache.add(name, 0, timeout=lives)
        try:
            counts.append(cache.incr(name))
        except ValueError:  # expired between add and incr
            cache.set(name, 1, timeout=lives)
            counts.append(1)
    return counts


def too_many(request: HttpRequest, wait: int) -> HttpResponse:
    """The page that asks to wait, in French."""
    context = {"minutes": -(-wait // 60)}
    template = "core/too_many.html#message" if getattr(request, "htmx", False) else None
    response = render(request, template or "core/too_many.html", context, status=429)
    response["Retry-After"] = str(wait)
    return response


def _is_team(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return user is not None and user.is_authenticated and user.is_facilitator


def limited(scope: str, *, key=None, answer=None):
    """Limit the view's writes (POST and the like) to SCOPE's rate per sender, or per what KEY
    (a function of the request and the view's arguments) names — a room's participant, say.
    ANSWER, if given, adapts the page that asks to wait (where htmx puts it, say)."""

    def decorate(view):
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.method not in SAFE_METHODS and not _is_team(request):
                who = (key(request, *args, **kwargs) if key else None) or sender(request)
                if wait := hit(scope, who):
                    response = too_many(request, wait)
                    return answer(response) if answer else response
            return view(request, *args, **kwargs)

        wrapper.rate_scope = scope
        return wrapper

    return decorate


class WriteLimitMiddleware:
    """The backstop: every write of the site, limited per sender (a room's per participant).
    The API counts its own writes, by token (see api/once.py)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in SAFE_METHODS or request.path.startswith("/api/") or _is_team(request):
            return self.get_response(request)
        scope, who = "writes", sender(request)
        if (participant := self._participant(request)) is not None:
            scope, who = "room-writes", participant
        elif request.path.startswith("/atelier/"):  # a hall joins from one Wi-Fi address
            scope = "joins"
        if wait := hit(scope, who):
            return too_many(request, wait)
        return self.get_response(request)

    @staticmethod
    def _participant(request: HttpRequest) -> str | None:
        """In a room (/ateliers/<id>/salle/…), the phone's participant token, as it sends it:
        a made-up one is counted on its own, and the room refuses it."""
        parts = request.path.split("/")
        if len(parts) > 3 and parts[1] == "ateliers" and parts[3] == "salle":
            token = request.COOKIES.get(f"atelier-{parts[2]}")
            return f"participant:{token[:64]}" if token else None
        return None
