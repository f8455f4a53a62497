"""Domain actions of the backlog, the steps' boards and the retrospectives.

Every change of an item names the version of it the person saw: the item's row is locked, and
a change made from a stale page is refused with a clear message (no lost update) — the page
then shows the fresh board."""

from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maillage.core.errors import DomainError
from maillage.core.journal import VERB_LABELS, record
from maillage.core.models import User
from maillage.needs.models import Need

from . import notices, services
from .models import Item, Member, Project, RetroCard, Step

VERB_LABELS.update(
    {
        "project-item-added": gettext_lazy("Élément ajouté au carnet"),
        "project-item-changed": gettext_lazy("Élément modifié"),
        "project-item-moved": gettext_lazy("Élément déplacé"),
        "project-retrospective": gettext_lazy("Rétrospective : actions retenues"),
    }
)
WORKING_ROLES = {Member.Role.PILOTE, Member.Role.CONTRIBUTEUR}


def can_contribute(project: Project, user: User) -> bool:
    """The lab's team, the pilots and the contributors write and move the items."""
    if not user.is_authenticated:
        return False
    if user.is_facilitator:
        return True
    return project.members.active().filter(person__user=user, role__in=WORKING_ROLES).exists()


def _contributing(project: Project, by: User) -> None:
    if not can_contribute(project, by):
        raise DomainError(
            _("Seuls les pilotes, les contributeurs du projet et l'équipe du laboratoire le font."),
            status=403,
        )


def _check_needs(project: Project, answers: Iterable[Need]) -> list[Need]:
    answers = services.open_needs(answers)
    theirs = set(project.needs.values_list("pk", flat=True))
    if foreign := [need.reference for need in answers if need.pk not in theirs]:
        raise DomainError(
            _("Ces besoins ne sont pas rattachés au projet : %(references)s.")
            % {"references": ", ".join(foreign)},
            code="foreign-need", status=422,
        )  # fmt: skip
    return answers


def _check_assignee(project: Project, assignee: Member | None) -> None:
    if assignee is not None and not project.members.active().filter(pk=assignee.pk).exists():
        raise DomainError(_("Confiez l'élément à un membre du groupe de travail."),
                          code="assignee", status=422)  # fmt: skip


def _check_due(due_on: date | None, before: date | None = None) -> None:
    if due_on is not None and due_on != before and due_on < timezone.localdate():
        raise DomainError(_("Cette date est déjà passée."), code="due", status=422)


def _last_position(project: Project, step: Step | None, column: str) -> int:
    siblings = project.items.filter(step=step, column=column)
    return (siblings.aggregate(last=Max("position"))["last"] or 0) + 1


def _open_step(project: Project, step: Step | None) -> None:
    if step is not None and (step.project_id != project.pk or step.status == Step.Status.TERMINEE):
        raise DomainError(_("Cette étape est terminée : choisissez-en une autre."),
                          code="step-over")  # fmt: skip


@transaction.atomic
def add_item(
    *,
    project: Project,
    by: User,
    title: str,
    details: str = "",
    answers: Iterable[Need] = (),
    step: Step | None = None,
    assignee: Member | None = None,
    due_on: date | None = None,
) -> Item:
    """Write an item into the backlog (or straight into a step), at the end."""
    _contributing(project, by)
    if not title.strip():
        raise DomainError(_("Dites ce que l'usager pourra faire."), code="title", status=422)
    answers = _check_needs(project, answers)
    _check_assignee(project, assignee)
    _check_due(due_on)
    _open_step(project, step)
    item = Item.objects.create(
        project=project, step=step, title=title.strip()[:300], details=details.strip()[:4000],
        position=_last_position(project, step, Item.Column.A_FAIRE), assignee=assignee,
        due_on=due_on, created_by=by,
    )  # fmt: skip
    item.needs.set(answers)
    record(project, "project-item-added", actor=by, item=item.pk)
    notices.item_written(item, by=by)
    return item


class StaleItem(DomainError):
    def __init__(self, item: Item):
        super().__init__(
            _("Quelqu'un a changé « %(title)s » entre-temps : voici le tableau à jour. "
              "Refaites votre geste si besoin.") % {"title": item.title},
            code="stale",
        )  # fmt: skip


def _fresh(item: Item, seen: int, by: User) -> Item:
    """The item as it is now, locked, if it is still the version SEEN."""
    current = Item.objects.select_for_update().select_related("project").get(pk=item.pk)
    _contributing(current.project, by)
    if current.version != seen:
        raise StaleItem(current)
    return current


def _save(item: Item, by: User, verb: str, **data) -> Item:
    item.version += 1
    item.save()
    record(item.project, verb, actor=by, item=item.pk, **data)
    return item


@transaction.atomic
def edit_item(
    *,
    item: Item,
    by: User,
    seen: int,
    title: str,
    details: str = "",
    answers: Iterable[Need] = (),
    assignee: Member | None = None,
    due_on: date | None = None,
) -> Item:
    item = _fresh(item, seen, by)
    if not title.strip():
        raise DomainError(_("Dites ce que l'usager pourra faire."), code="title", status=422)
    answers = _check_needs(item.project, answers)
    _check_assignee(item.project, assignee)
    _check_due(due_on, before=item.due_on)
    newly_assigned = assignee is not None and assignee.pk != item.assignee_id
    said_before = f"{item.title}\n{item.details}"
    item.title, item.details = title.strip()[:300], details.strip()[:4000]
    item.assignee, item.due_on = assignee, due_on
    _save(item, by, "project-item-changed")
    item.needs.set(answers)
    notices.item_written(item, by=by, assigned=newly_assigned, said_before=said_before)
    return item


@transaction.atomic
def move_item(*, item: Item, by: User, seen: int, column: str) -> Item:
    """Move the item to the end of another column of its step's board."""
    item = _fresh(item, seen, by)
    if column not in Item.Column.values:
        raise DomainError(_("Cette colonne n'existe pas."), code="column", status=422)
    if item.step_id is None:
        raise DomainError(_("Mettez d'abord l'élément dans une étape."), code="backlog")
    _open_step(item.project, item.step)
    if column == item.column:
        return item
    item.position = _last_position(item.project, item.step, column)
    item.column = column
    item.done_at = timezone.now() if column == Item.Column.FAIT else None
    return _save(item, by, "project-item-moved", column=column)


@transaction.atomic
def reorder_item(*, item: Item, by: User, seen: int, up: bool) -> Item:
    """Swap the item with its neighbour above (or below) in its list: the backlog, or its
    column of the board (ranks are distinct: an item always lands after the last one). Moving
    the first one up changes nothing."""
    item = _fresh(item, seen, by)
    siblings = Item.objects.select_for_update().filter(
        project=item.project_id, step=item.step_id, column=item.column
    )
    if up:
        neighbour = (
            siblings.filter(position__lte=item.position).exclude(pk=item.pk)
            .order_by("-position", "-pk").first()
        )  # fmt: skip
    else:
        neighbour = (
            siblings.filter(position__gte=item.position).exclude(pk=item.pk)
            .order_by("position", "pk").first()
        )  # fmt: skip
    if neighbour is None:
        return item
    item.position, neighbour.position = neighbour.position, item.position
    Item.objects.filter(pk=neighbour.pk).update(
        position=neighbour.position, version=F("version") + 1
    )
    return _save(item, by, "project-item-moved", up=up)


@transaction.atomic
def schedule_item(*, item: Item, by: User, seen: int, step: Step | None) -> Item:
    """Put a backlog item into a step (it lands in « À faire »), or take it back out."""
    item = _fresh(item, seen, by)
    _open_step(item.project, step)
    if item.step_id is not None:
        _open_step(item.project, item.step)
    if (step.pk if step else None) == item.step_id:
        return item
    item.step, item.column, item.done_at = step, Item.Column.A_FAIRE, None
    item.position = _last_position(item.project, step, Item.Column.A_FAIRE)
    return _save(item, by, "project-item-moved", step=step.number if step else None)


# Retrospectives


def _in_the_group(step: Step, by: User):
    step = Step.objects.select_related("project").get(pk=step.pk)  # as it is now
    person = getattr(by, "person", None) if by.is_authenticated else None
    member = person and step.project.members.active().filter(person=person).exists()
    if not (member or by.is_facilitator):
        raise DomainError(_("La rétrospective est celle du groupe de travail."), status=403)
    if step.status == Step.Status.PREVUE:
        raise DomainError(_("La rétrospective vient à la fin de l'étape."), code="early")
    return person


@transaction.atomic
def add_card(*, step: Step, by: User, kind: str, text: str) -> RetroCard:
    person = _in_the_group(step, by)
    if kind not in RetroCard.Kind.values:
        raise DomainError(_("Choisissez : à garder, à changer ou à essayer."), code="kind",
                          status=422)  # fmt: skip
    if not text.strip():
        raise DomainError(_("La carte est vide."), code="text", status=422)
    return RetroCard.objects.create(step=step, kind=kind, text=text.strip()[:500], author=person)


@transaction.atomic
def toggle_vote(*, card: RetroCard, by: User) -> bool:
    """Vote for a card, or take the vote back; one vote per person and card."""
    person = _in_the_group(card.step, by)
    if person is None:
        raise DomainError(_("Votez avec votre compte de membre du groupe."), status=403)
    if card.voters.filter(pk=person.pk).exists():
        card.voters.remove(person)
        return False
    card.voters.add(person)
    return True


@transaction.atomic
def choose_actions(*, step: Step, by: User, cards: Iterable[RetroCard]) -> list[Item]:
    """The cards the group retains become items: in the next step when it is planned, in the
    backlog otherwise."""
    if not services.can_steer(step.project, by):
        raise DomainError(_("Les pilotes retiennent les actions."), status=403)
    cards = [card for card in cards if card.step_id == step.pk and card.item_id is None]
    if not cards:
        raise DomainError(_("Cochez au moins une carte à retenir."), code="empty", status=422)
    following = step.project.steps.filter(number__gt=step.number).order_by("number").first()
    items = []
    for card in cards:
        item = add_item(project=step.project, by=by, title=card.text, step=following,
                        details=_("Action retenue à la rétrospective de l'étape %(number)s.")
                        % {"number": step.number})  # fmt: skip
        card.item = item
        card.save(update_fields=["item"])
        items.append(item)
    record(step.project, "project-retrospective", actor=by, step=step.number,
           items=[item.pk for item in items])  # fmt: skip
    return items
