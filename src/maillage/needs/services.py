"""Domain actions of the permanence. A need changes only through these functions, each of
which owns its transaction and writes the need's journal."""

import contextlib
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maillage.core import outbox, texts
from maillage.core.delays import add_working_days
from maillage.core.embedding import embed_later
from maillage.core.errors import DomainError
from maillage.core.journal import VERB_LABELS, record
from maillage.core.models import Dimension, Thematique, User
from maillage.core.search import stem_document
from maillage.core.text import search_document
from maillage.territory.models import Organisation

from .models import Need, ReferenceCounter, SharedNeed

Status = Need.Status

VERB_LABELS.update(
    {
        "need-raised": gettext_lazy("Besoin reçu"),
        "need-assigned": gettext_lazy("Responsable désigné"),
        "need-qualified": gettext_lazy("Besoin qualifié"),
        "need-status": gettext_lazy("Nouvel état"),
        "need-answered": gettext_lazy("Réponse au demandeur"),
        "need-note": gettext_lazy("Note interne"),
        "need-waiting": gettext_lazy("En attente du demandeur"),
        "need-resumed": gettext_lazy("Reprise après l'attente"),
        "requester-message": gettext_lazy("Message du demandeur"),
        "contact-erased": gettext_lazy("Coordonnées effacées"),
        "need-shared": gettext_lazy("Rattaché à un besoin commun"),
        "shared-need-created": gettext_lazy("Besoin commun créé"),
    }
)


def _first_answer_due(now):
    return add_working_days(now, settings.NEEDS_FIRST_ANSWER_WORKING_DAYS)


def _news_due(now):
    return now + timedelta(days=settings.NEEDS_FOLLOW_UP_DAYS)


def _next_reference(now) -> str:
    counter, _ = ReferenceCounter.objects.select_for_update().get_or_create(year=now.year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"B-{now.year}-{counter.last:05d}"


def facilitators():
    return User.objects.team()


def pick_owner() -> User | None:
    """Give a new need to the facilitator with the fewest open needs (coordinators and
    administrators only when the lab has no facilitator)."""
    candidates = facilitators().annotate(
        load=Count("owned_needs", filter=~Q(owned_needs__status__in=Need.CLOSED_STATUSES))
    )
    for role in (User.Role.ANIMATEUR, User.Role.COORDINATEUR):
        if chosen := candidates.filter(role=role).order_by("load", "pk").first():
            return chosen
    return candidates.order_by("load", "pk").first()


def _refresh_search_text(record: Need | SharedNeed) -> None:
    """Fold (PostgreSQL's french search) and stem (SQLite's FTS5) the texts that find RECORD."""
    parts = (record.title, record.description, getattr(record, "neighbourhood", ""))
    record.search_text = search_document(*parts)
    record.search_stems = stem_document(*parts)


def _tell_requester(need: Need, template: str, subject: str, key: str | None = None,
                     **context) -> None:  # fmt: skip
    """Tell the requester by e-mail; without one, by a short SMS with their link (unless their
    number said stop: an automatic message is then not sent, and nothing is refused)."""
    context = {"need": need, "SITE_URL": settings.SITE_URL, **context}
    if need.requester_email:
        body = render_to_string(f"needs/emails/{template}.txt", context)
        outbox.send(to=need.requester_email, subject=subject, body=body, about=need, key=key)
    elif need.requester_phone:
        with contextlib.suppress(DomainError):  # opted out, or a number mistyped at the desk
            texts.send(to=need.requester_phone, about=need, key=key,
                       body=render_to_string(f"needs/sms/{template}.txt", context))  # fmt: skip


@transaction.atomic
def raise_need(
    *,
    description: str,
    consent: bool,
    title: str = "",
    dimension: Dimension | None = None,
    name: str = "",
    email: str = "",
    phone: str = "",
    neighbourhood: str = "",
    channel: str = Need.Channel.EN_LIGNE,
    organisation: Organisation | None = None,
    shared_need: SharedNeed | None = None,
    by: User | None = None,
) -> Need:
    """Record a need, give it an owner and a due date, and tell the requester its reference.

    Every call records a need: a form or a request sent twice is recognised by its key, before
    (see `core.idempotency`), never by its words."""
    description = description.strip()
    if not description:
        raise DomainError(_("Décrivez le besoin en quelques mots."), code="empty")
    if (email or phone or name) and not consent:
        raise DomainError(
            _("Pour garder vos coordonnées, nous avons besoin de votre accord."), code="consent"
        )
    now = timezone.now()
    need = Need(
        reference=_next_reference(now),
        title=title.strip(),
        description=description,
        dimension=dimension,
        requester_name=name.strip() if consent else "",
        requester_email=email.strip().lower() if consent else "",
        requester_phone=phone if consent else "",
        neighbourhood=neighbourhood.strip(),
        consent_at=now if consent else None,
        channel=channel,
        organisation=organisation,
        raised_by=by if by is not None and by.is_authenticated else None,
        owner=pick_owner(),
        due_at=_first_answer_due(now),
        answer_promised_at=_first_answer_due(now),
        created_at=now,
    )
    _refresh_search_text(need)
    need.full_clean()
    need.save()
    embed_later(need)
    record(need, "need-raised", actor=need.raised_by, public=True, channel=channel)
    if need.owner:
        record(need, "need-assigned", actor=None, owner=need.owner.email)
    if shared_need is not None:
        _link(need, shared_need, by=need.raised_by)
    _tell_requester(
        need,
        "received",
        _("Votre besoin %(reference)s est bien reçu") % {"reference": need.reference},
        key=f"need-received:{need.pk}",
    )
    return need


def _locked(need: Need) -> Need:
    return Need.objects.select_for_update().get(pk=need.pk)


@transaction.atomic
def assign_need(*, need: Need, to: User, by: User) -> Need:
    """Give the need to another facilitator; an open need is never left without one."""
    need = _locked(need)
    if not facilitators().filter(pk=to.pk).exists():
        raise DomainError(_("Seul un membre de l'équipe du laboratoire peut suivre un besoin."))
    need.owner = to
    need.save(update_fields=["owner", "updated_at"])
    record(need, "need-assigned", actor=by, owner=to.email)
    return need


@transaction.atomic
def qualify_need(
    *,
    need: Need,
    by: User,
    title: str,
    dimension: Dimension | None,
    thematique: Thematique | None = None,
) -> Need:
    """Name the need and place it in a dimension and a thématique; a new need becomes qualifié."""
    need = _locked(need)
    if thematique is not None and dimension is not None and thematique.dimension_id != dimension.pk:
        raise DomainError(_("Cette thématique n'appartient pas à la dimension choisie."))
    need.title, need.dimension, need.thematique = title.strip(), dimension, thematique
    _refresh_search_text(need)
    if need.status == Status.RECU:
        need.status = Status.QUALIFIE
    need.full_clean()
    need.save()
    embed_later(need)
    record(
        need,
        "need-qualified",
        actor=by,
        title=need.title,
        dimension=dimension.code if dimension else None,
        thematique=thematique.code if thematique else None,
    )
    return need


@transaction.atomic
def change_status(
    *, need: Need, to: str, by: User | None, message: str = "", reason: str = ""
) -> Need:
    """Move the need along its lifecycle. Closing or resolving tells the requester why."""
    need = _locked(need)
    to = Status(to)
    if to not in Need.TRANSITIONS[Status(need.status)]:
        raise DomainError(
            _("Un besoin « %(current)s » ne peut pas passer à « %(target)s ».")
            % {"current": Status(need.status).label, "target": to.label},
            code="transition",
        )
    message = message.strip()
    if to in Need.CLOSED_STATUSES and not message:
        raise DomainError(_("Dites au demandeur pourquoi le besoin se termine."), code="message")
    if to == Status.CLOS and reason not in Need.ClosureReason.values:
        raise DomainError(_("Choisissez la raison de la clôture."), code="reason")
    now = timezone.now()
    _stop_waiting(need, now)
    need.status = to
    if to in Need.CLOSED_STATUSES:
        need.closed_at, need.due_at = now, None
        need.closure_reason = reason if to == Status.CLOS else ""
    else:
        need.closed_at, need.closure_reason = None, ""
        need.due_at = _news_due(now)
        need.owner = need.owner or pick_owner()
    need.full_clean()
    need.save()
    record(need, "need-status", actor=by, public=True, message=message, status=to, reason=reason)
    if to in Need.CLOSED_STATUSES:
        _tell_requester(
            need,
            "closed",
            _("Votre besoin %(reference)s : %(status)s")
            % {"reference": need.reference, "status": to.label.lower()},
            message=message,
        )
    return need


def move_along(*, need: Need, to: str, by: User | None, message: str = "") -> Need:
    """Move NEED to TO as part of an action on many needs (a workshop's decision, a project):
    a need not yet qualified is qualified on the way, each step journaled, so that the action
    takes every need it names instead of refusing them all for one."""
    to = Status(to)
    if Status(need.status) == Status.RECU and to not in Need.TRANSITIONS[Status.RECU]:
        need = change_status(need=need, to=Status.QUALIFIE, by=by)
    return change_status(need=need, to=to, by=by, message=message)


@transaction.atomic
def answer_need(*, need: Need, by: User, message: str) -> Need:
    """Write to the requester; the next news is then due within the follow-up delay."""
    need = _locked(need)
    message = message.strip()
    if not message:
        raise DomainError(_("La réponse est vide."), code="empty")
    if not need.is_open:
        raise DomainError(_("Ce besoin est terminé : rouvrez-le pour répondre."), code="closed")
    now = timezone.now()
    need.first_answered_at = need.first_answered_at or now
    need.due_at = _news_due(now)
    need.save(update_fields=["first_answered_at", "due_at", "updated_at"])
    record(need, "need-answered", actor=by, public=True, message=message)
    _tell_requester(
        need,
        "answer",
        _("Du nouveau sur votre besoin %(reference)s") % {"reference": need.reference},
        message=message,
    )
    return need


@transaction.atomic
def add_note(*, need: Need, by: User, text: str) -> None:
    """Keep an internal note: the requester never sees it."""
    if not text.strip():
        raise DomainError(_("La note est vide."), code="empty")
    record(_locked(need), "need-note", actor=by, message=text.strip())


@transaction.atomic
def requester_writes(*, need: Need, text: str) -> Need:
    """The requester adds information: the team owes an answer within the first-answer delay."""
    need = _locked(need)
    if not text.strip():
        raise DomainError(_("Votre message est vide."), code="empty")
    if not need.is_open:
        raise DomainError(
            _("Ce besoin est terminé. Pour un nouveau besoin, remplissez le formulaire.")
        )
    now = timezone.now()
    if need.is_waiting:  # what the team waited for, perhaps: the clock runs again
        _resume(need, now, why="requester")
    due = _first_answer_due(now)
    need.due_at = min(need.due_at, due) if need.due_at else due
    need.save()
    record(need, "requester-message", public=True, message=text.strip())
    return need


def _stop_waiting(need: Need, now) -> timedelta | None:
    """End NEED's wait, if it waits, counting the time waited; return the time the team had
    left when the wait began (None if it did not wait). The caller saves."""
    if not need.is_waiting:
        return None
    need.waited += max(now - need.waiting_since, timedelta(0))
    left, need.waiting_since, need.waiting_remaining = need.waiting_remaining, None, None
    return left or timedelta(0)


def _resume(need: Need, now, *, why: str, by: User | None = None) -> None:
    """The clock runs again with the time the team had left (the caller saves)."""
    left = _stop_waiting(need, now)
    need.due_at = now + left
    record(need, "need-resumed", actor=by, why=why)


@transaction.atomic
def wait_for_requester(*, need: Need, by: User, message: str, days: int | None = None) -> Need:
    """Tell the requester what the team waits for (a document, an answer): the need's clock
    stops until they write, or for DAYS (the settings' delay by default), then runs again."""
    need = _locked(need)
    message = message.strip()
    if not need.is_open:
        raise DomainError(_("Ce besoin est terminé : rouvrez-le d'abord."), code="closed")
    if need.is_waiting:
        raise DomainError(_("Ce besoin attend déjà le demandeur."), code="waiting")
    if not message:
        raise DomainError(_("Dites au demandeur ce que vous attendez de lui."), code="empty")
    days = settings.NEEDS_WAITING_DAYS if days is None else days
    if not 1 <= days <= 365:
        raise DomainError(_("L'attente dure de 1 à 365 jours."), code="days", status=422)
    now = timezone.now()
    need.waiting_since = now
    need.waiting_remaining = max(need.due_at - now, timedelta(0)) if need.due_at else timedelta(0)
    need.first_answered_at = need.first_answered_at or now
    need.due_at = now + timedelta(days=days)
    need.save()
    record(need, "need-waiting", actor=by, public=True, message=message, days=days)
    subject = _("Votre besoin %(reference)s : nous attendons votre réponse")
    _tell_requester(need, "answer", subject % {"reference": need.reference}, message=message)
    return need


@transaction.atomic
def resume_need(*, need: Need, by: User | None, why: str = "team") -> Need:
    """Stop waiting for the requester: the team's clock runs again where it stopped."""
    need = _locked(need)
    if not need.is_waiting:
        raise DomainError(_("Ce besoin n'attend pas le demandeur."), code="not-waiting")
    _resume(need, timezone.now(), why=why, by=by)
    need.save()
    return need


@transaction.atomic
def requester_ends(*, need: Need, solved: bool, text: str = "") -> Need:
    """The requester says the need is solved, or that they no longer need anything."""
    need = _locked(need)
    if not need.is_open:
        raise DomainError(_("Ce besoin est déjà terminé."), code="closed")
    now = timezone.now()
    _stop_waiting(need, now)
    need.status = Status.RESOLU if solved else Status.CLOS
    need.closure_reason = "" if solved else Need.ClosureReason.RETIRE
    need.closed_at, need.due_at = now, None
    need.save()
    message = text.strip() or (
        _("Le demandeur indique que son besoin est résolu.")
        if solved
        else _("Le demandeur indique qu'il n'en a plus besoin.")
    )
    record(need, "need-status", public=True, message=message, status=need.status, by_requester=True)
    return need


@transaction.atomic
def erase_contact(*, need: Need, by: User | None, why: str) -> Need:
    """Erase the requester's identity and contact details, and log that it was done."""
    need = _locked(need)
    need.requester_name = need.requester_email = need.requester_phone = ""
    need.contact_erased_at = timezone.now()
    need.save(update_fields=["requester_name", "requester_email", "requester_phone",
                             "contact_erased_at", "updated_at"])  # fmt: skip
    outbox.forget(need)  # the e-mails to the requester held the address and their words
    texts.forget(need)
    record(need, "contact-erased", actor=by, why=why)
    return need


def _link(need: Need, shared_need: SharedNeed, *, by: User | None) -> None:
    need.shared_need = shared_need
    need.save(update_fields=["shared_need", "updated_at"])
    record(
        need,
        "need-shared",
        actor=by,
        public=True,
        message=_("Votre besoin rejoint le besoin commun « %(title)s », que d'autres ont aussi.")
        % {"title": shared_need.title},
        shared_need=shared_need.pk,
    )


@transaction.atomic
def link_to_shared_need(*, need: Need, shared_need: SharedNeed, by: User) -> Need:
    """Group the need with others like it: the requester is told they are not alone."""
    need = _locked(need)
    if shared_need.archived_at is not None:
        raise DomainError(_("Ce besoin commun est archivé."))
    if need.shared_need_id == shared_need.pk:
        raise DomainError(_("Ce besoin est déjà rattaché à ce besoin commun."))
    _link(need, shared_need, by=by)
    return need


@transaction.atomic
def create_shared_need(
    *,
    title: str,
    by: User,
    description: str = "",
    dimension: Dimension | None = None,
    thematique: Thematique | None = None,
    from_need: Need | None = None,
) -> SharedNeed:
    """Open a shared need (public: no personal data), from a need if given."""
    shared = SharedNeed(
        title=title.strip(),
        description=description.strip(),
        dimension=dimension if dimension or from_need is None else from_need.dimension,
        thematique=thematique if thematique or from_need is None else from_need.thematique,
        created_by=by,
    )
    _refresh_search_text(shared)
    shared.full_clean()
    shared.save()
    record(shared, "shared-need-created", actor=by)
    if from_need is not None:
        _link(_locked(from_need), shared, by=by)
    return shared
