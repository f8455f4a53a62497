from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from maillage.core.models import JournalEntry, ScheduledRun
from maillage.core.schedule import DAILY, enqueue_due
from maillage.needs import services
from maillage.needs.models import Need
from maillage.needs.tasks import erase_expired_contacts, remind_and_escalate
from tests.factories import UserFactory, raise_test_need
from tests.spreadsheets import rows_of


@pytest.fixture
def owner(db):
    return UserFactory(role="animateur", email="nadia@example.org")


@pytest.mark.django_db
def test_owners_are_reminded_of_what_falls_due_and_coordinators_of_what_is_late(
    owner, django_capture_on_commit_callbacks
):
    UserFactory(role="coordinateur", email="marc@example.org")
    due_soon = raise_test_need(description="Dû bientôt")
    late = raise_test_need(description="En retard")
    Need.objects.filter(pk=late.pk).update(due_at=timezone.now() - timedelta(hours=2))
    later = raise_test_need(description="Plus tard")
    Need.objects.filter(pk=later.pk).update(due_at=timezone.now() + timedelta(days=10))
    Need.objects.filter(pk=due_soon.pk).update(due_at=timezone.now() + timedelta(hours=3))

    with django_capture_on_commit_callbacks(execute=True):
        result = remind_and_escalate.call()
        assert remind_and_escalate.call() == result  # run again (a crash, a retry): no new e-mail
    assert result == {"owners_reminded": 1, "late": 1, "coordinators": 1}
    assert len(mail.outbox) == 2
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert due_soon.reference in by_recipient["nadia@example.org"].body
    assert later.reference not in by_recipient["nadia@example.org"].body
    assert late.reference in by_recipient["marc@example.org"].body


@pytest.mark.django_db
def test_contacts_are_erased_after_the_retention_period_and_the_erasure_is_logged(owner, settings):
    settings.NEEDS_RETENTION_DAYS = 30
    old = raise_test_need(email="karim@example.org", consent=True)
    recent = raise_test_need(description="Récent", email="lea@example.org", consent=True)
    for need in (old, recent):
        services.change_status(need=need, to="clos", by=owner, reason="retire", message="Merci")
    Need.objects.filter(pk=old.pk).update(closed_at=timezone.now() - timedelta(days=31))
    assert erase_expired_contacts.call() == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.requester_email == "" and recent.requester_email == "lea@example.org"
    entry = JournalEntry.objects.about(old).get(verb="contact-erased")
    assert entry.data == {"why": "retention"}


@pytest.mark.django_db
def test_daily_jobs_are_enqueued_once_a_day_whatever_the_number_of_workers():
    today = timezone.localdate()
    jobs = len(DAILY)
    assert len(enqueue_due(today)) == jobs
    assert enqueue_due(today) == []
    assert ScheduledRun.objects.filter(day=today).count() == jobs
    assert len(enqueue_due(today + timedelta(days=1))) == jobs


@pytest.mark.django_db
def test_the_daily_command_runs_the_jobs_now(owner, capsys):
    call_command("daily")
    assert "remind_and_escalate" in capsys.readouterr().out


@pytest.mark.django_db
def test_the_csv_export_leaves_personal_data_out_unless_asked_and_logged(client, owner):
    raise_test_need(
        name="Karim", email="karim@example.org", consent=True, description="=cmd|'/c calc'!A1"
    )
    client.force_login(owner)
    rows = rows_of(client.get("/permanence/besoins.csv"))
    assert "requester_email" not in rows[0] and "karim@example.org" not in str(rows)
    assert not JournalEntry.objects.filter(verb="personal-data-exported").exists()
    response = client.get("/permanence/besoins.csv", {"donnees_personnelles": "oui"})
    rows = rows_of(response)
    assert "karim@example.org" in rows[1]
    assert rows[1][-1].startswith("'=")  # a formula is not run by a spreadsheet
    assert JournalEntry.objects.get(verb="personal-data-exported").data == {"count": 1}
    client.force_login(UserFactory(role="membre"))
    assert client.get("/permanence/besoins.csv").status_code == 404
