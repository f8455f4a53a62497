"""Daily jobs: the worker enqueues each once a day, whatever the number of workers."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import ScheduledRun

# Dotted paths of tasks run once a day, at the first check after midnight.
DAILY = [
    "maillage.needs.tasks.remind_and_escalate",
    "maillage.needs.tasks.erase_expired_contacts",
    "maillage.needs.tasks.resume_after_waiting",
    "maillage.mutualisation.tasks.ask_confirmations",
    "maillage.mediation.tasks.publish_slots",
    "maillage.mediation.tasks.remind_appointments",
    "maillage.mediation.tasks.erase_expired_people",
    "maillage.mediation.tasks.erase_expired_appointments",
    "maillage.formation.tasks.cancel_thin_sessions",
    "maillage.formation.tasks.remind_trainees",
    "maillage.core.tasks.embed_missing",
    "maillage.workshops.tasks.send_reminders",
    "maillage.projects.tasks.send_digests",
    "maillage.observatory.tasks.file_reports",
    "maillage.observatory.tasks.forget_old_imports",
    "maillage.core.tasks.forget_what_is_not_kept",
    "maillage.core.tasks.nightly_backup",
]


def enqueue_due(today=None) -> list[str]:
    """Enqueue the daily jobs not yet enqueued today; return their names."""
    today = today or timezone.localdate()
    enqueued = []
    for name in DAILY:
        try:
            with transaction.atomic():
                ScheduledRun.objects.create(name=name, day=today)
        except IntegrityError:
            continue
        import_string(name).enqueue()
        enqueued.append(name)
    return enqueued
