from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from maillage.core.models import JournalEntry
from maillage.needs import services
from maillage.needs.models import Need
from tests.factories import MembershipFactory, PersonFactory, UserFactory, raise_test_need
from tests.pages import read

SCRIPT = '<script>alert("x")</script>'


@pytest.fixture
def owner(db):
    return UserFactory(role="animateur", email="nadia@example.org")


def _raise(client, **fields):
    data = {"description": "Je n'arrive pas à imprimer mon attestation CAF.", "contact": "aucun"}
    return client.post("/permanence/", data | fields)


@pytest.mark.django_db
def test_an_inhabitant_raises_a_need_without_an_account_and_lands_on_its_tracking_page(
    client, owner, django_capture_on_commit_callbacks
):
    assert "Exprimer un besoin" in client.get("/permanence/").text
    with django_capture_on_commit_callbacks(execute=True):
        response = _raise(client, contact="courriel", email="karim@example.org", name="Karim",
                          consent="on", dimension="dematerialisation")  # fmt: skip
    need = Need.objects.get()
    assert response.status_code == 302 and response.url == need.tracking_url()
    page = client.get(response.url).text
    assert need.reference in page and "Reçu" in page
    assert need.dimension.code == "dematerialisation" and need.requester_name == "Karim"
    assert need.tracking_url() in mail.outbox[0].body


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"description": "   "}, "Ce champ est obligatoire"),
        ({"description": "x" * 4001}, "au plus 4000"),
        ({"contact": "courriel"}, "Indiquez votre adresse de courriel"),
        ({"contact": "courriel", "email": "pas-une-adresse", "consent": "on"}, "courriel valide"),
        (
            {"contact": "telephone", "phone": "12", "consent": "on"},
            "numéro de téléphone n",
        ),
        ({"contact": "courriel", "email": "k@example.org"}, "Cochez cette case"),
        ({"dimension": "espace"}, "Sélectionnez un choix valide"),
    ],
)
def test_bad_input_on_the_public_form_gets_a_clear_error_and_saves_nothing(
    client, owner, fields, message
):
    response = _raise(client, **fields)
    assert response.status_code == 400
    assert message in response.text
    assert not Need.objects.exists()


@pytest.mark.django_db
def test_html_in_a_need_is_shown_escaped_to_the_requester_and_the_desk(client, owner):
    _raise(client, description=SCRIPT)
    need = Need.objects.get()
    assert SCRIPT not in client.get(need.tracking_url()).text
    client.force_login(owner)
    for url in (need.get_absolute_url(), "/permanence/file/"):
        page = client.get(url).text
        assert SCRIPT not in page and "&lt;script&gt;" in page


@pytest.mark.django_db
def test_the_public_form_is_rate_limited_per_address_but_not_for_facilitators(
    client, owner, settings
):
    settings.NEEDS_RATE_LIMIT = 2
    for n in range(2):
        assert _raise(client, description=f"Besoin {n}").status_code == 302
    response = _raise(client, description="Un de trop")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    client.force_login(owner)
    assert _raise(client, description="Saisi par l'équipe").status_code == 302
    assert Need.objects.count() == 3


@pytest.mark.django_db
def test_a_member_raises_a_need_on_behalf_of_their_organisation(client, owner, organisation):
    user = UserFactory(role="membre")
    MembershipFactory(person=PersonFactory(user=user), organisation=organisation)
    client.force_login(user)
    assert _raise(client, organisation=organisation.pk).status_code == 302
    assert Need.objects.get().organisation == organisation


@pytest.mark.django_db
def test_unknown_tracking_links_are_404(client):
    assert client.get("/suivi/nimporte-quoi/").status_code == 404


@pytest.mark.django_db
def test_the_tracking_page_shows_answers_but_never_internal_notes(client, owner):
    need = raise_test_need()
    services.add_note(need=need, by=owner, text="Note confidentielle")
    services.answer_need(need=need, by=owner, message="Venez mardi à 10 h.")
    page = client.get(need.tracking_url()).text
    assert "Venez mardi à 10 h." in page
    assert "Note confidentielle" not in page


@pytest.mark.django_db
def test_the_requester_adds_information_then_says_it_is_solved(client, owner):
    need = raise_test_need()
    client.post(need.tracking_url(), {"action": "message", "message": "Nouveau courrier reçu."})
    client.post(need.tracking_url(), {"action": "solved"})
    need.refresh_from_db()
    assert need.status == "resolu"
    assert "Nouveau courrier reçu." in client.get(need.tracking_url()).text
    assert JournalEntry.objects.about(need).filter(verb="requester-message").exists()


@pytest.mark.django_db
def test_the_requester_erases_their_contact_details(client, owner):
    need = raise_test_need(email="karim@example.org", consent=True)
    client.post(need.tracking_url(), {"action": "erase"})
    need.refresh_from_db()
    assert need.requester_email == "" and need.contact_erased_at


@pytest.mark.django_db
def test_the_queue_is_for_the_lab_team_only(client, owner):
    assert client.get("/permanence/file/").status_code == 302
    client.force_login(UserFactory(role="membre"))
    assert client.get("/permanence/file/").status_code == 404
    need = raise_test_need()
    assert client.get(need.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_the_queue_shows_overdue_needs_first_then_the_oldest(client, owner):
    from datetime import timedelta

    from django.utils import timezone

    later, late, soon = (raise_test_need(description=f"Besoin {n}") for n in range(3))
    now = timezone.now()
    Need.objects.filter(pk=later.pk).update(due_at=now + timedelta(days=5))
    Need.objects.filter(pk=late.pk).update(due_at=now - timedelta(days=1))
    Need.objects.filter(pk=soon.pk).update(due_at=now + timedelta(hours=3))
    client.force_login(owner)
    response = client.get("/permanence/file/")
    assert [n.pk for n in response.context["page"].object_list] == [late.pk, soon.pk, later.pk]
    assert "En retard" in response.text
    overdue = client.get("/permanence/file/", {"overdue": "on"})
    assert [n.pk for n in overdue.context["page"].object_list] == [late.pk]


@pytest.mark.django_db
@pytest.mark.parametrize("size", [10, 100])
def test_the_queue_runs_a_bounded_number_of_queries(
    client, owner, size, django_assert_max_num_queries
):
    for n in range(size):
        raise_test_need(description=f"Besoin numéro {n}")
    client.force_login(owner)
    with django_assert_max_num_queries(7):
        client.get("/permanence/file/")


@pytest.mark.django_db
def test_the_desk_records_a_phone_call_in_one_form(client, owner):
    client.force_login(owner)
    response = client.post(
        "/permanence/saisir/",
        {"channel": "telephone", "description": "Appel : box internet en panne depuis une semaine",
         "contact": "telephone", "phone": "06 12 34 56 78", "name": "Mme Rossi", "consent": "on"},
    )  # fmt: skip
    need = Need.objects.get()
    assert response.url == need.get_absolute_url()
    assert need.channel == "telephone" and need.requester_phone == "+33612345678"
    assert need.raised_by == owner


@pytest.mark.django_db
def test_the_desk_qualifies_answers_and_closes_with_clear_refusals(client, owner):
    need = raise_test_need()
    client.force_login(owner)
    base = f"/permanence/besoins/{need.pk}"
    response = client.post(f"{base}/status/", {"status-to": "en-projet"})
    assert response.status_code == 400 and "ne peut pas passer" in response.text
    client.post(f"{base}/qualify/", {"qualify-title": "Attestation CAF", "qualify-dimension": "1"})
    client.post(f"{base}/answer/", {"answer-message": "Nous pouvons vous aider jeudi."})
    response = client.post(f"{base}/status/", {"status-to": "clos", "status-reason": "hors-champ"})
    assert response.status_code == 400 and "pourquoi" in response.text
    client.post(
        f"{base}/status/",
        {
            "status-to": "clos",
            "status-reason": "reoriente-ailleurs",
            "status-message": "Voyez la CAF.",
        },
    )
    need.refresh_from_db()
    assert (need.status, need.title, need.closure_reason) == (
        "clos",
        "Attestation CAF",
        "reoriente-ailleurs",
    )
    page = client.get(need.tracking_url()).text
    assert "Nous pouvons vous aider jeudi." in page and "Voyez la CAF." in page
    assert client.post(f"{base}/inconnue/").status_code == 404


@pytest.mark.django_db
def test_i_dont_know_is_an_answer_to_the_dimension(client, owner):
    assert "Je ne sais pas" in client.get("/permanence/").text
    assert _raise(client, dimension="").status_code == 302
    assert Need.objects.get().dimension is None


@pytest.mark.django_db
def test_ending_an_ended_need_says_why_without_unrelated_errors(client, owner):
    need = raise_test_need()
    client.post(need.tracking_url(), {"action": "solved"})
    response = client.post(need.tracking_url(), {"action": "withdrawn"})
    assert response.status_code == 400
    assert "déjà terminé" in response.text
    assert "Ce champ est obligatoire" not in response.text


def _next_action(client, need) -> str:
    """The heading of the need page's « À faire maintenant », as read."""
    page = read(client.get(f"/permanence/besoins/{need.pk}/"))
    return " ".join(
        page.split('id="next-title">', 1)[1].split("</h2>", 1)[0].split("</span>")[1:]
    ).strip()


@pytest.mark.django_db
def test_the_need_page_leads_with_the_action_its_state_calls_for(client, owner):
    need = raise_test_need()
    client.force_login(owner)
    assert _next_action(client, need) == "Qualifier le besoin"
    need = services.qualify_need(need=need, by=owner, title="Attestation CAF", dimension=None)
    assert _next_action(client, need) == "Répondre au demandeur"
    services.answer_need(need=need, by=owner, message="Venez jeudi.")
    assert _next_action(client, need) == "Changer l'état"
    Need.objects.filter(pk=need.pk).update(due_at=timezone.now() - timedelta(hours=1))
    assert _next_action(client, need) == "Répondre au demandeur"  # news is owed
    Need.objects.filter(pk=need.pk).update(due_at=timezone.now() + timedelta(days=3))
    services.requester_writes(need=need, text="Jeudi je ne peux pas, vendredi ?")
    assert _next_action(client, need) == "Répondre au demandeur"
    services.change_status(need=need, to="resolu", by=owner, message="Vu vendredi.")
    assert _next_action(client, need) == "Rouvrir le besoin"

    page = read(client.get(f"/permanence/besoins/{need.pk}/"))
    conversation = page.split('class="timeline"', 1)[1].split("</ol>", 1)[0]
    said = ["déclarer mes revenus", "Venez jeudi.", "vendredi ?", "Vu vendredi."]
    assert [conversation.index(words) for words in said] == sorted(
        conversation.index(words) for words in said
    ), "the requester's words first, then the conversation in its order"
    assert "Besoin reçu" not in conversation  # the requester's words say it


@pytest.mark.django_db
def test_a_refused_folded_action_comes_back_unfolded_with_its_error(client, owner):
    need = raise_test_need()
    client.force_login(owner)
    response = client.post(f"/permanence/besoins/{need.pk}/note/", {"note-message": " "})
    assert response.status_code == 400
    assert '<details class="fold" id="note" open>' in response.text
    assert '<details class="fold" id="assign">' in response.text  # the others stay folded


@pytest.mark.django_db
def test_a_name_given_without_a_way_to_answer_is_not_kept(client):
    assert _raise(client, name="Karim", contact="aucun").status_code == 302
    assert Need.objects.get().requester_name == ""
