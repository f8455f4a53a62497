"""The working group's work: the backlog, the steps' boards, the retrospectives, closing the loop
on the needs, the shared means committed, and what members are told."""

import html
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from maillage.core.errors import DomainError
from maillage.core.models import Dimension
from maillage.needs import services as needs
from maillage.projects import backlog, notices, services
from maillage.projects.models import Commitment, Item, Member, Notification, RetroCard, Step
from tests.factories import OfferFactory, PersonFactory, UserFactory, raise_test_need
from tests.pages import read


@pytest.fixture
def desk(db):
    user = UserFactory(role="animateur", email="nadia@example.org", first_name="Nadia")
    PersonFactory(user=user, first_name="Nadia", last_name="Benali")
    return user


@pytest.fixture
def project(desk):
    """A project answering two needs of inhabitants who left their e-mail, in its first step."""
    dimension = Dimension.objects.first()
    answers = []
    for text, email in (("Pas de banc à l'arrêt", "awa@example.org"),
                        ("Trop de marches", "bruno@example.org")):  # fmt: skip
        need = raise_test_need(description=text, email=email, consent=True)
        needs.qualify_need(need=need, by=desk, title=text, dimension=dimension)
        answers.append(need)
    project = services.create_project(by=desk, title="Des arrêts accueillants",
                                      purpose="S'asseoir en attendant le bus.",
                                      answers=answers)  # fmt: skip
    step = services.plan_step(project=project, by=desk, goal="Un premier arrêt")
    services.start_step(step=step, by=desk)
    return project


@pytest.fixture
def contributor(project):
    user = UserFactory(role="membre", email="yanis@example.org")
    person = PersonFactory(user=user, first_name="Yanis", last_name="Haddad")
    Member.objects.create(project=project, person=person, accepted_at=timezone.now())
    return user


def _need(project, n=0):
    return project.needs.order_by("pk")[n]


@pytest.mark.django_db
def test_items_keep_their_needs_and_closed_or_foreign_needs_are_refused(project, desk, client):
    client.force_login(desk)
    url = f"/projets/{project.pk}/carnet/"
    first = _need(project)
    response = client.post(url, {"title": "Les habitants s'assoient à l'arrêt du port",
                                 "needs": [first.pk]})  # fmt: skip
    assert response.status_code == 302
    item = Item.objects.get()
    assert list(item.needs.all()) == [first] and item.step is None
    page = html.unescape(client.get(url).text)
    assert "Les habitants s'assoient à l'arrêt du port" in page and first.reference in page
    # A need resolved meanwhile cannot be linked, and nothing is written.
    second = _need(project, 1)
    needs.change_status(need=second, to="resolu", by=desk, message="Réglé autrement.")
    with pytest.raises(DomainError, match="déjà résolus ou clos"):
        backlog.add_item(project=project, by=desk, title="Une rampe", answers=[second])
    other = raise_test_need(description="Autre chose")
    with pytest.raises(DomainError, match="pas rattachés au projet"):
        backlog.add_item(project=project, by=desk, title="Une rampe", answers=[other])
    refused = client.post(url, {"title": "", "needs": [first.pk]})
    assert refused.status_code == 400
    assert Item.objects.count() == 1


@pytest.mark.django_db
def test_the_board_moves_cards_by_buttons_and_refuses_a_stale_move(project, contributor, client):
    step = project.steps.get()
    item = backlog.add_item(project=project, by=contributor, title="Poser un banc", step=step)
    client.force_login(contributor)
    board = f"/projets/{project.pk}/etapes/{step.pk}/tableau/"
    page = read(client.get(board))
    assert "À faire" in page and "En cours" in page and "Fait" in page
    assert "Vers « En cours »" in page
    move = f"/projets/{project.pk}/elements/{item.pk}/deplacer/"
    seen = item.version
    # Without JavaScript: the form posts and the board comes back.
    response = client.post(move, {"version": seen, "from_step": step.pk,
                                  "move": "column:en-cours"})  # fmt: skip
    assert response.status_code == 302 and response["Location"] == board
    item.refresh_from_db()
    assert item.column == "en-cours" and item.version == seen + 1
    # A second person, from a page showing the old version, moves it to « Fait »: refused, and
    # the fresh board (htmx) shows where the card really is.
    stale = client.post(move, {"version": seen, "from_step": step.pk, "move": "column:fait"},
                        headers={"HX-Request": "true"})  # fmt: skip
    assert stale.status_code == 409
    text = read(stale)
    assert "Quelqu'un a changé « Poser un banc » entre-temps" in text
    assert 'id="board"' in text and "Vers « Fait »" in text  # the card is still in « En cours »
    item.refresh_from_db()
    assert item.column == "en-cours" and item.done_at is None
    done = client.post(move, {"version": item.version, "from_step": step.pk,
                              "move": "column:fait"}, headers={"HX-Request": "true"})  # fmt: skip
    assert done.status_code == 200 and "« Poser un banc » est dans « Fait »." in html.unescape(
        done.text
    )
    item.refresh_from_db()
    assert item.column == "fait" and item.done_at is not None
    # Nonsense is refused with a message, never a 500.
    for bad in ({"version": "x", "move": "up"}, {"version": item.version, "move": "jump"},
                {"version": item.version, "move": "column:nulle-part"}):  # fmt: skip
        assert client.post(move, bad | {"from_step": step.pk},
                           headers={"HX-Request": "true"}).status_code == 422  # fmt: skip


@pytest.mark.django_db
def test_the_group_orders_the_backlog_and_plans_items_into_steps(project, contributor, client):
    step = project.steps.get()
    a, b, c = (backlog.add_item(project=project, by=contributor, title=t) for t in "ABC")
    client.force_login(contributor)
    move = f"/projets/{project.pk}/elements/{c.pk}/deplacer/"
    client.post(move, {"version": c.version, "move": "up"})
    assert [i.title for i in project.items.backlog()] == ["A", "C", "B"]
    a.refresh_from_db()
    backlog.reorder_item(item=a, by=contributor, seen=a.version, up=True)  # first: no change
    assert [i.title for i in project.items.backlog()] == ["A", "C", "B"]
    client.post(move, {"version": c.version + 1, "move": "step", "step": step.pk})
    c.refresh_from_db()
    assert c.step == step and c.column == "a-faire"
    assert [i.title for i in project.items.backlog()] == ["A", "B"]
    board = client.get(f"/projets/{project.pk}/etapes/{step.pk}/tableau/").text
    assert "Remettre au carnet" in html.unescape(board)
    back = client.post(move, {"version": c.version, "move": "step", "from_step": step.pk})
    assert back["Location"] == f"/projets/{project.pk}/etapes/{step.pk}/tableau/"
    assert [i.title for i in project.items.backlog()] == ["A", "B", "C"]
    c.refresh_from_db()
    client.post(move, {"version": c.version, "move": "step", "step": step.pk})
    # An observer sees the backlog but does not move it; a stranger is sent to the project.
    observer = UserFactory(role="membre")
    Member.objects.create(project=project, person=PersonFactory(user=observer),
                          role="observateur", accepted_at=timezone.now())  # fmt: skip
    client.force_login(observer)
    page = html.unescape(client.get(f"/projets/{project.pk}/carnet/").text)
    assert "A" in page and "Ajouter au carnet" not in page
    assert client.post(f"/projets/{project.pk}/elements/{b.pk}/deplacer/",
                       {"version": b.version, "move": "up"}).status_code == 302  # fmt: skip
    assert project.items.backlog().first() == a
    client.force_login(UserFactory(role="membre"))
    assert client.get(f"/projets/{project.pk}/carnet/")["Location"] == project.get_absolute_url()


@pytest.mark.django_db
def test_a_member_with_work_to_do_is_not_removed_until_it_is_handed_over(
    project, desk, contributor, client
):
    member = Member.objects.get(person__user=contributor)
    item = backlog.add_item(project=project, by=desk, title="Mesurer l'arrêt", assignee=member)
    client.force_login(desk)
    response = client.post(f"/projets/{project.pk}/membres/{member.pk}/retirer/", follow=True)
    assert "Yanis Haddad a encore à faire : « Mesurer l'arrêt »" in read(response)
    assert Member.objects.filter(pk=member.pk).exists()
    backlog.edit_item(item=item, by=desk, seen=item.version, title=item.title, assignee=None)
    client.post(f"/projets/{project.pk}/membres/{member.pk}/retirer/")
    assert not Member.objects.filter(pk=member.pk).exists()
    # And an item cannot be given to someone outside the group.
    with pytest.raises(DomainError, match="membre du groupe"):
        backlog.add_item(project=project, by=desk, title="X", assignee=member)


@pytest.mark.django_db
def test_a_retrospective_carries_its_chosen_actions_into_the_next_step(
    project, desk, contributor, client
):
    step = project.steps.get()
    services.review_step(step=step, by=desk, delivered="Un banc", next_goal="Trois arrêts")
    client.force_login(contributor)
    url = f"/projets/{project.pk}/etapes/{step.pk}/retrospective/"
    client.post(url + "cartes/", {"kind": "garder", "text": "Se voir sur place"})
    client.post(url + "cartes/", {"kind": "essayer", "text": "Demander aux chauffeurs"})
    assert "La carte est vide." in html.unescape(
        client.post(url + "cartes/", {"kind": "essayer", "text": " "}, follow=True).text
    )
    card = RetroCard.objects.get(text="Demander aux chauffeurs")
    client.post(url + f"cartes/{card.pk}/vote/")
    client.force_login(desk)
    client.post(url + f"cartes/{card.pk}/vote/")
    page = html.unescape(client.get(url).text)
    assert "2 votes" in page
    client.post(url + f"cartes/{card.pk}/vote/")  # taken back
    assert card.voters.count() == 1
    client.force_login(contributor)  # not a pilot
    client.post(url + "actions/", {"cards": [card.pk]})
    assert not Item.objects.exists()
    client.force_login(desk)
    client.post(url + "actions/", {"cards": [card.pk]})
    item = Item.objects.get()
    assert item.title == "Demander aux chauffeurs" and item.step.number == 2
    assert RetroCard.objects.get(pk=card.pk).item == item


@pytest.mark.django_db
def test_when_what_answers_a_need_is_done_and_reviewed_the_need_is_resolved_and_its_requester_told(
    project, desk, client, django_capture_on_commit_callbacks
):
    step = project.steps.get()
    first, second = _need(project), _need(project, 1)
    bench = backlog.add_item(project=project, by=desk, title="Un banc à l'arrêt du port",
                             answers=[first], step=step)  # fmt: skip
    ramp = backlog.add_item(project=project, by=desk, title="Une rampe", answers=[second],
                            step=step)  # fmt: skip
    backlog.move_item(item=bench, by=desk, seen=bench.version, column="fait")
    assert services.needs_ready(project) == []  # done, but not reviewed yet
    services.review_step(step=step, by=desk, delivered="Le banc est posé.")
    ready = services.needs_ready(project)
    assert [need for need, _items in ready] == [first]  # the ramp is not done
    client.force_login(desk)
    page = read(client.get(project.get_absolute_url()))
    assert "Des besoins sont prêts à être résolus" in page
    assert "- Un banc à l'arrêt du port" in page and "Livré à l'étape 1 : Le banc est posé." in page
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/projets/{project.pk}/besoins/resoudre/", {
            "needs": [first.pk, second.pk], "message-1": "",
        })  # fmt: skip
    assert "pas prêts" in html.unescape(client.get(project.get_absolute_url()).text)
    first.refresh_from_db()
    assert first.status == "en-projet"  # all or nothing
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/projets/{project.pk}/besoins/resoudre/", {
            "needs": [first.pk], f"message-{first.pk}": "Le banc est posé, venez l'essayer.",
        })  # fmt: skip
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.status == "resolu"
    told = [m for m in mail.outbox if "awa@example.org" in m.to]
    assert told and "Le banc est posé, venez l'essayer." in told[-1].body
    tracking = html.unescape(client.get(first.tracking_url()).text)
    assert "Des arrêts accueillants" in tracking
    assert "Le banc est posé, venez l'essayer." in tracking
    assert ramp.needs.get().status == "en-projet"


@pytest.mark.django_db
def test_members_hear_of_what_concerns_them_in_a_daily_digest_they_can_turn_off(
    project, desk, contributor, client, django_capture_on_commit_callbacks
):
    member = Member.objects.get(person__user=contributor)
    backlog.add_item(project=project, by=desk, title="Relever les horaires", assignee=member)
    photos = backlog.add_item(project=project, by=desk, title="Photos",
                              details="@Yanis tu as un appareil ?")  # fmt: skip
    backlog.edit_item(
        item=photos,
        by=desk,
        seen=photos.version,
        title="Photos de l'arrêt",
        details="@Yanis tu as un appareil ? Merci !",
    )  # said once, told once
    assert Notification.objects.filter(kind="mentioned").count() == 1
    step = project.steps.get()
    step.ends_on = timezone.localdate() + timedelta(days=1)
    step.save()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert notices.send_digests() == 2  # Yanis; Nadia (the pilot: a review is due)
    to_yanis = next(m for m in mail.outbox if m.to == ["yanis@example.org"])
    assert "On vous confie « Relever les horaires »" in to_yanis.body
    assert "On parle de vous dans « Photos »" in to_yanis.body
    to_nadia = next(m for m in mail.outbox if m.to == ["nadia@example.org"])
    assert "sa revue est à faire" in to_nadia.body
    with django_capture_on_commit_callbacks(execute=True):
        assert notices.send_digests() == 0  # once
    # Yanis turns the digest off on « Mon à faire ».
    client.force_login(contributor)
    page = html.unescape(client.get("/projets/mon-a-faire/").text)
    assert "Relever les horaires" in page and "Des arrêts accueillants" in page
    client.post("/projets/mon-a-faire/", {})
    assert not Member.objects.get(pk=member.pk).digest
    backlog.add_item(project=project, by=desk, title="Compter les passagers", assignee=member)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        notices.send_digests()
    assert not [m for m in mail.outbox if m.to == ["yanis@example.org"]]
    assert not Notification.objects.filter(sent_at__isnull=True).exists()


@pytest.mark.django_db
def test_a_shared_means_is_committed_and_booked_through_the_mutualisation(project, desk, client):
    room = OfferFactory(title="Salle polyvalente", bookable=True, auto_accept=True)
    skill = OfferFactory(title="Conseil en signalétique", kind="competence")
    client.force_login(desk)
    found = html.unescape(client.get(project.get_absolute_url() + "?offre=polyvalente").text)
    assert "Salle polyvalente" in found and "Engager pour le projet" in found
    day = timezone.localdate() + timedelta(days=3)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    url = f"/projets/{project.pk}/moyens/{room.pk}/"
    client.post(url, {"purpose": "Réunion des riverains", "day": day, "start": "10:00",
                      "end": "12:00"})  # fmt: skip
    commitment = Commitment.objects.get()
    assert commitment.booking is not None and commitment.booking.status == "acceptee"
    assert "Projet « Des arrêts accueillants »" in commitment.booking.purpose
    # The same slot again: the mutualisation refuses it, and nothing is committed.
    taken = client.post(url, {"purpose": "Encore", "day": day, "start": "11:00", "end": "12:00"},
                        follow=True)  # fmt: skip
    assert "déjà" in html.unescape(taken.text) and Commitment.objects.count() == 1
    half = client.post(url, {"purpose": "Sans fin", "day": day, "start": "11:00"}, follow=True)
    assert "donnez le jour" in html.unescape(half.text) and Commitment.objects.count() == 1
    client.post(f"/projets/{project.pk}/moyens/{skill.pk}/", {"purpose": "Les panneaux"})
    page = read(client.get(project.get_absolute_url()))
    assert "Conseil en signalétique</a> — Les panneaux" in page and "réservation du" in page


@pytest.mark.django_db
def test_the_team_attaches_a_need_raised_since_and_its_requester_is_told(
    project, desk, client, django_capture_on_commit_callbacks
):
    late = raise_test_need(description="Toujours pas de banc", email="chloe@example.org",
                           consent=True)  # fmt: skip
    needs.qualify_need(need=late, by=desk, title="Un banc", dimension=Dimension.objects.first())
    client.force_login(desk)
    url = f"/projets/{project.pk}/besoins/"
    found = read(client.get(f"/projets/{project.pk}/?besoin=banc"))
    assert f'value="{late.pk}"' in found and "Rattacher au projet" in found
    assert (
        read(client.get(f"/projets/{project.pk}/?besoin={late.reference.lower()}")).count(
            f'name="needs" value="{late.pk}"'
        )
        == 1
    )  # a reference finds it too
    unknown = client.post(url, {"needs": [999999]}, follow=True)
    assert "Sélectionnez un choix valide" in read(unknown)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"needs": [late.pk]})
    late.refresh_from_db()
    assert late.status == "en-projet" and project.needs.filter(pk=late.pk).exists()
    assert "Des arrêts accueillants" in html.unescape(client.get(late.tracking_url()).text)
    again = client.post(url, {"needs": [late.pk]}, follow=True)
    assert f'value="{late.pk}"' not in read(client.get(f"/projets/{project.pk}/?besoin=banc"))
    assert "déjà rattachés" in html.unescape(again.text)


@pytest.mark.django_db
def test_the_public_page_shows_progress_by_step_and_the_next_step(project, desk, client):
    step = project.steps.get()
    for title in ("Un banc", "Un abri"):
        backlog.add_item(project=project, by=desk, title=title, step=step)
    item = Item.objects.first()
    backlog.move_item(item=item, by=desk, seen=item.version, column="fait")
    page = read(client.get(project.get_absolute_url()))
    assert "1 élément fait sur 2" in page
    assert "En ce moment : l'étape 1" in page and "Un premier arrêt" in page
    assert "Tableau de l'étape" not in page  # the board is the group's
    assert Step.objects.count() == 1


def _queries(client, url) -> int:
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cache.clear()  # the portfolio's pipeline counted afresh: the worst case
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_the_board_the_backlog_the_project_page_and_the_portfolio_run_a_bounded_number_of_queries(
    project, desk, contributor, client
):
    step = project.steps.get()
    member = Member.objects.get(person__user=contributor)
    client.force_login(desk)
    urls = [f"/projets/{project.pk}/etapes/{step.pk}/tableau/", f"/projets/{project.pk}/carnet/",
            project.get_absolute_url(), "/projets/", f"/api/v1/projects/{project.pk}",
            "/projets/mon-a-faire/"]  # fmt: skip

    def grow(n):
        for k in range(n):
            item = backlog.add_item(project=project, by=desk, title=f"Élément {k}",
                                    answers=[_need(project, k % 2)], assignee=member,
                                    step=step if k % 2 else None)  # fmt: skip
            if k % 3 == 0 and item.step:
                backlog.move_item(item=item, by=desk, seen=item.version, column="fait")
        services.create_project(by=desk, title=f"Autre {n}", purpose="Un autre.")

    grow(2)
    before = [_queries(client, url) for url in urls]
    grow(20)
    assert [_queries(client, url) for url in urls] == before


@pytest.mark.django_db(transaction=True)
def test_two_people_moving_one_card_at_once_never_lose_an_update(project, desk, contributor):
    """Both saw version 1; each moves the card elsewhere, at the same moment, from their own
    connection: one wins, the other is told, and the card is where the winner put it."""
    import threading

    from django.db import connection

    step = project.steps.get()
    item = backlog.add_item(project=project, by=desk, title="Poser un banc", step=step)
    start, outcomes = threading.Barrier(2), {}

    def move(who, column):
        start.wait()
        try:
            backlog.move_item(item=item, by=who, seen=item.version, column=column)
            outcomes[column] = "moved"
        except DomainError as refused:
            outcomes[column] = refused.code
        finally:
            connection.close()

    threads = [threading.Thread(target=move, args=(desk, "en-cours")),
               threading.Thread(target=move, args=(contributor, "fait"))]  # fmt: skip
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes.values()) == ["moved", "stale"]
    item.refresh_from_db()
    winner = next(column for column, outcome in outcomes.items() if outcome == "moved")
    assert item.column == winner and item.version == 2
    # The same holds for an edit made from a stale form.
    with pytest.raises(DomainError, match="entre-temps"):
        backlog.edit_item(item=item, by=desk, seen=1, title="Poser deux bancs")
    assert Item.objects.get(pk=item.pk).title == "Poser un banc"


@pytest.mark.django_db
@pytest.mark.parametrize("step", ["abc", "9" * 4301, "-1", "1.5"])
def test_a_move_from_a_step_that_is_not_one_goes_back_to_the_backlog(
    project, contributor, client, step
):
    item = backlog.add_item(project=project, by=contributor, title="Poser un banc",
                            step=project.steps.get())  # fmt: skip
    client.force_login(contributor)
    move = f"/projets/{project.pk}/elements/{item.pk}/deplacer/"
    answer = client.post(move, {"version": item.version, "from_step": step,
                                "move": "column:en-cours"})  # fmt: skip
    assert answer.status_code == 302 and answer["Location"] == f"/projets/{project.pk}/carnet/"
    item.refresh_from_db()
    assert item.column == "en-cours"
