"""The lane: a few hot requests answered in front of Django's middleware stack.

A hall of a thousand phones sends its ballots at 70 a second and more; through the whole stack
— sixteen middlewares, the URL resolver, a thread of the WSGI pool, a database connection
opened per request — each cost ≈ 23 ms of CPU, and a facilitator's phase change waited behind
them in the same pool (issue 15). A lane route is an async function of the server's event loop
(the one that serves the live streams, core/live.py) that takes a plain Django request and
answers it, or returns None to hand it to Django unchanged: the lane keeps only the requests it
knows to be ordinary (a participant's phone, no account, a valid CSRF token) and Django answers
everything else — refusals, pages without JavaScript, anything odd — with its usual pages.

What the stack would have checked for these requests, the lane checks itself: the host, the
CSRF token (with Django's own middleware), NUL characters (no request with one is kept) and the
rate limits (the route's); the answer gets the site's security headers."""

import asyncio
import logging
import queue
import re
import threading
from collections.abc import Awaitable, Callable
from concurrent.futures import Future
from io import BytesIO

from django.core.exceptions import DisallowedHost, SuspiciousOperation
from django.core.handlers.asgi import ASGIRequest
from django.db import connections
from django.http import HttpRequest, HttpResponse
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.middleware.csrf import CsrfViewMiddleware
from django.middleware.security import SecurityMiddleware
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django_htmx.middleware import HtmxDetails

logger = logging.getLogger(__name__)
Handler = Callable[..., Awaitable[HttpResponse | None]]
_routes: list[tuple[str, re.Pattern, Handler]] = []
BODY_LIMIT = 16 * 1024  # a ballot is a few hundred bytes; anything larger goes to Django


def route(method: str, pattern: str) -> Callable[[Handler], Handler]:
    """Register HANDLER(request, **groups of PATTERN) for METHOD requests whose path matches
    (groups of digits become numbers: keep them short, [0-9]{1,9})."""

    def register(handler: Handler) -> Handler:
        _routes.append((method, re.compile(pattern), handler))
        return handler

    return register


def find(scope) -> tuple[Handler, dict] | None:
    for method, pattern, handler in _routes:
        if scope["method"] == method and (match := pattern.fullmatch(scope["path"])):
            return handler, {
                k: int(v) if v.isdecimal() else v for k, v in match.groupdict().items()
            }
    return None


async def serve(found: tuple[Handler, dict], scope, receive, send, django_app) -> None:
    handler, arguments = found
    chunks, whole = await _read(receive)
    response = None
    if whole and b"\0" not in scope.get("query_string", b"") + b"".join(chunks):
        request = ASGIRequest(scope, BytesIO(b"".join(chunks)))
        try:
            response = await handler(request, **arguments)
        except SuspiciousOperation:
            pass  # too many fields, say: Django refuses it, and logs it
        except Exception:  # Django answers, with its own error if it meets the same
            logger.exception("The lane could not answer %s", scope["path"])
    if response is None:
        await django_app(scope, _replay(chunks, receive), send)
    else:
        await _send(request, response, send)


async def _read(receive) -> tuple[list[bytes], bool]:
    """The request's body, up to BODY_LIMIT; whether it is whole."""
    chunks, size = [], 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return chunks, False  # the client left
        chunks.append(message.get("body", b""))
        size += len(chunks[-1])
        if not message.get("more_body"):
            return chunks, True
        if size > BODY_LIMIT:
            return chunks, False


def _replay(chunks: list[bytes], receive):
    """RECEIVE, with the chunks the lane already read given again first."""
    waiting = list(chunks)

    async def received():
        if waiting:
            body = waiting.pop(0)
            return {"type": "http.request", "body": body, "more_body": bool(waiting) or None}
        return await receive()

    return received


_security = SecurityMiddleware(lambda request: None)
_frames = XFrameOptionsMiddleware(lambda request: None)
_csrf = CsrfViewMiddleware(lambda request: None)


async def _send(request: HttpRequest, response: HttpResponse, send) -> None:
    response = _frames.process_response(request, _security.process_response(request, response))
    add_never_cache_headers(response)  # a phone's own state
    patch_vary_headers(response, ("Cookie",))
    headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in response.items()]
    headers += [(b"set-cookie", c.output(header="").strip().encode("latin-1"))
                for c in response.cookies.values()]  # fmt: skip
    await send({"type": "http.response.start", "status": response.status_code,
                "headers": headers})  # fmt: skip
    await send({"type": "http.response.body", "body": response.content})


# --- what a route checks, in a thread of its own (the cache and the database block) ---------


def ordinary(request: HttpRequest, *, csrf: bool) -> bool:
    """Whether REQUEST is one the lane may answer: an htmx request of the page, from no account
    (an account brings its session, its team's exemptions, its second factor: Django), to an
    allowed host, with a valid CSRF token if CSRF. It sets what the middlewares would have set:
    the request's htmx details and language."""
    if request.headers.get("HX-Request") != "true" or "sessionid" in request.COOKIES:
        return False
    try:
        request.get_host()
    except DisallowedHost:
        return False
    if csrf:
        _csrf.process_request(request)
        if _csrf.process_view(request, None, (), {}) is not None:
            return False
    request.htmx = HtmxDetails(request)
    request.LANGUAGE_CODE = translation.get_language_from_request(request)
    return True


IDLE_SECONDS = 1.0


def next_job(jobs: queue.SimpleQueue):
    """The next job of a lane's thread. A thread keeps its database connection while jobs keep
    coming (opening one per request cost a busy room ≈ 14 % of its time) and closes it once
    none came for IDLE_SECONDS."""
    try:
        return jobs.get(timeout=IDLE_SECONDS)
    except queue.Empty:
        connections.close_all()
        return jobs.get()


class Threads:
    """The threads where lane routes do what blocks (the cache's round trips)."""

    def __init__(self, count: int) -> None:
        self.count = count
        self.jobs: queue.SimpleQueue = queue.SimpleQueue()
        self.workers: list[threading.Thread] = []
        self.lock = threading.Lock()

    async def run(self, function: Callable, *args):
        with self.lock:
            while len(self.workers) < self.count:
                worker = threading.Thread(target=self._work, name="lane", daemon=True)
                worker.start()
                self.workers.append(worker)
        answer: Future = Future()
        self.jobs.put((answer, function, args))
        return await asyncio.wrap_future(answer)

    def _work(self) -> None:
        while (job := next_job(self.jobs)) is not None:
            answer, function, args = job
            try:
                answer.set_result(function(*args))
            except Exception as failed:
                connections.close_all()  # perhaps the database went: the next job reconnects
                answer.set_exception(failed)
        connections.close_all()

    def stop(self) -> None:
        with self.lock:
            workers, self.workers = self.workers, []
            for _worker in workers:
                self.jobs.put(None)
        for worker in workers:
            worker.join(timeout=5)


threads = Threads(4)


_batches: list["Batches"] = []


def stop() -> None:
    """Let the lane's threads go, their connections closed (tests, before the database goes)."""
    threads.stop()
    for batches in _batches:
        batches.stop()


class Batches:
    """One thread that takes its jobs in batches: the jobs that came while it handled the last
    batch are handled together — one transaction, a few statements, however many phones.
    HANDLE(jobs) answers each job (its `answer`, a Future); what it leaves unanswered when it
    fails gets the failure."""

    def __init__(self, name: str, handle: Callable[[list], None], size: int = 500) -> None:
        self.name, self.handle, self.size = name, handle, size
        _batches.append(self)
        self.jobs: queue.SimpleQueue = queue.SimpleQueue()
        self.thread: threading.Thread | None = None
        self.lock = threading.Lock()

    def submit(self, job) -> Future:
        with self.lock:
            if self.thread is None or not self.thread.is_alive():
                self.thread = threading.Thread(target=self._run, name=self.name, daemon=True)
                self.thread.start()
        self.jobs.put(job)
        return job.answer

    def stop(self) -> None:
        with self.lock:
            thread, self.thread = self.thread, None
        if thread is not None:
            self.jobs.put(None)
            thread.join(timeout=5)

    def _run(self) -> None:
        while (first := next_job(self.jobs)) is not None:
            batch = [first]
            while len(batch) < self.size:
                try:
                    job = self.jobs.get_nowait()
                except queue.Empty:
                    break
                if job is None:
                    self.jobs.put(None)  # stop once this batch is done
                    break
                batch.append(job)
            try:
                self.handle(batch)
            except Exception as failed:
                connections.close_all()
                for job in batch:
                    if not job.answer.done():
                        job.answer.set_exception(failed)
        connections.close_all()
