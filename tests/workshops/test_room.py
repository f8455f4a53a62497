"""The room's pages: phones join and contribute, the facilitators drive the console, the
projector's screen; and the live stream that keeps them all up to date."""

import http.client
import json
import re
import time
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from maillage.core import live as streams
from maillage.workshops import live
from maillage.workshops.models import Grade, Idea, Participant
from tests.factories import UserFactory
from tests.pages import read
from tests.real_services import REDIS_URL


def _text(response) -> str:
    return read(response)


def _joined(client, workshop, name="Awa"):
    response = client.post(reverse("workshops:join"), {"code": workshop.join_code, "name": name})
    assert response.status_code == 302, _text(response)
    return Participant.objects.get(token=response.cookies[f"atelier-{workshop.pk}"].value)


def _start(workshop, kind, by):
    live.start_phase(workshop=workshop, phase=workshop.phases.get(kind=kind), by=by)


@pytest.mark.django_db
def test_a_phone_joins_with_the_code_and_comes_back_as_the_same_participant(client, room):
    workshop, *_ = room
    response = client.post(
        reverse("workshops:join"), {"code": f" {workshop.join_code.lower()} ", "name": "Dora"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("workshops:room", args=[workshop.pk])
    page = client.get(response["Location"])
    assert "Vous participez en tant que Dora" in _text(page)
    client.post(reverse("workshops:join"), {"code": workshop.join_code, "name": "Dora"})
    assert workshop.participants.filter(name="Dora").count() == 1


@pytest.mark.django_db
def test_a_wrong_code_is_said_in_french_and_the_qr_code_fills_the_code_in(client, room):
    workshop, *_ = room
    response = client.post(reverse("workshops:join"), {"code": "ZZZZZZ", "name": "Dora"})
    assert response.status_code == 400
    assert "aucun atelier en cours" in _text(response)
    prefilled = client.get(reverse("workshops:join_code", args=[workshop.join_code]))
    assert f'value="{workshop.join_code}"' in _text(prefilled)
    # Without having joined, the room's address leads to joining.
    assert client.get(reverse("workshops:room", args=[workshop.pk]))["Location"] == reverse(
        "workshops:join_code", args=[workshop.join_code]
    )


@pytest.mark.django_db
def test_ideas_are_posted_during_the_ideation_only_and_stay_short(client, room, facilitator):
    workshop, *_ = room
    _joined(client, workshop)
    url = reverse("workshops:post_idea", args=[workshop.pk])
    early = client.post(url, {"text": "Un composteur"})
    assert early.status_code == 409
    assert "pendant la phase d'idéation" in _text(early)
    _start(workshop, "ideation", facilitator)
    huge = client.post(url, {"text": "x" * 10_000}, headers={"HX-Request": "true"})
    assert huge.status_code == 422 and "500 caractères" in _text(huge)
    sent = client.post(url, {"text": "Un composteur"}, headers={"HX-Request": "true"})
    assert sent.status_code == 200
    assert 'id="panel"' in _text(sent) and "<html" not in _text(sent)
    assert "Votre idée est sur l'écran" in _text(sent)
    assert list(Idea.objects.values_list("text", flat=True)) == ["Un composteur"]


def _ballot(workshop, values):
    return {f"critere-{c.pk}": v for c, v in zip(workshop.criteria.all(), values, strict=True)}


@pytest.mark.django_db
def test_a_ballot_replaces_the_previous_one_and_is_seen_by_its_judge_only(
    client, room, facilitator
):
    workshop, garden, _market, _people = room
    awa = _joined(client, workshop)
    _start(workshop, "evaluation", facilitator)
    url = reverse("workshops:vote", args=[workshop.pk, garden.pk])
    assert client.post(url, _ballot(workshop, ["4", "2"])).status_code == 302
    assert client.post(url, _ballot(workshop, ["6", "1"])).status_code == 302
    mine = Grade.objects.filter(participant=awa).order_by("criterion__position")
    assert list(mine.values_list("value", flat=True)) == [6, 1]
    # Bad ballots: a grade off the scale, a criterion left out; nothing changes.
    off_scale = client.post(url, _ballot(workshop, ["9", "1"]), headers={"HX-Request": "true"})
    assert off_scale.status_code == 422 and "Choisissez une mention" in _text(off_scale)
    assert off_scale["HX-Retarget"] == "#panel"  # the ballot's form asked for itself
    # With htmx, the answer says it is saved and where the phone stands, swapped in its page.
    saved = client.post(url, _ballot(workshop, ["6", "1"]), headers={"HX-Request": "true"})
    assert "<form" not in _text(saved) and "sont enregistrées" in _text(saved)
    assert "1 scénario sur 2 jugé" in _text(saved) and "hx-swap-oob" in _text(saved)
    partial = client.post(url, {f"critere-{workshop.criteria.first().pk}": "3"})
    assert partial.status_code == 422 and "il manque : Coût" in _text(partial)
    assert list(mine.values_list("value", flat=True)) == [6, 1]
    # Another phone sees its own (empty) ballot, never Awa's.
    other = client.__class__()
    _joined(other, workshop, name="Bruno")
    chosen = re.compile(
        r'<input type="radio" id="note-[\d-]+" name="critere-\d+" value="\d" checked>'
    )
    assert (
        len(chosen.findall(_text(client.get(reverse("workshops:room", args=[workshop.pk]))))) == 2
    )
    assert not chosen.findall(_text(other.get(reverse("workshops:room", args=[workshop.pk]))))
    # Once the results are shown, the vote is closed.
    live.reveal_results(workshop=workshop, by=facilitator)
    late = client.post(url, _ballot(workshop, ["0", "0"]))
    assert late.status_code == 409 and "pas ouvert" in _text(late)
    assert list(mine.values_list("value", flat=True)) == [6, 1]


@pytest.mark.django_db
def test_the_console_and_the_screen_are_for_the_facilitators(client, room):
    workshop, *_ = room
    console = reverse("workshops:console", args=[workshop.pk])
    assert client.get(console)["Location"].startswith(reverse("account_login"))
    client.force_login(UserFactory(role="membre"))
    assert client.get(console).status_code == 404
    assert client.get(reverse("workshops:screen", args=[workshop.pk])).status_code == 404
    assert client.post(reverse("workshops:reveal", args=[workshop.pk])).status_code == 404


@pytest.mark.django_db
def test_the_facilitators_drive_a_whole_workshop_from_the_console(client, room, facilitator):
    workshop, garden, market, people = room
    client.force_login(facilitator)
    console = reverse("workshops:console", args=[workshop.pk])
    page = _text(client.get(console))
    assert workshop.join_code in page and "Passer à « Idéation »" in page
    ideation = workshop.phases.get(kind="ideation")
    client.post(reverse("workshops:start_phase", args=[workshop.pk, ideation.pk]))
    workshop.refresh_from_db()
    assert workshop.current_phase == ideation
    ideas = [live.post_idea(participant=p, text=t) for p, t in
             zip(people, ["Un composteur", "Un compost", "Des bancs"], strict=True)]  # fmt: skip
    # Group two ideas (checked boxes) under a new title, then merge the duplicates.
    client.post(reverse("workshops:group_ideas", args=[workshop.pk]),
                {"idees": [ideas[0].pk, ideas[1].pk], "titre": "Compost"})  # fmt: skip
    client.post(reverse("workshops:merge_ideas", args=[workshop.pk]),
                {"idees": [ideas[0].pk, ideas[1].pk]})  # fmt: skip
    ideas[1].refresh_from_db()
    assert ideas[1].merged_into == ideas[0] and ideas[1].cluster.title == "Compost"
    nothing = client.post(reverse("workshops:group_ideas", args=[workshop.pk]), {"titre": "X"})
    assert "Cochez d'abord" in _text(client.get(nothing["Location"]))
    long = client.post(reverse("workshops:group_ideas", args=[workshop.pk]),
                       {"idees": [ideas[2].pk], "titre": "x" * 161})  # fmt: skip
    assert "160 caractères" in _text(client.get(long["Location"]))
    ideas[2].refresh_from_db()
    assert ideas[2].cluster is None
    # A scenario written from the group starts with its title and ideas.
    cluster = ideas[1].cluster
    prefilled = _text(client.get(f"{console}?groupe={cluster.pk}"))
    assert 'value="Compost"' in prefilled and "– Un composteur" in prefilled
    added = client.post(reverse("workshops:add_scenario", args=[workshop.pk]),
                        {"title": "Un compost partagé", "serves": "Les voisins"})  # fmt: skip
    assert added.status_code == 302
    assert client.post(reverse("workshops:add_scenario", args=[workshop.pk]),
                       {"title": ""}).status_code == 400  # fmt: skip
    compost = workshop.scenarios.get(title="Un compost partagé")
    client.post(reverse("workshops:remove_scenario", args=[workshop.pk, compost.pk]))
    assert not workshop.scenarios.filter(pk=compost.pk).exists()
    # Evaluation, reveal, decision.
    evaluation = workshop.phases.get(kind="evaluation")
    client.post(reverse("workshops:start_phase", args=[workshop.pk, evaluation.pk]))
    for person in people:
        for criterion in workshop.criteria.all():
            live.grade(participant=person, scenario=garden, criterion=criterion, value=5)
            live.grade(participant=person, scenario=market, criterion=criterion, value=2)
    assert "3 personnes ont voté" in _text(client.get(console))
    client.post(reverse("workshops:reveal", args=[workshop.pk]))
    shown = _text(client.get(console))
    assert re.search(r"1\. Un jardin partagé.*Mention majoritaire : <strong>Très bien", shown, re.S)
    refused = client.post(reverse("workshops:decide", args=[workshop.pk]),
                          {"scenario": garden.pk, "decision": ""})  # fmt: skip
    assert refused.status_code == 400
    client.post(reverse("workshops:decide", args=[workshop.pk]),
                {"scenario": garden.pk, "decision": "On commence au printemps."})  # fmt: skip
    workshop.refresh_from_db()
    assert workshop.chosen_scenario == garden and workshop.status == "termine"


@pytest.mark.django_db
def test_the_screen_shows_how_to_join(client, room, facilitator):
    workshop, *_ = room
    client.force_login(facilitator)
    page = _text(client.get(reverse("workshops:screen", args=[workshop.pk])))
    assert workshop.join_code in page
    assert "<svg" in page and f"/atelier/{workshop.join_code}/" in page


class Events:
    """A screen listening to a live stream, read from the test's thread."""

    def __init__(self, base_url: str, path: str):
        self.connection = http.client.HTTPConnection(urlsplit(base_url).netloc, timeout=5)
        self.connection.request("GET", path)
        self.response = self.connection.getresponse()

    def next(self) -> tuple[str, dict]:
        name = None
        while True:
            line = self.response.fp.readline().decode().rstrip("\n")
            if line.startswith("event: "):
                name = line[7:]
            elif line.startswith("data: ") and name:
                return name, json.loads(line[6:])

    def until(self, name: str, seconds: float = 2.0, where=lambda data: True) -> dict:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            got, data = self.next()
            if got == name and where(data):
                return data
        raise AssertionError(f"no such {name} event within {seconds} s")

    def close(self):
        self.response.close()
        self.connection.close()


def _stream_path(client, workshop) -> str:
    page = _text(client.get(reverse("workshops:room", args=[workshop.pk])))
    return re.search(r'data-live-url="([^"]+)"', page).group(1)


def test_a_screen_gets_the_state_on_connecting_then_each_change(asgi_server, client, room):
    workshop, garden, _market, people = room
    desk = workshop.facilitators.get()
    _joined(client, workshop, name="Dora")
    events = Events(asgi_server.url, _stream_path(client, workshop))
    try:
        assert events.response.status == 200
        assert events.response.getheader("Content-Type").startswith("text/event-stream")
        state = dict(events.next() for _ in range(4))
        assert set(state) == {"phase", "ideas", "scenarios", "results"}
        assert "L'atelier va commencer" in state["phase"]["html"]["live-phase"]
        assert "Un jardin partagé" in state["scenarios"]["html"]["live-scenarios"]
        started = time.monotonic()
        _start(workshop, "evaluation", desk)
        phase = events.until("phase", where=lambda d: "Évaluation" in d["html"]["live-phase"])
        assert time.monotonic() - started < 1
        assert phase["key"] != state["phase"]["key"]
        # Votes are coalesced: many grades, few results events, the last one counting them all.
        for person in people:
            for criterion in workshop.criteria.all():
                live.grade(participant=person, scenario=garden, criterion=criterion, value=4)
        events.until("results", where=lambda d: "3 personnes ont voté" in d["html"]["live-results"])
    finally:
        events.close()


def test_a_stream_needs_a_valid_token(asgi_server, room):
    connection = http.client.HTTPConnection(urlsplit(asgi_server.url).netloc, timeout=5)
    connection.request("GET", "/direct/forged-token")
    response = connection.getresponse()
    assert response.status == 403 and "rechargez la page" in response.read().decode()
    forged = streams.token_for("other:1")
    connection.request("GET", f"/direct/{forged}")
    response = connection.getresponse()
    assert response.status == 404
    response.read()
    connection.close()


def test_live_updates_cross_processes_through_redis(asgi_server, client, room, settings):
    """With LIVE_BUS_URL, what one process publishes reaches the streams of every process:
    here the publishing side is a second bus, as another server process would hold."""
    settings.LIVE_BUS_URL = REDIS_URL
    streams.reset()
    workshop, *_ = room
    _joined(client, workshop, name="Dora")
    events = Events(asgi_server.url, _stream_path(client, workshop))
    try:
        dict(events.next() for _ in range(4))
        time.sleep(0.2)  # the process's subscription is being made
        other_process = streams.RedisBus(settings.LIVE_BUS_URL)
        other_process.publish(f"workshop:{workshop.pk}", *streams.event("phase", key="k"))
        assert events.until("phase", where=lambda data: data["key"] == "k")
    finally:
        events.close()


@pytest.mark.django_db
@pytest.mark.parametrize("wrong", ["9" * 4301, "-1", "1.5", "abc"])
def test_a_ballot_with_a_monstrous_criterion_or_grade_is_refused(client, room, facilitator, wrong):
    workshop, garden, _market, _people = room
    awa = _joined(client, workshop)
    _start(workshop, "evaluation", facilitator)
    url = reverse("workshops:vote", args=[workshop.pk, garden.pk])
    as_grade = _ballot(workshop, [wrong, "1"])
    as_criterion = {f"critere-{wrong}": "3", **_ballot(workshop, ["4", "2"])}
    assert client.post(url, as_grade).status_code == 422
    refused = client.post(url, as_criterion)
    assert refused.status_code in (302, 400, 422), refused.status_code  # never a 500
    assert not Grade.objects.filter(participant=awa).exclude(value__in=[4, 2]).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("group", ["abc", "9" * 4301, "-1", ""])
def test_the_console_with_a_group_that_is_not_one_shows_them_all(client, room, facilitator, group):
    workshop, *_ = room
    client.force_login(facilitator)
    console = reverse("workshops:console", args=[workshop.pk])
    assert client.get(console, {"groupe": group}).status_code == 200
