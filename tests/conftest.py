import pytest
import sms
from django.core.cache import cache
from django.utils import translation

from maillage.core import live as streams
from maillage.core import similarity, vectors
from maillage.territory import geography
from maillage.workshops import door, live, services
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
)
from tests.workshops.test_preparation import _evening


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """pytest-django's, with the lane's threads let go before the test database is dropped: a
    thread still holding a connection would keep PostgreSQL from dropping it."""
    yield
    from maillage.core import lane

    lane.stop()


@pytest.fixture(scope="session")
def _media_root(tmp_path_factory):
    return tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def _isolated(settings, _media_root):
    """Run background tasks at once; start every test in French with an empty cache; keep
    sent files out of the data directory."""
    settings.MEDIA_ROOT = _media_root
    settings.SMS_BACKEND = "sms.backends.locmem.SmsBackend"
    sms.outbox = []
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    cache.clear()
    vectors.reset_all()  # rows the indexes read were rolled back
    similarity.reset()
    geography.reset()
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()
    streams.cancel_pending()  # no live update of this test's rows after it is over


@pytest.fixture
def facilitator(db):
    return UserFactory(role="animateur", email="animatrice@example.org")


@pytest.fixture
def organisation(db):
    return OrganisationFactory(name="Centre social Jonquières")


@pytest.fixture
def referent(organisation):
    """A member's account who is référent of `organisation`."""
    user = UserFactory(role="membre", email="referente@example.org")
    MembershipFactory(person=PersonFactory(user=user), organisation=organisation, role="referent")
    return user


@pytest.fixture
def asgi_server(transactional_db):
    """What `maillage serve` serves — Django and its live streams — from uvicorn in a thread on
    127.0.0.1; the pages' live updates need it (pytest-django's live server is WSGI)."""
    import socket
    import threading

    import uvicorn
    from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler
    from django.core.asgi import get_asgi_application

    from maillage.core import lane, live

    live.reset()
    application = live.with_streams(ASGIStaticFilesHandler(get_asgi_application()))
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(
        uvicorn.Config(
            application, log_level="warning", lifespan="off", timeout_graceful_shutdown=1
        )
    )
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        threading.Event().wait(0.02)
    yield type("Server", (), {"url": f"http://127.0.0.1:{sock.getsockname()[1]}"})
    live.hub.close_all()
    server.should_exit = True
    thread.join(timeout=10)
    live.reset()
    lane.stop()  # its threads' connections closed before the test's database goes


@pytest.fixture
def room(facilitator):
    start, end = _evening()
    workshop = services.create_workshop(
        by=facilitator, question="Que faire du jardin ?", starts_at=start, ends_at=end,
        criteria=["Utilité", "Coût"],
    )  # fmt: skip
    garden = live.add_scenario(workshop=workshop, by=facilitator, title="Un jardin partagé")
    market = live.add_scenario(workshop=workshop, by=facilitator, title="Un marché")
    people = [door.join(code=workshop.join_code.lower(), name=n) for n in ("Awa", "Bruno", "Chloé")]
    return workshop, garden, market, people
