import pytest
from django.core import mail
from django.utils import timezone

from maillage.core.models import JournalEntry, User
from maillage.territory.models import Invitation, Membership


def _invite(client, organisation, email="nouveau@example.org", role="membre"):
    return client.post(f"/structures/{organisation.slug}/inviter/", {"email": email, "role": role})


@pytest.mark.django_db
def test_a_referent_invites_a_member_who_joins_from_the_emailed_link(
    client, organisation, referent, django_capture_on_commit_callbacks
):
    client.force_login(referent)
    with django_capture_on_commit_callbacks(execute=True):
        assert _invite(client, organisation).status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["nouveau@example.org"]
    invitation = Invitation.objects.get()
    assert invitation.get_absolute_url() in message.body

    client.logout()
    page = client.get(invitation.get_absolute_url())
    assert "nouveau@example.org" in page.text
    response = client.post(invitation.get_absolute_url())
    assert response.status_code == 302
    user = User.objects.get(email="nouveau@example.org")
    assert user.role == User.Role.MEMBRE
    assert Membership.objects.filter(person__user=user, organisation=organisation).exists()
    verbs = set(JournalEntry.objects.about(organisation).values_list("verb", flat=True))
    assert {"member-invited", "member-joined"} <= verbs
    assert client.get("/").wsgi_request.user == user


@pytest.mark.django_db
def test_an_invitation_is_used_once(client, organisation, referent):
    client.force_login(referent)
    _invite(client, organisation)
    invitation = Invitation.objects.get()
    client.logout()
    client.post(invitation.get_absolute_url())
    client.logout()
    response = client.post(invitation.get_absolute_url())
    assert response.status_code == 409
    assert "déjà été acceptée" in response.text


@pytest.mark.django_db
def test_an_expired_invitation_is_refused(client, organisation, referent):
    client.force_login(referent)
    _invite(client, organisation)
    Invitation.objects.update(expires_at=timezone.now())
    client.logout()
    response = client.post(Invitation.objects.get().get_absolute_url())
    assert response.status_code == 409
    assert "plus valable" in response.text
    assert not User.objects.filter(email="nouveau@example.org").exists()


@pytest.mark.django_db
def test_inviting_an_existing_member_or_a_bad_address_gets_a_clear_error(
    client, organisation, referent
):
    client.force_login(referent)
    response = _invite(client, organisation, email="referente@example.org")
    assert response.status_code == 400
    assert "fait déjà partie" in response.text
    response = _invite(client, organisation, email="pas-une-adresse")
    assert response.status_code == 400
    assert "Saisissez une adresse de courriel valide" in response.text
    assert not Invitation.objects.exists()


@pytest.mark.django_db
def test_only_referents_and_facilitators_may_invite(client, organisation):
    assert _invite(client, organisation).status_code == 302  # to the login page
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    assert _invite(client, organisation).status_code == 404
    assert not Invitation.objects.exists()
