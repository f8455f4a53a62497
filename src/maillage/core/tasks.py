"""Background tasks of the socle, run by `maillage worker`."""

from django.apps import apps
from django.tasks import task


@task
def deliver(*, email: int) -> bool:
    """Send one e-mail of the outbox (see `core.outbox`): the task knows its number only."""
    from .outbox import deliver_one

    return deliver_one(email)


@task
def deliver_text(*, text: int) -> bool:
    """Send one text message of the outbox (see `core.texts`)."""
    from .texts import deliver_one

    return deliver_one(text)


@task
def embed(*, model: str, pk: int) -> bool:
    """Compute and store the vector of one record's text (see `core.semantic`)."""
    from .embedding import embed_rows

    return embed_rows(apps.get_model(model).objects.filter(pk=pk)) == 1


@task
def embed_missing() -> int:
    """Catch up on the records whose text has no vector yet (a task lost, a model installed)."""
    from .embedding import embed_all_missing

    return embed_all_missing()


@task
def forget_what_is_not_kept() -> dict[str, int]:
    """Daily: what must not be kept longer (finished tasks, sent e-mails, keys, sessions)."""
    from .housekeeping import forget_what_is_not_kept

    return forget_what_is_not_kept()


@task
def nightly_backup() -> str:
    """Daily (BACKUP_NIGHTLY): an archive of the installation, the last BACKUP_KEEP kept."""
    from pathlib import Path

    from django.conf import settings

    from . import backups

    if not settings.BACKUP_NIGHTLY:
        return "off"
    archive = backups.backup()
    backups.prune(Path(settings.BACKUP_DIR), settings.BACKUP_KEEP)
    return str(archive)
