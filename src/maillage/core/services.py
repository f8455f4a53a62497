"""Domain actions of the socle."""

from django.db import transaction

from .models import ApiToken, User


@transaction.atomic
def issue_api_token(*, user: User, label: str = "") -> str:
    """Create an API token for USER and return its key: shown once, only its hash is kept."""
    _token, key = ApiToken.issue(user=user, label=label)
    return key
