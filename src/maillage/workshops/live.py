"""A workshop in the room: joining with the code, the phases the facilitators drive, the
scenarios, and the grades participants give them."""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maillage.core.errors import DomainError
from maillage.core.journal import VERB_LABELS, record
from maillage.core.models import User
from maillage.needs import services as needs
from maillage.needs.models import Need

from . import broadcast, door
from .models import (
    Cluster,
    Criterion,
    Grade,
    Idea,
    Participant,
    Phase,
    Scenario,
    Workshop,
)

VERB_LABELS.update(
    {
        "workshop-phase": gettext_lazy("Nouvelle phase"),
        "workshop-results-revealed": gettext_lazy("Résultats montrés"),
        "workshop-decided": gettext_lazy("Décision de l'atelier"),
    }
)
SCENARIOS_MIN, SCENARIOS_MAX = 2, 5


def can_facilitate(workshop: Workshop, user: User) -> bool:
    return user.is_authenticated and (
        user.is_facilitator or workshop.facilitators.filter(pk=user.pk).exists()
    )


def _facilitating(workshop: Workshop, by: User) -> None:
    if not can_facilitate(workshop, by):
        raise DomainError(_("Seule l'animation de l'atelier le conduit."), status=403)


@transaction.atomic
def start_phase(*, workshop: Workshop, phase: Phase, by: User) -> Workshop:
    """Move the room to PHASE. Evaluation needs 2 to 5 scenarios."""
    workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
    _facilitating(workshop, by)
    if phase.workshop_id != workshop.pk:
        raise DomainError(_("Cette phase n'est pas celle de cet atelier."), status=422)
    if workshop.status not in door.JOINABLE:
        raise DomainError(_("Cet atelier est terminé."), code="over")
    if phase.kind == Phase.Kind.EVALUATION:
        count = workshop.scenarios.count()
        if not SCENARIOS_MIN <= count <= SCENARIOS_MAX:
            raise DomainError(
                _("Il faut entre deux et cinq scénarios pour les juger (il y en a %(count)s).")
                % {"count": count},
                code="scenarios",
            )
    workshop.current_phase, workshop.status = phase, Workshop.Status.EN_COURS
    workshop.phase_started_at = timezone.now()  # the room's timer counts from here
    workshop.save(update_fields=["current_phase", "status", "phase_started_at"])
    record(workshop, "workshop-phase", actor=by, phase=phase.kind)
    broadcast.changed(workshop.pk, "phase")
    return workshop


@transaction.atomic
def add_scenario(*, workshop: Workshop, by: User, title: str, **fields) -> Scenario:
    _facilitating(workshop, by)
    if not title.strip():
        raise DomainError(_("Donnez un titre au scénario."), code="title", status=422)
    if workshop.scenarios.count() >= SCENARIOS_MAX:
        raise DomainError(_("Cinq scénarios au plus : regroupez-en."), code="too-many")
    scenario = Scenario(
        workshop=workshop, title=title.strip(), position=workshop.scenarios.count(), **fields
    )
    scenario.full_clean()
    scenario.save()
    broadcast.changed(workshop.pk, "scenarios")
    return scenario


@transaction.atomic
def remove_scenario(*, scenario: Scenario, by: User) -> None:
    """Take back a scenario written by mistake: only before anyone grades it."""
    workshop = Workshop.objects.select_for_update().get(pk=scenario.workshop_id)
    _facilitating(workshop, by)
    if scenario.grades.exists():
        raise DomainError(_("Ce scénario a déjà reçu des mentions : il reste."), code="graded")
    scenario.delete()
    broadcast.changed(workshop.pk, "scenarios")


def grade(
    *, participant: Participant, scenario: Scenario, criterion: Criterion, value: int
) -> Grade:
    """Grade SCENARIO on CRITERION; a second grade replaces the first. Only while the room is
    in its evaluation phase, and only for this workshop's scenarios and criteria."""
    return _vote(participant, scenario, {criterion: value})[0]


def grade_scenario(
    *, participant: Participant, scenario: Scenario, values: dict[int, int]
) -> list[Grade]:
    """One ballot: SCENARIO graded on every criterion of the workshop (criterion id → value)."""
    criteria = list(Criterion.objects.filter(workshop_id=participant.workshop_id))
    return _vote(participant, scenario, complete_ballot(criteria, values))


def complete_ballot(criteria: list[Criterion], values: dict[int, int]) -> dict[Criterion, int]:
    """The ballot's grade for each of CRITERIA (the workshop's), or why it is not whole."""
    if missing := [c.label for c in criteria if c.pk not in values]:
        raise DomainError(
            _("Donnez une mention pour chaque critère (il manque : %(missing)s).")
            % {"missing": ", ".join(missing)},
            code="missing", status=422,
        )  # fmt: skip
    return {c: values[c.pk] for c in criteria}


@transaction.atomic
def _vote(participant: Participant, scenario: Scenario, values: dict[Criterion, int]):
    workshop = Workshop.objects.select_related("current_phase").get(pk=participant.workshop_id)
    check_ballot(workshop, participant, scenario, values)
    grades = ballot_grades(participant, scenario, values)
    save_grades(grades)
    broadcast.changed(workshop.pk, "results", often=True)
    return grades


def check_ballot(
    workshop: Workshop, participant: Participant, scenario: Scenario, values: dict[Criterion, int]
) -> None:
    """Refuse a ballot the room does not take now (WORKSHOP as read in the ballot's transaction:
    ballots written one by one and in batches (ballots.py) follow the same rules)."""
    door.may_vote(participant, workshop)
    if scenario.workshop_id != workshop.pk or any(c.workshop_id != workshop.pk for c in values):
        raise DomainError(_("Ce scénario ou ce critère n'est pas de cet atelier."), status=422)
    if any(value not in Grade.Value.values for value in values.values()):
        raise DomainError(_("Choisissez une mention de l'échelle."), code="value", status=422)
    phase = workshop.current_phase
    if phase is None or phase.kind != Phase.Kind.EVALUATION or workshop.results_revealed_at:
        raise DomainError(_("Le vote n'est pas ouvert en ce moment."), code="closed")


def ballot_grades(participant: Participant, scenario: Scenario, values: dict[Criterion, int]):
    now = timezone.now()
    return [
        Grade(participant=participant, scenario=scenario, criterion=c, value=v, at=now)
        for c, v in values.items()
    ]


def save_grades(grades: list[Grade]) -> None:
    """Write GRADES in one statement, each replacing the participant's earlier one. In the order
    of their key, so that two writers never wait on each other's rows in opposite orders."""
    grades = sorted(grades, key=lambda g: (g.participant_id, g.scenario_id, g.criterion_id))
    Grade.objects.bulk_create(
        grades, update_conflicts=True, update_fields=["value", "at"],
        unique_fields=["participant", "scenario", "criterion"],
    )  # fmt: skip


@transaction.atomic
def reveal_results(*, workshop: Workshop, by: User) -> Workshop:
    """Show the results: the vote closes."""
    workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
    _facilitating(workshop, by)
    if workshop.results_revealed_at is None:
        workshop.results_revealed_at = timezone.now()
        workshop.save(update_fields=["results_revealed_at"])
        record(workshop, "workshop-results-revealed", actor=by)
        broadcast.changed(workshop.pk, "phase", "results")
    return workshop


@transaction.atomic
def decide(*, workshop: Workshop, by: User, scenario: Scenario, decision: str) -> Workshop:
    """Record what the group decided: the chosen scenario, in its words. The workshop ends, and
    the open needs it came from move to « en atelier », telling their requesters."""
    workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
    _facilitating(workshop, by)
    if scenario.workshop_id != workshop.pk:
        raise DomainError(_("Ce scénario n'est pas de cet atelier."), status=422)
    if not decision.strip():
        raise DomainError(
            _("Écrivez la décision, dans les mots du groupe."), code="decision", status=422
        )
    if workshop.decided_at is not None:
        raise DomainError(_("La décision de cet atelier est déjà prise."), code="decided")
    workshop.chosen_scenario, workshop.decision = scenario, decision.strip()
    workshop.decided_at, workshop.status = timezone.now(), Workshop.Status.TERMINE
    workshop.save(update_fields=["chosen_scenario", "decision", "decided_at", "status"])
    record(workshop, "workshop-decided", actor=by, scenario=scenario.pk)
    broadcast.changed(workshop.pk, "phase")
    if workshop.shared_need_id:
        message = _("Votre besoin a été travaillé en atelier (« %(question)s »). Le groupe a retenu : %(title)s.") % {  # noqa: E501
            "question": workshop.question, "title": scenario.title,
        }  # fmt: skip
        # Every open need of the shared need, a need just received too (qualified on the way).
        movable = [Need.Status.RECU] + [
            s for s, allowed in Need.TRANSITIONS.items() if Need.Status.EN_ATELIER in allowed
        ]
        for need in workshop.shared_need.needs.filter(status__in=movable):
            needs.move_along(need=need, to=Need.Status.EN_ATELIER, by=by, message=message)
    return workshop


@transaction.atomic
def post_idea(*, participant: Participant, text: str) -> Idea:
    """Post an idea from a phone, during the idéation only."""
    door.refuse_if_excluded(participant)
    workshop = Workshop.objects.select_related("current_phase").get(pk=participant.workshop_id)
    text = text.strip()
    if not text:
        raise DomainError(_("L'idée est vide."), code="empty", status=422)
    if len(text) > Idea.LONGEST:
        raise DomainError(
            _("Une idée tient en %(limit)s caractères au plus (celle-ci en a %(count)s).")
            % {"limit": Idea.LONGEST, "count": len(text)},
            code="too-long",
            status=422,
        )
    phase = workshop.current_phase
    if phase is None or phase.kind != Phase.Kind.IDEATION:
        raise DomainError(_("Les idées se proposent pendant la phase d'idéation."), code="closed")
    idea = Idea.objects.create(workshop=workshop, participant=participant, text=text)
    broadcast.changed(workshop.pk, "ideas", often=True)
    return idea


@transaction.atomic
def group_ideas(*, workshop: Workshop, by: User, ideas: list[Idea], title: str) -> Cluster:
    """Put IDEAS in the group titled TITLE (created if the workshop has none of that title)."""
    _facilitating(workshop, by)
    if not title.strip():
        raise DomainError(_("Donnez un titre au groupe."), code="title", status=422)
    if len(title.strip()) > Cluster._meta.get_field("title").max_length:
        raise DomainError(_("Le titre d'un groupe tient en 160 caractères."), code="title",
                          status=422)  # fmt: skip
    if any(idea.workshop_id != workshop.pk for idea in ideas):
        raise DomainError(_("Ces idées ne sont pas de cet atelier."), status=422)
    cluster, _created = Cluster.objects.get_or_create(
        workshop=workshop, title=title.strip(),
        defaults={"position": workshop.clusters.count()},
    )  # fmt: skip
    Idea.objects.filter(pk__in=[idea.pk for idea in ideas]).update(cluster=cluster)
    broadcast.changed(workshop.pk, "ideas")
    return cluster


@transaction.atomic
def merge_ideas(*, workshop: Workshop, by: User, duplicate: Idea, into: Idea) -> Idea:
    """Fold a duplicate into the idea it repeats; it joins that idea's group."""
    _facilitating(workshop, by)
    duplicate, into = (Idea.objects.select_for_update().get(pk=i.pk) for i in (duplicate, into))
    if duplicate.pk == into.pk or {duplicate.workshop_id, into.workshop_id} != {workshop.pk}:
        raise DomainError(_("Ces deux idées ne peuvent pas être fusionnées."), status=422)
    target = into.merged_into or into  # never a chain of merges
    if target.pk == duplicate.pk:
        raise DomainError(_("Ces deux idées ne peuvent pas être fusionnées."), status=422)
    Idea.objects.filter(Q(pk=duplicate.pk) | Q(merged_into=duplicate)).update(
        merged_into=target, cluster=target.cluster
    )
    broadcast.changed(workshop.pk, "ideas")
    return target
