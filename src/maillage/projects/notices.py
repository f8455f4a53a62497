"""What members hear of their projects: a notification when something concerns them (an item
assigned to them, their name mentioned with @, a step's review due), sent once a day in one
e-mail — the digest, which each member can turn off for each project."""

import re
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from maillage.core import outbox
from maillage.core.models import User
from maillage.core.text import fold

from .models import Item, Member, Notification, Project, Step

MENTION = re.compile(r"@([\w-]+(?:\s[\w-]+)?)")
REVIEW_NOTICE = timedelta(days=2)  # pilots are told this long before a step ends


def _notify(member: Member, kind: str, text: str, link: str) -> None:
    Notification.objects.create(person_id=member.person_id, project_id=member.project_id,
                                kind=kind, text=text[:500], link=link)  # fmt: skip


def mentioned(project: Project, text: str) -> list[Member]:
    """The members named in TEXT as @Prénom or @Prénom Nom (accents and case aside)."""
    names = {fold(name) for name in MENTION.findall(text)}
    if not names:
        return []
    members = project.members.active().select_related("person")
    return [
        member for member in members
        if fold(member.person.first_name) in names or fold(member.person.full_name) in names
        or any(name.startswith(fold(member.person.first_name) + " ") for name in names)
    ]  # fmt: skip


def item_written(
    item: Item, *, by: User, assigned: bool | None = None, said_before: str = ""
) -> None:
    """Tell the assignee (on a new item, or when ASSIGNED changes) and those mentioned (but not
    those already mentioned in the text as it was, SAID_BEFORE)."""
    link = reverse("projects:item", kwargs={"pk": item.project_id, "item": item.pk})
    author = getattr(by, "person", None)
    told = set()
    newly = assigned if assigned is not None else True
    if newly and item.assignee_id and item.assignee.person_id != getattr(author, "pk", None):
        text = _("On vous confie « %(title)s » (%(project)s).")
        _notify(item.assignee, Notification.Kind.ASSIGNED,
                text % {"title": item.title, "project": item.project.title}, link)  # fmt: skip
        told.add(item.assignee.person_id)
    told |= {member.person_id for member in mentioned(item.project, said_before)}
    for member in mentioned(item.project, f"{item.title}\n{item.details}"):
        if member.person_id not in told and member.person_id != getattr(author, "pk", None):
            text = _("On parle de vous dans « %(title)s » (%(project)s).")
            _notify(member, Notification.Kind.MENTIONED,
                    text % {"title": item.title, "project": item.project.title}, link)  # fmt: skip
            told.add(member.person_id)


def reviews_due(*, today=None) -> int:
    """Tell the pilots of each current step that ends within two days that its review is due,
    once per step."""
    today = today or timezone.localdate()
    steps = Step.objects.filter(status=Step.Status.EN_COURS, ends_on__lte=today + REVIEW_NOTICE)
    told = 0
    for step in steps.select_related("project"):
        link = reverse("projects:detail", kwargs={"pk": step.project_id}) + "#etapes"
        if Notification.objects.filter(project=step.project, link=link,
                                       kind=Notification.Kind.REVIEW_DUE,
                                       created_at__date__gte=step.starts_on).exists():  # fmt: skip
            continue
        text = _("L'étape %(number)s de « %(project)s » finit le %(day)s : sa revue est à faire.")
        for pilot in step.project.members.active().filter(role=Member.Role.PILOTE):
            _notify(pilot, Notification.Kind.REVIEW_DUE, text % {
                "number": step.number, "project": step.project.title,
                "day": step.ends_on.strftime("%d/%m/%Y")}, link)  # fmt: skip
            told += 1
    return told


def send_digests(*, now=None) -> int:
    """One e-mail per person with what concerns them since the last digest; notifications of
    projects whose digest they turned off are marked sent without an e-mail. Returns the number
    of e-mails."""
    now = now or timezone.now()
    reviews_due(today=timezone.localdate(now))
    pending = Notification.objects.filter(sent_at__isnull=True).select_related(
        "person__user", "project"
    )
    muted = set(Member.objects.filter(digest=False).values_list("person_id", "project_id"))
    by_person: dict[int, list[Notification]] = {}
    for notification in pending:
        if (notification.person_id, notification.project_id) not in muted:
            by_person.setdefault(notification.person_id, []).append(notification)
    sent = 0
    for notifications in by_person.values():
        person = notifications[0].person
        email = person.user.email if person.user_id else ""
        if not email:
            continue
        body = render_to_string("projects/emails/digest.txt", {
            "person": person, "notifications": notifications, "SITE_URL": settings.SITE_URL,
            "settings_link": reverse("projects:my_work"),
        })  # fmt: skip
        count = len(notifications)
        subject = ngettext("Vos projets : %(count)s nouvelle", "Vos projets : %(count)s nouvelles",
                           count) % {"count": count}  # fmt: skip
        with transaction.atomic():
            Notification.objects.filter(pk__in=[n.pk for n in notifications]).update(sent_at=now)
            outbox.send(to=email, subject=subject, body=body,
                        key=f"projects-digest:{person.pk}:{timezone.localdate(now)}")  # fmt: skip
        sent += 1
    pending.filter(sent_at__isnull=True).update(sent_at=now)  # muted, or without an e-mail
    return sent
