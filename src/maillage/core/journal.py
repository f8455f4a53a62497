"""Writing the journal: service functions call `record` inside their transaction."""

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import JournalEntry, User

# What each verb means to a reader; each app adds its own verbs next to its services.
VERB_LABELS: dict[str, str] = {}


def record(
    subject: models.Model,
    verb: str,
    *,
    actor: User | None = None,
    message: str = "",
    public: bool = False,
    **data: Any,
) -> JournalEntry:
    """Append what happened to SUBJECT to the journal; PUBLIC entries are shown to the person
    the record concerns."""
    return JournalEntry.objects.create(
        is_public=public,
        subject_type=ContentType.objects.get_for_model(subject),
        subject_id=subject.pk,
        actor=actor if actor is not None and actor.is_authenticated else None,
        verb=verb,
        message=message,
        data=data,
    )
