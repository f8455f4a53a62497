"""The room's door: who comes in, and who is shown out.

A hall puts hundreds of honest phones behind one Wi-Fi address, so no plain per-address limit
holds a room: a forger on one address and a hall on one address look alike at first. The door
holds both:
- a phone that joined comes back as itself (its token); one browser joins a workshop a few
  times at most;
- one network brings in as many phones as people are expected (`Workshop.phones_per_network`),
  never more;
- the facilitators see who joined from which network and when (`networks`), can exclude
  participants — their ideas and grades then leave the results, which the screens recount —
  and can close the door once the vote starts;
- for a formal vote, only registered people checked in at the door vote, one ballot each: their
  phone joins with the code given at the door (or their registration's link).
Networks and browsers are kept hashed for the workshop, never as addresses."""

import hashlib
import hmac
import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Max, Min
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maillage.core.errors import DomainError
from maillage.core.journal import VERB_LABELS, record
from maillage.core.models import User

from . import broadcast
from .models import Participant, Registration, Workshop

VERB_LABELS.update(
    {
        "workshop-participants-excluded": gettext_lazy("Participants exclus"),
        "workshop-joining-closed": gettext_lazy("Accès à la salle fermé"),
        "workshop-joining-opened": gettext_lazy("Accès à la salle rouvert"),
        "workshop-expected": gettext_lazy("Personnes attendues"),
    }
)
JOINABLE = (Workshop.Status.OUVERT, Workshop.Status.EN_COURS)
JOINS_PER_BROWSER = 3  # a phone handed round a family, not a script


def _digest(workshop_id: int, value: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"{workshop_id}:{value}".encode(), hashlib.sha256).hexdigest()[:16]


def network_label(address: str) -> str:
    """What the facilitators read of a network: 203.0.113.x, 2001:db8:1::/48."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return _("réseau inconnu")
    if ip.version == 4:
        return ".".join(str(ip).split(".")[:3]) + ".x"
    return str(ipaddress.ip_network(f"{ip}/48", strict=False))


def _facilitating(workshop: Workshop, by: User) -> None:
    from .live import can_facilitate

    if not can_facilitate(workshop, by):
        raise DomainError(_("Seule l'animation de l'atelier le conduit."), status=403)


@transaction.atomic
def join(
    *,
    code: str,
    name: str,
    user: User | None = None,
    tokens: Iterable[str] = (),
    address: str = "",
    browser: str = "",
    door_code: str = "",
) -> Participant:
    """Join the workshop whose code is CODE. A phone that already joined (one of its TOKENS)
    comes back as the same participant; a registered person (logged in, or with the code given
    at the door) as their own participant. New phones are counted against their network's and
    their browser's ceilings, and wait outside once the facilitators have closed the door."""
    code = "".join(code.split()).upper()
    workshop = (
        Workshop.objects.select_for_update().filter(join_code=code, status__in=JOINABLE).first()
    )
    if workshop is None:
        raise DomainError(
            _("Ce code ne correspond à aucun atelier en cours : vérifiez-le sur l'écran."),
            code="code", status=404,
        )  # fmt: skip
    if tokens and (known := workshop.participants.filter(token__in=list(tokens)).first()):
        refuse_if_excluded(known)
        return known
    registration = _registration(workshop, user, door_code)
    if registration is not None and (known := registration.participants.first()):
        refuse_if_excluded(known)
        return known
    if workshop.joining_closed_at is not None:
        raise DomainError(
            _("L'accès à la salle est fermé : le vote a commencé. Adressez-vous à l'animation."),
            code="closed", status=403,
        )  # fmt: skip
    network, device = _digest(workshop.pk, address), _digest(workshop.pk, browser)
    if workshop.participants.filter(network=network).count() >= workshop.phones_per_network:
        raise DomainError(
            _("Trop de téléphones ont rejoint l'atelier depuis ce réseau : demandez à "
              "l'animation d'ouvrir davantage la salle."),
            code="network-full", status=429,
        )  # fmt: skip
    if browser and workshop.participants.filter(device=device).count() >= JOINS_PER_BROWSER:
        raise DomainError(
            _("Ce téléphone a déjà rejoint l'atelier plusieurs fois : reprenez votre place."),
            code="browser-full", status=429,
        )  # fmt: skip
    name = name.strip() or (registration.name if registration else "")
    if not name:
        raise DomainError(_("Donnez un prénom ou un pseudonyme."), code="name", status=422)
    participant = Participant.objects.create(
        workshop=workshop, name=name[:80], registration=registration, network=network,
        network_label=network_label(address), device=device if browser else "",
    )  # fmt: skip
    if registration is not None and workshop.vote == Workshop.Vote.OUVERT:
        Registration.objects.filter(pk=registration.pk).update(attended=True)
    broadcast.changed(workshop.pk, "phase", often=True)  # the room's head count
    return participant


def _registration(workshop: Workshop, user: User | None, door_code: str) -> Registration | None:
    """The registration a phone joins in the name of: a door's code, or a logged-in account."""
    registrations = workshop.registrations.active()
    if door_code := "".join(door_code.split()).upper():
        found = registrations.filter(door_code=door_code, attended=True).first()
        if found is None:
            raise DomainError(
                _("Ce code d'entrée n'est pas celui d'un inscrit accueilli : vérifiez-le à "
                  "l'accueil."),
                code="door_code", status=422,
            )  # fmt: skip
        return found
    if user is not None and user.is_authenticated:
        return registrations.filter(user=user).first()
    return None


def refuse_if_excluded(participant: Participant) -> None:
    if participant.excluded_at is not None:
        raise DomainError(_("L'animation vous a retiré de cet atelier."), code="excluded",
                          status=403)  # fmt: skip


def may_vote(participant: Participant, workshop: Workshop) -> None:
    """Refuse a ballot its phone may not cast (excluded; not checked in for a formal vote)."""
    refuse_if_excluded(participant)
    if workshop.vote == Workshop.Vote.INSCRITS and not (
        participant.registration_id and participant.registration.attended
    ):
        raise DomainError(
            _("Ce vote est réservé aux inscrits accueillis à l'entrée : demandez votre code "
              "d'entrée à l'accueil, puis rejoignez l'atelier avec lui."),
            code="registered-only", status=403,
        )  # fmt: skip


@transaction.atomic
def exclude(*, workshop: Workshop, by: User, participants: Iterable[int]) -> int:
    """Show PARTICIPANTS out: their ideas and grades leave the results (the screens recount
    them), they cannot come back. Return how many were excluded."""
    _facilitating(workshop, by)
    chosen = workshop.participants.counted().filter(pk__in=list(participants))
    names = list(chosen.values_list("name", flat=True))
    excluded = chosen.update(excluded_at=timezone.now(), excluded_by=by)
    if excluded:
        record(workshop, "workshop-participants-excluded", actor=by, count=excluded, names=names)
        broadcast.changed(workshop.pk, "phase", "ideas", "results")
    return excluded


@transaction.atomic
def set_joining(*, workshop: Workshop, by: User, open: bool) -> Workshop:
    """Close the door (phones already in stay in, and may come back), or open it again."""
    workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
    _facilitating(workshop, by)
    if open != (workshop.joining_closed_at is None):
        workshop.joining_closed_at = None if open else timezone.now()
        workshop.save(update_fields=["joining_closed_at"])
        record(workshop, "workshop-joining-opened" if open else "workshop-joining-closed",
               actor=by)  # fmt: skip
        broadcast.changed(workshop.pk, "phase")
    return workshop


@transaction.atomic
def set_expected(*, workshop: Workshop, by: User, expected: int) -> Workshop:
    """How many people the room expects: one network brings in as many phones at most."""
    workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
    _facilitating(workshop, by)
    if not 1 <= expected <= 10_000:
        raise DomainError(_("Entre 1 et 10 000 personnes."), code="expected", status=422)
    workshop.expected = expected
    workshop.save(update_fields=["expected"])
    record(workshop, "workshop-expected", actor=by, expected=expected)
    return workshop


@dataclass
class Network:
    key: str  # the network's hash for this workshop
    label: str
    phones: int
    first: datetime
    last: datetime
    participants: list[Participant]

    @property
    def seconds(self) -> int:
        return int((self.last - self.first).total_seconds())


def networks(workshop: Workshop) -> list[Network]:
    """Who joined from which network and when, the most crowded first: a flood of phones from
    one network in a few seconds is what a forger looks like."""
    rows = (
        workshop.participants.counted().values("network", "network_label")
        .annotate(phones=Count("pk"), first=Min("joined_at"), last=Max("joined_at"))
        .order_by("-phones", "first")
    )  # fmt: skip
    members: dict[str, list[Participant]] = {}
    for participant in workshop.participants.counted().order_by("joined_at", "pk"):
        members.setdefault(participant.network, []).append(participant)
    return [
        Network(row["network"], row["network_label"] or _("réseau inconnu"), row["phones"],
                row["first"], row["last"], members.get(row["network"], []))
        for row in rows
    ]  # fmt: skip
