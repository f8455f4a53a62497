"""Background tasks of the socle, run by `maillage worker`."""

from django.apps import apps
from django.core.mail import send_mail
from django.tasks import task


@task
def send_email(*, to: list[str], subject: str, body: str) -> int:
    """Send a plain-text e-mail; retried by the worker's caller if the SMTP server is down."""
    return send_mail(subject, body, None, to)


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
