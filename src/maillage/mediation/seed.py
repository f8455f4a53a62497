"""The demo's médiation numérique: a month of accompaniments by two médiateurs, through the real
services (journals are true), many of them answering the demo's needs of dematerialisation."""

import random
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from maillage.core import texts
from maillage.core.models import JournalEntry, User
from maillage.needs.models import Need
from maillage.territory.models import Place

from . import agenda, services
from .models import Absence, Accompaniment, Appointment, Beneficiary, Opening, Participation, Slot
from .services import AccompanimentFacts, PersonFacts
from .vocabulary import DURATION_PRESETS

MEDIATORS = ("animatrice@maillage.localhost", "animateur@maillage.localhost")

# What people come for, as the desk notes it: (thématiques, materials, the procedure, and the
# words of the demo's need it answers, if one does).
VISITS = [
    (["argent_impots"], ["ordinateur"], "Déclaration de revenus en ligne", "déclarer mes revenus"),
    (["social_sante", "email"], ["ordinateur"], "Compte ameli débloqué, adresse de courriel créée", "ameli"),
    (["social_sante"], ["telephone"], "Courrier de la CAF lu ensemble dans l'espace en ligne", "CAF"),
    (["papiers_elections_citoyennete"], ["ordinateur"], "Pré-demande de carte d'identité (ANTS)", "carte d'identité"),
    (["travail_formation", "insertion_professionnelle"], ["ordinateur"], "Inscription à France Travail", "France Travail"),
    (["logement"], ["ordinateur"], "Demande de logement social", "logement social"),
    (["papiers_elections_citoyennete"], ["telephone"], "Connexion avec FranceConnect", "FranceConnect"),
    (["prendre_en_main_du_materiel"], ["telephone"], "Prendre en main un nouveau téléphone", None),
    (["securite_numerique"], ["telephone"], "Reconnaître un message d'arnaque", "arnaque"),
    (["email", "navigation_sur_internet"], ["tablette"], "Envoyer une pièce jointe", None),
    (["reseaux_sociaux"], ["telephone"], "Appels vidéo avec la famille", "appels vidéo"),
]  # fmt: skip
WORKSHOPS = [
    ("Le courriel, pas à pas", "debutant", ["email"], ["ordinateur"]),
    ("Se protéger des arnaques en ligne", "debutant", ["securite_numerique"], ["telephone"]),
    ("Mon espace ameli et ma CAF", "intermediaire", ["social_sante"], ["ordinateur"]),
    ("Ranger ses photos", "debutant", ["gere_ses_contenus_numeriques"], ["tablette", "telephone"]),
]
PEOPLE = [
    ("Josiane", "Roux", "soixante_dix_plus", "feminin", "retraite", "13056", "06 12 34 56 78"),
    ("Ahmed", "Belkacem", "quarante_cinquante_neuf", "masculin", "sans_emploi", "13056", "06 23 45 67 89"),
    ("Lucienne", "Pons", "soixante_dix_plus", "feminin", "retraite", "13077", ""),
    ("Kevin", "Marchetti", "dix_huit_vingt_quatre", "masculin", "sans_emploi", "13056", "07 81 22 33 44"),
    ("Fatima", "Zerrouki", "vingt_cinq_trente_neuf", "feminin", "en_emploi", "13047", "06 98 76 54 32"),
]  # fmt: skip
ANONYMOUS = [
    ("soixante_soixante_neuf", "masculin", "13056"), ("quarante_cinquante_neuf", "feminin", "13056"),
    ("vingt_cinq_trente_neuf", "feminin", "13077"), ("soixante_dix_plus", "feminin", ""),
    ("dix_huit_vingt_quatre", "non_communique", "13026"),
]  # fmt: skip


def _backdate(accompaniment: Accompaniment, day) -> None:
    """The accompaniment noted the day it happened, at the desk's hours: its journal too."""
    when = datetime.combine(day, time(10 + accompaniment.pk % 7, 15),
                            tzinfo=timezone.get_current_timezone())  # fmt: skip
    Accompaniment.objects.filter(pk=accompaniment.pk).update(created_at=when)
    JournalEntry.objects.filter(verb="accompaniment-recorded", data__accompaniment=accompaniment.pk
                                ).update(at=when)  # fmt: skip
    JournalEntry.objects.about(accompaniment).update(at=when)


@transaction.atomic
def load_demo(*, days: int = 30) -> dict[str, int]:
    rng = random.Random(16)
    mediators = [User.objects.get(email=email) for email in MEDIATORS]
    today = timezone.localdate()
    known = [
        services.new_beneficiary(
            facts=PersonFacts(first_name=first, last_name=last, age_band=age, gender=gender,
                              social_status=status, commune=commune, phone=phone, consent=True),
            by=mediators[0],
        )
        for first, last, age, gender, status, commune, phone in PEOPLE
    ]  # fmt: skip
    month_ago = timezone.now() - timedelta(days=days + 1)
    Beneficiary.objects.filter(pk__in=[p.pk for p in known]).update(
        created_at=month_ago, consent_at=month_ago
    )
    # Each need is one person's: the same person comes back for it.
    open_needs = Need.objects.exclude(status__in=Need.CLOSED_STATUSES).order_by("pk")
    needs = {words: open_needs.filter(description__icontains=words).first()
             for *_facts, words in VISITS if words}  # fmt: skip
    whose: dict[int, list] = {}
    count = 0
    for offset in range(days, -1, -1):
        day = today - timedelta(days=offset)
        if day.weekday() >= 5:
            continue
        for _visit in range(rng.randint(1, 3)):
            themes, materials, details, words = rng.choice(VISITS)
            by = rng.choice(mediators)
            need = needs.get(words) if rng.random() < 0.6 else None
            people, new_person = whose.get(need.pk, []) if need else [], None
            if not people and rng.random() < 0.5:
                people = [rng.choice(known)]
            elif not people:
                age, gender, commune = rng.choice(ANONYMOUS)
                new_person = PersonFacts(age_band=age, gender=gender, commune=commune)
            redirected = rng.random() < 0.15
            done = services.record_accompaniment(
                facts=AccompanimentFacts(
                    day=day, duration=rng.choice(DURATION_PRESETS), thematiques=themes,
                    materials=materials, details=details,
                    autonomy=rng.choice(["entierement_accompagne", "partiellement_autonome",
                                         "autonome", ""]),
                    redirected=redirected, redirection="administration" if redirected else "",
                    place_type="a_distance" if rng.random() < 0.1 else "lieu_activite",
                ),
                by=by, people=people, new_person=new_person, need=need,
            )  # fmt: skip
            if need is not None:
                whose.setdefault(need.pk, list(done.beneficiaries.all()))
            _backdate(done, day)
            count += 1
        if day.weekday() == 2:  # Wednesday afternoon: a workshop
            title, level, themes, materials = WORKSHOPS[(offset // 7) % len(WORKSHOPS)]
            done = services.record_accompaniment(
                facts=AccompanimentFacts(kind="collectif", day=day, duration=120,
                                         workshop_title=title, workshop_level=level,
                                         thematiques=themes, materials=materials,
                                         anonymous_people=rng.randint(4, 9)),
                by=mediators[1], people=rng.sample(known, 2),
            )  # fmt: skip
            _backdate(done, day)
            count += 1
    return {"accompagnements": count, "rendez-vous": _appointments(mediators, rng, days=days)}


def _appointments(mediators, rng: random.Random, *, days: int) -> int:
    """Two weekly openings; the past month's appointments, kept or missed; the coming ones,
    some people reached by SMS only."""
    place = Place.objects.filter(archived_at__isnull=True).order_by("pk").first()
    today = timezone.localdate()
    start = today - timedelta(days=days)
    for mediator, weekday, hour in ((mediators[0], 1, 9), (mediators[1], 3, 14)):
        Opening.objects.create(mediator=mediator, weekday=weekday, start=time(hour), minutes=45,
                               count=4, place=place, starts_on=start)  # fmt: skip
    training = today + timedelta(days=21 + (3 - today.weekday()) % 7)  # a Thursday, later on
    Absence.objects.create(mediator=mediators[1], start=training, end=training,
                           why="Formation")  # fmt: skip
    agenda.publish(today=today)
    zone = timezone.get_current_timezone()
    booked = 0
    for offset in range(days, 0, -1):  # the past: slots as they were published then
        day = today - timedelta(days=offset)
        for opening in Opening.objects.filter(weekday=day.weekday()):
            for n in range(opening.count):
                if rng.random() < 0.35:
                    continue
                when = datetime.combine(day, opening.start, tzinfo=zone) + timedelta(minutes=45 * n)
                slot = Slot.objects.create(mediator=opening.mediator, place=place, opening=opening,
                                           starts_at=when, minutes=45)  # fmt: skip
                first, last, *_rest, phone = rng.choice(PEOPLE)
                Appointment.objects.create(
                    slot=slot, name=f"{first} {last}", phone=phone.replace(" ", "") or "+33612345678",
                    consent_at=when - timedelta(days=3), channel=rng.choice(Appointment.Channel.values),
                    status="absent" if rng.random() < 0.2 else "honore",
                    created_at=when - timedelta(days=3), reminded_at=when - timedelta(days=1),
                )  # fmt: skip
                booked += 1
    coming = list(Slot.objects.free().order_by("starts_at")[:12])
    for n, slot in enumerate(coming[::2]):
        first, last, *_rest, phone = PEOPLE[n % len(PEOPLE)]
        by_sms = n % 2 == 0 and phone  # some have no e-mail: reached by SMS only
        agenda.book(slot=slot, name=f"{first} {last}", phone=phone if by_sms else "",
                    email="" if by_sms else f"{first.lower()}@exemple.fr", consent=True,
                    what=VISITS[n][2], channel=Appointment.Channel.TELEPHONE, by=mediators[0])  # fmt: skip
        booked += 1
    texts.opt_out(PEOPLE[3][-1], why="réponse STOP")  # Kevin answered STOP to a reminder
    return booked


def load_large(*, seed: int = 1, count: int = 100_000, people: int = 30_000,
               batch: int = 5_000) -> int:  # fmt: skip
    """Add a year of COUNT accompaniments of PEOPLE people (one in ten collective), in bulk,
    for the benchmarks."""
    rng = random.Random(seed)
    mediators = list(User.objects.filter(role=User.Role.ANIMATEUR)[:20]) or [
        User.objects.create_user("mediateur-bench@maillage.localhost", role=User.Role.ANIMATEUR)
    ]
    need_ids = list(Need.objects.values_list("pk", flat=True)[:20_000]) or [None]
    bands, genders = [b for b, *_ in ANONYMOUS], [g for _b, g, _c in ANONYMOUS]
    Beneficiary.objects.bulk_create(
        [Beneficiary(age_band=rng.choice(bands), gender=rng.choice(genders),
                     commune_code=rng.choice(["13056", "13077", "13047", ""]))
         for _ in range(people)], batch_size=batch,
    )  # fmt: skip
    person_ids = list(Beneficiary.objects.values_list("pk", flat=True))
    today, seen, created = timezone.localdate(), set(), 0
    while created < count:
        accompaniments = []
        for _ in range(min(batch, count - created)):
            themes, materials, details, _words = rng.choice(VISITS)
            collective = rng.random() < 0.1
            accompaniments.append(Accompaniment(
                kind="collectif" if collective else "individuel",
                date=today - timedelta(days=rng.randint(0, 364)),
                duration=rng.choice(DURATION_PRESETS), thematiques=themes, materials=materials,
                details=details, mediator=rng.choice(mediators),
                workshop_title="Atelier" if collective else "",
                anonymous_people=rng.randint(3, 9) if collective else 0,
                autonomy="" if collective else rng.choice(["autonome", "partiellement_autonome"]),
                need_id=rng.choice(need_ids) if rng.random() < 0.3 else None,
            ))  # fmt: skip
        Accompaniment.objects.bulk_create(accompaniments, batch_size=batch)
        participations = []
        for accompaniment in accompaniments:
            person = rng.choice(person_ids)
            participations.append(Participation(accompaniment=accompaniment, beneficiary_id=person,
                                                first=person not in seen))  # fmt: skip
            seen.add(person)
        Participation.objects.bulk_create(participations, batch_size=batch)
        created += len(accompaniments)
    return created
