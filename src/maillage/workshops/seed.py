"""The workshops of the demo territory: one held three weeks ago, with its ideas, scenarios,
grades, decision and report; one upcoming, open for registration."""

import random
from datetime import datetime, time, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from maillage.core.models import JournalEntry, User
from maillage.needs.models import SharedNeed
from maillage.territory.models import Person, Place

from . import door, live, services
from .models import Grade, Idea, Participant, Phase, Workshop
from .results import results

# The shared needs each workshop starts from (see the needs' seed): its decision becomes the
# project that answers them.
SUNDAY_BUSES = "Bus du dimanche vers les zones d'activités"
ONLINE_PROCEDURES = "Démarches en ligne sans ordinateur ni personne pour aider"

PAST_IDEAS = {
    "Covoiturage entre voisins": [
        "Un groupe de covoiturage par quartier pour aller au marché",
        "Une application simple pour proposer des trajets",
        "Un tableau au centre social pour les trajets du samedi",
        "Du covoiturage pour aller au travail à Lavéra",
    ],
    "Vélos et marche": [
        "Prêter des vélos électriques pour essayer un mois",
        "Un atelier de réparation de vélos au tiers-lieu",
        "Des pistes cyclables sûres entre Canto-Perdrix et le centre",
        "Des bancs et de l'ombre sur le chemin de l'école",
    ],
    "Navettes": [
        "Une navette le samedi matin pour les personnes âgées",
        "Des horaires de bus qui collent aux horaires de travail",
        "Une navette à la demande que l'on réserve par téléphone",
    ],
}
PAST_DUPLICATES = {
    "Un groupe de covoiturage par quartier pour aller au marché": "Faire du covoiturage pour le marché du jeudi",
    "Prêter des vélos électriques pour essayer un mois": "Prêter des vélos électriques",
}
PAST_SCENARIOS = [
    {
        "title": "Une navette solidaire à la demande",
        "serves": "Les personnes âgées et les habitants sans voiture des quartiers hauts",
        "changes": "Elles réservent par téléphone un trajet vers le centre, le marché ou la CAF.",
        "means": "Un minibus prêté par la ville, six chauffeurs bénévoles, une ligne téléphonique",
        "first_step": "Essayer deux matinées par semaine pendant trois mois",
        "risks": "Trouver assez de chauffeurs ; l'assurance du véhicule",
    },
    {
        "title": "Des vélos électriques en prêt et un atelier de réparation",
        "serves": "Les actifs et les jeunes qui font moins de dix kilomètres",
        "changes": "Ils essaient un vélo un mois avant d'acheter, et le font réparer à petit prix.",
        "means": "Vingt vélos, un local au tiers-lieu, un mécanicien en insertion",
        "first_step": "Demander les vélos au budget participatif",
        "risks": "Le vol ; les pentes de certains quartiers",
    },
    {
        "title": "Un réseau de covoiturage de quartier",
        "serves": "Tous ceux qui vont aux mêmes endroits aux mêmes heures",
        "changes": "Un trajet se trouve en un appel au centre social ou sur un tableau.",
        "means": "Un animateur deux demi-journées par semaine, un tableau, un numéro",
        "first_step": "Lancer le tableau au centre social de Canto-Perdrix",
        "risks": "La confiance entre inconnus ; s'essouffler après quelques mois",
    },
]
PAST_PEOPLE = [
    "Awa",
    "Bruno",
    "Chloé",
    "Djamel",
    "Élise",
    "Fatou",
    "Gérard",
    "Hélène",
    "Ibrahim",
    "Josiane",
    "Karim",
    "Léa",
    "Marius",
    "Nadia",
    "Océane",
    "Paul",
]
# How each scenario tends to be judged (a mean grade on the 0-6 scale), criterion by criterion.
PAST_LEANINGS = [[5, 4, 3, 5, 6], [4, 4, 3, 6, 3], [3, 5, 5, 4, 4]]


@transaction.atomic
def load_demo(*, seed: int = 1) -> dict[str, int]:
    rng = random.Random(seed)
    lab = User.objects.filter(email="animatrice@maillage.localhost").first()
    lab = lab or User.objects.filter(role=User.Role.ANIMATEUR).first()
    past = _past_workshop(lab, rng)
    day = timezone.localdate() + timedelta(days=12)
    while day.weekday() != 3:  # a Thursday evening
        day += timedelta(days=1)
    start = datetime.combine(day, time(18), tzinfo=timezone.get_current_timezone())
    shared = SharedNeed.objects.filter(title=ONLINE_PROCEDURES).first()
    workshop = services.create_workshop(
        by=lab,
        question="Comment aider les habitants à faire leurs démarches en ligne sans se décourager ?",
        description="Un atelier de scénarisation ouvert à tous : habitants, agents des services "
        "publics, associations. Nous partirons des besoins reçus à la permanence, imaginerons "
        "plusieurs façons d'y répondre, puis les jugerons ensemble.",
        starts_at=start,
        ends_at=start + timedelta(hours=2, minutes=30),
        place=Place.objects.filter(name__startswith="Tiers-lieu").first(),
        capacity=30,
        shared_need=shared,
    )
    people = list(Person.objects.filter(user__isnull=False).select_related("user")[:40])
    for person in rng.sample(people, min(12, len(people))):
        services.register(
            workshop=workshop, name=person.first_name, email=person.user.email, user=person.user
        )
    return {
        "ateliers": 2,
        "inscriptions": workshop.registrations.count(),
        "mentions": Grade.objects.filter(scenario__workshop=past).count(),
    }


def _past_workshop(lab: User, rng: random.Random) -> Workshop:
    """Run a whole workshop through the same actions as the room, then move it three weeks
    back: its report reads as that evening's."""
    start = timezone.now() + timedelta(minutes=5)
    workshop = services.create_workshop(
        by=lab,
        question="Comment se déplacer sans voiture entre les quartiers et le centre-ville ?",
        description="Un atelier né de nombreuses demandes reçues à la permanence : aller au "
        "marché, à la CAF ou au travail quand on n'a pas de voiture.",
        starts_at=start, ends_at=start + timedelta(hours=2, minutes=30),
        place=Place.objects.filter(name__startswith="Tiers-lieu").first(), capacity=25,
        shared_need=SharedNeed.objects.filter(title=SUNDAY_BUSES).first(),
    )  # fmt: skip
    phases = {phase.kind: phase for phase in workshop.phases.all()}
    people = [door.join(code=workshop.join_code, name=name) for name in PAST_PEOPLE]
    live.start_phase(workshop=workshop, phase=phases[Phase.Kind.IDEATION], by=lab)
    for title, texts in PAST_IDEAS.items():
        ideas = [live.post_idea(participant=rng.choice(people), text=text) for text in texts]
        live.group_ideas(workshop=workshop, by=lab, ideas=ideas, title=title)
    for original, duplicate in PAST_DUPLICATES.items():
        repeated = live.post_idea(participant=rng.choice(people), text=duplicate)
        live.merge_ideas(workshop=workshop, by=lab, duplicate=repeated,
                         into=Idea.objects.get(workshop=workshop, text=original))  # fmt: skip
    live.post_idea(participant=people[0], text="Mettre les horaires des bus sur une seule page")
    live.start_phase(workshop=workshop, phase=phases[Phase.Kind.SCENARIOS], by=lab)
    scenarios = [live.add_scenario(workshop=workshop, by=lab, **s) for s in PAST_SCENARIOS]
    live.start_phase(workshop=workshop, phase=phases[Phase.Kind.EVALUATION], by=lab)
    criteria = list(workshop.criteria.all())
    for person in people:
        for scenario, leanings in zip(scenarios, PAST_LEANINGS, strict=True):
            values = {c.pk: min(6, max(0, round(rng.gauss(lean, 1.2))))
                      for c, lean in zip(criteria, leanings, strict=True)}  # fmt: skip
            live.grade_scenario(participant=person, scenario=scenario, values=values)
    live.reveal_results(workshop=workshop, by=lab)
    live.start_phase(workshop=workshop, phase=phases[Phase.Kind.DECISION], by=lab)
    best = next(s for s in scenarios if s.pk == results(workshop)[0].scenario_id)
    live.decide(
        workshop=workshop, by=lab, scenario=best,
        decision=f"Le groupe retient « {best.title} ». On commence petit, on mesure au bout "
        "de trois mois avec les habitants, et on revient en atelier pour la suite.",
    )  # fmt: skip
    back = timedelta(days=21)
    Workshop.objects.filter(pk=workshop.pk).update(
        starts_at=F("starts_at") - back, ends_at=F("ends_at") - back,
        created_at=F("created_at") - back, results_revealed_at=F("results_revealed_at") - back,
        decided_at=F("decided_at") - back,
    )  # fmt: skip
    Participant.objects.filter(workshop=workshop).update(joined_at=F("joined_at") - back)
    Idea.objects.filter(workshop=workshop).update(created_at=F("created_at") - back)
    Grade.objects.filter(scenario__workshop=workshop).update(at=F("at") - back)
    JournalEntry.objects.filter(
        subject_type=ContentType.objects.get_for_model(Workshop), subject_id=workshop.pk
    ).update(at=F("at") - back)
    return workshop
