"""No stampede: when kept figures expire, one caller counts them again while the others are
given the last figures; with none kept yet, they wait for the one counting."""

import threading
import time

import pytest
from django.core.cache import caches

from maillage.core.cache import counted_once
from tests.real_services import REDIS_URL


def _at_once(callers: int, call) -> list:
    answers, start = [], threading.Barrier(callers)

    def run():
        start.wait()
        try:
            answers.append(call())
        finally:
            _let_go()  # each thread has its own cache, and its own connections

    threads = [threading.Thread(target=run) for _ in range(callers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return answers


class SlowCount:
    def __init__(self, value):
        self.value, self.calls = value, 0
        self.lock = threading.Lock()

    def __call__(self):
        with self.lock:
            self.calls += 1
        time.sleep(0.5)
        return self.value


@pytest.fixture(params=["memory", "redis"])
def shared_cache(request, settings):
    if request.param == "redis":
        settings.CACHES = {"default": {"BACKEND": "maillage.core.cache.ResilientRedisCache",
                                       "LOCATION": REDIS_URL}}  # fmt: skip
    caches["default"].clear()
    yield
    caches["default"].clear()
    _let_go()


def _let_go():
    for pool in getattr(getattr(caches["default"], "_cache", None), "_pools", {}).values():
        pool.disconnect()


def test_an_expired_figure_is_counted_once_while_the_others_get_the_last_one(shared_cache):
    counted_once("figures", lambda: "hier", fresh=60, version=1)
    count = SlowCount("aujourd'hui")
    began = time.monotonic()
    answers = _at_once(16, lambda: counted_once("figures", count, fresh=60, version=2))
    assert count.calls == 1
    assert answers.count("aujourd'hui") == 1 and answers.count("hier") == 15
    assert counted_once("figures", count, fresh=60, version=2) == "aujourd'hui"
    assert time.monotonic() - began < 2


def test_with_nothing_kept_yet_the_others_wait_for_the_one_counting(shared_cache):
    count = SlowCount(42)
    answers = _at_once(16, lambda: counted_once("premier", count, fresh=60))
    assert count.calls == 1 and answers == [42] * 16


@pytest.mark.django_db
def test_the_public_figures_after_a_change_are_counted_once(client, monkeypatch, shared_cache):
    from maillage.observatory import indicators

    calls = []
    real = indicators.count_figures
    monkeypatch.setattr(indicators, "count_figures", lambda p: calls.append(p) or real(p))
    assert client.get("/chiffres/").status_code == 200
    indicators.invalidate()
    for _ in range(5):
        assert client.get("/chiffres/").status_code == 200
    assert len(calls) == 2  # once at first, once after the change
