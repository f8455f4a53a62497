import pytest

from maillage.core.models import JournalEntry
from maillage.territory.models import Organisation
from tests.factories import (
    MembershipFactory,
    OfferFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
)

SCRIPT = '<script>alert("x")</script>'


def _form(organisation: Organisation, **changes) -> dict:
    data = {
        "name": organisation.name,
        "kind": organisation.kind,
        "description": organisation.description,
        "postal_code": "13500",
        "city": "Martigues",
        "insee_code": "13056",
        "dimensions": ["1"],
    }
    return {**data, **changes}


@pytest.mark.django_db
def test_an_organisation_page_shows_its_members(client, organisation):
    MembershipFactory(
        organisation=organisation,
        person=PersonFactory(first_name="Yasmina", last_name="Amar"),
        title="Animatrice",
    )
    response = client.get(organisation.get_absolute_url())
    assert response.status_code == 200
    assert "Yasmina Amar" in response.text
    assert "Animatrice" in response.text
    assert "Modifier la page" not in response.text


@pytest.mark.django_db
def test_an_unknown_organisation_is_a_404(client):
    assert client.get("/structures/nulle-part/").status_code == 404


@pytest.mark.django_db
def test_a_referent_edits_the_page_and_the_journal_keeps_the_change(client, organisation, referent):
    client.force_login(referent)
    url = f"/structures/{organisation.slug}/modifier/"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        _form(
            organisation,
            description="Nouveau texte",
            siret="73282932000074",
            phone="04 42 00 00 01",
        ),
    )
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.description == "Nouveau texte"
    assert organisation.phone == "+33442000001"
    assert "04 42 00 00 01" in client.get(organisation.get_absolute_url()).text
    entry = JournalEntry.objects.about(organisation).get(verb="organisation-updated")
    assert entry.actor == referent
    assert entry.data["changes"]["description"] == ["Une structure du territoire.", "Nouveau texte"]


@pytest.mark.django_db
def test_an_invalid_siret_is_refused_with_a_clear_message_and_nothing_saved(
    client, organisation, referent
):
    client.force_login(referent)
    response = client.post(
        f"/structures/{organisation.slug}/modifier/",
        _form(organisation, name="Autre nom", siret="73282932000075"),
    )
    assert response.status_code == 200
    assert "clé de contrôle invalide" in response.text
    organisation.refresh_from_db()
    assert organisation.name == "Centre social Jonquières"
    assert not JournalEntry.objects.about(organisation).exists()


@pytest.mark.django_db
def test_oversized_texts_are_refused(client, organisation, referent):
    client.force_login(referent)
    response = client.post(
        f"/structures/{organisation.slug}/modifier/",
        _form(organisation, name="N" * 201, description="D" * 5001),
    )
    assert response.status_code == 200
    # Each error shows twice: in the summary at the top, and next to its field.
    assert response.text.count("Assurez-vous que cette valeur comporte au plus") == 4


@pytest.mark.django_db
def test_html_and_script_in_every_text_field_are_shown_escaped(client, organisation, referent):
    text_fields = ["name", "description", "street", "address_complement", "city", "neighbourhood"]
    client.force_login(referent)
    response = client.post(
        f"/structures/{organisation.slug}/modifier/",
        _form(organisation, **{field: f"{field} {SCRIPT}" for field in text_fields}),
    )
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.description == f"description {SCRIPT}"
    for url in (organisation.get_absolute_url(), "/structures/?q=name", "/api/v1/organisations"):
        assert SCRIPT not in client.get(url).text, url
    page = client.get(organisation.get_absolute_url()).text
    for field in ("name", "description", "street", "neighbourhood"):
        assert f"{field} &lt;script&gt;" in page, field


@pytest.mark.django_db
def test_html_in_a_profile_is_shown_escaped(client):
    person = PersonFactory(user=UserFactory())
    client.force_login(person.user)
    fields = {"first_name": SCRIPT, "last_name": SCRIPT, "neighbourhood": SCRIPT, "bio": SCRIPT}
    assert client.post(f"/personnes/{person.pk}/modifier/", fields).status_code == 302
    page = client.get(person.get_absolute_url()).text
    assert SCRIPT not in page
    assert "&lt;script&gt;" in page


@pytest.mark.django_db
def test_values_that_are_not_allowed_are_refused_field_by_field(client, organisation, referent):
    client.force_login(referent)
    response = client.post(
        f"/structures/{organisation.slug}/modifier/",
        _form(
            organisation,
            kind="ovni",
            rna="123",
            postal_code="13",
            insee_code="ABCDE",
            latitude="200",
            website="javascript:alert(1)",
            email="pas-une-adresse",
            phone="12",
        ),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    expected = {"kind", "rna", "postal_code", "insee_code", "latitude", "website", "email", "phone"}
    assert set(errors) == expected


@pytest.mark.django_db
def test_a_plain_member_may_not_edit_and_learns_nothing(client, organisation):
    user = UserFactory(role="membre")
    MembershipFactory(person=PersonFactory(user=user), organisation=organisation, role="membre")
    client.force_login(user)
    assert client.get(f"/structures/{organisation.slug}/modifier/").status_code == 404
    response = client.post(f"/structures/{organisation.slug}/modifier/", _form(organisation))
    assert response.status_code == 404


@pytest.mark.django_db
def test_a_referent_may_not_edit_another_organisation(client, referent):
    other = OrganisationFactory(name="Autre structure")
    client.force_login(referent)
    assert client.get(f"/structures/{other.slug}/modifier/").status_code == 404


@pytest.mark.django_db
def test_a_facilitator_edits_any_organisation(client, organisation, facilitator):
    client.force_login(facilitator)
    response = client.post(
        f"/structures/{organisation.slug}/modifier/", _form(organisation, name="CS Jonquières")
    )
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.name == "CS Jonquières"


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_log_in_before_editing(client, organisation):
    response = client.get(f"/structures/{organisation.slug}/modifier/")
    assert response.status_code == 302
    assert response.url.startswith("/compte/login/")


@pytest.mark.django_db
def test_the_organisation_page_runs_a_bounded_number_of_queries(
    client, organisation, django_assert_max_num_queries
):
    MembershipFactory.create_batch(30, organisation=organisation)
    for n in range(10):
        OfferFactory(organisation=organisation, title=f"Salle {n}")
    # The page, its members and places (8), and what it shares, gave and received (8).
    with django_assert_max_num_queries(16):
        page = client.get(organisation.get_absolute_url())
    assert "Salle 9" in page.text


@pytest.mark.django_db
def test_facilitators_see_the_organisation_history_and_visitors_do_not(
    client, organisation, referent, facilitator
):
    client.force_login(referent)
    client.post(f"/structures/{organisation.slug}/modifier/", _form(organisation, city="Carro"))
    assert "Historique" not in client.get(organisation.get_absolute_url()).text
    client.force_login(facilitator)
    page = client.get(organisation.get_absolute_url()).text
    assert "Historique" in page
    assert "Page modifiée par Camille" in page
    assert "(commune, dimensions)" in page
