"""The live updates' coalescer publishes each changed key at most once per interval — and
keeps publishing whatever fails in one round."""

import threading
import time
import uuid

from maillage.core import live
from tests.real_services import REDIS_URL


def _coalescer(settings):
    settings.LIVE_COALESCE_SECONDS = 0.05
    flushed, seen = [], threading.Event()

    def flush(key):
        flushed.append(key)
        seen.set()

    return live.Coalescer(flush), flushed, seen


def test_changes_of_one_interval_are_published_once(settings):
    coalescer, flushed, seen = _coalescer(settings)
    settings.LIVE_COALESCE_SECONDS = 1.0
    for _ in range(50):
        coalescer.mark("workshop:1")
    assert seen.wait(2)
    time.sleep(0.2)
    # The first change goes at once, those that came meanwhile wait for the interval's end.
    assert flushed in (["workshop:1"], ["workshop:1", "workshop:1"])


def test_a_round_that_fails_to_close_its_connections_does_not_stop_the_next(settings, monkeypatch):
    coalescer, flushed, seen = _coalescer(settings)

    def gone():
        raise RuntimeError("the database is gone")

    monkeypatch.setattr(live, "close_old_connections", gone)
    coalescer.mark("workshop:1")
    assert seen.wait(2)
    seen.clear()
    coalescer.mark("workshop:2")
    assert seen.wait(2), "the coalescer stopped publishing"
    assert flushed == ["workshop:1", "workshop:2"]


def test_what_waits_is_dropped_when_cancelled(settings):
    coalescer, flushed, seen = _coalescer(settings)
    settings.LIVE_COALESCE_SECONDS = 0.3
    coalescer.last = time.monotonic()  # a round just went: this change waits its interval
    coalescer.mark("workshop:1")
    live.cancel_pending()
    assert not seen.wait(0.6) and flushed == []
    coalescer.mark("workshop:2")
    assert seen.wait(2) and flushed == ["workshop:2"]


def test_between_processes_one_publishes_in_an_interval_and_no_change_is_left_behind(settings):
    """Two processes' coalescers (each its own bus, one Redis): a change in each within one
    interval is published once at first, then again after it — by whichever claims it."""
    settings.LIVE_BUS_URL = REDIS_URL
    settings.LIVE_COALESCE_SECONDS = 0.3
    key = f"test:{uuid.uuid4()}"
    live.reset()  # the bus of these settings
    live.bus().claim(f"{key}:warm", 0.01)  # its client made (the timings start after)
    flushed: list[tuple[str, float]] = []
    coalescers = []
    for process in ("a", "b"):
        coalescer = live.Coalescer(
            lambda key, process=process: flushed.append((process, time.monotonic()))
        )
        coalescers.append(coalescer)
    try:
        coalescers[0].mark(key)
        time.sleep(0.05)
        coalescers[1].mark(key)
        time.sleep(0.2)
        assert len(flushed) == 1  # the second waits for the interval to end
        deadline = time.monotonic() + 2
        while len(flushed) < 2 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert len(flushed) == 2 and flushed[1][1] - flushed[0][1] >= 0.25
    finally:
        live.reset()
