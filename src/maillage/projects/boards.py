"""Pages of the group's work: the backlog, the steps' boards, the retrospectives and a member's
« à faire » across projects. They are the working group's (and the lab's team's); the public
sees the project's page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, F, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from maillage.core.errors import DomainError
from maillage.core.params import record_id, record_ids
from maillage.needs.models import Need

from . import backlog, services
from .forms import ItemForm
from .models import Item, Project, RetroCard, Step


def _items(queryset):
    """Items with what their cards show, in a fixed number of queries."""
    return queryset.select_related("assignee__person").prefetch_related(
        Prefetch("needs", queryset=Need.objects.only("pk", "reference"))
    )


NO_MOVE = {"moved": "", "notice": "", "refused": False}  # a page shown, not a gesture's answer


def _group_page(view):
    """Open VIEW to the lab's team and the group's members; others are sent to the project's
    page, which tells them how to join."""

    @login_required
    def wrapped(request: HttpRequest, pk: int, *args, **kwargs) -> HttpResponse:
        project = get_object_or_404(Project, pk=pk)
        user = request.user
        if not (user.is_facilitator or project.members.active().filter(person__user=user).exists()):
            messages.info(request, _("Cette page est celle du groupe de travail : "
                                     "demandez à le rejoindre."))  # fmt: skip
            return redirect(project)
        request.can_contribute = backlog.can_contribute(project, user)
        return view(request, project, *args, **kwargs)

    return wrapped


def _backlog_context(request, project: Project, form: ItemForm | None = None) -> dict:
    return {
        "project": project, "can_contribute": request.can_contribute,
        "items": list(_items(project.items.backlog())),
        "steps": [s for s in project.steps.all() if s.status != Step.Status.TERMINEE],
        "form": form or ItemForm(project=project), **NO_MOVE,
    }  # fmt: skip


@_group_page
def backlog_page(request: HttpRequest, project: Project) -> HttpResponse:
    """The backlog, in the group's order, and the form to write an item."""
    form = None
    if request.method == "POST":
        form = ItemForm(request.POST, project=project)
        if form.is_valid():
            data = form.cleaned_data
            try:
                item = backlog.add_item(
                    project=project, by=request.user, title=data["title"],
                    details=data["details"], answers=data["needs"], step=data["step"],
                    assignee=data["assignee"], due_on=data["due_on"],
                )  # fmt: skip
            except DomainError as refused:
                form.add_error(None, refused.message)
            else:
                messages.success(request, _("« %(title)s » est écrit.") % {"title": item.title})
                return redirect(request.path)  # to write the next one
    context = _backlog_context(request, project, form)
    template = "projects/backlog.html#list" if request.htmx else "projects/backlog.html"
    return render(request, template, context, status=400 if form and form.errors else 200)


def _board_context(request, project: Project, step: Step) -> dict:
    items = _items(step.items.order_by("position", "pk"))
    columns = [(value, label, []) for value, label in Item.Column.choices]
    by_column = {value: cards for value, _label, cards in columns}
    for item in items:
        by_column[item.column].append(item)
    return {"project": project, "step": step, "columns": columns,
            "can_move": request.can_contribute and step.status != Step.Status.TERMINEE,
            "choices": Item.Column.choices, **NO_MOVE}  # fmt: skip


@_group_page
def board(request: HttpRequest, project: Project, step: int) -> HttpResponse:
    step = get_object_or_404(project.steps, pk=step)
    return render(request, "projects/board.html", _board_context(request, project, step))


def _back(project: Project, step: Step | None = None) -> str:
    """The page an item is seen on: its step's board, or the backlog."""
    if step is None:
        return reverse("projects:backlog", kwargs={"pk": project.pk})
    return reverse("projects:board", kwargs={"pk": project.pk, "step": step.pk})


@require_POST
@_group_page
def move(request: HttpRequest, project: Project, item: int) -> HttpResponse:
    """One gesture on an item: to another column, up or down its list, into a step or back to
    the backlog. The page it came from (a board, or the backlog) is shown again, fresh — with
    htmx only that part of it."""
    item = get_object_or_404(project.items.select_related("step"), pk=item)
    came_from = project.steps.filter(pk=record_id(request.POST.get("from_step"))).first()
    # The button pressed says the gesture: "up", "down", "column:<column>", "step" (the step
    # chosen next to it; none for the backlog).
    gesture, _sep, value = request.POST.get("move", "").partition(":")
    if gesture == "step":
        value = request.POST.get("step", "")
    status, notice = 200, ""
    try:
        seen = int(request.POST.get("version", ""))
        if gesture == "column":
            moved = backlog.move_item(item=item, by=request.user, seen=seen, column=value)
            notice = _("« %(title)s » est dans « %(column)s ».")
            notice %= {"title": moved.title, "column": moved.get_column_display()}
        elif gesture in ("up", "down"):
            backlog.reorder_item(item=item, by=request.user, seen=seen, up=gesture == "up")
            notice = _("« %(title)s » a changé de rang.") % {"title": item.title}
        elif gesture == "step":
            step = project.steps.filter(pk=record_id(value)).first()
            moved = backlog.schedule_item(item=item, by=request.user, seen=seen, step=step)
            notice = (_("« %(title)s » est dans l'étape %(number)s.")
                      % {"title": moved.title, "number": step.number}) if step else (
                      _("« %(title)s » revient au carnet.") % {"title": moved.title})  # fmt: skip
        else:
            raise DomainError(_("Ce geste n'existe pas."), status=422)
    except ValueError:
        status, notice = 422, _("La page est incomplète : rechargez-la.")
    except DomainError as refused:
        status, notice = refused.status, refused.message
    if not request.htmx:
        (messages.success if status == 200 else messages.error)(request, notice)
        return redirect(_back(project, came_from))
    if came_from is None:
        context = _backlog_context(request, project)
        template = "projects/backlog.html#list"
    else:
        context = _board_context(request, project, came_from)
        template = "projects/board.html#columns"
    context.update(notice=notice, refused=status != 200, moved=item.pk)
    return render(request, template, context, status=status)


@_group_page
def edit(request: HttpRequest, project: Project, item: int) -> HttpResponse:
    item = get_object_or_404(project.items.select_related("step"), pk=item)
    initial = {"title": item.title, "details": item.details, "needs": item.needs.all(),
               "assignee": item.assignee, "due_on": item.due_on,
               "version": item.version}  # fmt: skip
    form = ItemForm(request.POST or None, project=project, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            backlog.edit_item(
                item=item, by=request.user, seen=data["version"] or 0, title=data["title"],
                details=data["details"], answers=data["needs"], assignee=data["assignee"],
                due_on=data["due_on"],
            )  # fmt: skip
        except DomainError as refused:
            if refused.code == "stale":  # show what is there now, with the message
                messages.error(request, refused.message)
                return redirect(request.path)
            form.add_error(None, refused.message)
        else:
            messages.success(request, _("C'est enregistré."))
            return redirect(_back(project, item.step))
    context = {"project": project, "item": item, "form": form,
               "can_contribute": request.can_contribute}  # fmt: skip
    return render(request, "projects/item.html", context, status=400 if form.errors else 200)


@_group_page
def retrospective(request: HttpRequest, project: Project, step: int) -> HttpResponse:
    step = get_object_or_404(project.steps, pk=step)
    person = getattr(request.user, "person", None)
    cards = (
        step.cards.annotate(votes=Count("voters")).select_related("item")
        .order_by("kind", "-votes", "created_at")
    )  # fmt: skip
    mine = set()
    if person is not None:
        mine = set(person.retro_votes.filter(step=step).values_list("pk", flat=True))
    kinds = [(value, label, [c for c in cards if c.kind == value])
             for value, label in RetroCard.Kind.choices]  # fmt: skip
    context = {"project": project, "step": step, "kinds": kinds, "mine": mine,
               "steering": services.can_steer(project, request.user),
               "following": project.steps.filter(number__gt=step.number).first()}  # fmt: skip
    return render(request, "projects/retrospective.html", context)


def _retro_action(request, project: Project, step: int, action) -> HttpResponse:
    step = get_object_or_404(project.steps, pk=step)
    try:
        done = action(step)
    except DomainError as refused:
        messages.error(request, refused.message)
    else:
        if done:
            messages.success(request, done)
    return redirect("projects:retrospective", pk=project.pk, step=step.pk)


@require_POST
@_group_page
def add_card(request: HttpRequest, project: Project, step: int) -> HttpResponse:
    def action(step):
        backlog.add_card(step=step, by=request.user, kind=request.POST.get("kind", ""),
                         text=request.POST.get("text", ""))  # fmt: skip
        return _("La carte est posée.")

    return _retro_action(request, project, step, action)


@require_POST
@_group_page
def vote_card(request: HttpRequest, project: Project, step: int, card: int) -> HttpResponse:
    def action(step):
        backlog.toggle_vote(card=get_object_or_404(step.cards, pk=card), by=request.user)

    return _retro_action(request, project, step, action)


@require_POST
@_group_page
def choose_actions(request: HttpRequest, project: Project, step: int) -> HttpResponse:
    def action(step):
        ids = record_ids(request.POST.getlist("cards"))
        items = backlog.choose_actions(step=step, by=request.user,
                                       cards=step.cards.filter(pk__in=ids))  # fmt: skip
        count = len(items)
        return ngettext(
            "%(count)s action rejoint le carnet.", "%(count)s actions rejoignent le carnet.", count
        ) % {"count": count}

    return _retro_action(request, project, step, action)


@login_required
def my_work(request: HttpRequest) -> HttpResponse:
    """What is assigned to me, in every project, the nearest due first; and my digests."""
    person = getattr(request.user, "person", None)
    if person is None:
        return render(request, "projects/my_work.html", {"items": [], "memberships": []})
    if request.method == "POST":
        keep = set(record_ids(request.POST.getlist("digest")))
        for membership in person.project_roles.active():
            membership.digest = str(membership.pk) in keep
            membership.save(update_fields=["digest"])
        messages.success(request, _("Vos choix de courriels sont enregistrés."))
        return redirect("projects:my_work")
    items = (
        _items(Item.objects.open().filter(assignee__person=person))
        .select_related("project", "step")
        .order_by(F("due_on").asc(nulls_last=True), "project__title", "position")
    )
    memberships = person.project_roles.active().select_related("project")
    context = {"items": items, "memberships": memberships}
    return render(request, "projects/my_work.html", context)
