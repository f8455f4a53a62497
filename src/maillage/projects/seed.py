"""The projects of the demo territory, at three stages, built through the projects' own
services: one born from the demo's past workshop and under way; one finished, its needs
resolved and their requesters told; one just starting, with a request to join waiting."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from maillage.core.models import User
from maillage.mutualisation.models import Offer
from maillage.needs.models import Need, SharedNeed
from maillage.workshops.models import Workshop

from . import backlog, services
from .models import Item, Member, Project

OPEN = [Need.Status.QUALIFIE, Need.Status.ORIENTE, Need.Status.EN_ATELIER]


def _account(email: str) -> User | None:
    return User.objects.filter(email=email).select_related("person").first()


def _needs_of(title: str, count: int) -> list[Need]:
    shared = SharedNeed.objects.filter(title=title).first()
    if shared is None:
        return []
    return list(shared.needs.filter(status__in=OPEN).order_by("pk")[:count])


def _join(project: Project, lab: User, email: str, role: str) -> Member | None:
    user = _account(email)
    if user is None or not hasattr(user, "person"):
        return None
    return services.add_member(project=project, by=lab, person=user.person, role=role)


def _items(project, lab, step, titles, answers, assignee=None):
    """Write TITLES into STEP (each answering the needs in turn) and return them."""
    return [
        backlog.add_item(
            project=project,
            by=lab,
            title=title,
            step=step,
            assignee=assignee,
            answers=[answers[n % len(answers)]] if answers else [],
        )
        for n, title in enumerate(titles)
    ]


def _move(lab, item, column):
    item.refresh_from_db()
    backlog.move_item(item=item, by=lab, seen=item.version, column=column)


def _from_the_workshop(lab: User, today) -> Project | None:
    workshop = Workshop.objects.filter(decided_at__isnull=False).order_by("decided_at").first()
    if workshop is None:
        return None
    project = services.create_from_workshop(workshop=workshop, by=lab)  # with its needs
    sophie = _join(project, lab, "referente@maillage.localhost", Member.Role.CONTRIBUTEUR)
    _join(project, lab, "membre@maillage.localhost", Member.Role.OBSERVATEUR)
    step = services.plan_step(project=project, by=lab, starts_on=today - timedelta(weeks=2),
                              goal="Deux matinées d'essai de la navette vers le marché")  # fmt: skip
    services.start_step(step=step, by=lab)
    answers = list(project.needs.all())
    done, doing, _to_do = (
        _items(project, lab, step, ["Les habitants réservent un trajet par téléphone",
                                    "Les chauffeurs bénévoles savent qui ils prennent et où"],
               answers, assignee=sophie),
        _items(project, lab, step, ["Le minibus de la ville est prêté le jeudi matin"], answers),
        _items(project, lab, step, ["Les personnes âgées connaissent les horaires d'essai",
                                    "Chaque trajet est noté pour le bilan"], answers),
    )  # fmt: skip
    for item in done:
        _move(lab, item, Item.Column.FAIT)
    for item in doing:
        _move(lab, item, Item.Column.EN_COURS)
    backlog.add_item(project=project, by=lab, title="La navette va aussi à la CAF le mardi")
    services.plan_step(project=project, by=lab, goal="Trois mois d'essai, deux matinées par "
                       "semaine")  # fmt: skip
    return project


def _finished(lab: User, today) -> Project | None:
    answers = _needs_of("Ordinateurs à reconditionner", 6)
    if not answers:
        return None
    project = services.create_project(
        by=lab, title="Des ordinateurs reconditionnés pour les familles",
        purpose="Les entreprises du bassin donnent leurs ordinateurs ; une association en "
        "insertion les reconditionne ; les familles qui n'en ont pas en reçoivent un, avec une "
        "heure de prise en main.", dimensions={n.dimension for n in answers if n.dimension_id},
        answers=answers,
    )  # fmt: skip
    sophie = _join(project, lab, "referente@maillage.localhost", Member.Role.CONTRIBUTEUR)
    first = services.plan_step(project=project, by=lab, goal="Collecter et reconditionner",
                               starts_on=today - timedelta(weeks=10),
                               ends_on=today - timedelta(weeks=6))  # fmt: skip
    services.start_step(step=first, by=lab)
    collected = _items(project, lab, first, ["Trois entreprises donnent leurs anciens postes",
                                             "Les postes sont effacés et remis à neuf"],
                       answers, assignee=sophie)  # fmt: skip
    for item in collected:
        _move(lab, item, Item.Column.FAIT)
    second = services.plan_step(project=project, by=lab, starts_on=first.ends_on,
                                ends_on=today - timedelta(days=1),
                                goal="Remettre les ordinateurs avec une heure de prise en main")  # fmt: skip
    services.review_step(step=first, by=lab, delivered="42 ordinateurs prêts, effacés et "
                         "équipés de logiciels libres.", shown_to="Deux familles du Pont de "
                         "Bouc", feedback="Elles veulent apprendre à s'en servir, pas seulement "
                         "le recevoir.")  # fmt: skip
    card = backlog.add_card(step=first, by=lab, kind="essayer",
                            text="Faire la remise au tiers-lieu, en petit groupe")  # fmt: skip
    backlog.add_card(step=first, by=lab, kind="garder", text="Les points du lundi, courts")
    backlog.toggle_vote(card=card, by=lab)
    services.start_step(step=second, by=lab)
    backlog.choose_actions(step=first, by=lab, cards=[card])
    given = _items(project, lab, second, ["Chaque famille repart avec un ordinateur qui marche",
                                          "Chaque famille a une heure de prise en main"],
                   answers)  # fmt: skip
    for item in [*given, *second.items.exclude(pk__in=[i.pk for i in given])]:
        _move(lab, item, Item.Column.FAIT)
    room = Offer.objects.filter(bookable=True, auto_accept=True).order_by("pk").first()
    if room is not None:
        services.commit_means(project=project, by=lab, offer=room,
                              purpose="Les remises d'ordinateurs en petit groupe")  # fmt: skip
    services.review_step(step=second, by=lab, delivered="38 familles équipées et formées.",
                         shown_to="Le conseil citoyen", feedback="Une famille sur cinq "
                         "reviendra pour de l'aide : prévoir une permanence.")  # fmt: skip
    ready = services.needs_ready(project)
    services.resolve_needs(project=project, by=lab, messages={
        need.pk: services.resolution_message(project, items) for need, items in ready
    })  # fmt: skip
    services.change_status(project=project, by=lab, status=Project.Status.TERMINE)
    return project


def _starting(lab: User, today) -> Project | None:
    answers = _needs_of("Rendez-vous en ligne pour les papiers d'identité", 5)
    project = services.create_project(
        by=lab, title="Prendre rendez-vous pour ses papiers sans ordinateur",
        purpose="Que chacun puisse obtenir un rendez-vous pour sa carte d'identité ou son "
        "passeport, même sans ordinateur ni adresse électronique.",
        dimensions={n.dimension for n in answers if n.dimension_id}, answers=answers,
    )  # fmt: skip
    services.plan_step(project=project, by=lab, goal="Comprendre où les gens bloquent",
                       starts_on=today + timedelta(days=7))  # fmt: skip
    for title in ("Les habitants savent où prendre rendez-vous sans ordinateur",
                  "Les agents d'accueil prennent un rendez-vous pour quelqu'un",
                  "Les rendez-vous libérés sont proposés par téléphone"):  # fmt: skip
        backlog.add_item(project=project, by=lab, title=title, answers=answers[:1])
    julien = _account("membre@maillage.localhost")
    if julien is not None and hasattr(julien, "person"):
        services.request_to_join(project=project, by=julien,
                                 message="France Services prend déjà des rendez-vous.")  # fmt: skip
    return project


@transaction.atomic
def load_demo() -> dict[str, int]:
    lab = _account("animatrice@maillage.localhost")
    lab = lab or User.objects.filter(role=User.Role.ANIMATEUR).first()
    today = timezone.localdate()
    made = [make(lab, today) for make in (_from_the_workshop, _finished, _starting)]
    projects = [project for project in made if project is not None]
    return {"projets": len(projects), "éléments de projet": Item.objects.count()}


LARGE_TITLES = [
    "Un jardin partagé au pied des immeubles",
    "Des permanences numériques dans les écoles",
    "Covoiturage vers les zones d'activités",
    "Une recyclerie de quartier",
    "Des ateliers d'écriture de CV",
    "Un point d'accès aux droits au centre social",
]
LARGE_ITEMS = [
    "Les habitants savent où trouver l'aide",
    "Les familles prennent rendez-vous par téléphone",
    "Les bénévoles ont un planning partagé",
    "Le local est ouvert le samedi matin",
    "Chaque demande reçoit une réponse sous huit jours",
    "Les jeunes trouvent un stage",
]


def load_large(*, seed: int = 1, projects: int = 1_000, items_per_project: int = 50) -> dict:
    """Add PROJECTS projects, each with a group of five, three steps (one reviewed, one under
    way, one planned), five needs and ITEMS_PER_PROJECT items, in bulk (no services: speed)."""
    import random

    from maillage.core.models import Dimension
    from maillage.territory.models import Person

    from .models import Step

    rng = random.Random(seed)
    today, now = timezone.localdate(), timezone.now()
    people = list(Person.objects.values_list("pk", flat=True)[:20_000])
    need_ids = list(Need.objects.exclude(status__in=["resolu", "clos"])
                    .values_list("pk", flat=True)[:50_000])  # fmt: skip
    dimensions = list(Dimension.objects.all())
    batch = 100  # projects at a time
    made = 0
    while made < projects:
        chunk = [
            Project(
                title=f"{rng.choice(LARGE_TITLES)} ({made + n + 1})",
                purpose="Un projet du territoire, étape par étape.",
                status=rng.choice(["en-cours", "en-cours", "en-pause", "termine"]),
                created_at=now - timedelta(days=rng.uniform(0, 700)),
            )
            for n in range(min(batch, projects - made))
        ]
        Project.objects.bulk_create(chunk)
        Project.dimensions.through.objects.bulk_create(
            [
                Project.dimensions.through(project_id=p.pk, dimension_id=rng.choice(dimensions).pk)
                for p in chunk
            ]
        )
        links = {p.pk: rng.sample(need_ids, 5) for p in chunk} if len(need_ids) >= 5 else {}
        Project.needs.through.objects.bulk_create(
            [
                Project.needs.through(project_id=pk, need_id=n)
                for pk, ns in links.items()
                for n in ns
            ]
        )
        members = Member.objects.bulk_create(
            [
                Member(
                    project=p,
                    person_id=person,
                    accepted_at=now,
                    role="pilote" if k == 0 else "contributeur",
                )
                for p in chunk
                for k, person in enumerate(rng.sample(people, 5))
            ]
        )
        group = {p.pk: [m for m in members if m.project_id == p.pk] for p in chunk}
        steps = Step.objects.bulk_create(
            [
                Step(
                    project=p,
                    number=k + 1,
                    goal=f"Étape {k + 1}",
                    status=status,
                    starts_on=today + timedelta(weeks=4 * (k - 1)),
                    ends_on=today + timedelta(weeks=4 * k),
                )
                for p in chunk
                for k, status in enumerate(["terminee", "en-cours", "prevue"])
            ]
        )
        by_project = {p.pk: [s for s in steps if s.project_id == p.pk] for p in chunk}
        items = []
        for p in chunk:
            for k in range(items_per_project):
                step = rng.choice([*by_project[p.pk], None])
                column = (
                    "fait" if step and step.status == "terminee" else rng.choice(Item.Column.values)
                )
                items.append(Item(
                    project=p, step=step, title=rng.choice(LARGE_ITEMS), column=column,
                    position=k + 1, assignee=rng.choice([*group[p.pk], None]),
                    due_on=today + timedelta(days=rng.randint(-10, 60)) if rng.random() < 0.5 else None,
                    done_at=now if column == "fait" else None,
                ))  # fmt: skip
        Item.objects.bulk_create(items, batch_size=5_000)
        Item.needs.through.objects.bulk_create(
            [
                Item.needs.through(item_id=item.pk, need_id=rng.choice(links[item.project_id]))
                for item in items
                if links and rng.random() < 0.6
            ],
            batch_size=5_000,
        )
        made += len(chunk)
    return {"projets": made, "éléments de projet": made * items_per_project}
