"""Trainings: never more people seated than seats (even at the same instant), a waiting list
promoted when a seat frees up, attendance that completes the path, the sessions too thin to
be held cancelled in time with everyone told."""

import threading
from datetime import timedelta

import pytest
from django.db import IntegrityError, close_old_connections, connection, transaction
from django.utils import timezone

from maillage.core.errors import DomainError
from maillage.core.models import Email
from maillage.formation import trainings
from maillage.formation.models import Assertion, Registration, Session
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _register(session, n: int, **more):
    return trainings.register(session=session, name=f"Personne {n}",
                              email=f"personne{n}@exemple.fr", **more)  # fmt: skip


def test_the_seats_fill_then_the_waiting_list_which_is_promoted_in_order(make_session, client):
    session = make_session(capacity=2)
    first, second, third, fourth = (_register(session, n) for n in range(4))
    assert [r.status for r in (first, second, third, fourth)] == ["inscrit"] * 2 + ["attente"] * 2
    assert _register(session, 0).pk == first.pk  # the same address twice: one registration
    trainings.withdraw(registration=second)
    third.refresh_from_db()
    fourth.refresh_from_db()
    assert third.status == "inscrit" and third.seat is not None and fourth.status == "attente"
    assert Email.objects.filter(to=third.email, subject__contains="place s'est libérée").exists()
    with pytest.raises(DomainError):
        trainings.withdraw(registration=second)
    page = client.get(third.private_url())
    assert "Inscrit" in page.content.decode()


def test_a_seat_is_never_held_twice_the_database_says_so(make_session):
    session = make_session(capacity=1)
    held = _register(session, 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(session=session, seat=held.seat, name="Autre",
                                    email="autre@exemple.fr")  # fmt: skip


@pytest.mark.django_db(transaction=True)
def test_concurrent_registrations_never_exceed_the_seats(path, trainer):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite writes one at a time: there is no race to lose")
    starts = timezone.now() + timedelta(days=5)
    session = trainings.open_session(
        session=Session(path=path, starts_at=starts, ends_at=starts + timedelta(hours=3),
                        capacity=3, minimum=1), trainers=[trainer])  # fmt: skip
    barrier = threading.Barrier(8)

    def register(n):
        try:
            barrier.wait()
            _register(session, n)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=register, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seated = Registration.objects.filter(session=session, seat__isnull=False).count()
    assert seated == 3 and Registration.objects.filter(status="attente").count() == 5


def test_a_cancelled_or_begun_session_refuses_registrations_clearly(make_session, client):
    session = make_session()
    trainings.cancel_session(session=session, reason="Formatrice malade")
    with pytest.raises(DomainError) as refused:
        _register(session, 1)
    assert refused.value.status == 409 and "annulée" in refused.value.message
    answer = client.post(f"/api/v1/trainings/{session.pk}/registrations",
                         {"name": "Karim", "email": "karim@exemple.fr"},
                         content_type="application/json")  # fmt: skip
    assert answer.status_code == 409
    begun = make_session()
    Session.objects.filter(pk=begun.pk).update(starts_at=timezone.now() - timedelta(hours=1))
    with pytest.raises(DomainError, match="commencé"):
        _register(begun, 2)
    assert not Registration.objects.exists()


def test_a_session_ending_before_it_starts_is_refused(path, trainer):
    starts = timezone.now() + timedelta(days=3)
    with pytest.raises(DomainError, match="finit avant"):
        trainings.open_session(session=Session(path=path, starts_at=starts, ends_at=starts,
                                               capacity=5), trainers=[trainer])  # fmt: skip
    assert not Session.objects.exists()


def test_a_thin_session_is_cancelled_days_before_and_everyone_told(make_session, settings):
    thin = make_session(capacity=10, minimum=3, days=2)
    full = make_session(capacity=10, minimum=1, days=2)
    later = make_session(capacity=10, minimum=3, days=20)
    for n in range(2):
        _register(thin, n)
        _register(later, n + 10)
    _register(full, 20)
    Email.objects.all().delete()
    assert trainings.cancel_thin_sessions() == 1
    thin.refresh_from_db()
    assert thin.cancelled_at is not None and thin.cancel_reason == "Trop peu d'inscrits"
    told = Email.objects.order_by("to")
    assert [m.to for m in told] == ["personne0@exemple.fr", "personne1@exemple.fr"]
    assert "Trop peu d'inscrits" in told[0].body
    assert not thin.registrations.filter(seat__isnull=False).exists()
    assert trainings.cancel_thin_sessions() == 0


def test_attendance_completes_the_path_and_issues_its_badge_once(make_session, trainer, client):
    session = make_session()
    came, missed = _register(session, 1), _register(session, 2)
    with pytest.raises(DomainError, match="pas encore commencé"):
        trainings.mark(registration=came, attended=True, by=trainer)
    now = timezone.now()
    Session.objects.filter(pk=session.pk).update(starts_at=now - timedelta(hours=8),
                                                 ends_at=now - timedelta(hours=1))  # fmt: skip
    client.force_login(trainer)
    client.post(f"/formations/inscriptions/{came.pk}/presence/", {"attended": "oui"})
    client.post(f"/formations/inscriptions/{came.pk}/presence/", {"attended": "oui"})
    client.post(f"/formations/inscriptions/{missed.pk}/presence/", {"attended": "non"})
    badge = Assertion.objects.get()
    assert badge.registration == came and badge.recipient_name == "Personne 1"
    assert Email.objects.filter(to=came.email, body__contains=badge.get_absolute_url()).exists()
    sheet = client.get(f"/formations/sessions/{session.pk}/presences/").content.decode()
    assert "badge délivré" in sheet
    client.post(f"/formations/inscriptions/{came.pk}/presence/", {"attended": "non"})
    badge.refresh_from_db()
    assert badge.revoked_at is not None  # a mistake corrected takes the badge back


def test_the_public_registers_on_the_page_and_the_api_lists_the_seats_left(make_session, client):
    session = make_session(capacity=1)
    page = client.get(f"/formations/sessions/{session.pk}/")
    key = page.context["form"]["cle"].initial
    sent = {"name": "Josiane Roux", "email": "josiane@exemple.fr", "cle": key}
    response = client.post(f"/formations/sessions/{session.pk}/", sent)
    assert response.status_code == 302
    client.post(f"/formations/sessions/{session.pk}/", sent)  # a second click
    assert Registration.objects.count() == 1
    listed = client.get("/api/v1/trainings").json()
    assert [(s["id"], s["seats"], s["seats_left"]) for s in listed] == [(session.pk, 1, 0)]
    api = client.post(f"/api/v1/trainings/{session.pk}/registrations",
                      {"name": "Karim", "email": "karim@exemple.fr"},
                      content_type="application/json")  # fmt: skip
    assert api.status_code == 201 and api.json()["status"] == "attente"
    wrong = client.post(f"/api/v1/trainings/{session.pk}/registrations",
                        {"name": "Karim", "email": "pas-une-adresse"},
                        content_type="application/json")  # fmt: skip
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["loc"][-1] == "email"
    refused = client.post(f"/formations/sessions/{session.pk}/",
                          {"name": "", "email": "x", "cle": key})  # fmt: skip
    assert refused.status_code == 400 and refused.context["form"].errors


def test_with_consent_the_skill_learnt_is_proposed_in_the_register(make_session, trainer):
    from maillage.mutualisation.models import Offer

    member = UserFactory(role="membre", email="aicha@exemple.fr", first_name="Aïcha")
    session = make_session(capacity=3)
    willing = _register(session, 1, share_skill=True, user=member)
    unwilling = _register(session, 2)
    unknown = _register(session, 3, share_skill=True)  # no account: nowhere to put it
    Session.objects.filter(pk=session.pk).update(starts_at=timezone.now() - timedelta(hours=1))
    for registration in (willing, unwilling, unknown):
        trainings.mark(registration=registration, attended=True, by=trainer)
    (offer,) = Offer.objects.all()
    assert offer.person.user == member and offer.kind == "competence"
    assert offer.title == "Je peux animer un atelier de scénarisation"
    assert willing.assertion.get_absolute_url() in offer.description
    trainings.mark(registration=willing, attended=False, by=trainer)
    trainings.mark(registration=willing, attended=True, by=trainer)
    assert Offer.objects.count() == 1  # once


def test_the_trainees_judge_their_session_by_majority_judgment(make_session, trainer, client):
    session = make_session(capacity=4)
    people = [_register(session, n) for n in range(4)]
    Session.objects.filter(pk=session.pk).update(starts_at=timezone.now() - timedelta(hours=1))
    for n, registration in enumerate(people):
        trainings.mark(registration=registration, attended=n < 3, by=trainer)
    for registration, grade in zip(people[:3], (6, 4, 1), strict=True):
        page = client.get(registration.private_url())
        assert page.context["form"] is not None
        client.post(registration.private_url(), {"evaluer": "1", "contenu": grade,
                                                 "animation": 5, "utilite": 3})  # fmt: skip
    client.post(people[0].private_url(), {"evaluer": "1", "contenu": 6, "animation": 5,
                                           "utilite": 3, "comment": "Très concret"})  # fmt: skip
    results = {r["label"]: r for r in trainings.evaluation_results(session)}
    assert results["Le contenu"]["profile"] == [0, 1, 0, 0, 1, 0, 1]  # one each, replaced once
    assert results["Le contenu"]["median_label"] == "Bien"
    assert results["L'animation"]["median_label"] == "Très bien"
    assert client.get(people[3].private_url()).context["form"] is None  # absent: no say
    with pytest.raises(DomainError):
        trainings.evaluate(registration=people[3], grades={"contenu": 6})
    refused = client.post(people[1].private_url(), {"evaluer": "1", "contenu": 9})
    assert refused.status_code == 400
    client.force_login(trainer)
    sheet = client.get(f"/formations/sessions/{session.pk}/presences/").content.decode()
    assert "3 évaluations" in sheet and "merit-profile" in sheet
