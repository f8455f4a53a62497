"""The room's lane (core/lane.py, workshops/lane.py): a phone's ballots and its own panel
answered in front of Django, by the server `maillage serve` runs — and everything that is not
an ordinary phone's request answered by Django as before."""

import html
import http.client
import json
import threading
import time
from types import SimpleNamespace
from urllib.parse import urlencode, urlsplit

import pytest
from django.db import OperationalError
from django.urls import reverse

from maillage.core import ratelimit
from maillage.workshops import ballots, door, live
from maillage.workshops.models import Grade

CSRF = "c" * 32


class Phone:
    """A participant's phone speaking to the server as htmx does."""

    def __init__(self, server, participant, *, htmx: bool = True, csrf: bool = True, more=""):
        self.netloc = urlsplit(server.url).netloc
        self.workshop = participant.workshop_id
        cookies = [f"atelier-{self.workshop}={participant.token}", f"csrftoken={CSRF}"]
        self.headers = {"Cookie": "; ".join(cookies + ([more] if more else []))}
        if htmx:
            self.headers["HX-Request"] = "true"
        if csrf:
            self.headers["X-CSRFToken"] = CSRF

    def send(self, method: str, path: str, form: dict | None = None):
        connection = http.client.HTTPConnection(self.netloc, timeout=10)
        body = urlencode(form) if form is not None else None
        headers = dict(self.headers)
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        response.text = html.unescape(response.read().decode()).replace("\u00a0", " ")
        connection.close()
        return response

    def vote(self, scenario, values: list, criteria=None):
        criteria = criteria or scenario.workshop.criteria.all()
        form = {f"critere-{c.pk}": v for c, v in zip(criteria, values, strict=True)}
        return self.send("POST", reverse("workshops:vote", args=[self.workshop, scenario.pk]), form)

    def mine(self):
        return self.send("GET", reverse("workshops:room_mine", args=[self.workshop]))


def _grades(participant, scenario) -> list[int]:
    rows = Grade.objects.filter(participant=participant, scenario=scenario)
    return list(rows.order_by("criterion__position").values_list("value", flat=True))


def _evaluation(workshop):
    desk = workshop.facilitators.get()
    live.start_phase(workshop=workshop, phase=workshop.phases.get(kind="evaluation"), by=desk)
    return desk


def test_a_ballot_is_saved_before_it_is_acknowledged_and_answered_with_the_ballot_alone(
    asgi_server, room
):
    workshop, garden, market, (awa, *_others) = room
    _evaluation(workshop)
    saved = Phone(asgi_server, awa).vote(garden, [5, 2])
    assert saved.status == 200, saved.text
    assert _grades(awa, garden) == [5, 2]  # committed when the phone hears of it
    # Said saved, marked saved, where the phone stands: swapped in by htmx, not the ballot again.
    assert "<form" not in saved.text and 'id="panel"' not in saved.text
    said = f'hx-swap-oob="innerHTML:#ballot-{garden.pk}-said">Vos mentions pour « Un jardin'
    assert said in saved.text and "sont enregistrées." in saved.text
    assert f'hx-swap-oob="innerHTML:#ballot-{garden.pk}-state"><span class="tag"' in saved.text
    assert 'hx-swap-oob="innerHTML:#ballot-progress"><strong>1 scénario sur 2 jugé' in saved.text
    # The site's headers, as Django's middlewares give them.
    assert saved.getheader("X-Content-Type-Options") == "nosniff"
    assert saved.getheader("X-Frame-Options") == "DENY"
    assert "no-store" in saved.getheader("Cache-Control")
    # A second ballot replaces the first; the other scenario counts for the progress.
    Phone(asgi_server, awa).vote(garden, [6, 6])
    again = Phone(asgi_server, awa).vote(market, [1, 0])
    assert "2 scénarios sur 2 jugés" in again.text
    assert _grades(awa, garden) == [6, 6] and _grades(awa, market) == [1, 0]


def test_a_hall_voting_at_once_has_every_ballot_saved(asgi_server, room):
    workshop, garden, market, people = room
    _evaluation(workshop)
    phones = [door.join(code=workshop.join_code, name=f"P{n}", address=f"10.1.0.{n}")
              for n in range(30)] + people  # fmt: skip
    answers, criteria = [], list(workshop.criteria.all())

    def vote(participant, scenario, grade):  # no database here: only the server's
        phone = Phone(asgi_server, participant)
        answers.append(phone.vote(scenario, [grade, 6 - grade], criteria).status)

    threads = [threading.Thread(target=vote, args=(p, s, n % 7))
               for n, p in enumerate(phones) for s in (garden, market)]  # fmt: skip
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == [200] * len(threads)
    assert Grade.objects.count() == len(phones) * 2 * 2
    assert _grades(phones[3], market) == [3, 3]


@pytest.mark.django_db(transaction=True)
def test_in_one_batch_a_phones_last_ballot_wins_and_a_refused_one_does_not_stop_the_others(room):
    workshop, garden, _market, (awa, bruno, chloe) = room
    _evaluation(workshop)
    criteria = [c.pk for c in workshop.criteria.all()]

    def ballot(participant, values, scenario=garden):
        values = dict(zip(criteria, values, strict=False))  # a ballot may lack a criterion
        return ballots.Ballot(workshop_id=workshop.pk, token=participant.token,
                              scenario_id=scenario.pk, values=values, language="fr")  # fmt: skip

    first, last = ballot(awa, [1, 1]), ballot(awa, [4, 5])
    partial, stranger = ballot(bruno, [3]), ballot(chloe, [2, 2], scenario=type(garden)(pk=0))
    fine = ballot(chloe, [0, 6])
    ballots.write([first, last, partial, stranger, fine])
    assert _grades(awa, garden) == [4, 5] and _grades(chloe, garden) == [0, 6]
    assert "il manque : Coût" in partial.answer.result().message
    assert stranger.answer.result().status == 404
    assert "sont enregistrées" in fine.answer.result()


def test_what_is_not_an_ordinary_phones_ballot_is_answered_by_django(asgi_server, room, client):
    workshop, garden, _market, (awa, bruno, chloe) = room
    desk = _evaluation(workshop)
    # Without its CSRF token: Django's refusal, nothing written.
    forged = Phone(asgi_server, awa, csrf=False).vote(garden, [5, 5])
    assert forged.status == 403 and not _grades(awa, garden)
    # Without JavaScript: saved, and the page again (with its message).
    plain = Phone(asgi_server, bruno, htmx=False).vote(garden, [3, 3])
    assert plain.status == 302 and _grades(bruno, garden) == [3, 3]
    # Off the scale, or incomplete: refused in the phone's panel, nothing written.
    off_scale = Phone(asgi_server, chloe).vote(garden, [9, 1])
    assert off_scale.status == 422 and "Choisissez une mention" in off_scale.text
    assert off_scale.getheader("HX-Retarget") == "#panel" and 'id="panel"' in off_scale.text
    assert not _grades(chloe, garden)
    # A made-up participant: not found.
    garden.workshop.participants.model.objects.filter(pk=chloe.pk).update(token="made-up")
    assert Phone(asgi_server, chloe).vote(garden, [1, 1]).status == 404
    # The vote closed: refused, said in the panel.
    live.reveal_results(workshop=workshop, by=desk)
    late = Phone(asgi_server, awa).vote(garden, [0, 0])
    assert late.status == 409 and "pas ouvert" in late.text and not _grades(awa, garden)


def test_a_phone_sending_too_many_ballots_is_asked_to_wait_above_its_ballots(
    asgi_server, room, settings, monkeypatch
):
    # The limits count by the clock's minutes: a real clock crossing one between two ballots
    # would start a fresh count. One second into a minute, for the whole test.
    frozen = int(time.time()) // 60 * 60 + 1
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: frozen))
    workshop, garden, _market, (awa, bruno, _chloe) = room
    _evaluation(workshop)
    phone = Phone(asgi_server, awa)
    assert all(phone.vote(garden, [n % 7, 1]).status == 200 for n in range(60))
    waited = phone.vote(garden, [6, 6])
    assert waited.status == 429 and "réessayez dans 1 minute" in waited.text
    assert waited.getheader("HX-Retarget") == "#panel"
    assert waited.getheader("HX-Reswap") == "afterbegin"
    assert _grades(awa, garden) == [59 % 7, 1]
    assert Phone(asgi_server, bruno).vote(garden, [6, 6]).status == 200  # its own limit


def test_a_ballot_the_database_could_not_take_is_not_acknowledged(asgi_server, room, monkeypatch):
    workshop, garden, _market, (awa, *_others) = room
    _evaluation(workshop)

    def gone(batch):
        raise OperationalError("the database went away")

    monkeypatch.setattr(ballots.box, "handle", gone)
    failed = Phone(asgi_server, awa).vote(garden, [5, 5])
    assert failed.status == 503 and "n'a pas pu être enregistré" in failed.text
    assert failed.getheader("HX-Reswap") == "afterbegin"
    monkeypatch.undo()
    assert Phone(asgi_server, awa).vote(garden, [5, 5]).status == 200  # back, it works again


def test_a_phone_back_in_the_vote_gets_its_own_grades_and_progress(asgi_server, room):
    workshop, garden, market, (awa, bruno, chloe) = room
    desk = _evaluation(workshop)
    Phone(asgi_server, awa).vote(garden, [4, 2])
    mine = Phone(asgi_server, awa).mine()
    assert mine.status == 200 and mine.getheader("Content-Type") == "application/json"
    parts = json.loads(mine.text)
    criteria = [c.pk for c in workshop.criteria.all()]
    assert sorted(parts["checked"]) == [f"note-{garden.pk}-{criteria[0]}-4",
                                        f"note-{garden.pk}-{criteria[1]}-2"]  # fmt: skip
    assert parts["personal"] == ["evaluation"]
    assert "1 scénario sur 2 jugé" in parts["html"]["ballot-progress"]
    assert "enregistré" in parts["html"][f"ballot-{garden.pk}-state"]
    assert parts["html"][f"ballot-{market.pk}-state"] == ""
    # Another phone has nothing of its own: never Awa's grades.
    assert json.loads(Phone(asgi_server, bruno).mine().text)["checked"] == []
    # Excluded, a phone gets its whole panel, which says so.
    door.exclude(workshop=workshop, by=desk, participants=[chloe.pk])
    excluded = json.loads(Phone(asgi_server, chloe).mine().text)
    assert "Vous ne participez plus" in excluded["panel"]
    # In the idéation, its ideas.
    live.start_phase(workshop=workshop, phase=workshop.phases.get(kind="ideation"), by=desk)
    live.post_idea(participant=bruno, text="Un composteur")
    ideas = json.loads(Phone(asgi_server, bruno).mine().text)
    assert "Un composteur" in ideas["html"]["my-ideas"] and ideas["personal"] == ["ideation"]


def test_a_phone_that_is_no_participant_is_not_found(asgi_server, room):
    _workshop, _garden, _market, (awa, *_others) = room
    awa.token = "no-such-phone"
    assert Phone(asgi_server, awa).mine().status == 404
    awa.token = "odd token\x01"
    assert Phone(asgi_server, awa).mine().status in (400, 404)


def test_hostile_ballots_get_djangos_answers_never_a_500(asgi_server, room):
    workshop, garden, _market, (awa, *_others) = room
    _evaluation(workshop)
    phone = Phone(asgi_server, awa)
    vote = reverse("workshops:vote", args=[workshop.pk, garden.pk])
    assert phone.send("POST", vote, {f"x{n}": "1" for n in range(1500)}).status == 400
    assert phone.send("POST", vote, {"critere-1": "1" * 20_000}).status == 422  # past the lane
    huge = f"/ateliers/{workshop.pk}/salle/vote/{'9' * 5000}/"
    assert phone.send("POST", huge, {"critere-1": "1"}).status == 404
    assert phone.send("POST", vote, {"critere-1": "1\x00"}).status in (400, 422)
    assert not Grade.objects.exists()
