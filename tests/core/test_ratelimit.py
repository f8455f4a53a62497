"""Limits that know where a request comes from: the client's address as the trusted proxies
report it, the account when logged in, the participant in a room; every public write has one."""

import pytest
from django.test import Client, RequestFactory

from maillage.core import ratelimit
from maillage.core.ratelimit import client_address
from maillage.needs.models import Need
from tests.factories import UserFactory


def _request(remote="203.0.113.7", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().post("/", **extra)


def test_without_trusted_proxies_a_forwarded_header_is_not_believed(settings):
    settings.TRUSTED_PROXIES = []
    assert client_address(_request(forwarded="198.51.100.1")) == "203.0.113.7"


def test_behind_trusted_proxies_the_nearest_untrusted_hop_is_the_client(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8", "192.0.2.1"]
    # The client wrote 198.51.100.1 itself; the proxies saw 203.0.113.9 then passed it on.
    request = _request("10.0.0.2", "198.51.100.1, 203.0.113.9, 192.0.2.1")
    assert client_address(request) == "203.0.113.9"
    assert client_address(_request("10.0.0.2", "garbage, 10.1.1.1")) == "10.0.0.2"
    assert client_address(_request("203.0.113.7", "198.51.100.1")) == "203.0.113.7"


@pytest.fixture
def tight(monkeypatch):
    """Two writes allowed in each scope."""

    def set_rate(scope, count=2):
        monkeypatch.setitem(ratelimit.RATES, scope, (count, 600))

    return set_rate


def _raise(client, **extra):
    return client.post("/permanence/", {"description": "Un besoin", "contact": "aucun"}, **extra)


@pytest.mark.django_db
def test_needs_are_limited_per_address_and_the_third_is_told_in_french(client, settings):
    settings.NEEDS_RATE_LIMIT = 2
    assert [_raise(client).status_code for _ in range(2)] == [302, 302]
    refused = _raise(client)
    assert refused.status_code == 429 and "réessayez dans" in refused.text
    assert int(refused["Retry-After"]) > 0 and Need.objects.count() == 2
    assert _raise(client, REMOTE_ADDR="198.51.100.9").status_code == 302  # another address


@pytest.mark.django_db
def test_logged_in_the_limit_is_the_accounts_not_the_shared_address(client, settings):
    settings.NEEDS_RATE_LIMIT = 1
    for n in range(2):
        client.force_login(UserFactory(role="habitant", email=f"voisin{n}@example.org"))
        assert _raise(client).status_code == 302  # two neighbours behind one box
    assert _raise(client).status_code == 429


@pytest.mark.django_db
def test_the_lab_team_is_never_held(client, settings, facilitator):
    settings.NEEDS_RATE_LIMIT = 1
    client.force_login(facilitator)
    assert {_raise(client).status_code for _ in range(3)} == {302}


@pytest.mark.django_db
def test_every_write_has_the_backstop(client, tight):
    tight("writes", 2)
    user = UserFactory(role="habitant")
    client.force_login(user)
    answers = [client.post("/i18n/setlang/", {"language": "fr"}).status_code for _ in range(3)]
    assert answers[:2] != [429, 429] and answers[2] == 429


@pytest.mark.django_db
def test_registrations_invitations_bookings_and_joining_a_group_have_their_limits(client, tight):
    for scope in ("registrations", "invitations", "bookings", "projects"):
        tight(scope, 0)
    client.force_login(UserFactory(role="membre"))
    for url in ("/ateliers/1/inscription/", "/structures/x/inviter/",
                "/mutualisation/offres/1/reserver/", "/projets/1/rejoindre/"):  # fmt: skip
        assert client.post(url, {}).status_code == 429, url


@pytest.mark.django_db
def test_a_phone_is_limited_as_itself_not_as_the_halls_wifi(room, tight):
    from maillage.workshops import live

    workshop, _garden, _market, people = room
    tight("ideas", 1)
    live.start_phase(workshop=workshop, phase=workshop.phases.get(kind="ideation"),
                     by=workshop.facilitators.first())  # fmt: skip
    phones = []
    for person in people[:2]:  # two phones, one Wi-Fi address
        phone = Client()
        phone.cookies[f"atelier-{workshop.pk}"] = person.token
        phones.append(phone)
    url = f"/ateliers/{workshop.pk}/salle/idee/"
    assert phones[0].post(url, {"text": "Un banc"}).status_code == 302
    assert phones[1].post(url, {"text": "Un arbre"}).status_code == 302
    assert phones[0].post(url, {"text": "Une fontaine"}).status_code == 429
    held = phones[0].post(url, {"text": "Une fontaine"}, headers={"HX-Request": "true"})
    assert held.status_code == 429 and "<html" not in held.text and "réessayez" in held.text


@pytest.mark.django_db
def test_login_codes_go_three_times_a_minute_at_most_to_one_address():
    UserFactory(email="karim@example.org")
    answers = [Client().post("/compte/login/code/", {"email": "karim@example.org"})
               for _ in range(4)]  # fmt: skip
    assert [a.status_code for a in answers[:3]] == [302, 302, 302]
    assert answers[3].status_code == 200 and "Trop de tentatives" in answers[3].text
