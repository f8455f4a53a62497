"""« En attente du demandeur »: the team's clock stops while it waits for a document or an
answer, runs again when the requester writes or the wait ends, and the observatory's delays
leave the waiting out."""

from datetime import date, datetime, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from maillage.core.delays import add_working_days
from maillage.core.errors import DomainError
from maillage.core.models import JournalEntry
from maillage.needs import services, tasks
from maillage.needs.models import Need
from maillage.observatory.indicators import Period, delays
from tests.factories import UserFactory, raise_test_need

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(db):
    return UserFactory(role="animateur", email="nadia@example.org")


@pytest.fixture
def need(owner):
    need = raise_test_need(description="Déclarer mes revenus", email="lea@example.org",
                           consent=True)  # fmt: skip
    return services.change_status(need=need, to="qualifie", by=owner)


def _back(need: Need, days: float) -> None:
    """Make the wait began DAYS ago, as if that time had passed."""
    Need.objects.filter(pk=need.pk).update(waiting_since=timezone.now() - timedelta(days=days))


def test_waiting_stops_the_clock_and_tells_the_requester(
    need, owner, client, django_capture_on_commit_callbacks
):
    left = need.due_at - timezone.now()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        waiting = services.wait_for_requester(
            need=need, by=owner, days=20, message="Apportez votre avis d'imposition."
        )
    assert waiting.is_waiting and waiting.first_answered_at is not None
    assert abs(waiting.waiting_remaining - left) < timedelta(seconds=5)
    assert abs(waiting.due_at - (timezone.now() + timedelta(days=20))) < timedelta(seconds=5)
    entry = JournalEntry.objects.about(need).get(verb="need-waiting")
    assert entry.is_public and entry.data["days"] == 20
    assert "avis d'imposition" in mail.outbox[-1].body
    page = client.get(need.tracking_url()).content.decode()
    assert "Le laboratoire attend votre réponse." in page
    client.force_login(owner)
    assert "En attente du demandeur" in client.get("/permanence/file/").content.decode()


def test_the_requester_answering_runs_the_clock_again_with_the_time_left(need, owner):
    services.wait_for_requester(need=need, by=owner, message="Votre avis d'imposition ?")
    _back(need, 10)
    resumed = services.requester_writes(need=need, text="Voici mon avis d'imposition.")
    assert not resumed.is_waiting and resumed.waiting_remaining is None
    assert timedelta(days=10) - resumed.waited < timedelta(seconds=5)
    # An answer is owed within the first-answer delay, as after any message of the requester.
    assert resumed.due_at <= add_working_days(timezone.now(), 2)
    assert JournalEntry.objects.about(need).get(verb="need-resumed").data["why"] == "requester"


def test_without_news_the_need_comes_back_to_the_team_when_the_wait_ends(need, owner):
    services.wait_for_requester(need=need, by=owner, message="Votre avis d'imposition ?", days=1)
    left = Need.objects.get(pk=need.pk).waiting_remaining
    Need.objects.filter(pk=need.pk).update(due_at=timezone.now() - timedelta(minutes=1))
    assert tasks.resume_after_waiting.call() == 1
    back = Need.objects.get(pk=need.pk)
    assert not back.is_waiting
    assert abs(back.due_at - (timezone.now() + left)) < timedelta(seconds=5)
    assert JournalEntry.objects.about(need).get(verb="need-resumed").data["why"] == "delay"
    assert tasks.resume_after_waiting.call() == 0


def test_closing_a_waiting_need_ends_the_wait(need, owner):
    services.wait_for_requester(need=need, by=owner, message="Votre avis d'imposition ?")
    _back(need, 3)
    closed = services.change_status(need=need, to="clos", by=owner, reason="sans-nouvelles",
                                    message="Sans nouvelles, nous clôturons.")  # fmt: skip
    assert not closed.is_waiting and closed.waited >= timedelta(days=3) - timedelta(seconds=5)


@pytest.mark.parametrize(
    ("setup", "message", "days"),
    [
        ("closed", "Votre avis ?", 10),
        ("waiting", "Votre avis ?", 10),
        ("", "   ", 10),
        ("", "Votre avis ?", 0),
        ("", "Votre avis ?", 400),
    ],
)
def test_a_wait_that_makes_no_sense_is_refused(need, owner, setup, message, days):
    if setup == "closed":
        services.change_status(need=need, to="resolu", by=owner, message="C'est réglé.")
    if setup == "waiting":
        services.wait_for_requester(need=need, by=owner, message="Déjà demandé")
    before = JournalEntry.objects.about(need).count()
    with pytest.raises(DomainError):
        services.wait_for_requester(need=need, by=owner, message=message, days=days)
    assert JournalEntry.objects.about(need).count() == before
    with pytest.raises(DomainError):
        services.resume_need(need=raise_test_need(), by=owner)


def test_the_desk_puts_a_need_on_hold_and_takes_it_back_from_its_page(need, owner, client):
    client.force_login(owner)
    response = client.post(f"/permanence/besoins/{need.pk}/wait/",
                           {"wait-message": "Apportez votre avis.", "wait-days": "15"})  # fmt: skip
    assert response.status_code == 302 and Need.objects.get(pk=need.pk).is_waiting
    page = client.get(need.get_absolute_url()).content.decode()
    assert "Reprendre maintenant" in page and "le délai est arrêté" in page
    refused = client.post(f"/permanence/besoins/{need.pk}/wait/",
                          {"wait-message": "Encore ?", "wait-days": "15"})  # fmt: skip
    assert refused.status_code == 400 and "attend déjà" in refused.content.decode()
    assert client.post(f"/permanence/besoins/{need.pk}/resume/", {}).status_code == 302
    assert not Need.objects.get(pk=need.pk).is_waiting


def test_the_observatory_counts_the_resolution_without_the_waiting(owner):
    zone = timezone.get_current_timezone()
    received = datetime(2026, 3, 2, 10, tzinfo=zone)
    need = raise_test_need(description="Mon dossier de retraite")
    Need.objects.filter(pk=need.pk).update(
        created_at=received, closed_at=received + timedelta(days=40), status="resolu",
        due_at=None, waited=timedelta(days=30),
    )  # fmt: skip
    figure = delays(Period(date(2026, 4, 1), date(2026, 4, 30)))
    assert figure.rows[0]["resolution_mediane"] == 10.0
    assert "sans le temps passé « en attente du demandeur »" in figure.definition
