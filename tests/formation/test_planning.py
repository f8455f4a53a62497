"""The team plans and changes sessions from its own pages: more seats go to those waiting in
their order, a new date is told to everyone, and no change leaves fewer seats than people."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from maillage.core.idempotency import FORM_FIELD, new_key
from maillage.core.models import Email, JournalEntry
from maillage.formation import trainings
from maillage.formation.models import Registration, Session
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def team_client(client, trainer):
    client.force_login(trainer)
    return client


def _register(session, n: int):
    return trainings.register(session=session, name=f"Personne {n}",
                              email=f"personne{n}@exemple.fr")  # fmt: skip


def _form(trainer, *, days=12, **more) -> dict:
    day = (timezone.localdate() + timedelta(days=days)).isoformat()
    return {"day": day, "start": "09:00", "end": "17:00", "capacity": "10", "minimum": "3",
            "trainers": [trainer.pk], **more}  # fmt: skip


def test_the_team_plans_a_session_once_however_often_the_form_is_sent(team_client, path, trainer):
    team_client.get(reverse("formation:session-plan"))  # the browser is known from then on
    data = _form(trainer, path=path.pk, **{FORM_FIELD: new_key()})
    first = team_client.post(reverse("formation:session-plan"), data)
    again = team_client.post(reverse("formation:session-plan"), data)
    session = Session.objects.get()
    assert first.url == again.url == session.get_absolute_url()
    assert session.seats.count() == 10 and list(session.trainers.all()) == [trainer]
    assert timezone.localtime(session.starts_at).hour == 9
    assert JournalEntry.objects.filter(verb="session-planned").count() == 1
    page = team_client.get(session.get_absolute_url()).content.decode()
    assert "10 places libres sur 10" in page.replace("\u00a0", " ").replace("\u202f", " ")


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"days": -1}, "day", "date à venir"),
        ({"end": "08:00"}, "end", "finit avant de commencer"),
        ({"minimum": "11"}, "minimum", "dépasse le nombre de places"),
        ({"capacity": "0"}, "capacity", "supérieure ou égale à 1"),
        ({"trainers": []}, "trainers", "obligatoire"),
        ({"day": "31/02/2027"}, "day", "date valide"),
    ],
)
def test_a_session_that_cannot_be_held_is_refused_with_the_reason(
    team_client, path, trainer, change, field, message
):
    days = change.pop("days", 12)
    response = team_client.post(reverse("formation:session-plan"),
                                _form(trainer, days=days, path=path.pk, **change))  # fmt: skip
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert not Session.objects.exists()


def test_a_session_over_several_days_ends_on_its_last_day(team_client, path, trainer):
    last = (timezone.localdate() + timedelta(days=13)).isoformat()
    team_client.post(reverse("formation:session-plan"),
                     _form(trainer, path=path.pk, last_day=last))  # fmt: skip
    session = Session.objects.get()
    assert timezone.localtime(session.ends_at).date().isoformat() == last


def test_more_seats_go_to_those_waiting_in_their_order_and_a_new_date_is_told(
    team_client, make_session, trainer, mailoutbox, django_capture_on_commit_callbacks
):
    session = make_session(capacity=1)
    seated, first_waiting, second_waiting = (_register(session, n) for n in range(3))
    new_day = timezone.localdate() + timedelta(days=20)
    with django_capture_on_commit_callbacks(execute=True):
        response = team_client.post(
            reverse("formation:session-change", args=[session.pk]),
            _form(trainer, days=20, capacity="2", minimum="1"),
        )  # fmt: skip
    assert response.status_code == 302
    first_waiting.refresh_from_db()
    second_waiting.refresh_from_db()
    assert first_waiting.status == "inscrit" and second_waiting.status == "attente"
    session.refresh_from_db()
    assert timezone.localtime(session.starts_at).date() == new_day
    moved = Email.objects.filter(subject__contains="change de date")
    assert sorted(moved.values_list("to", flat=True)) == sorted(
        r.email for r in (seated, first_waiting, second_waiting)
    )
    assert new_day.strftime("%-d") in moved.first().body


def test_a_change_never_leaves_fewer_seats_than_people_seated(team_client, make_session, trainer):
    session = make_session(capacity=3)
    for n in range(3):
        _register(session, n)
    response = team_client.post(reverse("formation:session-change", args=[session.pk]),
                                _form(trainer, capacity="2", minimum="1"))  # fmt: skip
    assert response.status_code == 400
    assert "3 personnes ont déjà une place" in response.content.decode()
    assert session.seats.count() == 3
    assert Registration.objects.filter(seat__isnull=False).count() == 3


def test_a_started_or_cancelled_session_is_no_longer_changed(team_client, make_session, trainer):
    session = make_session()
    trainings.cancel_session(session=session, reason="Salle indisponible")
    response = team_client.post(reverse("formation:session-change", args=[session.pk]),
                                _form(trainer, capacity="9"))  # fmt: skip
    assert response.status_code == 302
    assert session.seats.count() == 2


def test_the_team_page_shows_each_session_s_seats_waiting_list_and_evaluations(
    team_client, make_session, trainer
):
    session = make_session(capacity=1)
    _register(session, 1)
    _register(session, 2)
    other = UserFactory(role="animateur")
    make_session(days=30).trainers.set([other])
    page = team_client.get(reverse("formation:team")).content.decode()
    assert "1 sur 1" in page and "1 en attente" in page
    mine = team_client.get(reverse("formation:team"), {"mes": "oui"})
    assert len(mine.context["coming"]) == 1
    home = team_client.get(reverse("team")).content.decode()
    assert "Mes sessions de formation" in home and session.path.name in home


@pytest.mark.parametrize("who", ["anonyme", "membre"])
def test_only_the_team_plans_sessions(client, path, who):
    if who == "membre":
        client.force_login(UserFactory(role="membre"))
    response = client.post(reverse("formation:session-plan"), {"path": path.pk})
    assert response.status_code in {302, 404}
    assert not Session.objects.exists()
