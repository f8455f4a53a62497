"""Domain actions of the projects: they own their transaction and write the journal."""

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maillage.core.errors import DomainError
from maillage.core.journal import VERB_LABELS, record
from maillage.core.models import Dimension, User
from maillage.mutualisation import services as mutualisation
from maillage.mutualisation.models import Offer
from maillage.needs import services as needs
from maillage.needs.models import Need
from maillage.territory.models import Organisation, Person
from maillage.workshops.models import Workshop

from .models import Commitment, Decision, Item, Member, Project, Step

VERB_LABELS.update(
    {
        "project-created": gettext_lazy("Projet créé"),
        "project-join-requested": gettext_lazy("Demande pour rejoindre le groupe"),
        "project-member-added": gettext_lazy("Arrivée dans le groupe de travail"),
        "project-member-removed": gettext_lazy("Départ du groupe de travail"),
        "project-step-planned": gettext_lazy("Étape prévue"),
        "project-step-started": gettext_lazy("Étape commencée"),
        "project-step-reviewed": gettext_lazy("Revue d'étape"),
        "project-decision": gettext_lazy("Décision du projet"),
        "project-needs-resolved": gettext_lazy("Besoins résolus par le projet"),
        "project-status": gettext_lazy("Changement d'état du projet"),
        "project-needs-attached": gettext_lazy("Besoins rattachés au projet"),
        "project-means-committed": gettext_lazy("Moyen partagé engagé"),
    }
)
CLOSED = {Need.Status.RESOLU, Need.Status.CLOS}


def open_needs(answers: Iterable[Need]) -> list[Need]:
    """ANSWERS as they are now; refused, naming them, if some are resolved or closed."""
    answers = list(Need.objects.filter(pk__in=[need.pk for need in answers]).order_by("pk"))
    if closed := [need.reference for need in answers if need.status in CLOSED]:
        raise DomainError(
            _("Ces besoins sont déjà résolus ou clos : %(references)s.")
            % {"references": ", ".join(closed)},
            code="closed-need", status=422,
        )  # fmt: skip
    return answers


@transaction.atomic
def create_project(
    *,
    by: User,
    title: str,
    purpose: str,
    dimensions: Iterable[Dimension] = (),
    answers: Iterable[Need] = (),
    workshop: Workshop | None = None,
) -> Project:
    """Start a project; its creator pilots it. The needs it answers move to « en projet » and
    their requesters are told which project takes them on."""
    if not by.is_facilitator:
        raise DomainError(_("Seule l'équipe du laboratoire crée les projets."), status=403)
    if not title.strip() or not purpose.strip():
        raise DomainError(_("Donnez un titre et un but au projet."), code="title", status=422)
    answers = open_needs(answers)
    project = Project(title=title.strip()[:160], purpose=purpose.strip(), workshop=workshop,
                      created_by=by)  # fmt: skip
    project.full_clean(exclude=["workshop"])
    try:
        with transaction.atomic():
            project.save()
    except IntegrityError as taken:  # one project per workshop
        raise DomainError(_("Cet atelier a déjà son projet."), code="exists") from taken
    project.dimensions.set(dimensions)
    project.needs.set(answers)
    person = getattr(by, "person", None)
    if person is not None:
        Member.objects.create(
            project=project, person=person, role=Member.Role.PILOTE, accepted_at=timezone.now()
        )
    record(project, "project-created", actor=by, workshop=workshop.pk if workshop else None)
    if workshop is not None and workshop.decided_at:
        Decision.objects.create(
            project=project, title=workshop.chosen_scenario.title, context=workshop.question,
            options="\n".join(s.title for s in workshop.scenarios.all()),
            method=Decision.Method.JUGEMENT_MAJORITAIRE,
            taken_by=_("Les participants de l'atelier"), decided_on=workshop.decided_at.date(),
            recorded_by=by,
        )  # fmt: skip
    _take_on(project, answers, by)
    return project


def _take_on(project: Project, answers: list[Need], by: User) -> None:
    """The needs move to « en projet »; their requesters are told which project takes them on."""
    message = _("Le projet « %(title)s » prend votre besoin en charge.") % {"title": project.title}
    for need in answers:
        if need.status != Need.Status.EN_PROJET:
            needs.move_along(need=need, to=Need.Status.EN_PROJET, by=by, message=message)


@transaction.atomic
def attach_needs(*, project: Project, by: User, answers: Iterable[Need]) -> list[Need]:
    """Link more needs to the project (a need raised since, that it answers too)."""
    if not by.is_facilitator:
        raise DomainError(_("L'équipe du laboratoire rattache les besoins aux projets."),
                          status=403)  # fmt: skip
    answers = [
        need for need in open_needs(answers) if not project.needs.filter(pk=need.pk).exists()
    ]
    if not answers:
        raise DomainError(_("Ces besoins sont déjà rattachés au projet."), code="empty", status=422)
    project.needs.add(*answers)
    record(project, "project-needs-attached", actor=by, needs=[n.reference for n in answers])
    _take_on(project, answers, by)
    return answers


def create_from_workshop(*, workshop: Workshop, by: User) -> Project:
    """The workshop's chosen scenario becomes the project, with the group's decision as its
    purpose and the needs the workshop worked on."""
    if workshop.decided_at is None or workshop.chosen_scenario is None:
        raise DomainError(_("L'atelier n'a pas encore décidé de scénario."), code="undecided")
    scenario = workshop.chosen_scenario
    purpose = "\n\n".join(part for part in (workshop.decision, scenario.changes) if part.strip())
    answers = []
    if workshop.shared_need_id:
        answers = list(workshop.shared_need.needs.exclude(status__in=CLOSED))
    dimensions = {need.dimension for need in answers if need.dimension_id}
    return create_project(
        by=by, title=scenario.title, purpose=purpose, dimensions=dimensions, answers=answers,
        workshop=workshop,
    )  # fmt: skip


def can_steer(project: Project, user: User) -> bool:
    """The lab's team and the project's pilots run its working group."""
    if not user.is_authenticated:
        return False
    if user.is_facilitator:
        return True
    return project.members.active().filter(person__user=user, role=Member.Role.PILOTE).exists()


def _steering(project: Project, by: User) -> None:
    if not can_steer(project, by):
        raise DomainError(_("Seuls les pilotes du projet et l'équipe du laboratoire le font."),
                          status=403)  # fmt: skip


@transaction.atomic
def change_status(*, project: Project, by: User, status: str) -> Project:
    """Pause, resume, finish or abandon the project (its pilots or the lab's team)."""
    _steering(project, by)
    if status not in Project.Status.values:
        raise DomainError(_("Cet état n'existe pas."), code="status", status=422)
    project.status = status
    project.save(update_fields=["status"])
    record(project, "project-status", actor=by, status=status)
    return project


@transaction.atomic
def request_to_join(
    *, project: Project, by: User, organisation: Organisation | None = None, message: str = ""
) -> Member:
    """Ask to join the working group; a pilot accepts."""
    person = getattr(by, "person", None) if by.is_authenticated else None
    if person is None:
        raise DomainError(_("Connectez-vous avec un compte de la plateforme pour rejoindre."),
                          status=403)  # fmt: skip
    if project.status in {Project.Status.TERMINE, Project.Status.ABANDONNE}:
        raise DomainError(_("Ce projet est terminé."), code="over")
    if (
        organisation is not None
        and not person.memberships.filter(organisation=organisation).exists()
    ):
        raise DomainError(_("Vous ne faites pas partie de cette structure."), status=403)
    if project.members.filter(person=person).exists():
        raise DomainError(_("Vous êtes déjà dans ce groupe, ou votre demande attend."),
                          code="already")  # fmt: skip
    member = Member.objects.create(project=project, person=person, organisation=organisation,
                                   message=message.strip()[:1000])  # fmt: skip
    record(project, "project-join-requested", actor=by, member=member.pk)
    return member


@transaction.atomic
def add_member(
    *,
    project: Project,
    by: User,
    person: Person,
    role: str = Member.Role.CONTRIBUTEUR,
    organisation: Organisation | None = None,
) -> Member:
    """A pilot brings someone into the group, or accepts their request (with its role)."""
    _steering(project, by)
    if role not in Member.Role.values:
        raise DomainError(_("Ce rôle n'existe pas."), code="role", status=422)
    member, created = Member.objects.get_or_create(
        project=project, person=person,
        defaults={"role": role, "organisation": organisation, "accepted_at": timezone.now()},
    )  # fmt: skip
    if not created:
        if member.accepted_at is not None:
            raise DomainError(_("Cette personne est déjà dans le groupe."), code="already")
        member.role, member.accepted_at = role, timezone.now()
        member.save(update_fields=["role", "accepted_at"])
    record(project, "project-member-added", actor=by, member=member.pk, role=role)
    return member


@transaction.atomic
def remove_member(*, member: Member, by: User) -> None:
    """Take someone out of the group, or decline their request. A project keeps a pilot."""
    project = member.project
    leaving_alone = member.person.user_id == by.pk
    if not leaving_alone:
        _steering(project, by)
    if unfinished := list(member.items.open().values_list("title", flat=True)[:5]):
        raise DomainError(
            _("%(name)s a encore à faire : %(items)s. Confiez-le à quelqu'un d'autre avant.")
            % {"name": member.person.full_name,
               "items": ", ".join(f"« {title} »" for title in unfinished)},
            code="assigned",
        )  # fmt: skip
    pilots = project.members.active().filter(role=Member.Role.PILOTE)
    if member.role == Member.Role.PILOTE and member.accepted_at and pilots.count() == 1:
        raise DomainError(_("Le projet garde au moins un pilote : nommez-en un autre avant."),
                          code="last-pilot")  # fmt: skip
    record(project, "project-member-removed", actor=by, member=member.pk)
    member.items.update(assignee=None)  # what they did stays done, and in the journal
    member.delete()


# A step lasts 3 to 6 weeks by default; 1 to 12 are accepted.
STEP_WEEKS, SHORTEST_STEP, LONGEST_STEP = 4, timedelta(weeks=1), timedelta(weeks=12)


@transaction.atomic
def plan_step(
    *,
    project: Project,
    by: User,
    goal: str,
    starts_on: date | None = None,
    ends_on: date | None = None,
) -> Step:
    """Add the next step; by default it starts when the last one ends and lasts four weeks."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    _steering(project, by)
    if not goal.strip():
        raise DomainError(_("Donnez son but à l'étape."), code="goal", status=422)
    last = project.steps.order_by("-number").first()
    starts_on = starts_on or (last.ends_on if last else timezone.localdate())
    ends_on = ends_on or starts_on + timedelta(weeks=STEP_WEEKS)
    if ends_on <= starts_on:
        raise DomainError(_("L'étape doit finir après son début."), code="order", status=422)
    if not SHORTEST_STEP <= ends_on - starts_on <= LONGEST_STEP:
        raise DomainError(_("Une étape dure d'une à douze semaines."), code="length", status=422)
    step = Step.objects.create(project=project, number=(last.number + 1) if last else 1,
                               goal=goal.strip(), starts_on=starts_on, ends_on=ends_on)  # fmt: skip
    record(project, "project-step-planned", actor=by, step=step.number)
    return step


@transaction.atomic
def start_step(*, step: Step, by: User) -> Step:
    """Make STEP the current one: the step before must have had its review."""
    project = Project.objects.select_for_update().get(pk=step.project_id)
    _steering(project, by)
    step = Step.objects.get(pk=step.pk)
    if step.status != Step.Status.PREVUE:
        raise DomainError(_("Cette étape a déjà commencé."), code="started")
    if project.steps.filter(status=Step.Status.EN_COURS).exists():
        raise DomainError(_("Faites d'abord la revue de l'étape en cours."), code="current")
    step.status = Step.Status.EN_COURS
    step.save(update_fields=["status"])
    record(project, "project-step-started", actor=by, step=step.number)
    return step


@transaction.atomic
def review_step(
    *,
    step: Step,
    by: User,
    delivered: str,
    shown_to: str = "",
    feedback: str = "",
    next_goal: str = "",
) -> Step:
    """The step's review: what was delivered, to whom it was shown, what they said. The next
    step's goal is set here (the plan adapts): it is planned at once, to start when this ends."""
    project = Project.objects.select_for_update().get(pk=step.project_id)
    _steering(project, by)
    step = Step.objects.get(pk=step.pk)
    if step.status != Step.Status.EN_COURS:
        raise DomainError(_("Seule l'étape en cours passe en revue."), code="not-current")
    if not delivered.strip():
        raise DomainError(_("Dites ce qui a été livré, même peu."), code="delivered", status=422)
    step.delivered, step.shown_to, step.feedback = (
        delivered.strip(),
        shown_to.strip(),
        feedback.strip(),
    )
    step.status, step.reviewed_at = Step.Status.TERMINEE, timezone.now()
    step.save()
    record(project, "project-step-reviewed", actor=by, step=step.number)
    if next_goal.strip() and not project.steps.filter(number__gt=step.number).exists():
        plan_step(
            project=project,
            by=by,
            goal=next_goal,
            starts_on=max(step.ends_on, timezone.localdate()),
        )
    return step


@transaction.atomic
def record_decision(
    *,
    project: Project,
    by: User,
    title: str,
    method: str,
    taken_by: str,
    decided_on: date | None = None,
    context: str = "",
    options: str = "",
) -> Decision:
    """Write a decision into the project's log."""
    _steering(project, by)
    decided_on = decided_on or timezone.localdate()
    if not title.strip() or not taken_by.strip():
        raise DomainError(_("Dites ce qui a été décidé, et par qui."), code="title", status=422)
    if method not in Decision.Method.values:
        raise DomainError(_("Dites comment la décision a été prise."), code="method", status=422)
    if decided_on > timezone.localdate():
        raise DomainError(_("Une décision se note une fois prise, pas avant."), code="future",
                          status=422)  # fmt: skip
    decision = Decision.objects.create(
        project=project, title=title.strip()[:300], context=context.strip(),
        options=options.strip(), method=method, taken_by=taken_by.strip()[:300],
        decided_on=decided_on, recorded_by=by,
    )  # fmt: skip
    record(project, "project-decision", actor=by, decision=decision.pk)
    return decision


# Closing the loop: needs answered by what the project delivered


def needs_ready(project: Project) -> list[tuple[Need, list[Item]]]:
    """The project's open needs whose items are all done, in steps that had their review:
    what the group delivered answers them. Each with those items."""
    items = (
        project.items.filter(needs__isnull=False).select_related("step")
        .prefetch_related("needs").distinct()
    )  # fmt: skip
    by_need: dict[int, list[Item]] = {}
    for item in items:
        for need in item.needs.all():
            by_need.setdefault(need.pk, []).append(item)
    open_needs = project.needs.exclude(status__in=CLOSED).filter(pk__in=by_need).order_by("pk")
    return [
        (need, by_need[need.pk]) for need in open_needs
        if all(item.column == Item.Column.FAIT and item.step
               and item.step.status == Step.Status.TERMINEE for item in by_need[need.pk])
    ]  # fmt: skip


def resolution_message(project: Project, items: Iterable[Item]) -> str:
    """The words to the requester, built from what was delivered: the items, then what each
    step's review said it delivered."""
    items = list(items)
    lines = [_("Le projet « %(title)s » a réalisé ce qui répond à votre besoin :")
             % {"title": project.title}]  # fmt: skip
    lines += [f"- {item.title}" for item in items]
    for step in sorted({item.step for item in items if item.step}, key=lambda s: s.number):
        lines.append(_("Livré à l'étape %(number)s : %(delivered)s")
                     % {"number": step.number, "delivered": step.delivered})  # fmt: skip
    return "\n".join(lines)


@transaction.atomic
def resolve_needs(*, project: Project, by: User, messages: dict[int, str]) -> list[Need]:
    """Resolve the needs (their ids and the message to each requester in MESSAGES) that the
    project's deliveries answer, through the permanence's services: journaled, requesters told.
    All or nothing."""
    if not by.is_facilitator:
        raise DomainError(_("L'équipe du laboratoire confirme la résolution des besoins."),
                          status=403)  # fmt: skip
    ready = {need.pk: need for need, _items in needs_ready(project)}
    if not messages:
        raise DomainError(_("Cochez au moins un besoin."), code="empty", status=422)
    if unready := [pk for pk in messages if pk not in ready]:
        raise DomainError(
            _("Ces besoins ne sont pas prêts : ce qui leur répond n'est pas fait et revu "
              "(%(ids)s).")
            % {"ids": ", ".join(map(str, unready))}, code="not-ready",
        )  # fmt: skip
    resolved = [
        needs.change_status(need=ready[pk], to=Need.Status.RESOLU, by=by, message=message)
        for pk, message in messages.items()
    ]
    record(project, "project-needs-resolved", actor=by,
           needs=[need.reference for need in resolved])  # fmt: skip
    return resolved


# Shared means committed to the project


@transaction.atomic
def commit_means(
    *,
    project: Project,
    by: User,
    offer: Offer,
    purpose: str,
    start: datetime | None = None,
    end: datetime | None = None,
) -> Commitment:
    """Commit a means or a skill of the mutualisation register to the project; with a slot, the
    means is booked through the mutualisation's booking service (its rules, its owners' answer)."""
    _steering(project, by)
    if not purpose.strip():
        raise DomainError(_("Dites pour quoi faire."), code="purpose", status=422)
    if offer.status == Offer.Status.RETIREE:
        raise DomainError(_("Cette offre n'est plus proposée."), code="withdrawn")
    if (start is None) != (end is None):
        raise DomainError(_("Donnez le début et la fin du créneau."), code="slot", status=422)
    booking = None
    if start is not None:
        booking = mutualisation.request_booking(
            offer=offer, by=by, start=start, end=end,
            purpose=(_("Projet « %(title)s » : %(purpose)s")
                     % {"title": project.title, "purpose": purpose.strip()})[:300],
        )  # fmt: skip
    commitment = Commitment.objects.create(
        project=project, offer=offer, booking=booking, purpose=purpose.strip()[:300],
        committed_by=by,
    )  # fmt: skip
    record(project, "project-means-committed", actor=by, offer=offer.pk,
           booking=booking.pk if booking else None)  # fmt: skip
    return commitment
