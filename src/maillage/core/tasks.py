"""Background tasks of the socle, run by `maillage worker`."""

from django.core.mail import send_mail
from django.tasks import task


@task
def send_email(*, to: list[str], subject: str, body: str) -> int:
    """Send a plain-text e-mail; retried by the worker's caller if the SMTP server is down."""
    return send_mail(subject, body, None, to)
