"""Domain actions of the mutualisation. Offers, orientations and bookings change only through
these functions, each of which owns its transaction and writes the journal."""

from collections.abc import Iterable
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maillage.core import outbox
from maillage.core.embedding import embed_later
from maillage.core.errors import DomainError
from maillage.core.journal import VERB_LABELS, record
from maillage.core.models import Thematique, User
from maillage.core.search import stem_document
from maillage.core.text import search_document
from maillage.needs import services as needs
from maillage.needs.models import Need
from maillage.territory.models import Membership, Organisation, Person

from .models import Booking, Offer, Orientation

VERB_LABELS.update(
    {
        "offer-declared": gettext_lazy("Offre déclarée"),
        "offer-updated": gettext_lazy("Offre modifiée"),
        "offer-withdrawn": gettext_lazy("Offre retirée"),
        "offer-confirmed": gettext_lazy("Offre confirmée"),
        "offer-confirmation-asked": gettext_lazy("Confirmation demandée"),
        "offer-asleep": gettext_lazy("Offre mise en sommeil"),
        "need-oriented": gettext_lazy("Orienté vers une offre"),
        "orientation-accepted": gettext_lazy("Orientation acceptée"),
        "orientation-declined": gettext_lazy("Orientation déclinée"),
        "booking-requested": gettext_lazy("Réservation demandée"),
        "booking-accepted": gettext_lazy("Réservation acceptée"),
        "booking-refused": gettext_lazy("Réservation refusée"),
        "booking-cancelled": gettext_lazy("Réservation annulée"),
    }
)

OFFER_FIELDS = [
    "kind",
    "title",
    "description",
    "place",
    "dimension",
    "conditions",
    "conditions_detail",
    "audience",
    "category",
    "bookable",
    "auto_accept",
    "training_path",
    "time_offered",
    "hours_per_month",
    "service_type",
    "how_to_ask",
]
LONGEST_BOOKING = timedelta(days=7)
FURTHEST_BOOKING = timedelta(days=2 * 366)  # a slot is booked at most two years ahead
CLOCK_SKEW = timedelta(minutes=1)


# Who may do what -------------------------------------------------------------------------------


def _is_referent(user: User, organisation: Organisation) -> bool:
    return Membership.objects.filter(
        organisation=organisation, person__user=user, role=Membership.Role.REFERENT
    ).exists()


def may_declare_for(
    user: User, *, organisation: Organisation | None, person: Person | None
) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_facilitator:
        return True
    if organisation is not None:
        return _is_referent(user, organisation)
    return person is not None and person.user_id == user.pk


def may_answer_for(user: User, offer: Offer) -> bool:
    """The offer's owner speaks for it: the person, the organisation's référents, or the lab."""
    return may_declare_for(user, organisation=offer.organisation, person=offer.person)


def may_book(user: User, offer: Offer) -> bool:
    """Whether USER belongs to the public the offer is open to."""
    if not user.is_authenticated:
        return False
    if offer.audience == Offer.Audience.TOUT_PUBLIC or user.is_facilitator:
        return True
    memberships = Membership.objects.filter(person__user=user)
    if offer.audience == Offer.Audience.STRUCTURES:
        return memberships.exists()
    # The network: organisations sharing a network with the owner, or the owner itself.
    owners = (
        [offer.organisation_id]
        if offer.organisation_id
        else list(offer.person.memberships.values_list("organisation_id", flat=True))
    )
    networks = Organisation.networks.through.objects.filter(organisation_id__in=owners)
    return (
        memberships.filter(organisation_id__in=owners).exists()
        or memberships.filter(organisation__networks__in=networks.values("network_id")).exists()
    )


def _refuse_unless(allowed: bool, message: str) -> None:
    if not allowed:
        raise DomainError(message, code="forbidden", status=403)


# Telling people --------------------------------------------------------------------------------


def owner_emails(offer: Offer) -> list[str]:
    if offer.person_id:
        user = offer.person.user
        return [user.email] if user and user.is_active else []
    referents = User.objects.filter(
        is_active=True,
        person__memberships__organisation=offer.organisation,
        person__memberships__role=Membership.Role.REFERENT,
    )
    emails = list(referents.values_list("email", flat=True))
    return emails or ([offer.organisation.email] if offer.organisation.email else [])


def _tell(to: Iterable[str], subject: str, message: str, link: str) -> None:
    to = sorted({address for address in to if address})
    if not to:
        return
    body = render_to_string(
        "mutualisation/emails/notice.txt",
        {"message": message, "link": link, "SITE_URL": settings.SITE_URL},
    )
    outbox.send(to=to, subject=subject, body=body)


def _slot(start: datetime, end: datetime) -> str:
    start, end = timezone.localtime(start), timezone.localtime(end)
    day = formats.date_format(start, "l j F Y")
    if start.date() == end.date():
        return _("%(day)s de %(start)s à %(end)s") % {
            "day": day,
            "start": f"{start:%H:%M}",
            "end": f"{end:%H:%M}",
        }
    return _("du %(start)s au %(end)s") % {
        "start": formats.date_format(start, "l j F Y H:i"),
        "end": formats.date_format(end, "l j F Y H:i"),
    }


# Offers ----------------------------------------------------------------------------------------


def _refresh_search_text(offer: Offer, thematiques: Iterable[Thematique]) -> None:
    labels = " ".join(str(t) for t in thematiques)
    parts = (offer.title, offer.description, labels, offer.owner_name)
    offer.search_text = search_document(*parts)
    offer.search_stems = stem_document(*parts)


def _check_kind_fields(offer: Offer) -> None:
    """Keep only the fields of the offer's kind, and require what that kind needs."""
    if offer.kind != Offer.Kind.MOYEN:
        offer.category, offer.bookable, offer.auto_accept = "", False, False
        offer.training_path = None
    elif not offer.category:
        raise DomainError(_("Dites de quel type de moyen il s'agit."), code="category", status=422)
    if offer.kind != Offer.Kind.COMPETENCE:
        offer.time_offered, offer.hours_per_month = "", None
    elif not offer.time_offered.strip():
        raise DomainError(
            _("Dites combien de temps vous proposez (par exemple « 2 h par mois »)."),
            code="time_offered",
            status=422,
        )
    if offer.kind != Offer.Kind.SERVICE:
        offer.service_type, offer.how_to_ask = "", ""
    elif not offer.service_type:
        raise DomainError(_("Choisissez le type de service."), code="service_type", status=422)
    if not offer.bookable:
        offer.auto_accept = False


@transaction.atomic
def declare_offer(
    *,
    by: User,
    organisation: Organisation | None = None,
    person: Person | None = None,
    thematiques: Iterable[Thematique] = (),
    **fields,
) -> Offer:
    """Add a means, a skill or a service to the register, in the name of its owner."""
    if (organisation is None) == (person is None):
        raise DomainError(
            _("Une offre a un seul porteur : une structure ou une personne."), status=422
        )
    _refuse_unless(
        may_declare_for(by, organisation=organisation, person=person),
        _("Seuls les référents de la structure, ou la personne elle-même, déclarent ses offres."),
    )
    offer = Offer(organisation=organisation, person=person, created_by=by, **fields)
    _check_kind_fields(offer)
    thematiques = list(thematiques)
    _refresh_search_text(offer, thematiques)
    offer.full_clean()
    offer.save()
    offer.thematiques.set(thematiques)
    embed_later(offer)
    record(offer, "offer-declared", actor=by, kind=offer.kind, title=offer.title)
    return offer


@transaction.atomic
def update_offer(*, offer: Offer, by: User, thematiques: Iterable[Thematique], **fields) -> Offer:
    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    _refuse_unless(may_answer_for(by, offer), _("Seul le porteur de l'offre peut la modifier."))
    changes = {}
    for name in OFFER_FIELDS:
        if name in fields and getattr(offer, name) != fields[name]:
            changes[name] = [str(getattr(offer, name) or ""), str(fields[name] or "")]
            setattr(offer, name, fields[name])
    _check_kind_fields(offer)
    thematiques = list(thematiques)
    if {t.pk for t in thematiques} != set(offer.thematiques.values_list("pk", flat=True)):
        changes["thematiques"] = ["", ", ".join(str(t) for t in thematiques)]
    _refresh_search_text(offer, thematiques)
    offer.full_clean()
    offer.save()
    offer.thematiques.set(thematiques)
    if changes:
        embed_later(offer)
        record(offer, "offer-updated", actor=by, changes=changes)
    return offer


@transaction.atomic
def withdraw_offer(*, offer: Offer, by: User) -> Offer:
    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    _refuse_unless(may_answer_for(by, offer), _("Seul le porteur de l'offre peut la retirer."))
    offer.status = Offer.Status.RETIREE
    offer.save(update_fields=["status", "updated_at"])
    record(offer, "offer-withdrawn", actor=by)
    return offer


@transaction.atomic
def confirm_offer(*, offer: Offer, by: User) -> Offer:
    """The owner says the offer still stands: it stays in, or comes back to, the matching."""
    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    _refuse_unless(may_answer_for(by, offer), _("Seul le porteur de l'offre peut la confirmer."))
    if offer.status == Offer.Status.RETIREE:
        raise DomainError(_("Cette offre a été retirée."), code="withdrawn")
    offer.status, offer.confirmed_at, offer.confirmation_asked_at = (
        Offer.Status.ACTIVE,
        timezone.now(),
        None,
    )
    offer.save(update_fields=["status", "confirmed_at", "confirmation_asked_at", "updated_at"])
    record(offer, "offer-confirmed", actor=by)
    return offer


@transaction.atomic
def ask_confirmations(*, now: datetime | None = None) -> tuple[int, int]:
    """Ask the owners of offers confirmed too long ago whether they still stand; put to sleep
    those left unconfirmed past the grace period. Return how many of each."""
    now = now or timezone.now()
    due = now - timedelta(days=settings.OFFERS_CONFIRM_EVERY_DAYS)
    grace = timedelta(days=settings.OFFERS_CONFIRM_GRACE_DAYS)
    asked = 0
    to_ask = Offer.objects.matchable().filter(confirmed_at__lt=due, confirmation_asked_at=None)
    for offer in to_ask.select_related("organisation", "person__user"):
        offer.confirmation_asked_at = now
        offer.save(update_fields=["confirmation_asked_at"])
        record(offer, "offer-confirmation-asked")
        deadline = formats.date_format(timezone.localtime(now + grace), "j F Y")
        _tell(
            owner_emails(offer),
            _("Votre offre « %(title)s » tient-elle toujours ?") % {"title": offer.title},
            _(
                "Votre offre « %(title)s » a été confirmée il y a plus de six mois. Si elle tient "
                "toujours, confirmez-la d'un clic avant le %(deadline)s ; sans quoi elle ne sera "
                "plus proposée aux besoins du territoire."
            )
            % {"title": offer.title, "deadline": deadline},
            offer.get_absolute_url(),
        )
        asked += 1
    asleep = 0
    expired = Offer.objects.matchable().filter(confirmation_asked_at__lt=now - grace)
    for offer in expired.select_related("organisation", "person__user"):
        offer.status = Offer.Status.EN_SOMMEIL
        offer.save(update_fields=["status", "updated_at"])
        record(offer, "offer-asleep")
        _tell(
            owner_emails(offer),
            _("Votre offre « %(title)s » est en sommeil") % {"title": offer.title},
            _(
                "Faute de confirmation, votre offre « %(title)s » n'est plus proposée aux besoins "
                "du territoire. Confirmez-la quand vous voulez pour qu'elle revienne."
            )
            % {"title": offer.title},
            offer.get_absolute_url(),
        )
        asleep += 1
    return asked, asleep


# Orientations ----------------------------------------------------------------------------------


@transaction.atomic
def orient(
    *, need: Need, offer: Offer, by: User, message: str = "", score: float | None = None
) -> Orientation:
    """Send a need towards an offer: the need becomes « orienté », the owner is asked."""
    _refuse_unless(by.is_facilitator, _("Seule l'équipe du laboratoire oriente les besoins."))
    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    if offer.status != Offer.Status.ACTIVE:
        raise DomainError(_("Cette offre n'est plus proposée."), code="offer-inactive")
    if need.orientations.filter(offer=offer, status=Orientation.Status.PROPOSEE).exists():
        raise DomainError(_("Ce besoin attend déjà la réponse de cette offre."), code="pending")
    if not need.is_open:
        raise DomainError(_("Ce besoin est terminé : rouvrez-le pour l'orienter."), code="closed")
    if need.status == Need.Status.RECU:
        raise DomainError(_("Qualifiez le besoin avant de l'orienter."), code="not-qualified")
    if need.status != Need.Status.ORIENTE:
        needs.change_status(
            need=need,
            to=Need.Status.ORIENTE,
            by=by,
            message=_("Orienté vers « %(offer)s » (%(owner)s).")
            % {"offer": offer.title, "owner": offer.owner_name},
        )
    orientation = Orientation.objects.create(
        need=need, offer=offer, created_by=by, message=message.strip(), score=score
    )
    record(need, "need-oriented", actor=by, offer=offer.pk, title=offer.title)
    _tell(
        owner_emails(offer),
        _("Un besoin vous est adressé : %(reference)s") % {"reference": need.reference},
        _(
            "Le laboratoire pense que votre offre « %(offer)s » peut répondre à ce besoin : "
            "« %(need)s ». Acceptez-vous de vous en occuper ?"
        )
        % {"offer": offer.title, "need": need.display_title},
        orientation_url(orientation),
    )
    return orientation


def orientation_url(orientation: Orientation) -> str:
    from django.urls import reverse

    return reverse("mutualisation:orientation", kwargs={"pk": orientation.pk})


@transaction.atomic
def answer_orientation(
    *,
    orientation: Orientation,
    by: User,
    accept: bool,
    reason: str = "",
    hours: Decimal | None = None,
) -> Orientation:
    """The owner takes the need, or declines it with a reason: the need then goes back to the
    permanence's queue, and its facilitator learns why."""
    orientation = (
        Orientation.objects.select_for_update()
        .select_related("offer", "need")
        .get(pk=orientation.pk)
    )
    offer, need = orientation.offer, orientation.need
    _refuse_unless(may_answer_for(by, offer), _("Seul le porteur de l'offre peut répondre."))
    if orientation.status != Orientation.Status.PROPOSEE:
        raise DomainError(_("Cette orientation a déjà reçu une réponse."), code="answered")
    reason = reason.strip()
    if not accept and not reason:
        raise DomainError(
            _("Dites pourquoi vous déclinez : le laboratoire cherchera mieux."),
            code="reason",
            status=422,
        )
    if hours is not None and not (0 <= hours <= 1000):
        raise DomainError(
            _("Indiquez un nombre d'heures entre 0 et 1000."), code="hours", status=422
        )
    orientation.status = Orientation.Status.ACCEPTEE if accept else Orientation.Status.DECLINEE
    orientation.reason, orientation.hours = reason, hours if accept else None
    orientation.answered_by, orientation.answered_at = by, timezone.now()
    orientation.save()
    if accept:
        record(
            need,
            "orientation-accepted",
            actor=by,
            public=True,
            message=_("%(owner)s a accepté de s'occuper de votre besoin.")
            % {"owner": offer.owner_name},
            offer=offer.pk,
        )
    else:
        record(need, "orientation-declined", actor=by, message=reason, offer=offer.pk)
        others_pending = need.orientations.filter(status=Orientation.Status.PROPOSEE).exists()
        if need.status == Need.Status.ORIENTE and not others_pending:
            needs.change_status(
                need=need,
                to=Need.Status.QUALIFIE,
                by=by,
                message=_("« %(offer)s » a décliné : %(reason)s")
                % {"offer": offer.title, "reason": reason},
            )
    if need.owner:
        verdict = _("accepté") if accept else _("décliné")
        _tell(
            [need.owner.email],
            _("%(reference)s : orientation %(verdict)s")
            % {"reference": need.reference, "verdict": verdict},
            _("%(owner)s a %(verdict)s l'orientation vers « %(offer)s ».")
            % {
                "owner": offer.owner_name,
                "verdict": verdict,
                "offer": offer.title,
            }
            + (f"\n\n{reason}" if reason else ""),
            need.get_absolute_url(),
        )
    return orientation


# Bookings --------------------------------------------------------------------------------------


def _check_slot(offer: Offer, start: datetime, end: datetime, now: datetime) -> None:
    if timezone.is_naive(start) or timezone.is_naive(end):
        raise DomainError(_("Précisez le fuseau horaire du créneau."), code="naive", status=422)
    if end <= start:
        raise DomainError(
            _("La fin du créneau doit venir après son début."), code="order", status=422
        )
    if start < now - CLOCK_SKEW:
        raise DomainError(_("Ce créneau est déjà passé."), code="past", status=422)
    if end - start > LONGEST_BOOKING:
        raise DomainError(_("Un créneau dure au plus sept jours."), code="too-long", status=422)
    if start > now + FURTHEST_BOOKING:
        raise DomainError(
            _("Un créneau se réserve au plus deux ans à l'avance."), code="too-far", status=422
        )
    periods = list(offer.place.opening_periods.all()) if offer.place_id else []
    if periods:
        local_start, local_end = timezone.localtime(start), timezone.localtime(end)
        fits = local_start.date() == local_end.date() and any(
            p.weekday == local_start.weekday()
            and p.opens <= local_start.time()
            and local_end.time() <= p.closes
            for p in periods
        )
        if not fits:
            raise DomainError(
                _("Ce créneau sort des horaires d'ouverture du lieu : %(hours)s.")
                % {"hours": ", ".join(str(p) for p in periods)},
                code="closed-hours",
                status=422,
            )


def _refuse_if_taken(offer: Offer, start: datetime, end: datetime, *, but: Booking | None = None):
    taken = offer.bookings.accepted().overlapping(start, end)
    if but is not None:
        taken = taken.exclude(pk=but.pk)
    if conflict := taken.order_by("start").first():
        raise SlotTaken(conflict)


class SlotTaken(DomainError):
    def __init__(self, conflict: Booking):
        super().__init__(
            _("Ce créneau est déjà réservé (%(slot)s).")
            % {"slot": _slot(conflict.start, conflict.end)},
            code="slot-taken",
            conflict={
                "id": conflict.pk,
                "start": conflict.start.isoformat(),
                "end": conflict.end.isoformat(),
            },
        )
        self.conflict = conflict


def _save_accepted(booking: Booking) -> None:
    """Write an accepted booking; on PostgreSQL, the exclusion constraint is the last word."""
    try:
        with transaction.atomic():
            booking.save()
    except IntegrityError:
        _refuse_if_taken(booking.offer, booking.start, booking.end, but=booking)
        raise


@transaction.atomic
def request_booking(
    *,
    offer: Offer,
    by: User,
    start: datetime,
    end: datetime,
    organisation: Organisation | None = None,
    purpose: str = "",
    now: datetime | None = None,
) -> Booking:
    """Ask for a slot of a shared means; a means that accepts on its own books it at once.

    Requests for one means are serialised by a lock on its row (SQLite serialises every write
    anyway), so that of two requests for one slot exactly one wins."""
    now = now or timezone.now()
    offer = Offer.objects.select_for_update(of=("self",)).select_related("place").get(pk=offer.pk)
    if offer.kind != Offer.Kind.MOYEN or not offer.bookable:
        raise DomainError(
            _("Cette offre ne se réserve pas par créneaux."), code="not-bookable", status=422
        )
    if offer.status == Offer.Status.RETIREE:
        raise DomainError(_("Ce moyen n'est plus proposé."), code="withdrawn")
    _refuse_unless(
        may_book(by, offer),
        _("Ce moyen est réservé à : %(audience)s.")
        % {"audience": offer.get_audience_display().lower()},
    )
    if offer.training_path_id is not None and not by.is_facilitator:
        from maillage.formation import authorisations  # formation builds on mutualisation

        authorisations.require(user=by, path=offer.training_path, now=now)
    if organisation is not None and not (
        by.is_facilitator or organisation.memberships.filter(person__user=by).exists()
    ):
        raise DomainError(
            _("Vous ne pouvez réserver qu'au nom d'une structure dont vous êtes membre."),
            code="organisation",
            status=403,
        )
    _check_slot(offer, start, end, now)
    _refuse_if_taken(offer, start, end)
    booking = Booking(
        offer=offer,
        start=start,
        end=end,
        requester=by,
        organisation=organisation,
        purpose=purpose.strip(),
        created_at=now,
    )
    if offer.auto_accept:
        booking.status, booking.decided_at = Booking.Status.ACCEPTEE, now
        _save_accepted(booking)
        record(
            offer,
            "booking-accepted",
            actor=by,
            booking=booking.pk,
            automatic=True,
            start=start.isoformat(),
            end=end.isoformat(),
        )
    else:
        booking.save()
        record(
            offer,
            "booking-requested",
            actor=by,
            booking=booking.pk,
            start=start.isoformat(),
            end=end.isoformat(),
        )
        _tell(
            owner_emails(offer),
            _("Demande de réservation : %(offer)s") % {"offer": offer.title},
            _("%(who)s demande « %(offer)s » %(slot)s.")
            % {
                "who": by.get_full_name() or by.email,
                "offer": offer.title,
                "slot": _slot(start, end),
            },
            booking.get_absolute_url(),
        )
    return booking


@transaction.atomic
def decide_booking(*, booking: Booking, by: User, accept: bool, reason: str = "") -> Booking:
    offer = Offer.objects.select_for_update().get(pk=booking.offer_id)
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    _refuse_unless(
        may_answer_for(by, offer), _("Seul le porteur du moyen décide des réservations.")
    )
    if booking.status != Booking.Status.DEMANDEE:
        raise DomainError(_("Cette demande a déjà reçu une réponse."), code="decided")
    reason = reason.strip()
    if not accept and not reason:
        raise DomainError(_("Dites pourquoi vous refusez."), code="reason", status=422)
    booking.decided_by, booking.decided_at, booking.reason = by, timezone.now(), reason
    if accept:
        _refuse_if_taken(offer, booking.start, booking.end, but=booking)
        booking.status = Booking.Status.ACCEPTEE
        _save_accepted(booking)
    else:
        booking.status = Booking.Status.REFUSEE
        booking.save()
    verb = "booking-accepted" if accept else "booking-refused"
    record(offer, verb, actor=by, booking=booking.pk, message=reason)
    verdict = _("acceptée") if accept else _("refusée")
    _tell(
        [booking.requester.email],
        _("Votre réservation de « %(offer)s » est %(verdict)s")
        % {"offer": offer.title, "verdict": verdict},
        _("Votre demande pour « %(offer)s » %(slot)s est %(verdict)s.")
        % {"offer": offer.title, "slot": _slot(booking.start, booking.end), "verdict": verdict}
        + (f"\n\n{reason}" if reason else ""),
        booking.get_absolute_url(),
    )
    return booking


@transaction.atomic
def cancel_booking(*, booking: Booking, by: User) -> Booking:
    booking = Booking.objects.select_for_update().select_related("offer").get(pk=booking.pk)
    if not (booking.requester_id == by.pk or may_answer_for(by, booking.offer)):
        raise DomainError(
            _("Seul le demandeur ou le porteur du moyen peut l'annuler."),
            code="forbidden",
            status=403,
        )
    if booking.status not in (Booking.Status.DEMANDEE, Booking.Status.ACCEPTEE):
        raise DomainError(_("Cette réservation n'est plus en cours."), code="over")
    booking.status = Booking.Status.ANNULEE
    booking.save(update_fields=["status"])
    record(booking.offer, "booking-cancelled", actor=by, booking=booking.pk)
    return booking
