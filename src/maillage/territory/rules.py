"""Who may change what on the territory's pages."""

import rules

from maillage.core.rules import is_facilitator

from .models import Membership, Organisation


@rules.predicate
def is_referent_of(user, organisation: Organisation | None) -> bool:
    if organisation is None or not user.is_authenticated:
        return False
    return Membership.objects.filter(
        organisation=organisation, person__user=user, role=Membership.Role.REFERENT
    ).exists()


rules.add_perm("territory.change_organisation", is_facilitator | is_referent_of)
rules.add_perm("territory.invite_member", is_facilitator | is_referent_of)


@rules.predicate
def is_self(user, person) -> bool:
    return person is not None and user.is_authenticated and person.user_id == user.pk


rules.add_perm("territory.change_person", is_facilitator | is_self)
