"""The live updates' coalescer publishes each changed key at most once per interval — and
keeps publishing whatever fails in one round."""

import threading
import time

from maillage.core import live


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
