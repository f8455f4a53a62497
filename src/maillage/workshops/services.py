"""Domain actions of the workshops: they own their transaction and write the journal."""

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maillage.core import outbox
from maillage.core.errors import DomainError
from maillage.core.journal import VERB_LABELS, record
from maillage.core.models import User
from maillage.needs.models import SharedNeed
from maillage.territory.models import Place

from .models import DEFAULT_CRITERIA, Criterion, Phase, Registration, Workshop, join_code

VERB_LABELS.update(
    {
        "workshop-created": gettext_lazy("Atelier créé"),
        "workshop-registered": gettext_lazy("Inscription à l'atelier"),
        "workshop-unregistered": gettext_lazy("Désinscription de l'atelier"),
    }
)
LONGEST_WORKSHOP = timedelta(hours=12)


@transaction.atomic
def create_workshop(
    *,
    by: User,
    question: str,
    starts_at: datetime,
    ends_at: datetime,
    description: str = "",
    place: Place | None = None,
    capacity: int = 30,
    expected: int | None = None,
    vote: str = Workshop.Vote.OUVERT,
    shared_need: SharedNeed | None = None,
    facilitators: Iterable[User] = (),
    criteria: Iterable[str] = (),
    agenda: Iterable[tuple[str, int]] = (),
) -> Workshop:
    """Prepare a workshop with its agenda of phases and its criteria (the defaults unless
    given); it opens for registration at once."""
    if not by.is_facilitator:
        raise DomainError(_("Seule l'équipe du laboratoire prépare les ateliers."), status=403)
    if not question.strip():
        raise DomainError(_("Posez la question de l'atelier."), code="question", status=422)
    if ends_at <= starts_at:
        raise DomainError(_("L'atelier doit finir après son début."), code="order", status=422)
    if ends_at - starts_at > LONGEST_WORKSHOP:
        raise DomainError(_("Un atelier dure au plus douze heures."), code="too-long", status=422)
    if starts_at < timezone.now():
        raise DomainError(_("Cette date est déjà passée."), code="past", status=422)
    if capacity < 1:
        raise DomainError(_("Il faut au moins une place."), code="capacity", status=422)
    criteria = [c.strip() for c in criteria if c.strip()] or [str(c) for c in DEFAULT_CRITERIA]
    agenda = list(agenda) or Phase.DEFAULT_AGENDA
    workshop = Workshop(
        question=question.strip(), description=description.strip(), starts_at=starts_at,
        ends_at=ends_at, place=place, capacity=capacity, expected=expected, vote=vote,
        shared_need=shared_need, created_by=by,
    )  # fmt: skip
    workshop.full_clean(exclude=["join_code"])
    for _attempt in range(5):  # a code taken by another open workshop: draw again
        try:
            with transaction.atomic():
                workshop.join_code = join_code()
                workshop.save()
            break
        except IntegrityError:
            workshop.pk = None
    else:
        raise DomainError(_("Réessayez dans un instant."), code="code")
    workshop.facilitators.set({by, *facilitators})
    Criterion.objects.bulk_create(
        Criterion(workshop=workshop, label=label, position=n) for n, label in enumerate(criteria)
    )
    # Each step: (kind, minutes), or (kind, minutes, title, card) from a recipe of method cards.
    Phase.objects.bulk_create(
        Phase(workshop=workshop, kind=kind, minutes=minutes, position=n, title=title, card=card)
        for n, (kind, minutes, title, card) in enumerate((*step, "", None)[:4] for step in agenda)
    )
    record(workshop, "workshop-created", actor=by, question=workshop.question)
    return workshop


def _email(registration: Registration, template: str, subject: str) -> None:
    body = render_to_string(
        f"workshops/emails/{template}.txt",
        {"registration": registration, "workshop": registration.workshop,
         "SITE_URL": settings.SITE_URL},
    )  # fmt: skip
    outbox.send(to=registration.email, subject=subject, body=body, about=registration)


@transaction.atomic
def register(
    *, workshop: Workshop, name: str, email: str, user: User | None = None
) -> tuple[Registration, bool]:
    """Register someone. An address already registered is not registered twice: its
    registration's link is e-mailed to it again (to it only: whoever typed the address does
    not get the link). Return the registration and whether it was created."""
    workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
    name, email = name.strip(), email.strip().lower()
    if not name:
        raise DomainError(_("Donnez un prénom ou un pseudonyme."), code="name", status=422)
    if existing := workshop.registrations.active().filter(email=email).first():
        _email(existing, "registered",
               _("Votre inscription : %(question)s") % {"question": workshop.question})  # fmt: skip
        return existing, False
    if not workshop.is_open_for_registration:
        raise DomainError(_("Les inscriptions à cet atelier sont closes."), code="closed")
    if workshop.seats_left() == 0:
        raise DomainError(_("L'atelier est complet."), code="full")
    registration = Registration(workshop=workshop, name=name, email=email)
    if user is not None and user.is_authenticated:
        registration.user = user
    registration.full_clean()
    registration.save()
    record(workshop, "workshop-registered", actor=user)
    _email(
        registration,
        "registered",
        _("Inscription : %(question)s") % {"question": workshop.question},
    )
    return registration, True


@transaction.atomic
def unregister(*, registration: Registration) -> Registration:
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.cancelled_at is None:
        registration.cancelled_at = timezone.now()
        registration.save(update_fields=["cancelled_at"])
        record(registration.workshop, "workshop-unregistered")
    return registration


@transaction.atomic
def take_attendance(*, workshop: Workshop, by: User, present: Iterable[int]) -> int:
    """Mark who came among the active registrations (their ids in PRESENT); return how many."""
    if not (by.is_facilitator or workshop.facilitators.filter(pk=by.pk).exists()):
        raise DomainError(_("Seule l'animation de l'atelier fait l'appel."), status=403)
    registrations = workshop.registrations.active()
    present = set(present)
    registrations.filter(pk__in=present).update(attended=True)
    registrations.exclude(pk__in=present).update(attended=False)
    return registrations.filter(attended=True).count()


def send_reminders(*, now: datetime | None = None) -> int:
    """E-mail the people registered to a workshop starting within a day, once."""
    now = now or timezone.now()
    due = Registration.objects.active().filter(
        reminded_at__isnull=True,
        workshop__status=Workshop.Status.OUVERT,
        workshop__starts_at__gt=now,
        workshop__starts_at__lte=now + timedelta(days=1),
    )
    sent = 0
    for registration in due.select_related("workshop", "workshop__place"):
        with transaction.atomic():
            registration.reminded_at = now
            registration.save(update_fields=["reminded_at"])
            _email(
                registration,
                "reminder",
                _("Rappel : %(question)s") % {"question": registration.workshop.question},
            )
        sent += 1
    return sent
