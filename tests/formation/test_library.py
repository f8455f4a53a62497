"""The method library: the cards the lab teaches, searched and filtered on a page and through
the API, printed one by one or as a deck of A5 cards."""

import pypdfium2
import pytest

from maillage.formation import library
from maillage.formation.models import MethodCard

pytestmark = pytest.mark.django_db
ASKED = ["inspiration", "ideation", "regroupement", "scenarios", "jugement-majoritaire",
         "decision", "persona", "carte-empathie", "parcours-usager", "entretien", "world-cafe",
         "un-deux-quatre-tous", "retrospective", "pre-mortem", "prototype-papier",
         "test-usager"]  # fmt: skip


def test_the_library_holds_every_card_the_lab_teaches_each_one_whole():
    cards = {card.slug: card for card in MethodCard.objects.prefetch_related("chains_with")}
    assert len(cards) >= 24 and set(ASKED) <= set(cards)
    for card in cards.values():
        assert card.purpose and card.when and card.materials and card.produces, card.slug
        assert len(card.steps) >= 3 and card.tips and card.chains_with.exists(), card.slug
        assert 1 <= card.people_min <= card.people_max and card.minutes_min <= card.minutes_max
        assert card.dimensions.exists(), card.slug
    # The workshops' own phases each have their card.
    assert {c.phase for c in cards.values() if c.phase} >= {
        "inspiration", "ideation", "scenarios", "evaluation", "decision"}  # fmt: skip
    assert library.load_cards() == 0  # loaded by the migration; loading again adds nothing


def test_a_card_edited_in_the_admin_is_kept_when_the_library_is_loaded_again():
    MethodCard.objects.filter(slug="persona").update(name="Persona du quartier")
    library.load_cards()
    assert MethodCard.objects.get(slug="persona").name == "Persona du quartier"


@pytest.mark.parametrize(
    ("query", "expected", "absent"),
    [
        ("q=EMPATHIE", {"carte-empathie"}, {"world-cafe"}),
        ("q=demarche+en+ligne", {"parcours-usager"}, {"world-cafe"}),
        ("minutes=15", {"meteo-du-groupe", "un-deux-quatre-tous"}, {"marche-exploratoire"}),
        ("people=60", {"world-cafe", "jugement-majoritaire"}, {"entretien", "persona"}),
        ("goal=tester", {"prototype-papier", "test-usager"}, {"persona"}),
        ("dimension=ecologie", {"marche-exploratoire"}, {"test-usager"}),
        ("goal=decouvrir&people=2&minutes=30", {"entretien"}, {"marche-exploratoire"}),
    ],
)
def test_the_library_page_filters_by_words_time_group_size_purpose_and_dimension(
    client, query, expected, absent
):
    page = client.get(f"/methodes/?{query}")
    shown = {card.slug for card in page.context["cards"]}
    assert expected <= shown and not absent & shown, shown
    api = client.get(f"/api/v1/methods?{query}")
    assert {card["slug"] for card in api.json()} == shown


@pytest.mark.parametrize("query", ["people=0", "people=deux", "minutes=7", "goal=danser",
                                   "dimension=inconnue"])  # fmt: skip
def test_a_wrong_filter_is_said_on_the_page_and_refused_by_the_api(client, query):
    page = client.get(f"/methodes/?{query}")
    assert page.status_code == 400 and page.context["form"].errors
    assert len(page.context["cards"]) == MethodCard.objects.count()  # the whole library
    if not query.startswith(("minutes=7", "dimension")):
        answer = client.get(f"/api/v1/methods?{query}")
        assert answer.status_code == 422 and answer.json()["errors"]


def test_a_card_reads_whole_and_links_to_the_cards_it_chains_with(client):
    page = client.get("/methodes/pre-mortem/").content.decode()
    assert "Pré-mortem" in page and "Pas à pas" in page and "/methodes/decision/" in page
    assert client.get("/methodes/nimporte/").status_code == 404
    card = client.get("/api/v1/methods/pre-mortem").json()
    assert card["people"] == [3, 15] and "decision" in card["chains_with"]
    assert len(card["steps"]) == 4 and card["url"] == "/methodes/pre-mortem/"
    assert client.get("/api/v1/methods/nimporte").status_code == 404


def _pages(response) -> list[str]:
    assert response["Content-Type"] == "application/pdf"
    document = pypdfium2.PdfDocument(response.content)
    try:
        assert round(document[0].get_width() / 72 * 25.4) == 148  # A5, in millimetres
        return [page.get_textpage().get_text_range() for page in document]
    finally:
        document.close()


def test_a_card_prints_on_an_a5_page_and_the_deck_one_card_a_page(client):
    (text,) = _pages(client.get("/methodes/world-cafe.pdf"))
    assert "World café" in text and "Pas à pas" in text
    deck = _pages(client.get("/methodes/jeu.pdf?goal=tester"))
    assert len(deck) == MethodCard.objects.filter(goal="tester").count() >= 3
    assert "Prototype papier" in "".join(deck)
