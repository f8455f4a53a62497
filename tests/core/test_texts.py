"""Text messages for people without e-mail: checked numbers, nothing at night, nothing to who
said stop, one message per intent, sent by django-sms's backend."""

from datetime import datetime, timedelta

import pytest
import sms
from django.utils import timezone

from maillage.core import housekeeping, texts
from maillage.core.errors import DomainError
from maillage.core.models import TextMessage
from maillage.needs import services
from tests.factories import UserFactory, raise_test_need

pytestmark = pytest.mark.django_db
PARIS = timezone.get_current_timezone()


def _at(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, 3, hour, minute, tzinfo=PARIS)


def _daytime_gone_by() -> datetime:
    """Yesterday at noon: in the daytime, and already past whatever the clock says."""
    return timezone.localtime().replace(hour=12, minute=0) - timedelta(days=1)


def test_a_text_goes_out_once_committed_with_an_e164_number(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        text = texts.send(to="06 12 34 56 78", body="Bonjour  Josiane", key="k",
                          now=_daytime_gone_by())  # fmt: skip
    assert text.to == "+33612345678"
    (sent,) = sms.outbox
    assert sent.recipients == ["+33612345678"] and sent.body == "Bonjour Josiane"
    assert TextMessage.objects.get().sent_at is not None
    again = texts.send(to="+33612345678", body="Bonjour Josiane", key="k")
    assert again.pk == text.pk and TextMessage.objects.count() == 1


@pytest.mark.parametrize(
    ("written", "sent_from"),
    [(_at(7, 59), _at(8)), (_at(8), _at(8)), (_at(19, 59), _at(19, 59)),
     (_at(20), _at(8) + timedelta(days=1)), (_at(23, 30), _at(8) + timedelta(days=1))],
)  # fmt: skip
def test_nothing_goes_out_at_night(written, sent_from):
    assert texts.daytime(written) == sent_from


def test_a_text_written_at_night_waits_for_the_sweep_of_the_morning(
    django_capture_on_commit_callbacks,
):
    night = _at(23)
    with django_capture_on_commit_callbacks(execute=True):
        text = texts.send(to="0612345678", body="Rappel", now=night)
    assert sms.outbox == [] and text.send_after == _at(8) + timedelta(days=1)
    assert texts.sweep(now=night + timedelta(hours=2)) == 0
    morning = _at(8, 1) + timedelta(days=1)
    assert texts.sweep(now=morning) == 1  # its task runs on the real clock: sent from there
    assert not texts.deliver_one(text.pk, now=night + timedelta(hours=8, minutes=59))
    assert texts.deliver_one(text.pk, now=morning) and len(sms.outbox) == 1


def test_a_number_that_said_stop_gets_nothing_more(django_capture_on_commit_callbacks):
    waiting = texts.send(to="0612345678", body="Demain", now=_at(23))
    assert texts.opt_out("06 12 34 56 78", why="desk") is True
    assert texts.opt_out("+33612345678", why="desk") is False
    with pytest.raises(texts.OptedOut) as refused:
        texts.send(to="0612345678", body="Encore")
    assert "ne veut plus recevoir de SMS" in refused.value.message
    waiting.refresh_from_db()
    assert waiting.skipped_at is not None
    assert texts.sweep(now=_at(9) + timedelta(days=1)) == 0 and sms.outbox == []


@pytest.mark.parametrize(("to", "body"), [("12", "Bonjour"), ("0612345678", " "),
                                          ("0612345678", "x" * 481)])  # fmt: skip
def test_a_text_that_cannot_be_sent_is_refused_clearly(to, body):
    with pytest.raises(DomainError) as refused:
        texts.send(to=to, body=body)
    assert refused.value.status == 422 and refused.value.message
    assert not TextMessage.objects.exists()


def test_a_provider_that_fails_is_tried_again_later(settings, django_capture_on_commit_callbacks):
    settings.SMS_BACKEND = "tests.core.test_texts.Failing"
    settings.SMS_DAYTIME_FROM, settings.SMS_DAYTIME_UNTIL = 0, 24  # whenever the test runs
    with django_capture_on_commit_callbacks(execute=True):  # its task fails
        texts.send(to="0612345678", body="Bonjour")
    text = TextMessage.objects.get()
    assert text.sent_at is None and "ConnectionError" in text.last_error
    settings.SMS_BACKEND = "sms.backends.locmem.SmsBackend"
    assert housekeeping.every_minute()["texts"] == 0  # not before its retry time
    assert texts.sweep(now=timezone.now() + timedelta(minutes=5)) == 1
    assert TextMessage.objects.get().sent_at is not None


class Failing(sms.backends.base.BaseSmsBackend):
    def send_messages(self, messages):
        raise ConnectionError("provider down")


def test_a_requester_without_email_is_told_by_sms_and_can_say_stop(
    client, settings, django_capture_on_commit_callbacks
):
    settings.SMS_DAYTIME_FROM, settings.SMS_DAYTIME_UNTIL = 0, 24  # whenever the test runs
    desk = UserFactory(role="animateur")
    with django_capture_on_commit_callbacks(execute=True):
        need = raise_test_need(name="Josiane", phone="+33612345678", consent=True)
    (received,) = sms.outbox
    assert need.reference in received.body and need.tracking_url() in received.body
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_need(need=need, by=desk, message="Passez jeudi.")
    assert "Lisez la réponse" in sms.outbox[-1].body and "jeudi" not in sms.outbox[-1].body
    page = client.post(need.tracking_url(), {"action": "stop-sms"}, follow=True)
    assert "vous ne recevrez plus de SMS" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_need(need=need, by=desk, message="Et vendredi ?")
    assert len(sms.outbox) == 2  # nothing more, and the answer itself was not refused
    services.erase_contact(need=need, by=desk, why="test")
    assert not TextMessage.objects.exists()
