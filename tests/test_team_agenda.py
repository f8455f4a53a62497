"""A team member's agenda in their calendar app: one secret address, shown once, reading their
appointments (a first name at most), the sessions they teach and the workshops they run; a
new address silences the former one, and leaving the team silences it too."""

from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from maillage.core.models import CalendarFeed
from maillage.formation import trainings
from maillage.formation.models import Session, TrainingPath
from maillage.mediation import agenda
from maillage.mediation.models import Slot
from maillage.workshops import services
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(client):
    user = UserFactory(role="animateur", first_name="Inès", email="ines@example.org")
    client.force_login(user)
    return user


def _address(client) -> str:
    page = client.post(reverse("my-agenda"), {"action": "creer"})
    assert page.status_code == 200 and page["Cache-Control"] == "no-store"
    return page.context["address"]


def _summaries(client, address: str) -> list[str]:
    response = client.get(address)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    events = Calendar.from_ical(response.content).walk("VEVENT")
    return sorted(str(event["summary"]) for event in events)


def _agenda_of(member):
    tomorrow = timezone.localdate() + timedelta(days=1)
    zone = timezone.get_current_timezone()
    starts = datetime.combine(tomorrow, time(10), tzinfo=zone)
    slot = Slot.objects.create(mediator=member, minutes=45, starts_at=starts)
    agenda.book(slot=slot, name="Josiane Roux", phone="06 12 34 56 78", consent=True)
    path = TrainingPath.objects.create(slug="animer", name="Animer un atelier", hours=7,
                                       description="…", criteria="…", skill="…")  # fmt: skip
    starts = timezone.now() + timedelta(days=8)
    trainings.open_session(session=Session(path=path, starts_at=starts, capacity=6,
                                           ends_at=starts + timedelta(hours=7)),
                           trainers=[member])  # fmt: skip
    services.create_workshop(by=member, question="Un tiers-lieu pour Carro ?", starts_at=starts,
                             ends_at=starts + timedelta(hours=3))  # fmt: skip
    someone_else = UserFactory(role="animateur")
    services.create_workshop(by=someone_else, question="Pas le mien", starts_at=starts,
                             ends_at=starts + timedelta(hours=3))  # fmt: skip


def test_the_address_reads_my_agenda_with_a_first_name_at_most(client, member):
    _agenda_of(member)
    address = _address(client)
    assert address.startswith("http://testserver/agenda/")
    assert (
        client.post(reverse("my-agenda"), {"action": "creer"})
        .context["webcal"]
        .startswith("webcal://testserver/agenda/")
    )
    address = _address(client)
    assert _summaries(client, address) == [
        "Atelier : Un tiers-lieu pour Carro ?", "Formation : Animer un atelier",
        "Rendez-vous : Josiane",
    ]  # fmt: skip
    body = client.get(address).content.decode()
    assert "Roux" not in body and "06 12" not in body and "+336" not in body
    key = address.rsplit("/", 1)[1].removesuffix(".ics")
    assert not CalendarFeed.objects.filter(key_hash=key).exists()  # only its hash is kept
    again = client.get(reverse("my-agenda"))
    assert again.context["address"] is None and key not in again.content.decode()
    assert "Votre application l'a lue" in again.content.decode()


def test_a_new_address_silences_the_former_and_withdrawing_silences_both(client, member):
    former = _address(client)
    current = _address(client)
    assert client.get(former).status_code == 404
    assert client.get(current).status_code == 200
    client.post(reverse("my-agenda"), {"action": "supprimer"})
    assert client.get(current).status_code == 404
    assert not CalendarFeed.objects.exists()


def test_leaving_the_team_silences_the_address(client, member):
    address = _address(client)
    member.role = "membre"
    member.save()
    assert client.get(address).status_code == 404
    member.role, member.is_active = "animateur", False
    member.save()
    assert client.get(address).status_code == 404


@pytest.mark.parametrize("key", ["inconnue", "x" * 500, "a%20b"])
def test_an_unknown_address_answers_not_found(client, key):
    assert client.get(f"/agenda/{key}.ics").status_code == 404


def test_only_the_team_has_an_agenda_address(client):
    assert client.post(reverse("my-agenda"), {"action": "creer"}).status_code == 302
    client.force_login(UserFactory(role="membre"))
    assert client.post(reverse("my-agenda"), {"action": "creer"}).status_code == 404
    assert not CalendarFeed.objects.exists()
