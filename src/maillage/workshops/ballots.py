"""The ballots of a hall's phones, written in batches.

Written one by one — a transaction each, its queries compiled each time — ballots capped a
process near 45 a second (issue 15); a hall of a thousand grading four scenarios in a minute
sends 67. Here each process has one writer thread: the ballots that came while it wrote the last
batch are written together, in one transaction of a handful of statements, and each phone is
answered only once its ballot is committed (a restart loses nothing a phone was told was saved).
The room's rules are checked against the room as read in that transaction (live.check_ballot),
the same rules as for a ballot written on its own."""

import logging
from collections import Counter
from concurrent.futures import Future
from dataclasses import dataclass, field

from django.db import DataError, IntegrityError, transaction
from django.db.models import Count
from django.utils import translation

from maillage.core.errors import DomainError
from maillage.core.lane import Batches

from . import broadcast, live
from .models import Criterion, Grade, Participant, Scenario, Workshop

logger = logging.getLogger(__name__)


@dataclass(eq=False)
class Ballot:
    workshop_id: int
    token: str  # the phone's participant
    scenario_id: int
    values: dict[int, int]  # criterion id → grade
    language: str
    answer: Future = field(default_factory=Future)  # the saved ballot's HTML, or a DomainError


def write(ballots: list[Ballot]) -> None:
    """Write a batch of ballots: one transaction per workshop."""
    by_workshop: dict[int, list[Ballot]] = {}
    for ballot in ballots:
        by_workshop.setdefault(ballot.workshop_id, []).append(ballot)
    for batch in by_workshop.values():
        _write_or_each(batch)


def _write_or_each(ballots: list[Ballot]) -> None:
    """Write BALLOTS together; if one of them breaks the batch (its scenario removed meanwhile,
    say), each on its own, so that it fails alone. A database gone fails them all (Batches):
    none is acknowledged, the phones send them again."""
    try:
        _write(ballots)
    except (IntegrityError, DataError):
        if len(ballots) == 1:
            logger.exception("A ballot could not be written")
            ballots[0].answer.set_exception(RuntimeError("ballot not written"))
            return
        for ballot in ballots:
            _write_or_each([ballot])


def _write(ballots: list[Ballot]) -> None:
    workshop_id = ballots[0].workshop_id
    outcomes: dict[Ballot, DomainError | tuple] = {}
    with transaction.atomic():
        workshop = Workshop.objects.select_related("current_phase").filter(pk=workshop_id).first()
        criteria = list(Criterion.objects.filter(workshop_id=workshop_id))
        scenarios = list(Scenario.objects.filter(workshop_id=workshop_id))
        by_pk = {scenario.pk: scenario for scenario in scenarios}
        participants = {
            p.token: p
            for p in Participant.objects.select_related("registration").filter(
                workshop_id=workshop_id, token__in={b.token for b in ballots}
            )
        }
        grades: dict[tuple[int, int, int], Grade] = {}  # the last ballot of a phone wins
        for ballot in ballots:
            participant = participants.get(ballot.token)
            scenario = by_pk.get(ballot.scenario_id)
            if workshop is None or participant is None or scenario is None:
                outcomes[ballot] = DomainError("", status=404)
                continue
            try:
                values = live.complete_ballot(criteria, ballot.values)
                live.check_ballot(workshop, participant, scenario, values)
            except DomainError as refused:
                outcomes[ballot] = refused
                continue
            for grade in live.ballot_grades(participant, scenario, values):
                grades[(participant.pk, scenario.pk, grade.criterion_id)] = grade
            outcomes[ballot] = (participant, scenario)
        if grades:
            live.save_grades(list(grades.values()))
            broadcast.changed(workshop_id, "results", often=True)
            judged = judged_counts({pk for pk, _s, _c in grades}, workshop_id, len(criteria))
    for ballot, outcome in outcomes.items():
        if isinstance(outcome, DomainError):
            ballot.answer.set_result(outcome)
            continue
        participant, scenario = outcome
        with translation.override(ballot.language):
            ballot.answer.set_result(broadcast.saved_ballot(
                scenario, judged=judged[participant.pk], scenarios=scenarios
            ))  # fmt: skip


def judged_counts(participants: set[int], workshop_id: int, criteria: int) -> Counter:
    """How many scenarios each of PARTICIPANTS has graded on every criterion."""
    rows = (
        Grade.objects.filter(participant_id__in=participants, scenario__workshop_id=workshop_id)
        .values("participant_id", "scenario_id")
        .annotate(graded=Count("pk"))
    )
    return Counter(row["participant_id"] for row in rows if row["graded"] >= criteria)


box = Batches("ballots", write)
