from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from maillage.core.errors import DomainError
from maillage.core.models import Dimension, JournalEntry
from maillage.needs import services
from maillage.needs.models import Need
from tests.factories import UserFactory, raise_test_need


@pytest.fixture
def owner(db):
    return UserFactory(role="animateur", email="nadia@example.org")


@pytest.mark.django_db
def test_a_raised_need_gets_a_reference_an_owner_a_due_date_and_a_journal(owner):
    need = raise_test_need()
    other = raise_test_need(description="Un autre besoin")
    year = timezone.now().year
    assert need.reference == f"B-{year}-00001" and other.reference == f"B-{year}-00002"
    assert need.owner == owner
    assert need.status == Need.Status.RECU
    assert need.due_at > timezone.now()
    assert len(need.tracking_token) >= 32
    verbs = list(JournalEntry.objects.about(need).values_list("verb", flat=True))
    assert set(verbs) == {"need-raised", "need-assigned"}


@pytest.mark.django_db
def test_new_needs_go_to_the_least_loaded_facilitator(owner):
    other = UserFactory(role="animateur")
    UserFactory(role="coordinateur")
    owners = [raise_test_need(description=f"Besoin {n}").owner for n in range(4)]
    assert owners.count(owner) == 2 and owners.count(other) == 2


@pytest.mark.django_db
def test_the_requester_gets_the_reference_and_link_by_email(
    owner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        need = raise_test_need(email="karim@example.org", consent=True)
    assert mail.outbox[0].to == ["karim@example.org"]
    assert need.reference in mail.outbox[0].subject
    assert need.tracking_url() in mail.outbox[0].body


@pytest.mark.django_db
def test_contact_details_are_refused_without_consent(owner):
    with pytest.raises(DomainError, match="accord"):
        raise_test_need(email="karim@example.org", consent=False)
    assert not Need.objects.exists()


@pytest.mark.django_db
def test_the_same_words_twice_are_two_needs_nothing_is_merged_by_guessing(owner):
    """Two people may write the same few words: a resubmission is known by its key only."""
    first = services.raise_need(description="Ma box ne marche plus", consent=False)
    again = services.raise_need(description="  ma box ne marche plus ", consent=False)
    assert first != again and Need.objects.count() == 2


@pytest.mark.django_db
def test_the_lifecycle_refuses_a_transition_that_is_not_allowed(owner):
    need = raise_test_need()
    with pytest.raises(DomainError, match="ne peut pas passer"):
        services.change_status(need=need, to="en-projet", by=owner)
    need.refresh_from_db()
    assert need.status == "recu"


@pytest.mark.django_db
def test_a_need_travels_from_received_to_resolved_and_the_requester_is_told(
    owner, django_capture_on_commit_callbacks
):
    need = raise_test_need(email="karim@example.org", consent=True)
    travail = Dimension.objects.get(code="travail")
    with django_capture_on_commit_callbacks(execute=True):
        services.qualify_need(need=need, by=owner, title="Déclaration en ligne", dimension=travail)
        services.answer_need(need=need, by=owner, message="Venez mardi à la permanence.")
        services.change_status(
            need=need, to="oriente", by=owner, message="Orienté vers France Services"
        )
        services.change_status(
            need=need, to="resolu", by=owner, message="Déclaration faite ensemble."
        )
    need.refresh_from_db()
    assert need.status == "resolu" and need.closed_at and need.due_at is None
    assert need.first_answered_at is not None
    assert [m.subject for m in mail.outbox][-1].endswith("résolu")
    public = JournalEntry.objects.about(need).public().values_list("verb", flat=True)
    assert "need-qualified" not in public and "need-answered" in public


@pytest.mark.django_db
def test_closing_needs_a_reason_and_a_message_for_the_requester(owner):
    need = raise_test_need()
    with pytest.raises(DomainError, match="pourquoi"):
        services.change_status(need=need, to="clos", by=owner, reason="hors-champ")
    with pytest.raises(DomainError, match="raison"):
        services.change_status(need=need, to="clos", by=owner, message="Hors champ")
    services.change_status(need=need, to="clos", by=owner, reason="hors-champ", message="Désolé…")
    need.refresh_from_db()
    assert need.closure_reason == "hors-champ"


@pytest.mark.django_db
def test_answers_push_the_next_due_date_and_requester_messages_pull_it_back(owner):
    need = raise_test_need()
    services.answer_need(need=need, by=owner, message="Nous regardons.")
    need.refresh_from_db()
    assert need.due_at > timezone.now() + timedelta(days=14)
    services.requester_writes(need=need, text="J'ai reçu un nouveau courrier.")
    need.refresh_from_db()
    assert need.due_at < timezone.now() + timedelta(days=5)


@pytest.mark.django_db
def test_internal_notes_never_reach_the_requester(owner):
    need = raise_test_need()
    services.add_note(need=need, by=owner, text="Personne connue du CCAS")
    assert not JournalEntry.objects.about(need).public().filter(verb="need-note").exists()


@pytest.mark.django_db
def test_the_requester_says_it_is_solved_or_no_longer_needed(owner):
    solved = services.requester_ends(need=raise_test_need(), solved=True)
    dropped = services.requester_ends(need=raise_test_need(description="Autre"), solved=False)
    assert solved.status == "resolu"
    assert dropped.status == "clos" and dropped.closure_reason == "retire"
    with pytest.raises(DomainError):
        services.requester_ends(need=solved, solved=True)


@pytest.mark.django_db
def test_a_need_can_only_be_given_to_the_lab_team(owner):
    need = raise_test_need()
    with pytest.raises(DomainError):
        services.assign_need(need=need, to=UserFactory(role="habitant"), by=owner)


@pytest.mark.django_db
def test_erasing_contact_details_is_logged(owner):
    need = raise_test_need(
        name="Karim", email="karim@example.org", phone="+33600000000", consent=True
    )
    services.erase_contact(need=need, by=None, why="retention")
    need.refresh_from_db()
    assert (need.requester_name, need.requester_email, need.requester_phone) == ("", "", "")
    assert JournalEntry.objects.about(need).filter(verb="contact-erased").exists()
