"""Formation's daily jobs: cancel the sessions too thin to be held, remind tomorrow's trainees."""

from django.tasks import task

from . import trainings


@task
def cancel_thin_sessions() -> int:
    return trainings.cancel_thin_sessions()


@task
def remind_trainees() -> int:
    return trainings.remind_tomorrow()
