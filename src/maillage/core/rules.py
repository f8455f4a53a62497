"""Object-level permission predicates shared by every app."""

import rules


@rules.predicate
def is_facilitator(user) -> bool:
    return user.is_authenticated and user.is_facilitator


rules.add_perm("core.view_journal", is_facilitator)
