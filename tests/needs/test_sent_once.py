"""A tracking link goes only to the person who raised the need: a form or a request sent twice
is recognised by its key, within its sender's scope, never by its words."""

import json
import re
import threading

import pytest
from django.db import close_old_connections
from django.test import Client

from maillage.core.idempotency import BROWSER_COOKIE
from maillage.needs.models import Need

BODY = {"description": "Je n'arrive pas à déclarer mes revenus en ligne.", "consent": False}


def _post(client, body=BODY, *, key=None, address="203.0.113.7", **headers):
    if key is not None:
        headers["Idempotency-Key"] = key
    return client.post("/api/v1/needs", json.dumps(body), content_type="application/json",
                       headers=headers, REMOTE_ADDR=address)  # fmt: skip


@pytest.mark.django_db
def test_the_same_words_from_someone_else_never_answer_the_first_requesters_link(client):
    first = _post(client, address="203.0.113.7")
    second = _post(client, address="198.51.100.9")
    assert first.status_code == second.status_code == 201
    assert first.json()["tracking_url"] != second.json()["tracking_url"]
    assert Need.objects.count() == 2


@pytest.mark.django_db
def test_a_request_sent_again_with_its_key_answers_the_first_answer_and_raises_nothing(client):
    first = _post(client, key="envoi-1")
    again = _post(client, key="envoi-1")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert Need.objects.count() == 1


@pytest.mark.django_db
def test_a_key_is_the_callers_own(client):
    """Another address (or a token) with the same key raises its own need."""
    mine = _post(client, key="envoi-1", address="203.0.113.7")
    theirs = _post(client, key="envoi-1", address="198.51.100.9")
    assert mine.json()["tracking_url"] != theirs.json()["tracking_url"]
    assert Need.objects.count() == 2


@pytest.mark.django_db
def test_a_key_used_again_for_another_request_is_refused(client):
    _post(client, key="envoi-1")
    other = _post(client, BODY | {"description": "Autre chose"}, key="envoi-1")
    assert other.status_code == 422 and other["Content-Type"] == "application/problem+json"
    assert "déjà servi" in other.json()["detail"]
    assert Need.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["", "x" * 201, "clé", "deux mots"])
def test_a_key_that_cannot_be_one_is_refused(client, key):
    response = _post(client, key=key)
    assert response.status_code == 422 and response.json()["errors"][0]["loc"][0] == "header"
    assert not Need.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_sends_of_one_key_at_the_same_moment_raise_one_need():
    answers, start = [], threading.Barrier(2)

    def send():
        start.wait()
        try:
            answers.append(_post(Client(), key="en-meme-temps"))
        finally:
            close_old_connections()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert [a.status_code for a in answers] == [201, 201]
    assert answers[0].json() == answers[1].json()
    assert Need.objects.count() == 1


def _form_key(page) -> str:
    return re.search(r'name="cle" value="([^"]+)"', page.text)[1]


@pytest.mark.django_db
def test_the_form_sent_again_with_the_back_button_lands_on_the_same_need(client):
    page = client.get("/permanence/")
    assert BROWSER_COOKIE in page.cookies
    form = {"description": "Ma box ne marche plus", "contact": "aucun", "cle": _form_key(page)}
    first = client.post("/permanence/", form)
    again = client.post("/permanence/", form)  # the back button, then « Envoyer » again
    assert first.status_code == again.status_code == 302
    assert again["Location"] == first["Location"] == Need.objects.get().tracking_url()
    assert "déjà envoyé" in client.get(again["Location"]).text


@pytest.mark.django_db
def test_a_form_key_sent_from_another_browser_never_leads_to_the_first_need(client):
    page = client.get("/permanence/")
    form = {"description": "Ma box ne marche plus", "contact": "aucun", "cle": _form_key(page)}
    mine = client.post("/permanence/", form)
    other_browser = Client()
    other_browser.get("/permanence/")
    theirs = other_browser.post("/permanence/", form)
    assert mine["Location"] != theirs["Location"] and Need.objects.count() == 2


@pytest.mark.django_db
def test_a_form_refused_then_corrected_keeps_its_key_and_raises_one_need(client):
    page = client.get("/permanence/")
    key = _form_key(page)
    refused = client.post("/permanence/", {"description": "", "contact": "aucun", "cle": key})
    assert refused.status_code == 400 and _form_key(refused) == key
    fixed = {"description": "Ma box ne marche plus", "contact": "aucun", "cle": key}
    assert client.post("/permanence/", fixed).status_code == 302
    assert client.post("/permanence/", fixed).status_code == 302
    assert Need.objects.count() == 1


@pytest.mark.django_db
def test_the_me_too_form_and_the_requesters_message_are_sent_once(client, facilitator):
    from maillage.core.models import JournalEntry
    from maillage.needs import services

    shared = services.create_shared_need(title="Réseau mobile à Carro", by=facilitator)
    page = client.get(shared.get_absolute_url())
    form = {"description": "", "contact": "aucun", "cle": _form_key(page)}
    first = client.post(shared.get_absolute_url(), form)
    again = client.post(shared.get_absolute_url(), form)
    assert first["Location"] == again["Location"] and shared.needs.count() == 1
    tracking = client.get(first["Location"])
    message = {
        "action": "message",
        "message": "Je suis à Carro le Moulin",
        "cle": _form_key(tracking),
    }
    client.post(first["Location"], message)
    client.post(first["Location"], message)
    assert JournalEntry.objects.filter(verb="requester-message").count() == 1
