"""What keeps the background work whole when a part fails: the workers' heartbeats, the tasks
a dead worker left RUNNING taken up again, the outbox swept, and what must not be kept
forgotten (finished tasks, sent e-mails, idempotency keys, expired sessions)."""

import logging
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from . import idempotency, outbox, texts
from .models import WorkerHeartbeat

logger = logging.getLogger(__name__)


def beat_every() -> float:
    """Seconds between two beats: several within the time that says a worker is dead."""
    return max(1.0, min(10.0, settings.WORKER_DEAD_AFTER_SECONDS / 4))


def dead_after() -> timedelta:
    """A worker that has not beaten for this long is dead (killed, its machine gone): what it
    was running is run again by another. A task that is merely long keeps its worker beating."""
    return timedelta(seconds=settings.WORKER_DEAD_AFTER_SECONDS)


def beat(worker_id: str) -> None:
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id, defaults={"seen_at": timezone.now()}
    )


def stopped(worker_id: str) -> None:
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def last_beat():
    """When a worker last beat, if any ever did."""
    return WorkerHeartbeat.objects.order_by("-seen_at").values_list("seen_at", flat=True).first()


def take_up_abandoned(now=None) -> int:
    """Put back in the queue the tasks whose worker died while running them; return how many."""
    now = now or timezone.now()
    alive = set(
        WorkerHeartbeat.objects.filter(seen_at__gte=now - dead_after()).values_list(
            "worker_id", flat=True
        )
    )
    abandoned = [
        task.pk
        for task in DBTaskResult.objects.running().filter(started_at__lt=now - dead_after())
        if not task.worker_ids or task.worker_ids[-1] not in alive
    ]
    if abandoned:
        taken = (
            DBTaskResult.objects.running()
            .filter(pk__in=abandoned)
            .update(status="READY", started_at=None, run_after=now)
        )
        logger.warning("%s task(s) of a dead worker taken up again", taken)
        return taken
    WorkerHeartbeat.objects.filter(seen_at__lt=now - timedelta(days=1)).delete()
    return 0


def every_minute() -> dict[str, int]:
    return {"abandoned": take_up_abandoned(), "emails": outbox.sweep(), "texts": texts.sweep()}


def forget_what_is_not_kept(now=None) -> dict[str, int]:
    """Daily: finished tasks after TASKS_KEEP_DAYS, sent e-mails after EMAIL_KEEP_DAYS,
    idempotency keys after a day, expired sessions."""
    from django.contrib.sessions.models import Session

    now = now or timezone.now()
    finished = DBTaskResult.objects.filter(
        Q(status="SUCCESSFUL") | Q(status="FAILED"),
        finished_at__lt=now - timedelta(days=settings.TASKS_KEEP_DAYS),
    )
    return {
        "tasks": finished.delete()[0],
        "emails": outbox.forget_sent(now),
        "texts": texts.forget_sent(now),
        "keys": idempotency.forget_expired(now),
        "sessions": Session.objects.filter(expire_date__lt=now).delete()[0],
    }
