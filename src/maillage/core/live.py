"""Live updates: events published after a commit, streamed to pages by Server-Sent Events.

Measured in ../shared/reference/live.md and followed here:
- the stream is a plain-ASGI handler in front of Django (a Django view would hold one thread per
  open stream), reached with a signed token the page embeds;
- one bus subscription per process fans out to the streams this process holds: in-process when
  one process serves (tests, the demo), Redis pub/sub between processes (LIVE_BUS=redis);
- events are states, not deltas: a stream keeps only the latest of each kind it has not sent
  yet, so a slow phone costs memory bounded by the number of kinds, and loses nothing that
  matters; what changes often is published at most every LIVE_COALESCE_SECONDS;
- pub/sub replays nothing, so every (re)connection starts with the current state, and `retry:`
  is jittered so that a restarted server is not hit by every phone at once.

Event data is JSON: {"key": …, "html": {element id: fragment}} (see static/maillage/live.js).
"""

import asyncio
import json
import logging
import os
import random
import signal
import threading
import time
import weakref
from collections.abc import Callable, Iterable

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core import signing
from django.db import close_old_connections, transaction

from maillage.core import lane

logger = logging.getLogger(__name__)

PREFIX = "/direct/"
SALT = "maillage.live"
KEEP_ALIVE_SECONDS = 15
TOKEN_MAX_AGE = 24 * 3600

Event = tuple[str, str]  # (name, JSON data)
# channel prefix ("workshop") → the events that make the current state of channel "workshop:ID"
_snapshots: dict[str, Callable[[str], list[Event]]] = {}


def register(prefix: str, snapshot: Callable[[str], list[Event]]) -> None:
    _snapshots[prefix] = snapshot


def token_for(channel: str) -> str:
    return signing.dumps(channel, salt=SALT, compress=True)


def url_for(channel: str) -> str:
    return f"{PREFIX}{token_for(channel)}"


def event(name: str, *, key: str = "", html: dict[str, str] | None = None, **more) -> Event:
    return name, json.dumps({"key": key, "html": html or {}, **more}, separators=(",", ":"))


# --- one process's streams ----------------------------------------------------------------------


class Stream:
    """What one open connection has not been sent yet: the latest event of each name."""

    def __init__(self) -> None:
        self.pending: dict[str, str] = {}
        self.ready = asyncio.Event()
        self.closed = False

    def push(self, name: str, data: str) -> None:
        self.pending.pop(name, None)  # the newest goes last, keeping events in order
        self.pending[name] = data
        self.ready.set()

    def close(self) -> None:
        self.closed = True
        self.ready.set()

    async def drain(self, timeout: float) -> list[Event]:
        try:
            await asyncio.wait_for(self.ready.wait(), timeout)
        except TimeoutError:
            return []
        self.ready.clear()
        batch, self.pending = list(self.pending.items()), {}
        return batch


class Hub:
    """The streams of this process, by channel; lives in the server's event loop."""

    def __init__(self) -> None:
        self.streams: dict[str, set[Stream]] = {}
        self.loop: asyncio.AbstractEventLoop | None = None
        # The channel's current state, shared by the streams that (re)connect together (a
        # restarted server's whole room): valid while no event came since it was read.
        self.versions: dict[str, int] = {}
        self.snapshots: dict[str, tuple[int, asyncio.Future]] = {}

    def add(self, channel: str) -> Stream:
        self.loop = asyncio.get_running_loop()
        stream = Stream()
        self.streams.setdefault(channel, set()).add(stream)
        return stream

    def remove(self, channel: str, stream: Stream) -> None:
        streams = self.streams.get(channel, set())
        streams.discard(stream)
        if not streams:
            self.streams.pop(channel, None)
            self.snapshots.pop(channel, None)

    def deliver(self, channel: str, name: str, data: str) -> None:
        self.versions[channel] = self.versions.get(channel, 0) + 1
        for stream in self.streams.get(channel, ()):
            stream.push(name, data)

    async def snapshot(self, channel: str) -> list[Event]:
        version = self.versions.get(channel, 0)
        known = self.snapshots.get(channel)
        failed = known and known[1].done() and (known[1].cancelled() or known[1].exception())
        if known is None or known[0] != version or failed:
            future = asyncio.ensure_future(
                sync_to_async(_snapshot, thread_sensitive=False)(channel)
            )
            known = self.snapshots[channel] = (version, future)
        return await asyncio.shield(known[1])

    def deliver_soon(self, channel: str, name: str, data: str) -> None:
        """From any thread (a view's, the coalescer's)."""
        loop = self.loop
        if loop is not None and not loop.is_closed() and channel in self.streams:
            loop.call_soon_threadsafe(self.deliver, channel, name, data)

    def close_all(self) -> None:
        for streams in self.streams.values():
            for stream in streams:
                stream.close()


hub = Hub()


# --- buses ----------------------------------------------------------------------------------------


class MemoryBus:
    """One process: publishing is delivering."""

    def publish(self, channel: str, name: str, data: str) -> None:
        hub.deliver_soon(channel, name, data)

    def listened(self, channel: str) -> bool:
        return channel in hub.streams

    def claim(self, key: str, seconds: float) -> bool:
        return True  # no other process

    def listen(self) -> None:
        pass


_DOWN = object()  # what a command to a Redis found gone returns


class RedisBus:
    """Several processes: each publishes to Redis and holds one pattern subscription."""

    PATTERN = "maillage:live:"

    RETRY_SECONDS = 2.0

    def __init__(self, url: str) -> None:
        self.url = url
        self.listener: asyncio.Task | None = None
        self._client = None
        self._down_until = 0.0

    def listened(self, channel: str) -> bool:
        return True  # perhaps by another process

    def publish(self, channel: str, name: str, data: str) -> None:
        """Publish, unless Redis was just found gone: a vote never waits on a dead bus. What is
        not published is not lost for the screens: every stream gets the current state when it
        reconnects, which they do while the bus is down (see `_listen`)."""
        self._command("publish", f"{self.PATTERN}{channel}", json.dumps([name, data]))

    def claim(self, key: str, seconds: float) -> bool:
        """Whether this process publishes KEY now: one process in an interval does, for all of
        them (each process publishing the room's tally would multiply the renders and the events
        by the processes). Redis gone, each process publishes its own."""
        claimed = self._command("set", f"maillage:live:claim:{key}", os.getpid(), nx=True,
                                px=max(1, int(seconds * 1000)))  # fmt: skip
        return claimed is _DOWN or bool(claimed)

    def _command(self, name: str, *args, **options):
        import redis

        if time.monotonic() < self._down_until:
            return _DOWN
        if self._client is None:
            self._client = redis.Redis.from_url(
                self.url, socket_connect_timeout=0.5, socket_timeout=0.5
            )
        try:
            return getattr(self._client, name)(*args, **options)
        except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError) as lost:
            logger.warning("Live bus unreachable (%s): events wait for the screens to reconnect",
                           lost)  # fmt: skip
            self._down_until = time.monotonic() + self.RETRY_SECONDS
            return _DOWN

    def listen(self) -> None:
        """Start this process's subscription, once, in the server's event loop."""
        if self.listener is None or self.listener.done():
            self.listener = asyncio.get_running_loop().create_task(self._listen())

    async def _listen(self) -> None:
        import redis.asyncio as redis
        from redis.exceptions import RedisError

        while True:
            try:
                client = redis.Redis.from_url(self.url)
                async with client.pubsub() as pubsub:
                    await pubsub.psubscribe(f"{self.PATTERN}*")
                    async for message in pubsub.listen():
                        if message["type"] != "pmessage":
                            continue
                        channel = message["channel"].decode()[len(self.PATTERN) :]
                        name, data = json.loads(message["data"])
                        hub.deliver(channel, name, data)
            except (OSError, RedisError) as lost:
                # Events published meanwhile are gone: streams reconnect and get the state.
                logger.warning("Live bus lost (%s); resubscribing", lost)
                hub.close_all()
                await asyncio.sleep(1 + random.random())


_bus: MemoryBus | RedisBus | None = None


def bus() -> MemoryBus | RedisBus:
    global _bus
    if _bus is None:
        _bus = RedisBus(settings.LIVE_BUS_URL) if settings.LIVE_BUS_URL else MemoryBus()
    return _bus


def publish(channel: str, events: Iterable[Event]) -> None:
    for name, data in events:
        bus().publish(channel, name, data)


# --- publishing what changes often, at most every LIVE_COALESCE_SECONDS --------------------------


_coalescers: "weakref.WeakSet[Coalescer]" = weakref.WeakSet()


class Coalescer:
    """Marks keys as changed; publishes each changed key at most once per interval, from one
    background thread per process (never one event per vote: live.md, limit 4) — and, between
    processes, by one of them in an interval (RedisBus.claim)."""

    def __init__(self, flush: Callable[[str], None]) -> None:
        self.flush = flush
        self.dirty: set[str] = set()
        self.lock = threading.Lock()
        self.timer: threading.Timer | None = None
        self.last = 0.0
        _coalescers.add(self)

    def cancel(self) -> None:
        """Drop what waits to be published (a test's changes, rolled back with it)."""
        with self.lock:
            if self.timer is not None:
                self.timer.cancel()
            self.timer, self.dirty = None, set()

    def mark(self, key: str) -> None:
        interval = settings.LIVE_COALESCE_SECONDS
        if interval <= 0:
            self.flush(key)
            return
        with self.lock:
            self.dirty.add(key)
            if self.timer is None:
                delay = max(0.0, self.last + interval - time.monotonic())
                self.timer = threading.Timer(delay, self._run)
                self.timer.daemon = True
                self.timer.start()

    def _run(self) -> None:
        with self.lock:
            keys, self.dirty = self.dirty, set()
            self.last = time.monotonic()
        try:
            for key in keys:
                if not bus().claim(key, settings.LIVE_COALESCE_SECONDS):
                    with self.lock:  # another process publishes it: this change, next round
                        self.dirty.add(key)
                    continue
                try:
                    self.flush(key)
                except Exception:
                    logger.exception("Live update of %s failed", key)
        finally:
            try:
                close_old_connections()
            except Exception:  # the database gone: the next round tries again
                logger.exception("Closing the live updates' connections failed")
            with self.lock:  # whatever failed, the next changes are published
                self.timer = None
                if self.dirty:
                    self.timer = threading.Timer(settings.LIVE_COALESCE_SECONDS, self._run)
                    self.timer.daemon = True
                    self.timer.start()


def on_commit(callback: Callable[[], None]) -> None:
    """Publish once the change is visible to every process (and never if it rolls back)."""
    transaction.on_commit(callback, robust=True)


# --- the stream ---------------------------------------------------------------------------------


def _snapshot(channel: str) -> list[Event]:
    try:
        return _snapshots[channel.split(":", 1)[0]](channel)
    finally:
        close_old_connections()


async def _respond(send, status: int, message: str) -> None:
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/plain; charset=utf-8")]})  # fmt: skip
    await send({"type": "http.response.body", "body": message.encode()})


async def stream(scope, receive, send) -> None:
    """GET /direct/<token>: the channel's current state, then every event, until the client goes."""
    try:
        channel = signing.loads(scope["path"][len(PREFIX) :], salt=SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:
        await _respond(send, 403, "Lien de direct invalide ou expiré : rechargez la page.")
        return
    if scope["method"] != "GET" or channel.split(":", 1)[0] not in _snapshots:
        await _respond(send, 404, "Introuvable.")
        return
    bus().listen()
    live = hub.add(channel)  # before the snapshot: nothing published in between is missed
    try:
        for name, data in await hub.snapshot(channel):
            if name not in live.pending:  # an event already came: it is newer
                live.push(name, data)
        await send({"type": "http.response.start", "status": 200, "headers": [
            (b"content-type", b"text/event-stream; charset=utf-8"),
            (b"cache-control", b"no-store"),
            (b"x-accel-buffering", b"no"),  # proxies must not hold events back
        ]})  # fmt: skip
        retry = 2000 + random.randrange(3000)
        await send({"type": "http.response.body", "body": f"retry: {retry}\n\n".encode(),
                    "more_body": True})  # fmt: skip
        gone = asyncio.ensure_future(_disconnected(receive, live))
        try:
            while not live.closed:
                batch = await live.drain(KEEP_ALIVE_SECONDS)
                body = (
                    "".join(f"event: {name}\ndata: {data}\n\n" for name, data in batch)
                    or ": ok\n\n"
                )
                await send({"type": "http.response.body", "body": body.encode(),
                            "more_body": True})  # fmt: skip
        finally:
            gone.cancel()
        await send({"type": "http.response.body", "body": b""})
    except (OSError, RuntimeError):
        pass  # the client went away mid-write (servers say it differently)
    finally:
        hub.remove(channel, live)


async def _disconnected(receive, live: Stream) -> None:
    while (await receive())["type"] != "http.disconnect":
        pass
    live.close()


async def lifespan(receive, send) -> None:
    """The server's start and stop (ASGI lifespan). Stopping, the streams are closed at once:
    their phones reconnect to another process (or to this one restarted) and get the state;
    the server then has only short requests left to finish.

    granian tells the application of its stop only once its connections are done — which open
    streams never are — so the streams close on the stop signal itself: Python's handler of
    SIGTERM and SIGINT (the event loop's own, which stops the server, still runs: it is woken
    by the signal, not by this handler)."""
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            _close_streams_on_stop(asyncio.get_running_loop())
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            hub.close_all()
            deadline = time.monotonic() + SHUTDOWN_SECONDS
            while hub.streams and time.monotonic() < deadline:
                await asyncio.sleep(0.05)  # each stream writes its end and leaves the hub
            await send({"type": "lifespan.shutdown.complete"})
            return


SHUTDOWN_SECONDS = 5


def _close_streams_on_stop(loop: asyncio.AbstractEventLoop) -> None:
    if threading.current_thread() is not threading.main_thread():
        return  # a server in a thread (tests): its streams close with it
    for sig in (signal.SIGTERM, signal.SIGINT):
        previous = signal.getsignal(sig)

        def stop(signum, frame, previous=previous):
            loop.call_soon_threadsafe(hub.close_all)
            if callable(previous):
                previous(signum, frame)

        signal.signal(sig, stop)


def with_streams(django_app):
    """The ASGI application: /direct/… streams, the lane's few routes (core/lane.py), everything
    else Django."""

    async def application(scope, receive, send):
        if scope["type"] == "lifespan":
            await lifespan(receive, send)
        elif scope["type"] == "http" and scope["path"].startswith(PREFIX):
            await stream(scope, receive, send)
        elif scope["type"] == "http" and (found := lane.find(scope)):
            await lane.serve(found, scope, receive, send, django_app)
        else:
            # granian's receive returns an awaitable that is not a coroutine, which a2wsgi's
            # run_coroutine_threadsafe refuses: hand it a coroutine.
            async def received():
                return await receive()

            await django_app(scope, received, send)

    return application


def cancel_pending() -> None:
    """Publish nothing of what the coalescers hold (tests: the changes are rolled back)."""
    for coalescer in list(_coalescers):
        coalescer.cancel()


def reset() -> None:
    """Forget this process's streams and bus (tests start servers and change settings)."""
    global _bus
    cancel_pending()
    hub.close_all()
    hub.streams.clear()
    hub.snapshots.clear()
    hub.loop = None
    _bus = None
