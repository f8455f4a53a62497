"""Personal data really goes, and a failing part loses nothing: tasks carry identifiers, never
addresses; e-mails go once per intent, again after a crash; a dead worker's task is taken up
again; what must not be kept is forgotten; no log line carries a secret link."""

import io
import logging
import os
import signal
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from maillage.core import housekeeping, outbox
from maillage.core.models import Email, WorkerHeartbeat
from maillage.needs import services
from tests.factories import raise_test_need

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.mark.django_db
def test_tasks_carry_an_emails_number_and_erasure_leaves_no_address_anywhere(
    settings, django_capture_on_commit_callbacks
):
    settings.TASKS = DATABASE_TASKS  # as in production: tasks are rows until a worker runs
    with django_capture_on_commit_callbacks(execute=True):
        need = raise_test_need(email="karim@example.org", name="Karim", consent=True)
        services.erase_contact(need=need, by=None, why="requester")
    tasks = DBTaskResult.objects.all()
    assert tasks and all("karim" not in str(t.args_kwargs) for t in tasks)
    assert not Email.objects.filter(to="karim@example.org").exists()


@pytest.mark.django_db
def test_an_email_goes_once_per_intent_and_again_with_the_same_id_after_a_crash(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        outbox.send(to="lea@example.org", subject="Bonjour", body="Un mot", key="rappel:1")
        outbox.send(to="lea@example.org", subject="Bonjour", body="Un mot", key="rappel:1")
    assert len(mail.outbox) == 1 and Email.objects.get().sent_at is not None
    (email,) = Email.objects.all()
    assert outbox.deliver_one(email.pk) is False  # sent: never again
    # A worker dies after claiming an e-mail: once its claim expires, the sweep sends it.
    Email.objects.filter(pk=email.pk).update(
        sent_at=None, claimed_at=timezone.now() - timedelta(hours=1), retry_at=timezone.now()
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox.sweep() == 1
    assert len(mail.outbox) == 2
    assert mail.outbox[0].extra_headers["Message-ID"] == mail.outbox[1].extra_headers["Message-ID"]


@pytest.mark.django_db
def test_a_failed_send_is_tried_again_later_then_given_up(settings, monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("SMTP injoignable")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    (email,) = outbox.send(to="lea@example.org", subject="Bonjour", body="Un mot")
    with pytest.raises(OSError):
        outbox.deliver_one(email.pk)
    email.refresh_from_db()
    assert email.sent_at is None and email.claimed_at is None and "SMTP" in email.last_error
    Email.objects.filter(pk=email.pk).update(retry_at=timezone.now(), attempts=outbox.MOST_ATTEMPTS)
    assert outbox.sweep() == 0  # given up after so many attempts, kept for the team to see


@pytest.mark.django_db
def test_what_must_not_be_kept_is_forgotten_after_its_delay(settings):
    settings.TASKS_KEEP_DAYS = settings.EMAIL_KEEP_DAYS = 7
    old = timezone.now() - timedelta(days=8)
    DBTaskResult.objects.create(status="SUCCESSFUL", finished_at=old, args_kwargs={},
                                task_path="x", backend_name="default", run_after=old)  # fmt: skip
    DBTaskResult.objects.create(status="READY", args_kwargs={}, task_path="x",
                                backend_name="default", run_after=old)  # fmt: skip
    Email.objects.create(key="a", to="a@example.org", subject="s", body="b", sent_at=old)
    Email.objects.create(key="b", to="b@example.org", subject="s", body="b")
    forgotten = housekeeping.forget_what_is_not_kept()
    assert forgotten["tasks"] == 1 and forgotten["emails"] == 1
    assert DBTaskResult.objects.get().status == "READY" and Email.objects.get().key == "b"


@pytest.mark.django_db
def test_a_dead_workers_running_task_is_taken_up_again_a_live_ones_is_not(settings):
    settings.WORKER_DEAD_AFTER_SECONDS = 60
    now = timezone.now()
    WorkerHeartbeat.objects.create(worker_id="vivant", seen_at=now)
    WorkerHeartbeat.objects.create(worker_id="mort", seen_at=now - timedelta(minutes=5))
    for worker in ("vivant", "mort"):
        DBTaskResult.objects.create(status="RUNNING", started_at=now - timedelta(minutes=4),
                                    worker_ids=[worker], args_kwargs={}, task_path="x",
                                    backend_name="default", run_after=now)  # fmt: skip
    assert housekeeping.take_up_abandoned() == 1
    states = {task.worker_ids[0]: task.status for task in DBTaskResult.objects.all()}
    assert states == {"vivant": "RUNNING", "mort": "READY"}


def _database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def _worker(env) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "maillage.cli", "worker", "--no-startup-delay", "--interval", "0.2"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


def _wait(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


@pytest.mark.django_db(transaction=True)
def test_a_task_killed_mid_run_is_run_again_by_another_worker(settings, tmp_path):
    from tests.core.worker_tasks import long_the_first_time

    settings.TASKS = DATABASE_TASKS
    marker = str(tmp_path / "marker")
    result = long_the_first_time.enqueue(marker=marker)
    env = os.environ | {"DATABASE_URL": _database_url(), "WORKER_DEAD_AFTER_SECONDS": "3",
                        "PYTHONPATH": os.getcwd()}  # fmt: skip
    first = _worker(env)
    try:
        assert _wait(lambda: os.path.exists(marker + ".started"), 30)
        first.send_signal(signal.SIGKILL)  # killed while running the task
        first.wait(timeout=10)
        assert DBTaskResult.objects.get(pk=result.id).status == "RUNNING"
        second = _worker(env)
        try:
            assert _wait(lambda: os.path.exists(marker), 30), "the task was not taken up"
            assert _wait(lambda: DBTaskResult.objects.get(pk=result.id).status == "SUCCESSFUL", 10)
        finally:
            second.terminate()
            second.wait(timeout=10)
    finally:
        if first.poll() is None:
            first.kill()


def test_no_log_line_carries_a_tracking_token(client, db):
    """Django's « Bad Request: /suivi/… » and a server's access line, as the handlers write."""
    from uvicorn.logging import AccessFormatter

    from maillage.core.logs import RedactSecrets

    handler = next(h for h in logging.getLogger().handlers
                   if any(isinstance(f, RedactSecrets) for f in h.filters))  # fmt: skip
    written = io.StringIO()
    previous, handler.stream = handler.stream, written
    try:
        need = raise_test_need()
        client.post(f"/suivi/{need.tracking_token}/", {"action": "message", "message": ""})
        client.get("/suivi/jeton-inconnu-secret/")
    finally:
        handler.stream = previous
    assert "/suivi/" in written.getvalue()
    assert need.tracking_token not in written.getvalue()
    assert "jeton-inconnu-secret" not in written.getvalue()
    access = logging.LogRecord("uvicorn.access", logging.INFO, "", 0, '%s - "%s %s HTTP/%s" %d',
                               ("127.0.0.1", "GET", f"/suivi/{need.tracking_token}/", "1.1", 200),
                               None)  # fmt: skip
    RedactSecrets().filter(access)
    line = AccessFormatter("%(message)s").format(access)
    assert "/suivi/…/" in line and need.tracking_token not in line
