"""Answering STOP to the lab's SMS: the provider forwards the answer to a secret address, and
the number gets nothing more; the desk notes a refusal said aloud, or takes it back."""

import html

import pytest
from django.urls import reverse

from maillage.core import texts
from maillage.core.models import TextMessage, TextOptOut
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
SECRET = "un-secret-assez-long-pour-ne-pas-etre-devine"


@pytest.fixture
def replies(settings):
    settings.SMS_REPLY_TOKEN = SECRET
    return reverse("sms-reply", args=[SECRET])


@pytest.mark.parametrize(
    "body", ["STOP", "stop", " Stop. ", "ARRET", "Arrêt", "STOP SMS", "stop merci"]
)
def test_a_stop_answer_opts_the_number_out_and_drops_what_waits(client, replies, body):
    waiting = texts.send(to="06 12 34 56 78", body="Votre rendez-vous demain à 10 h.")
    response = client.post(replies, {"From": "+33612345678", "Body": body})
    assert response.status_code == 204
    assert TextOptOut.objects.get().phone == "+33612345678"
    assert TextMessage.objects.get(pk=waiting.pk).skipped_at is not None
    with pytest.raises(texts.OptedOut):
        texts.send(to="0612345678", body="Encore ?")


@pytest.mark.parametrize(
    ("data", "status"),
    [({"from": "+33612345678", "text": "Merci, à demain"}, 204),  # for a person, not a stop
     ({"from": "pas un numéro", "text": "STOP"}, 204), ({"text": "STOP"}, 400)],
)  # fmt: skip
def test_any_other_answer_changes_nothing(client, replies, data, status):
    assert client.post(replies, data).status_code == status
    assert not TextOptOut.objects.exists()


def test_the_address_answers_only_with_its_secret_and_only_when_set(client, settings):
    settings.SMS_REPLY_TOKEN = ""
    stop = {"From": "+33612345678", "Body": "STOP"}
    assert client.post(reverse("sms-reply", args=["x"]), stop).status_code == 404
    settings.SMS_REPLY_TOKEN = SECRET
    wrong = reverse("sms-reply", args=[SECRET[:-1] + "!"])
    assert client.post(wrong, {"From": "+33612345678", "Body": "STOP"}).status_code == 404
    assert client.get(reverse("sms-reply", args=[SECRET])).status_code == 405
    assert not TextOptOut.objects.exists()


def test_the_desk_notes_a_refusal_and_takes_it_back(client):
    client.force_login(UserFactory(role="animateur"))
    page = reverse("mediation:opt-outs")
    client.post(page, {"phone": "06 12 34 56 78"})
    again = client.post(page, {"phone": "+33 6 12 34 56 78"}, follow=True)
    assert "avait déjà demandé" in again.content.decode()
    listed = html.unescape(client.get(page).content.decode())
    assert "06 12 34 56 78" in listed and "à l'accueil" in listed
    assert client.get(page, {"numero": "0612345678"}).context["opt_outs"][0].phone == "+33612345678"
    refused = client.post(page, {"phone": "12"})
    assert refused.status_code == 400
    assert "n'est pas valide" in refused.context["form"].errors["phone"][0]
    client.post(reverse("mediation:opt-out-resume", args=[TextOptOut.objects.get().pk]))
    assert not TextOptOut.objects.exists()
    assert texts.send(to="0612345678", body="De nouveau.")


@pytest.mark.parametrize("who", ["anonyme", "membre"])
def test_only_the_team_sees_the_numbers(client, who):
    TextOptOut.objects.create(phone="+33612345678")
    if who == "membre":
        client.force_login(UserFactory(role="membre"))
    response = client.get(reverse("mediation:opt-outs"))
    assert response.status_code in {302, 404} and "+33612345678" not in response.content.decode()
