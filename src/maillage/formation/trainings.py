"""Trainings: sessions with a fixed number of seats, registration, a waiting list promoted when
a seat frees up, attendance, and the sessions too thin to be held cancelled in time, everyone
told. Attending a session completes its path and earns its badge (see `badges`)."""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from maillage.core import outbox
from maillage.core.errors import DomainError
from maillage.core.journal import VERB_LABELS, record
from maillage.core.models import User
from maillage.workshops import judgment
from maillage.workshops.models import Grade

from .models import Evaluation, Registration, Seat, Session

VERB_LABELS.update(
    {
        "training-registered": gettext_lazy("Inscription à la formation"),
        "training-waiting": gettext_lazy("Inscription en liste d'attente"),
        "training-promoted": gettext_lazy("Place libérée : inscription confirmée"),
        "training-withdrawn": gettext_lazy("Désistement"),
        "training-attended": gettext_lazy("Présent à la formation"),
        "training-missed": gettext_lazy("Absent de la formation"),
        "session-planned": gettext_lazy("Session programmée"),
        "session-changed": gettext_lazy("Session modifiée"),
        "session-cancelled": gettext_lazy("Session annulée"),
        "session-evaluated": gettext_lazy("Session évaluée"),
    }
)
Status = Registration.Status
ACTIVE = [Status.INSCRIT, Status.ATTENTE]


def sync_seats(session: Session) -> None:
    """As many seats as the session's capacity: new ones added, free ones above removed (a held
    seat is never taken from its holder)."""
    have = set(session.seats.values_list("number", flat=True))
    Seat.objects.bulk_create(Seat(session=session, number=n)
                             for n in range(1, session.capacity + 1) if n not in have)  # fmt: skip
    Seat.objects.filter(session=session, number__gt=session.capacity,
                        registration__isnull=True).delete()  # fmt: skip


def check_plan(session: Session, *, seated: int = 0) -> None:
    """What the database would refuse, said in words: a session ends after it starts, has
    between 1 and 500 seats, no fewer than the people already seated, and a minimum within."""
    if session.ends_at <= session.starts_at:
        raise DomainError(_("La session finit avant de commencer."), code="ends_at", status=422)
    if not 1 <= session.capacity <= 500:
        raise DomainError(_("Une session a de 1 à 500 places."), code="capacity", status=422)
    if session.capacity < seated:
        raise DomainError(
            ngettext("%(n)s personne a déjà une place : gardez au moins %(n)s place.",
                     "%(n)s personnes ont déjà une place : gardez au moins %(n)s places.",
                     seated) % {"n": seated}, code="capacity", status=409,
        )  # fmt: skip
    if session.minimum > session.capacity:
        raise DomainError(_("Le minimum d'inscrits dépasse le nombre de places."),
                          code="minimum", status=422)  # fmt: skip


@transaction.atomic
def open_session(*, session: Session, trainers: list[User], by: User | None = None) -> Session:
    """A new session and its seats (one held in the past may be recorded, as the demo does)."""
    check_plan(session)
    session.save()
    session.trainers.set(trainers)
    sync_seats(session)
    record(session, "session-planned", actor=by)
    return session


@transaction.atomic
def change_session(*, session: Session, changes: dict, trainers: list[User], by: User) -> int:
    """Change a session not yet begun: more seats go to those waiting, in their order; a new
    date, time or place is told to everyone registered or waiting. Return how many were told."""
    session = _locked(session)
    if session.cancelled_at is not None or session.starts_at <= timezone.now():
        raise DomainError(_("Cette session est annulée ou a commencé : elle ne se modifie "
                            "plus."), code="closed", status=409)  # fmt: skip
    before = (session.starts_at, session.ends_at, session.place_id)
    for name, value in changes.items():
        setattr(session, name, value)
    if session.starts_at <= timezone.now():
        raise DomainError(_("Choisissez une date à venir."), code="starts_at", status=422)
    check_plan(session, seated=session.registrations.filter(seat__isnull=False).count())
    session.save()
    session.trainers.set(trainers)
    sync_seats(session)
    while _promote(session) is not None:
        pass
    record(session, "session-changed", actor=by)
    if (session.starts_at, session.ends_at, session.place_id) == before:
        return 0
    told = 0
    stamp = int(timezone.now().timestamp())
    for registration in session.registrations.filter(status__in=ACTIVE):
        _tell(registration, "moved", _("Votre formation change de date ou de lieu"),
              key=f"training-moved:{registration.pk}:{stamp}")  # fmt: skip
        told += 1
    return told


def _locked(session: Session) -> Session:
    return Session.objects.select_for_update(of=("self",)).select_related("path").get(pk=session.pk)


def _tell(registration: Registration, template: str, subject: str, *, key: str) -> None:
    context = {"registration": registration, "session": registration.session,
               "SITE_URL": settings.SITE_URL,
               "when": timezone.localtime(registration.session.starts_at)}  # fmt: skip
    body = render_to_string(f"formation/emails/{template}.txt", context)
    outbox.send(to=registration.email, subject=subject, body=body, about=registration, key=key)


def _free_seat(session: Session) -> Seat | None:
    return (
        Seat.objects.filter(session=session, registration__isnull=True).order_by("number").first()
    )


@transaction.atomic
def register(*, session: Session, name: str, email: str, share_skill: bool = False,
             user: User | None = None) -> Registration:  # fmt: skip
    """A seat if one is free, else a place on the waiting list. The same address twice is the
    same registration."""
    name = " ".join(name.split())[:120]
    email = email.strip().lower()
    if not name:
        raise DomainError(_("Donnez votre nom."), code="name", status=422)
    try:
        validate_email(email)
    except ValidationError as error:
        raise DomainError(_("Adresse de courriel invalide."), code="email", status=422) from error
    session = _locked(session)
    if session.cancelled_at is not None:
        raise DomainError(_("Cette session est annulée : choisissez-en une autre."),
                          code="cancelled", status=409)  # fmt: skip
    if session.starts_at <= timezone.now():
        raise DomainError(_("Cette session a déjà commencé : choisissez-en une autre."),
                          code="started", status=409)  # fmt: skip
    known = session.registrations.filter(email=email, status__in=ACTIVE).first()
    if known is not None:
        return known
    seat = _free_seat(session)
    try:
        with transaction.atomic():
            registration = Registration.objects.create(
                session=session, seat=seat, status=Status.INSCRIT if seat else Status.ATTENTE,
                name=name, email=email, share_skill=share_skill,
                user=user if user is not None and user.is_authenticated else None,
            )  # fmt: skip
    except IntegrityError:  # the same address at the same instant, or the seat taken
        known = session.registrations.filter(email=email, status__in=ACTIVE).first()
        if known is not None:
            return known
        registration = Registration.objects.create(
            session=session, status=Status.ATTENTE, name=name, email=email,
            share_skill=share_skill, user=user if user and user.is_authenticated else None,
        )  # fmt: skip
    seated = registration.seat_id is not None
    record(registration, "training-registered" if seated else "training-waiting", actor=user)
    if seated:
        _tell(registration, "registered", _("Votre inscription à la formation"),
              key=f"training-registered:{registration.pk}")  # fmt: skip
    else:
        _tell(registration, "waiting", _("Vous êtes sur la liste d'attente"),
              key=f"training-waiting:{registration.pk}")  # fmt: skip
    return registration


def _promote(session: Session) -> Registration | None:
    """Give a free seat to the first person waiting, and tell them."""
    seat = _free_seat(session)
    waiting = session.registrations.filter(status=Status.ATTENTE).order_by("created_at", "pk")
    first = waiting.first()
    if seat is None or first is None:
        return None
    first.seat, first.status = seat, Status.INSCRIT
    first.save(update_fields=["seat", "status"])
    record(first, "training-promoted")
    _tell(first, "promoted", _("Une place s'est libérée : vous êtes inscrit"),
          key=f"training-promoted:{first.pk}")  # fmt: skip
    return first


@transaction.atomic
def withdraw(*, registration: Registration, by: User | None = None) -> Registration:
    """The person will not come: their seat goes to the first one waiting."""
    session = _locked(registration.session)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status not in ACTIVE:
        raise DomainError(_("Cette inscription n'est plus en cours."), code="not-active")
    if session.starts_at <= timezone.now():
        raise DomainError(_("La session a commencé : prévenez le formateur."), code="started")
    registration.seat, registration.status = None, Status.DESISTE
    registration.save(update_fields=["seat", "status"])
    record(registration, "training-withdrawn", actor=by)
    _promote(session)
    return registration


@transaction.atomic
def mark(*, registration: Registration, attended: bool, by: User) -> Registration:
    """Came or not, said once the session has begun; coming completes the path: its badge is
    issued (and taken back if the trainer corrects a mistake)."""
    from . import badges, skills

    registration = (Registration.objects.select_for_update(of=("self",))
                    .select_related("session__path").get(pk=registration.pk))  # fmt: skip
    if registration.status != Status.INSCRIT:
        raise DomainError(_("Seuls les inscrits ont une présence."), code="not-registered")
    if registration.session.starts_at > timezone.now():
        raise DomainError(_("La session n'a pas encore commencé."), code="not-yet")
    if registration.attended is attended:
        return registration
    registration.attended = attended
    registration.save(update_fields=["attended"])
    record(registration, "training-attended" if attended else "training-missed", actor=by)
    if attended:
        badges.award(registration=registration)
        skills.share_learnt_skill(registration=registration, by=by)
    else:
        badges.revoke_for(registration=registration, reason=_("Absence à la formation corrigée"))
    return registration


@transaction.atomic
def cancel_session(*, session: Session, reason: str, by: User | None = None) -> int:
    """Cancel SESSION and tell everyone registered or waiting; return how many were told."""
    session = _locked(session)
    if session.cancelled_at is not None:
        raise DomainError(_("Cette session est déjà annulée."), code="cancelled")
    session.cancelled_at, session.cancel_reason = timezone.now(), reason[:200]
    session.save(update_fields=["cancelled_at", "cancel_reason"])
    record(session, "session-cancelled", actor=by, reason=reason[:200])
    told = 0
    for registration in session.registrations.filter(status__in=ACTIVE):
        registration.seat, registration.status = None, Status.ANNULE
        registration.save(update_fields=["seat", "status"])
        _tell(registration, "cancelled", _("La session de formation est annulée"),
              key=f"training-cancelled:{registration.pk}")  # fmt: skip
        told += 1
    return told


def cancel_thin_sessions(*, now=None) -> int:
    """The sessions starting within TRAINING_DECISION_DAYS with fewer seated than their
    minimum are cancelled, everyone told; return how many sessions."""
    now = now or timezone.now()
    soon = Session.objects.open(now=now).filter(
        starts_at__lte=now + timedelta(days=settings.TRAINING_DECISION_DAYS)
    ).with_seats_left()  # fmt: skip
    cancelled = 0
    for session in soon:
        if session.seated < session.minimum:
            cancel_session(session=session, reason=_("Trop peu d'inscrits"))
            cancelled += 1
    return cancelled


def remind_tomorrow(*, now=None) -> int:
    """The day before, a reminder to everyone seated."""
    now = now or timezone.now()
    tomorrow = timezone.localtime(now).date() + timedelta(days=1)
    begin = datetime.combine(tomorrow, time(0), tzinfo=timezone.get_current_timezone())
    sessions = Session.objects.open(now=now).filter(
        starts_at__gte=begin, starts_at__lt=begin + timedelta(days=1), reminded_at__isnull=True
    )
    sent = 0
    for session in sessions:
        with transaction.atomic():
            for registration in session.registrations.filter(status=Status.INSCRIT):
                _tell(registration, "reminder", _("Rappel : votre formation demain"),
                      key=f"training-reminder:{registration.pk}")  # fmt: skip
                sent += 1
            Session.objects.filter(pk=session.pk).update(reminded_at=now)
    return sent


SCALE = Grade.Value


@transaction.atomic
def evaluate(
    *, registration: Registration, grades: dict[str, int], comment: str = ""
) -> Evaluation:
    """The trainee's judgment of the session they attended, once it has begun (a second one
    replaces the first)."""
    if registration.attended is not True:
        raise DomainError(_("Seuls les présents évaluent la session."), code="not-attended",
                          status=403)  # fmt: skip
    codes = [code for code, _label in Evaluation.CRITERIA]
    if set(grades) != set(codes) or any(g not in SCALE.values for g in grades.values()):
        raise DomainError(_("Donnez une mention à chaque critère."), code="grades", status=422)
    found, created = Evaluation.objects.update_or_create(
        registration=registration,
        defaults={"grades": {c: grades[c] for c in codes}, "comment": comment.strip()[:2000],
                  "at": timezone.now()},
    )  # fmt: skip
    if created:
        record(registration, "session-evaluated")
    return found


def evaluation_results(session: Session) -> list[dict]:
    """Each criterion's merit profile and majority grade, from the trainees' evaluations."""
    given = list(Evaluation.objects.filter(registration__session=session)
                 .values_list("grades", flat=True))  # fmt: skip
    results = []
    for code, label in Evaluation.CRITERIA:
        profile = [0] * len(SCALE)
        for grades in given:
            profile[grades[code]] += 1
        majority = SCALE(judgment.median(profile)).label if given else ""
        results.append({"label": str(label), "profile": profile, "median_label": majority})
    return results
