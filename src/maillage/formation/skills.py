"""What people learnt becomes the territory's skills: with the trainee's consent, a completed
path adds its skill to their profile and proposes it in the mutualisation register, where the
matching can point needs to them."""

from django.conf import settings
from django.utils.translation import gettext as _

from maillage.core.models import User
from maillage.mutualisation import services as mutualisation
from maillage.mutualisation.models import Offer
from maillage.territory.models import Person

from .models import Registration


def _profile(registration: Registration) -> Person | None:
    """The trainee's profile: their account's, or that of the account their address opens."""
    user = registration.user or User.objects.filter(email__iexact=registration.email).first()
    if user is None:
        return None  # no account: the skill stays on their badge, the desk can add it later
    person = Person.objects.filter(user=user).first()
    if person is None:
        first, _sep, last = registration.name.partition(" ")
        person = Person.objects.create(user=user, first_name=user.first_name or first,
                                       last_name=user.last_name or last)  # fmt: skip
    return person


def share_learnt_skill(*, registration: Registration, by: User) -> Offer | None:
    """The path's skill in the register, in the trainee's name, once; None without consent or
    without a profile to hold it."""
    if not registration.share_skill:
        return None
    person = _profile(registration)
    if person is None:
        return None
    path = registration.session.path
    known = Offer.objects.filter(person=person, kind=Offer.Kind.COMPETENCE, title=path.skill)
    if known.exclude(status=Offer.Status.RETIREE).exists():
        return None
    badge = getattr(registration, "assertion", None)
    proof = f" {settings.SITE_URL}{badge.get_absolute_url()}" if badge else ""
    return mutualisation.declare_offer(
        by=by, person=person, kind=Offer.Kind.COMPETENCE, title=path.skill,
        description=_("Formé par le laboratoire : parcours « %(path)s » (%(hours)s h). "
                      "Badge vérifiable :%(proof)s") % {"path": path.name, "hours": path.hours,
                                                        "proof": proof},
        time_offered=_("À convenir"), dimension=path.dimension,
    )  # fmt: skip
