"""The permanence's daily jobs: publish the coming weeks' slots, remind tomorrow's people,
erase who came once the retention delay is over."""

from django.tasks import task

from . import agenda, services


@task
def publish_slots() -> dict[str, int]:
    return agenda.publish()


@task
def remind_appointments() -> int:
    return agenda.remind_tomorrow()


@task
def erase_expired_people() -> int:
    return services.erase_expired_people()


@task
def erase_expired_appointments() -> int:
    return agenda.erase_expired_appointments()
