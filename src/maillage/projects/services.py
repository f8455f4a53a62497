"""Domain actions of the projects: they own their transaction and write the journal."""

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maillage.core.errors import DomainError
from maillage.core.journal import VERB_LABELS, record
from maillage.core.models import Dimension, User
from maillage.needs import services as needs
from maillage.needs.models import Need
from maillage.workshops.models import Workshop

from .models import Member, Project

VERB_LABELS.update({"project-created": gettext_lazy("Projet créé")})
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
        Member.objects.create(project=project, person=person, role=Member.Role.PILOTE)
    record(project, "project-created", actor=by, workshop=workshop.pk if workshop else None)
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
