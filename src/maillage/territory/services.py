"""Domain actions on the territory: they own their transaction and write the journal."""

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maillage.core import outbox
from maillage.core.errors import DomainError
from maillage.core.journal import VERB_LABELS, record
from maillage.core.models import Dimension, User

from .models import Invitation, Membership, Network, Organisation, Person

VERB_LABELS.update(
    {
        "organisation-created": gettext_lazy("Structure ajoutée"),
        "organisation-updated": gettext_lazy("Page modifiée"),
        "member-invited": gettext_lazy("Membre invité"),
        "member-joined": gettext_lazy("Membre arrivé"),
        "person-updated": gettext_lazy("Profil modifié"),
    }
)

ORGANISATION_FIELDS = [
    "name", "kind", "siret", "rna", "description", "website", "email", "phone", "street",
    "address_complement", "postal_code", "city", "insee_code", "neighbourhood", "latitude",
    "longitude",
]  # fmt: skip


def unique_slug(name: str, *, exclude_pk: int | None = None) -> str:
    base = slugify(name)[:200] or "structure"
    slug, n = base, 1
    while Organisation.objects.filter(slug=slug).exclude(pk=exclude_pk).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def create_organisation(
    *,
    by: User | None,
    networks: Iterable[Network] = (),
    dimensions: Iterable[Dimension] = (),
    **fields,
) -> Organisation:
    """Add an organisation to the territory."""
    organisation = Organisation(**fields)
    organisation.slug = organisation.slug or unique_slug(organisation.name)
    networks = list(networks)
    organisation.refresh_search_text([n.name for n in networks])
    organisation.full_clean()
    organisation.save()
    organisation.networks.set(networks)
    organisation.dimensions.set(dimensions)
    record(organisation, "organisation-created", actor=by)
    return organisation


@transaction.atomic
def update_organisation(
    *,
    organisation: Organisation,
    by: User,
    networks: Iterable[Network],
    dimensions: Iterable[Dimension],
    **fields,
) -> Organisation:
    """Change an organisation's page; the journal keeps which fields changed and from what."""
    changes = {
        name: [str(getattr(organisation, name)), str(value)]
        for name, value in fields.items()
        if name in ORGANISATION_FIELDS and getattr(organisation, name) != value
    }
    for name in changes:
        setattr(organisation, name, fields[name])
    networks, dimensions = list(networks), list(dimensions)
    if {n.pk for n in networks} != set(organisation.networks.values_list("pk", flat=True)):
        changes["networks"] = sorted(n.code for n in networks)
    if {d.pk for d in dimensions} != set(organisation.dimensions.values_list("pk", flat=True)):
        changes["dimensions"] = sorted(d.code for d in dimensions)
    organisation.refresh_search_text([n.name for n in networks])
    organisation.full_clean()
    organisation.save()
    organisation.networks.set(networks)
    organisation.dimensions.set(dimensions)
    if changes:
        record(organisation, "organisation-updated", actor=by, changes=changes)
    return organisation


@transaction.atomic
def invite_member(
    *, organisation: Organisation, by: User, email: str, role: str = Membership.Role.MEMBRE
) -> Invitation:
    """Invite EMAIL to join ORGANISATION, and e-mail them the link once the invitation is saved."""
    email = email.strip().lower()
    if Membership.objects.filter(organisation=organisation, person__user__email=email).exists():
        raise DomainError(
            _("%(email)s fait déjà partie de %(name)s.") % {"email": email, "name": organisation},
            code="already-member",
        )
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email,
        role=role,
        invited_by=by,
        expires_at=timezone.now() + Invitation.VALIDITY,
    )
    record(organisation, "member-invited", actor=by, email=email, role=role)
    context = {"invitation": invitation, "SITE_URL": settings.SITE_URL}
    body = render_to_string("territory/emails/invitation.txt", context)
    subject = _("Invitation à rejoindre %(name)s sur Maillage") % {"name": organisation.name}
    outbox.send(to=email, subject=subject, body=body, about=invitation)
    return invitation


@transaction.atomic
def accept_invitation(*, invitation: Invitation, user: User | None = None) -> User:
    """Join the organisation. The link proves the address: its account is created if need be."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise DomainError(_("Cette invitation a déjà été acceptée."), code="already-accepted")
    if invitation.revoked_at is not None or invitation.expires_at <= timezone.now():
        raise DomainError(
            _("Cette invitation n'est plus valable : demandez-en une nouvelle."), code="expired"
        )
    if user is not None and user.is_authenticated and user.email != invitation.email:
        raise DomainError(
            _("Cette invitation est adressée à %(email)s : déconnectez-vous pour l'accepter.")
            % {"email": invitation.email},
            code="wrong-account",
        )
    user = user if user is not None and user.is_authenticated else None
    if user is None:
        user, _created = get_user_model().objects.get_or_create(
            email=invitation.email, defaults={"role": User.Role.MEMBRE}
        )
    if user.role == User.Role.HABITANT:
        user.role = User.Role.MEMBRE
        user.save(update_fields=["role"])
    person = Person.objects.filter(user=user).first() or Person.objects.create(
        user=user,
        first_name=user.first_name or invitation.email.split("@")[0],
        last_name=user.last_name,
    )
    membership, created = Membership.objects.get_or_create(
        person=person, organisation=invitation.organisation, defaults={"role": invitation.role}
    )
    if not created and invitation.role == Membership.Role.REFERENT:
        membership.role = Membership.Role.REFERENT
        membership.save(update_fields=["role"])
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    record(
        invitation.organisation, "member-joined", actor=user, email=user.email, role=membership.role
    )
    return user


@transaction.atomic
def update_person(*, person: Person, by: User, **fields) -> Person:
    for name, value in fields.items():
        setattr(person, name, value)
    person.full_clean()
    person.save()
    record(person, "person-updated", actor=by, fields=sorted(fields))
    return person
