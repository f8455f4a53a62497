"""Domain actions of the projects: they own their transaction and write the journal."""

from collections.abc import Iterable
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maillage.core.errors import DomainError
from maillage.core.journal import VERB_LABELS, record
from maillage.core.models import Dimension, User
from maillage.needs import services as needs
from maillage.needs.models import Need
from maillage.territory.models import Organisation, Person
from maillage.workshops.models import Workshop

from .models import Decision, Member, Project, Step

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
    }
)
CLOSED = {Need.Status.RESOLU, Need.Status.CLOS}


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
    answers = list(answers)
    if closed := [need.reference for need in answers if need.status in CLOSED]:
        raise DomainError(
            _("Ces besoins sont déjà résolus ou clos : %(references)s.")
            % {"references": ", ".join(closed)},
            code="closed-need", status=422,
        )  # fmt: skip
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
    message = _("Le projet « %(title)s » prend votre besoin en charge.") % {"title": project.title}
    for need in answers:
        if need.status != Need.Status.EN_PROJET:
            needs.change_status(need=need, to=Need.Status.EN_PROJET, by=by, message=message)
    return project


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
    pilots = project.members.active().filter(role=Member.Role.PILOTE)
    if member.role == Member.Role.PILOTE and member.accepted_at and pilots.count() == 1:
        raise DomainError(_("Le projet garde au moins un pilote : nommez-en un autre avant."),
                          code="last-pilot")  # fmt: skip
    record(project, "project-member-removed", actor=by, member=member.pk)
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
