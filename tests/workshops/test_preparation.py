from datetime import datetime, time, timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from maillage.core.errors import DomainError
from maillage.workshops import services
from maillage.workshops.models import Registration, Workshop
from tests.factories import UserFactory


def _evening(days: int = 10):
    day = timezone.localdate() + timedelta(days=days)
    start = datetime.combine(day, time(18), tzinfo=timezone.get_current_timezone())
    return start, start + timedelta(hours=2)


@pytest.fixture
def workshop(facilitator):
    start, end = _evening()
    return services.create_workshop(
        by=facilitator, question="Comment mieux accueillir à la permanence ?", starts_at=start,
        ends_at=end, capacity=2,
    )  # fmt: skip


@pytest.mark.django_db
def test_a_new_workshop_gets_the_default_agenda_criteria_and_a_join_code(workshop, facilitator):
    assert [p.kind for p in workshop.phases.all()] == [
        "accueil", "inspiration", "ideation", "scenarios", "evaluation", "decision", "cloture",
    ]  # fmt: skip
    assert workshop.criteria.first().label == "Utile aux habitants"
    assert len(workshop.join_code) == 6 and set(workshop.join_code) <= set(
        "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
    )
    assert list(workshop.facilitators.all()) == [facilitator]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"question": "  "}, "question"),
        ({"ends_at": _evening()[0] - timedelta(hours=1)}, "finir après"),
        ({"starts_at": _evening(-3)[0], "ends_at": _evening(-3)[1]}, "déjà passée"),
        ({"capacity": 0}, "au moins une place"),
    ],
)
def test_a_workshop_that_cannot_be_is_refused(facilitator, change, message):
    start, end = _evening()
    fields = {"question": "Q ?", "starts_at": start, "ends_at": end} | change
    with pytest.raises(DomainError, match=message):
        services.create_workshop(by=facilitator, **fields)
    assert not Workshop.objects.exists()


@pytest.mark.django_db
def test_only_the_team_prepares_workshops(client):
    member = UserFactory(role="membre")
    with pytest.raises(DomainError):
        services.create_workshop(
            by=member, question="Q", starts_at=_evening()[0], ends_at=_evening()[1]
        )
    client.force_login(member)
    assert client.get("/ateliers/preparer/").status_code == 404


@pytest.mark.django_db
def test_the_team_prepares_a_workshop_from_the_form(client, facilitator):
    client.force_login(facilitator)
    start, _end = _evening()
    response = client.post("/ateliers/preparer/", {
        "question": "Que faire du jardin de Carro ?", "day": start.date().isoformat(),
        "start": "18:00", "end": "20:00", "capacity": "25", "criteria": "Utilité\n\nCoût\n",
    })  # fmt: skip
    workshop = Workshop.objects.get()
    assert response.status_code == 302 and response["Location"] == workshop.get_absolute_url()
    assert [c.label for c in workshop.criteria.all()] == ["Utilité", "Coût"]
    bad = client.post(
        "/ateliers/preparer/",
        {
            "question": "X",
            "day": "2020-01-01",
            "start": "18:00",
            "end": "20:00",
            "capacity": "5",
            "criteria": "A",
        },
    )
    assert bad.status_code == 400 and "déjà passée" in bad.text and Workshop.objects.count() == 1


@pytest.mark.django_db
def test_registering_confirms_by_email_and_the_same_address_is_not_counted_twice(
    client, workshop, django_capture_on_commit_callbacks
):
    """Nor does typing someone's address show their registration: its link goes by e-mail."""
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/ateliers/{workshop.pk}/inscription/", {"name": "Karim", "email": "Karim@Example.org"}
        )
    registration = Registration.objects.get()
    assert response.status_code == 302 and response["Location"] == registration.get_absolute_url()
    assert (
        mail.outbox[0].to == ["karim@example.org"] and workshop.question in mail.outbox[0].subject
    )
    assert f"/ateliers/{workshop.pk}/atelier.ics" in mail.outbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        again = Client().post(
            f"/ateliers/{workshop.pk}/inscription/", {"name": "Kim", "email": "karim@example.org"}
        )
    assert again["Location"] == workshop.get_absolute_url() and Registration.objects.count() == 1
    assert mail.outbox[1].to == ["karim@example.org"]
    assert registration.get_absolute_url() in mail.outbox[1].body


@pytest.mark.django_db
def test_a_full_workshop_refuses_and_a_freed_place_can_be_taken(client, workshop):
    for name in ("Awa", "Bruno"):
        services.register(workshop=workshop, name=name, email=f"{name}@example.org")
    full = client.post(
        f"/ateliers/{workshop.pk}/inscription/", {"name": "Chloé", "email": "c@example.org"}
    )
    assert full.status_code == 400 and "complet" in full.text
    first = Registration.objects.get(name="Awa")
    client.post(first.get_absolute_url())
    assert "désinscrit" in client.get(first.get_absolute_url()).text
    assert services.register(workshop=workshop, name="Chloé", email="c@example.org")[1]
    with pytest.raises(DomainError, match="prénom"):
        services.register(workshop=workshop, name=" ", email="d@example.org")


@pytest.mark.django_db
def test_attendance_is_taken_by_the_team(client, workshop, facilitator):
    awa, _ = services.register(workshop=workshop, name="Awa", email="awa@example.org")
    services.register(workshop=workshop, name="Bruno", email="bruno@example.org")
    client.force_login(facilitator)
    page = client.get(f"/ateliers/{workshop.pk}/appel/")
    assert "Awa" in page.text and workshop.join_code in page.text
    client.post(f"/ateliers/{workshop.pk}/appel/", {"present": [awa.pk]})
    assert list(Registration.objects.filter(attended=True)) == [awa]


@pytest.mark.django_db
def test_reminders_go_once_the_day_before(workshop, django_capture_on_commit_callbacks):
    services.register(workshop=workshop, name="Awa", email="awa@example.org")
    assert services.send_reminders() == 0  # ten days ahead
    day_before = workshop.starts_at - timedelta(hours=20)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_reminders(now=day_before) == 1
    assert mail.outbox[-1].subject.startswith("Rappel")
    assert services.send_reminders(now=day_before) == 0


@pytest.mark.django_db
def test_the_ical_file_and_the_api_list(client, workshop):
    body = client.get(f"/ateliers/{workshop.pk}/atelier.ics").content.decode()
    assert "BEGIN:VEVENT" in body and "SUMMARY:Atelier : Comment mieux accueillir" in body
    listed = client.get("/api/v1/workshops", {"when": "a-venir"}).json()
    assert listed["count"] == 1 and listed["items"][0]["criteria"][0] == "Utile aux habitants"
    assert client.get("/api/v1/workshops", {"when": "passes"}).json()["count"] == 0
    assert client.get("/api/v1/workshops", {"when": "hier"}).status_code == 422
    assert "Comment mieux accueillir" in client.get("/ateliers/").text
