"""Daily jobs of the projects, enqueued by `core.schedule`."""

from django.tasks import task

from . import notices


@task
def send_digests() -> int:
    """Tell the pilots of reviews due, then send each member their daily digest."""
    return notices.send_digests()
