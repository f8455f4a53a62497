from datetime import timedelta

import pytest
from django.utils import timezone

from maillage.formation import trainings
from maillage.formation.models import Module, Session, TrainingPath
from tests.factories import UserFactory


@pytest.fixture
def path(db):
    found = TrainingPath.objects.create(
        slug="animer-un-atelier", name="Animer un atelier de scénarisation",
        description="Préparer et animer un atelier, de l'inspiration à la décision.",
        criteria="Avoir suivi les sept heures du parcours et animé une phase en pratique.",
        skill="Je peux animer un atelier de scénarisation", hours=7,
    )  # fmt: skip
    Module.objects.create(path=found, title="Idéation", minutes=60, position=1)
    return found


@pytest.fixture
def trainer(db):
    return UserFactory(role="animateur", first_name="Nadia")


@pytest.fixture
def make_session(path, trainer):
    def make(*, capacity=2, minimum=1, days=10) -> Session:
        starts = timezone.now() + timedelta(days=days)
        session = Session(path=path, starts_at=starts, ends_at=starts + timedelta(hours=7),
                          capacity=capacity, minimum=minimum)  # fmt: skip
        return trainings.open_session(session=session, trainers=[trainer])

    return make
