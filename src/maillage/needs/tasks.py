"""The permanence's daily jobs: remind owners, escalate what is late, erase old contacts."""

from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import ngettext

from maillage.core import outbox
from maillage.core.delays import add_working_days
from maillage.core.models import User

from . import services
from .models import Need


def _mail(to: str, subject: str, template: str, **context) -> None:
    """Once a day per person and kind: a job run again after a crash sends nothing twice."""
    body = render_to_string(
        f"needs/emails/{template}.txt", {"SITE_URL": settings.SITE_URL, **context}
    )
    outbox.send(to=to, subject=subject, body=body,
                key=f"needs-{template}:{timezone.localdate()}")  # fmt: skip


@task
def remind_and_escalate() -> dict[str, int]:
    """Tell each owner what falls due by the next working day, and the coordinators what is late."""
    now = timezone.now()
    soon = add_working_days(now, 1)
    open_needs = Need.objects.open().select_related("owner").order_by("due_at")
    due = defaultdict(list)
    for need in open_needs.filter(due_at__gte=now, due_at__lte=soon, owner__isnull=False):
        due[need.owner].append(need)
    for owner, needs in due.items():
        subject = ngettext(
            "Permanence : %(count)s besoin à traiter",
            "Permanence : %(count)s besoins à traiter",
            len(needs),
        ) % {"count": len(needs)}
        _mail(owner.email, subject, "reminder", needs=needs)
    late = list(open_needs.filter(due_at__lt=now)) + list(
        open_needs.filter(owner__isnull=True, due_at__gte=now)
    )
    coordinators = User.objects.filter(role=User.Role.COORDINATEUR, is_active=True)
    subject = ngettext(
        "Permanence : %(count)s besoin en retard",
        "Permanence : %(count)s besoins en retard",
        len(late),
    ) % {"count": len(late)}
    for coordinator in coordinators if late else []:
        _mail(coordinator.email, subject, "escalation", needs=late)
    return {
        "owners_reminded": len(due),
        "late": len(late),
        "coordinators": len(coordinators) if late else 0,
    }


@task
def erase_expired_contacts() -> int:
    """Erase the contact details of needs closed longer ago than the retention period."""
    limit = timezone.now() - timedelta(days=settings.NEEDS_RETENTION_DAYS)
    expired = Need.objects.filter(closed_at__lt=limit, contact_erased_at__isnull=True).exclude(
        requester_name="", requester_email="", requester_phone=""
    )
    erased = 0
    for need in expired.iterator():
        services.erase_contact(need=need, by=None, why="retention")
        erased += 1
    return erased


@task
def resume_after_waiting() -> int:
    """The needs that waited for their requester the whole delay come back to the team."""
    resumed = 0
    for need in Need.objects.filter(waiting_since__isnull=False, due_at__lte=timezone.now()):
        services.resume_need(need=need, by=None, why="delay")
        resumed += 1
    return resumed
