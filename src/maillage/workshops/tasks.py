"""Daily jobs of the workshops, enqueued by `core.schedule`."""

from django.tasks import task

from . import services


@task
def send_reminders() -> int:
    """Remind the people registered to a workshop starting within a day."""
    return services.send_reminders()
