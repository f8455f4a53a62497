"""The formation's figures, asserted exactly: sessions held and their hours, people trained,
badges issued, by path and by dimension; cancelled sessions and revoked badges do not count."""

from datetime import timedelta

import pytest
from django.utils import timezone

from maillage.core.models import Dimension
from maillage.formation import badges, trainings
from maillage.formation.models import Session, TrainingPath
from maillage.observatory.indicators import Period, public
from maillage.observatory.trainings import by_path, trained_by_dimension
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _held(path, trainer, people: list[str], *, came: int) -> Session:
    starts = timezone.now() + timedelta(days=2)
    session = trainings.open_session(
        session=Session(path=path, starts_at=starts, ends_at=starts + timedelta(hours=7),
                        capacity=10, minimum=1), trainers=[trainer])  # fmt: skip
    registrations = [trainings.register(session=session, name=p, email=f"{p}@exemple.fr")
                     for p in people]  # fmt: skip
    now = timezone.now()
    Session.objects.filter(pk=session.pk).update(starts_at=now - timedelta(days=3),
                                                 ends_at=now - timedelta(days=2))  # fmt: skip
    for n, registration in enumerate(registrations):
        trainings.mark(registration=registration, attended=n < came, by=trainer)
    return session


def test_sessions_hours_people_and_badges_by_path_and_dimension():
    trainer = UserFactory(role="animateur")
    social = Dimension.objects.get(code="pratiques-sociales")
    online = Dimension.objects.get(code="dematerialisation")
    workshop = TrainingPath.objects.create(slug="atelier", name="Animer un atelier", hours=7,
                                           description="-", criteria="-", skill="-",
                                           dimension=social)  # fmt: skip
    steps = TrainingPath.objects.create(slug="demarche", name="Accompagner une démarche",
                                        hours=4, description="-", criteria="-", skill="-",
                                        dimension=online)  # fmt: skip
    _held(workshop, trainer, ["aicha", "julien", "marc"], came=2)
    _held(workshop, trainer, ["aicha", "lea"], came=2)  # Aïcha again: trained once
    _held(steps, trainer, ["paul", "sophie"], came=1)
    cancelled = _held(steps, trainer, [], came=0)
    Session.objects.filter(pk=cancelled.pk).update(cancelled_at=timezone.now())
    revoked = workshop.assertions.get(recipient_name="lea")
    badges.revoke(found=revoked, reason="Erreur")
    period = Period.parse(None, None)
    rows = {row["parcours"]: row for row in by_path(period).rows}
    assert rows["Animer un atelier"] == {"parcours": "Animer un atelier", "sessions": 2,
                                         "heures": 14, "personnes": 3, "heures-stagiaires": 21,
                                         "badges": 3}  # fmt: skip
    assert rows["Accompagner une démarche"] == {
        "parcours": "Accompagner une démarche", "sessions": 1, "heures": 4, "personnes": 1,
        "heures-stagiaires": 4, "badges": 1}  # fmt: skip
    assert trained_by_dimension(period).rows == [
        {"dimension": "Dématérialisation", "personnes": 1},
        {"dimension": "Pratiques sociales", "personnes": 3},
    ]
    only_social = Period.parse(None, None, "pratiques-sociales")
    assert [r["parcours"] for r in by_path(only_social).rows] == ["Animer un atelier"]
    shown = {f.code: f for f in public([by_path(period), trained_by_dimension(period)])}
    assert shown["formations"].rows[0]["sessions"] == 1  # sessions are public anyway
    assert shown["personnes-formees-par-dimension"].rows[0]["personnes"] == "< 5"
