from decimal import Decimal

import pytest
from django.core import mail

from maillage.core.errors import DomainError
from maillage.core.models import Dimension, JournalEntry
from maillage.mutualisation import ledger, services
from maillage.needs import services as needs
from maillage.needs.models import Need
from tests.factories import OfferFactory, OrganisationFactory, UserFactory, raise_test_need


@pytest.fixture
def need(facilitator):
    need = raise_test_need(description="Notre association cherche une salle",
                           email="asso@example.org", consent=True,
                           organisation=OrganisationFactory(name="Les Voisins"))  # fmt: skip
    return needs.qualify_need(
        need=need, by=facilitator, title="Salle", dimension=Dimension.objects.first()
    )


@pytest.mark.django_db
def test_orienting_moves_the_need_and_asks_the_owner(
    facilitator, referent, room, need, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        orientation = services.orient(need=need, offer=room, by=facilitator, message="Urgent")
    need.refresh_from_db()
    assert need.status == "oriente"
    assert {"need-status", "need-oriented"} <= set(
        JournalEntry.objects.about(need).values_list("verb", flat=True)
    )
    assert mail.outbox[-1].to == [referent.email] and need.reference in mail.outbox[-1].subject
    assert f"/mutualisation/orientations/{orientation.pk}/" in mail.outbox[-1].body
    with pytest.raises(DomainError, match="attend déjà"):
        services.orient(need=need, offer=room, by=facilitator)


@pytest.mark.django_db
def test_only_the_team_orients_and_only_qualified_open_needs(facilitator, referent, room):
    fresh = raise_test_need()
    with pytest.raises(DomainError, match="Qualifiez"):
        services.orient(need=fresh, offer=room, by=facilitator)
    with pytest.raises(DomainError) as refused:
        services.orient(need=fresh, offer=room, by=referent)
    assert refused.value.status == 403


@pytest.mark.django_db
def test_the_owner_accepts_and_the_requester_sees_it(client, facilitator, referent, room, need):
    orientation = services.orient(need=need, offer=room, by=facilitator)
    client.force_login(referent)
    assert need.reference in client.get("/mutualisation/a-traiter/").text
    page = client.get(f"/mutualisation/orientations/{orientation.pk}/")
    assert "cherche une salle" in page.text and "asso@example.org" not in page.text
    client.post(
        f"/mutualisation/orientations/{orientation.pk}/repondre/", {"accepter": "1", "hours": "3"}
    )
    orientation.refresh_from_db()
    assert orientation.status == "acceptee" and orientation.hours == Decimal(3)
    tracking = client.get(need.tracking_url()).text
    assert "Centre social Jonquières a accepté de s&#x27;occuper de votre besoin" in tracking
    given = ledger.given_by(room.organisation)
    assert (given.orientations, given.skill_hours, given.partners) == (1, Decimal(3), 1)
    assert ledger.received_by(need.organisation).orientations == 1


@pytest.mark.django_db
def test_a_decline_needs_a_reason_and_sends_the_need_back_to_the_queue(
    client, facilitator, referent, room, need, django_capture_on_commit_callbacks
):
    orientation = services.orient(need=need, offer=room, by=facilitator)
    client.force_login(referent)
    url = f"/mutualisation/orientations/{orientation.pk}/repondre/"
    refused = client.post(url, {"decliner": "1", "reason": ""})
    assert refused.status_code == 400 and "Dites pourquoi" in refused.text
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"decliner": "1", "reason": "La salle est en travaux jusqu'en mars."})
    need.refresh_from_db()
    assert need.status == Need.Status.QUALIFIE and need.due_at is not None
    last = JournalEntry.objects.about(need).filter(verb="need-status").first()
    assert "en travaux" in last.message
    assert mail.outbox[-1].to == [facilitator.email] and "décliné" in mail.outbox[-1].subject
    stranger = UserFactory(email="x@example.org")
    with pytest.raises(DomainError):
        services.answer_orientation(orientation=orientation, by=stranger, accept=True)


@pytest.mark.django_db
def test_withdrawn_offers_are_not_proposed(facilitator, need):
    offer = OfferFactory(status="retiree")
    with pytest.raises(DomainError, match="plus proposée"):
        services.orient(need=need, offer=offer, by=facilitator)
