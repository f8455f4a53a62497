"""E-mails go through an outbox, so that a task carries an e-mail's number, never an address or
the words of a message, and a failing part loses nothing.

`send` writes the e-mail in the caller's transaction (rolled back with it); once committed the
worker sends it. A key names each intent (« the reference of need 12 », « Tuesday's digest
for Nadia »): the same key twice is one e-mail, so a job run again after a crash writes nothing
new. Sending claims the row first (one worker only); a worker that dies leaves its claim to
expire, and the outbox's sweep sends the e-mail again — at least once, and the same
Message-ID each time, so that mail software shows one message if it came twice. Erasing what
an e-mail is about (a requester's contact details) erases it from the outbox too, and sent
e-mails are forgotten after EMAIL_KEEP_DAYS."""

import hashlib
import uuid
from collections.abc import Iterable
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMessage
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone

from .models import Email

CLAIM_TIMEOUT = timedelta(minutes=10)  # a send that takes longer was cut short
RETRY_AFTER = timedelta(minutes=2)  # an e-mail still unsent then is sent by the sweep
MOST_ATTEMPTS = 10


def send(
    *,
    to: str | Iterable[str],
    subject: str,
    body: str,
    about: models.Model | None = None,
    key: str | None = None,
) -> list[Email]:
    """Have an e-mail sent to each of TO once the caller's transaction commits. KEY names the
    intent (a fresh one when None): an e-mail of that key to that address is only ever one."""
    addresses = sorted({to} if isinstance(to, str) else {a for a in to if a})
    key = key or uuid.uuid4().hex
    about_type = ContentType.objects.get_for_model(about) if about is not None else None
    kept = []
    for address in addresses:
        email, created = Email.objects.get_or_create(
            key=f"{key}:{address}"[:200],
            defaults={"to": address, "subject": subject[:300], "body": body,
                      "about_type": about_type, "about_id": about.pk if about else None,
                      "retry_at": timezone.now() + RETRY_AFTER},
        )  # fmt: skip
        if created:
            transaction.on_commit(lambda pk=email.pk: _enqueue(pk), robust=True)
            kept.append(email)
    return kept


def _enqueue(pk: int) -> None:
    from .tasks import deliver

    deliver.enqueue(email=pk)


def deliver_one(pk: int) -> bool:
    """Send e-mail PK if no one else is sending it; return whether this call sent it."""
    now = timezone.now()
    claimed = (
        Email.objects.unsent()
        .filter(pk=pk)
        .filter(models.Q(claimed_at__isnull=True) | models.Q(claimed_at__lt=now - CLAIM_TIMEOUT))
        .update(claimed_at=now, attempts=F("attempts") + 1)
    )
    if not claimed:
        return False
    email = Email.objects.get(pk=pk)
    message = EmailMessage(email.subject, email.body, None, [email.to],
                           headers={"Message-ID": message_id(email.key)})  # fmt: skip
    try:
        message.send()
    except Exception as failure:
        Email.objects.filter(pk=pk).update(claimed_at=None, last_error=repr(failure)[:2000])
        raise
    Email.objects.filter(pk=pk).update(sent_at=timezone.now(), last_error="")
    return True


def message_id(key: str) -> str:
    """The same for every send of one e-mail: mail software shows a message sent twice once."""
    domain = urlsplit(settings.SITE_URL).hostname or "maillage.localhost"
    return f"<{hashlib.sha256(key.encode()).hexdigest()[:32]}@{domain}>"


def sweep(now=None) -> int:
    """Have the worker send again what is still unsent when due (its first task lost, its
    worker dead, the SMTP server down), waiting longer after each attempt; return how many."""
    now = now or timezone.now()
    due = list(
        Email.objects.unsent()
        .filter(retry_at__lte=now, attempts__lt=MOST_ATTEMPTS)
        .filter(models.Q(claimed_at__isnull=True) | models.Q(claimed_at__lt=now - CLAIM_TIMEOUT))
        .values_list("pk", "attempts")[:500]
    )
    for pk, attempts in due:
        wait = min(RETRY_AFTER * 2**attempts, timedelta(hours=1))
        Email.objects.filter(pk=pk).update(retry_at=now + wait)
        _enqueue(pk)
    return len(due)


def forget(about: models.Model) -> int:
    """Erase every e-mail about ABOUT, sent or not (its words hold what is being erased)."""
    return Email.objects.about(about).delete()[0]


def forget_sent(now=None) -> int:
    now = now or timezone.now()
    return Email.objects.filter(
        sent_at__lt=now - timedelta(days=settings.EMAIL_KEEP_DAYS)
    ).delete()[0]
