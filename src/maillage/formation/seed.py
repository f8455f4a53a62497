"""The demo's formation: two paths of the lab, past sessions with their attendance and the
badges they earned, one session open to registration. Through the real services, so that the
journals, the seats and the badges are true."""

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from maillage.core.models import Dimension, User
from maillage.territory.models import Place

from . import library, trainings
from .models import MethodCard, Module, Registration, Session, TrainingPath

PATHS = [
    {"slug": "animer-un-atelier-de-scenarisation", "name": "Animer un atelier de scénarisation",
     "description": "Préparer et animer un atelier où les habitants et les structures imaginent "
                    "et jugent ensemble les versions d'un projet, de l'inspiration à la décision.",
     "criteria": "Avoir suivi les sept heures du parcours et animé une phase d'atelier en "
                 "situation, observé par un animateur du laboratoire.",
     "skill": "Je peux animer un atelier de scénarisation", "hours": 7,
     "dimension": "pratiques-sociales",
     "modules": [("Accueillir et ouvrir", "meteo-du-groupe", 30),
                 ("Inspirer et faire naître des idées", "ideation", 90),
                 ("Regrouper et écrire des scénarios", "scenarios", 120),
                 ("Juger au jugement majoritaire", "jugement-majoritaire", 60),
                 ("Décider et lancer le groupe de travail", "decision", 60),
                 ("Mise en situation : animer une phase", None, 60)]},
    {"slug": "accompagner-une-demarche-en-ligne", "name": "Accompagner une démarche en ligne",
     "description": "Aider une personne à faire elle-même une démarche administrative en ligne, "
                    "sans faire à sa place, et noter l'accompagnement.",
     "criteria": "Avoir suivi les sept heures du parcours et mené un accompagnement observé "
                 "à la permanence.",
     "skill": "Je peux accompagner une démarche en ligne", "hours": 7,
     "dimension": "dematerialisation",
     "modules": [("Écouter la demande derrière la demande", "entretien", 60),
                 ("Le parcours de la démarche, étape par étape", "parcours-usager", 90),
                 ("Faire faire, sans faire à la place", None, 120),
                 ("Tester un service avec la personne", "test-usager", 60),
                 ("Mise en situation à la permanence", None, 90)]},
]  # fmt: skip
TRAINEES = [("Aïcha Benali", "aicha.benali"), ("Julien Roux", "julien.roux"),
            ("Fatima Haddad", "fatima.haddad"), ("Marc Giraud", "marc.giraud"),
            ("Sophie Martin", "sophie.martin"), ("Karim Belkacem", "karim.belkacem"),
            ("Léa Fontaine", "lea.fontaine"), ("Paul Nguyen", "paul.nguyen")]  # fmt: skip


def _at(day, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=timezone.get_current_timezone())


@transaction.atomic
def load_demo() -> dict[str, int]:
    library.load_cards()
    trainer = User.objects.get(email="animatrice@maillage.localhost")
    place = Place.objects.filter(archived_at__isnull=True).order_by("pk").first()
    cards = {c.slug: c for c in MethodCard.objects.all()}
    today = timezone.localdate()
    badges = 0
    for n, data in enumerate(PATHS):
        path = TrainingPath.objects.create(
            slug=data["slug"], name=data["name"], description=data["description"],
            criteria=data["criteria"], skill=data["skill"], hours=data["hours"],
            dimension=Dimension.objects.filter(code=data["dimension"]).first(),
        )  # fmt: skip
        for position, (title, card, minutes) in enumerate(data["modules"]):
            Module.objects.create(path=path, position=position, title=title, minutes=minutes,
                                  card=cards.get(card),
                                  practice="" if card else "En binôme, observé et débriefé.")  # fmt: skip
        # A past session: registered while it was to come, then attended or not.
        day = today - timedelta(days=20 + 7 * n)
        past = trainings.open_session(
            session=Session(path=path, starts_at=_at(day, 9), ends_at=_at(day, 17), place=place,
                            capacity=8, minimum=3), trainers=[trainer])  # fmt: skip
        soon = timezone.now() + timedelta(days=1)
        Session.objects.filter(pk=past.pk).update(starts_at=soon, ends_at=soon + timedelta(hours=8))
        for name, login in TRAINEES[n : n + 6]:
            trainings.register(session=past, name=name, email=f"{login}@exemple.fr",
                               share_skill=True)  # fmt: skip
        Session.objects.filter(pk=past.pk).update(starts_at=_at(day, 9), ends_at=_at(day, 17))
        for k, registration in enumerate(Registration.objects.filter(session=past)):
            marked = trainings.mark(registration=registration, attended=k != 2, by=trainer)
            if marked.attended:
                badges += 1
                trainings.evaluate(registration=marked,
                                   grades={"contenu": 4 + k % 3, "animation": 5 - k % 2,
                                           "utilite": 3 + k % 4})  # fmt: skip
        # One to come, open to registration, nearly full.
        day = today + timedelta(days=14 + 7 * n)
        coming = trainings.open_session(
            session=Session(path=path, starts_at=_at(day, 9), ends_at=_at(day, 17), place=place,
                            capacity=6, minimum=3), trainers=[trainer])  # fmt: skip
        for name, login in TRAINEES[6 - n : 10 - n]:
            trainings.register(session=coming, name=name, email=f"{login}@exemple.fr")
    return {"parcours": len(PATHS), "badges": badges}
