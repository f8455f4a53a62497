"""Text messages (SMS), for the people the lab reaches by phone only: through an outbox, as the
e-mails go (`core.outbox`), sent by django-sms, whose backend is one setting (`SMS_BACKEND`:
the console by default; Twilio, MessageBird or one of our own for a real provider).

Numbers are checked and kept in E.164. A number that opted out gets nothing more: asking for it
is refused with a clear message, and a message already waiting is dropped. Nothing goes out at
night: a message written outside SMS_DAYTIME_FROM to SMS_DAYTIME_UNTIL (hours, the lab's
time) waits for the morning. The same KEY twice is one message."""

import uuid
from datetime import datetime, time, timedelta

import sms
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from .errors import DomainError
from .models import TextMessage, TextOptOut
from .phones import normalise_phone

CLAIM_TIMEOUT = timedelta(minutes=10)
RETRY_AFTER = timedelta(minutes=2)
MOST_ATTEMPTS = 10
LONGEST = 480  # three SMS parts: past it, a message is too long for a phone


class OptedOut(DomainError):
    status = 409

    def __init__(self):
        super().__init__(_("Ce numéro ne veut plus recevoir de SMS du laboratoire."),
                         code="sms-opted-out")  # fmt: skip


def number(phone: str) -> str:
    """PHONE in E.164, or a DomainError (422) saying it is not a phone number."""
    try:
        return normalise_phone(phone)
    except ValidationError as error:
        raise DomainError(error.messages[0], code="phone", status=422) from error


def opted_out(phone: str) -> bool:
    return TextOptOut.objects.filter(phone=phone).exists()


def daytime(moment: datetime) -> datetime:
    """MOMENT if it is daytime at the lab, else the next morning's first daytime hour."""
    local = timezone.localtime(moment)
    opens, closes = settings.SMS_DAYTIME_FROM, settings.SMS_DAYTIME_UNTIL
    if opens <= local.hour < closes:
        return moment
    morning = local.date() + timedelta(days=1 if local.hour >= closes else 0)
    return datetime.combine(morning, time(opens), tzinfo=local.tzinfo)


def send(*, to: str, body: str, about: models.Model | None = None, key: str | None = None,
         now: datetime | None = None) -> TextMessage:  # fmt: skip
    """Have BODY sent to TO once the caller's transaction commits, in the daytime."""
    phone = number(to)
    if opted_out(phone):
        raise OptedOut()
    body = " ".join(body.split())
    if not body or len(body) > LONGEST:
        raise DomainError(_("Un SMS tient en 1 à %(most)s caractères.") % {"most": LONGEST},
                          code="sms-length", status=422)  # fmt: skip
    now = now or timezone.now()
    key = key or uuid.uuid4().hex
    about_type = ContentType.objects.get_for_model(about) if about is not None else None
    text, created = TextMessage.objects.get_or_create(
        key=f"{key}:{phone}"[:200],
        defaults={"to": phone, "body": body, "about_type": about_type,
                  "about_id": about.pk if about else None, "send_after": daytime(now),
                  "retry_at": now + RETRY_AFTER},
    )  # fmt: skip
    if created and text.send_after <= now:
        transaction.on_commit(lambda: _enqueue(text.pk), robust=True)
    return text


def _enqueue(pk: int) -> None:
    from .tasks import deliver_text

    deliver_text.enqueue(text=pk)


def deliver_one(pk: int, *, now: datetime | None = None) -> bool:
    """Send text PK if it is due and no one else is sending it; return whether it went."""
    now = now or timezone.now()
    claimed = (
        TextMessage.objects.unsent()
        .filter(pk=pk, send_after__lte=now)
        .filter(models.Q(claimed_at__isnull=True) | models.Q(claimed_at__lt=now - CLAIM_TIMEOUT))
        .update(claimed_at=now, attempts=F("attempts") + 1)
    )
    if not claimed:
        return False
    text = TextMessage.objects.get(pk=pk)
    if opted_out(text.to):  # they said stop after it was written
        TextMessage.objects.filter(pk=pk).update(skipped_at=now)
        return False
    try:
        sms.send_sms(text.body, originator=settings.SMS_FROM, recipients=[text.to])
    except Exception as failure:
        TextMessage.objects.filter(pk=pk).update(claimed_at=None, last_error=repr(failure)[:2000])
        raise
    TextMessage.objects.filter(pk=pk).update(sent_at=timezone.now(), last_error="")
    return True


def sweep(now: datetime | None = None) -> int:
    """Have the worker send what is due and still unsent (written at night, its task lost, the
    provider down), waiting longer after each attempt; return how many."""
    now = now or timezone.now()
    due = list(
        TextMessage.objects.unsent()
        .filter(send_after__lte=now, attempts__lt=MOST_ATTEMPTS)
        .filter(models.Q(retry_at__isnull=True) | models.Q(retry_at__lte=now))
        .filter(models.Q(claimed_at__isnull=True) | models.Q(claimed_at__lt=now - CLAIM_TIMEOUT))
        .values_list("pk", "attempts")[:500]
    )
    for pk, attempts in due:
        wait = min(RETRY_AFTER * 2**attempts, timedelta(hours=1))
        TextMessage.objects.filter(pk=pk).update(retry_at=now + wait)
        _enqueue(pk)
    return len(due)


def opt_out(phone: str, *, why: str) -> bool:
    """PHONE gets no more text messages (those waiting are dropped); False if it had already
    asked."""
    phone = number(phone)
    try:
        with transaction.atomic():
            TextOptOut.objects.create(phone=phone, why=why[:40])
    except IntegrityError:
        return False
    TextMessage.objects.unsent().filter(to=phone).update(skipped_at=timezone.now())
    return True


def opt_in(phone: str) -> bool:
    """PHONE asked again for text messages (by the desk, in person); False if it never stopped."""
    return TextOptOut.objects.filter(phone=number(phone)).delete()[0] > 0


# The words one answers an SMS with to stop them, as French operators honour them.
STOP_WORDS = {"stop", "arret", "arrêt", "stopsms", "stop sms", "desabonner", "désabonner"}


def replied(*, sender: str, text: str) -> bool:
    """An SMS answered to the lab's number: a stop word opts its sender out. Return whether it
    did (anything else is for a person to read at the desk, and is not kept here)."""
    words = " ".join(text.lower().replace(".", " ").replace("!", " ").split())
    if words not in STOP_WORDS and words.split(" ", 1)[0] not in STOP_WORDS:
        return False
    try:
        return opt_out(sender, why=_("réponse STOP"))
    except DomainError:  # the sender is no phone number: nothing to stop
        return False


def forget(about: models.Model) -> int:
    """Erase every text about ABOUT, sent or not (its words hold what is being erased)."""
    return TextMessage.objects.about(about).delete()[0]


def forget_sent(now: datetime | None = None) -> int:
    now = now or timezone.now()
    old = now - timedelta(days=settings.EMAIL_KEEP_DAYS)
    return TextMessage.objects.filter(
        models.Q(sent_at__lt=old) | models.Q(skipped_at__lt=old)
    ).delete()[0]
