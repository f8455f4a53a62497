"""A failing part loses nothing: with Redis gone, nothing a person does fails; /healthz says
the process lives, /readyz which dependency fails."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.db.utils import OperationalError

from tests.factories import UserFactory, with_second_factor
from tests.real_services import REDIS_URL

DEAD_REDIS = "redis://127.0.0.1:1/0"  # nothing listens there: refused at once


def _redis_cache(url: str) -> dict:
    options = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
    backend = "maillage.core.cache.ResilientRedisCache"
    return {"default": {"BACKEND": backend, "LOCATION": url, "OPTIONS": options}}


@pytest.fixture
def redis_gone(settings):
    settings.CACHES = _redis_cache(DEAD_REDIS)
    settings.REDIS_URL = settings.LIVE_BUS_URL = DEAD_REDIS
    from maillage.core import live

    live.reset()
    yield
    live.reset()


def test_healthz_says_the_process_lives_whatever_its_dependencies(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_names_what_fails(client, monkeypatch, redis_gone):
    response = client.get("/readyz")
    body = response.json()
    assert response.status_code == 503 and body["status"] == "error"
    assert body["database"] == "ok" and body["migrations"] == "ok"
    assert body["redis"].startswith("erreur") and body["worker"].startswith("erreur")

    def unreachable(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", unreachable)
    assert client.get("/readyz").json()["database"].startswith("erreur")


@pytest.mark.django_db
def test_readyz_is_ready_with_a_beating_worker_and_redis(client, settings):
    from maillage.core import housekeeping

    settings.CACHES = _redis_cache(REDIS_URL)
    settings.REDIS_URL = REDIS_URL
    housekeeping.beat("travailleur")
    response = client.get("/readyz")
    assert response.status_code == 200, response.json()
    assert response.json() == {"status": "ok", "database": "ok", "redis": "ok",
                               "worker": "ok", "migrations": "ok"}  # fmt: skip


@pytest.mark.django_db
def test_with_redis_gone_nothing_a_person_does_fails(
    client, redis_gone, django_capture_on_commit_callbacks
):
    from maillage.needs.models import Need

    UserFactory(email="karim@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        raised = client.post("/permanence/", {"description": "Ma box", "contact": "aucun"})
    assert raised.status_code == 302 and Need.objects.count() == 1
    login = client.post("/compte/login/", {"login": "karim@example.org",
                                           "password": "un-mot-de-passe-solide"})  # fmt: skip
    assert login.status_code == 302 and "_auth_user_id" in client.session
    for url in ("/chiffres/", "/projets/", "/", "/mutualisation/"):
        assert client.get(url).status_code == 200, url
    cache.set("clé", "valeur")
    assert cache.get("clé") == "valeur"  # this process's memory meanwhile


@pytest.mark.django_db
def test_with_redis_gone_a_room_still_votes(
    client, room, redis_gone, django_capture_on_commit_callbacks
):
    from maillage.workshops import live

    workshop, garden, _market, (awa, *_) = room
    live.start_phase(workshop=workshop, phase=workshop.phases.get(kind="evaluation"),
                     by=workshop.facilitators.first())  # fmt: skip
    client.cookies[f"atelier-{workshop.pk}"] = awa.token
    values = {f"critere-{c.pk}": "6" for c in workshop.criteria.all()}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/ateliers/{workshop.pk}/salle/vote/{garden.pk}/", values)
    assert response.status_code == 302
    assert garden.grades.count() == workshop.criteria.count()


@pytest.mark.django_db
def test_the_cache_is_shared_through_redis_when_it_answers(settings):
    from django.core.cache import caches

    settings.CACHES = _redis_cache(REDIS_URL)
    caches["default"].set("partagé", 42)
    import redis

    assert redis.Redis.from_url(REDIS_URL).exists(caches["default"].make_key("partagé"))
    caches["default"].delete("partagé")


@pytest.mark.django_db
def test_an_administrator_is_not_locked_out_by_a_dead_redis(client, redis_gone):
    admin = with_second_factor(UserFactory(role="administrateur", is_staff=True,
                                           is_superuser=True))  # fmt: skip
    client.force_login(admin)
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("where", [REDIS_URL, DEAD_REDIS], ids=["redis", "redis-gone"])
def test_a_rooms_limits_are_counted_together_and_still_hold_with_redis_gone(settings, where):
    import uuid

    from django.core.cache import caches

    from maillage.core import ratelimit

    settings.CACHES = _redis_cache(where)
    phone = f"participant:{uuid.uuid4()}"
    waits = [ratelimit.hits(["ideas", "ballots"], phone) for _ in range(11)]
    assert waits[:10] == [None] * 10  # « ideas »: 10 a minute; « ballots »: 60
    assert 0 < waits[10] <= 60
    assert ratelimit.hit("ballots", phone) is None  # its own count: 12 of 60
    if where == REDIS_URL:  # counted in Redis, each counter living its window
        import redis

        client = redis.Redis.from_url(REDIS_URL)
        keys = client.keys(caches["default"].make_key(f"ratelimit:*:{phone}:*"))
        assert sorted(int(client.get(k)) for k in keys) == [11, 12]
        assert all(0 < client.ttl(k) <= 61 for k in keys)
