"""A training can be required to book a shared means (a 3D printer, a laser cutter), as in a
fab lab: the path's badge authorises, and the authorisation lapses after the path's set time
without a booking of the means it opens."""

from datetime import datetime, timedelta

from django.db.models import Max, Q
from django.utils.translation import gettext as _

from maillage.core.errors import DomainError
from maillage.core.models import User

from .models import Assertion, TrainingPath


def lapses_on(*, user: User, path: TrainingPath) -> datetime | bool | None:
    """When USER's authorisation for PATH lapses (None: never); False if they hold none."""
    from maillage.mutualisation.models import Booking

    theirs = Assertion.objects.filter(
        Q(registration__user=user) | Q(registration__email__iexact=user.email),
        path=path, revoked_at__isnull=True,
    )  # fmt: skip
    trained = theirs.aggregate(last=Max("issued_on"))["last"]
    if trained is None:
        return False
    if not path.authorisation_days:
        return None
    used = Booking.objects.filter(
        requester=user, offer__training_path=path, status=Booking.Status.ACCEPTEE
    ).aggregate(last=Max("start"))["last"]  # fmt: skip
    return max(trained, used or trained) + timedelta(days=path.authorisation_days)


def require(*, user: User, path: TrainingPath, now: datetime) -> None:
    """Refuse, saying why and what to do, unless USER may book a means PATH opens."""
    lapses = lapses_on(user=user, path=path)
    if lapses is False:
        raise DomainError(
            _("Réserver ce moyen demande la formation « %(path)s » : inscrivez-vous à une "
              "session, le badge vous ouvrira la réservation.") % {"path": path.name},
            code="training-required", status=403,
        )  # fmt: skip
    if lapses is not None and lapses < now:
        raise DomainError(
            _("Votre habilitation pour ce moyen a expiré, faute de réservation depuis %(days)s "
              "jours : repassez la formation « %(path)s ».")
            % {"days": path.authorisation_days, "path": path.name},
            code="training-lapsed", status=403,
        )  # fmt: skip
