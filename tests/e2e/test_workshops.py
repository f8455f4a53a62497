import re
from datetime import datetime, time, timedelta

import pytest
from django.apps import apps
from django.utils import timezone
from playwright.sync_api import expect

from maillage.core.reference import load_networks, load_reference_lists
from maillage.workshops import door, live, services
from maillage.workshops.models import Registration
from tests.factories import UserFactory

from .conftest import DESKTOP, PHONE, axe_violations
from .test_permanence import _log_in


@pytest.fixture
def workshop(transactional_db):
    load_reference_lists(apps)
    load_networks(apps)
    desk = UserFactory(role="animateur", email="nadia@example.org", first_name="Nadia")
    start = datetime.combine(
        timezone.localdate() + timedelta(days=8), time(18), tzinfo=timezone.get_current_timezone()
    )
    return services.create_workshop(
        by=desk, question="Que faire du jardin de Carro ?", starts_at=start,
        ends_at=start + timedelta(hours=2),
    )  # fmt: skip


def test_an_inhabitant_registers_from_a_phone_and_can_free_the_place(
    new_page, live_server, workshop
):
    phone = new_page(PHONE)
    phone.goto(live_server.url)
    phone.get_by_role("link", name="Ateliers").first.click()
    phone.get_by_role("link", name=workshop.question).click()
    phone.get_by_label("Votre prénom ou un pseudonyme").fill("Awa")
    phone.get_by_label("Votre courriel").fill("awa@example.org")
    phone.get_by_role("button", name="Je m'inscris").click()
    expect(phone.get_by_role("status")).to_contain_text("Vous êtes inscrit")
    assert Registration.objects.active().count() == 1
    phone.get_by_role("button", name="Je ne pourrai pas venir : libérer ma place").click()
    expect(phone.get_by_text("Vous êtes désinscrit.")).to_be_visible()
    assert Registration.objects.active().count() == 0


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_workshop_pages_have_no_accessibility_violation(
    new_page, live_server, workshop, viewport
):
    registration, _ = services.register(workshop=workshop, name="Awa", email="awa@example.org")
    desk = workshop.facilitators.get()
    for title in ("Un jardin partagé", "Un marché"):
        live.add_scenario(workshop=workshop, by=desk, title=title)
    awa = door.join(code=workshop.join_code, name="Awa")
    live.start_phase(workshop=workshop, phase=workshop.phases.get(kind="evaluation"), by=desk)
    for n, scenario in enumerate(workshop.scenarios.all()):
        live.grade(
            participant=awa, scenario=scenario, criterion=workshop.criteria.first(), value=4 + n
        )
    live.reveal_results(workshop=workshop, by=desk)
    page = new_page(viewport)
    report = f"/ateliers/{workshop.pk}/compte-rendu/"
    for path in [
        "/ateliers/",
        workshop.get_absolute_url(),
        registration.get_absolute_url(),
        report,
    ]:
        page.goto(f"{live_server.url}{path}")
        assert axe_violations(page) == [], path
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], path
    _log_in(page, live_server, "nadia@example.org")
    for path in ["/ateliers/preparer/", f"/ateliers/{workshop.pk}/appel/"]:
        page.goto(f"{live_server.url}{path}")
        assert axe_violations(page) == [], path


def test_a_whole_workshop_in_the_room_with_three_phones_a_console_and_a_projector(
    new_page, asgi_server, workshop
):
    """The facilitator drives; three phones join by the QR code's address, post ideas and
    grade; every screen follows live, without reloading; the report comes out."""
    url = asgi_server.url
    console = new_page(DESKTOP)
    _log_in(console, asgi_server, "nadia@example.org")
    console.goto(f"{url}/ateliers/{workshop.pk}/console/")
    screen = console.context.new_page()
    screen.goto(f"{url}/ateliers/{workshop.pk}/ecran/")
    expect(screen.get_by_text(workshop.join_code)).to_be_visible()
    expect(screen.get_by_role("img", name=re.compile("Code QR"))).to_be_visible()

    phones = []
    for name in ("Awa", "Bruno", "Chloé"):
        phone = new_page(PHONE)
        phone.goto(f"{url}/atelier/{workshop.join_code}/")
        phone.get_by_label("Votre prénom ou un pseudonyme").fill(name)
        phone.get_by_role("button", name="Rejoindre").click()
        expect(phone.get_by_text(f"Vous participez en tant que {name}")).to_be_visible()
        phones.append(phone)
    assert axe_violations(phones[0]) == []
    expect(screen.locator("#live-phase")).to_contain_text("3 personnes ont rejoint")

    # Idéation: the phones' panels change by themselves; ideas reach the projector.
    console.get_by_role("button", name="Passer à « Idéation »").click()
    for phone, idea in zip(phones, ["Un composteur", "Un compost collectif", "Des bancs"],
                           strict=True):  # fmt: skip
        phone.get_by_label("Votre idée").fill(idea)
        phone.get_by_role("button", name="Envoyer mon idée").click()
        expect(phone.get_by_text("Votre idée est sur l'écran.")).to_be_visible()
    assert axe_violations(phones[0]) == []
    expect(screen.locator("#live-ideas")).to_contain_text("Des bancs")
    # Grouping by keyboard: Tab to a box, Space to tick it.
    board = console.locator("#idea-board")
    expect(board.get_by_label("Des bancs")).to_be_visible()
    board.get_by_label("Un composteur").focus()
    console.keyboard.press("Space")
    board.get_by_label("Un compost collectif").check()
    console.get_by_label("Nouveau groupe").fill("Compost")
    console.get_by_role("button", name="Regrouper les idées cochées").click()
    expect(screen.locator("#live-ideas")).to_contain_text("Compost")

    # Chloé's phone loses the network while the room moves on; back, it finds the phase.
    phones[2].context.set_offline(True)
    console.get_by_role("button", name="Passer à « Scénarios »").click()
    expect(phones[0].get_by_role("heading", name="Les scénarios")).to_be_visible()
    phones[2].context.set_offline(False)
    expect(phones[2].get_by_role("heading", name="Les scénarios")).to_be_visible(timeout=15_000)
    console.get_by_role("link", name="Écrire un scénario à partir de « Compost »").click()
    expect(console.get_by_label("Titre")).to_have_value("Compost")
    console.get_by_label("Titre").fill("Un compost partagé")
    console.get_by_role("button", name="Ajouter le scénario").click()
    console.get_by_label("Titre").fill("Des bancs à l'ombre")
    console.get_by_role("button", name="Ajouter le scénario").click()
    expect(screen.locator("#live-scenarios")).to_contain_text("Des bancs à l'ombre")
    expect(phones[1].locator("#live-scenarios")).to_contain_text("Un compost partagé")

    # Évaluation: each phone grades both scenarios on every criterion.
    console.get_by_role("button", name="Passer à « Évaluation »").click()
    criteria = [c.label for c in workshop.criteria.all()]
    for n, phone in enumerate(phones):
        expect(phone.get_by_role("heading", name="Jugez les scénarios")).to_be_visible()
        expect(phone.locator(".ballot-progress")).to_have_text("0 scénario sur 2 jugé")
        for judged, grade in enumerate(["Très bien", "Passable"], start=1):
            ballot = phone.locator("form.ballot").nth(judged - 1)
            for criterion in criteria:  # a row of seven choices per criterion, radios beneath
                row = ballot.get_by_role("group", name=criterion)
                tapped = row.get_by_label(grade if n else "Bien", exact=True)
                tapped.check()
            # The last criterion graded, the ballot saves itself; the focus stays put.
            said = "1 scénario sur 2 jugé" if judged == 1 else "2 scénarios sur 2 jugés"
            expect(phone.locator(".ballot-progress")).to_have_text(said)
            expect(ballot.get_by_text("sont enregistrées")).to_be_visible()
            expect(tapped).to_be_focused()
    chosen = phones[0].locator("form.ballot").first.locator("label.grade:has(input:checked)")
    expect(chosen.first).to_have_text("Bien")  # what was chosen shows, and can be changed
    assert axe_violations(phones[2]) == []
    assert phones[2].evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    expect(console.locator("#live-results")).to_contain_text("3 personnes ont voté")
    expect(screen.locator("#live-results")).not_to_contain_text("Mention majoritaire")

    # Back to the scenarios and to the vote: each phone takes the room's panel from the event,
    # then its own grades and progress (from the lane), as they were.
    console.get_by_role("button", name="Passer à « Scénarios »").click()
    expect(phones[1].get_by_role("heading", name="Les scénarios")).to_be_visible()
    console.get_by_role("button", name="Passer à « Évaluation »").click()
    for n, phone in enumerate(phones):
        expect(phone.locator(".ballot-progress")).to_have_text("2 scénarios sur 2 jugés")
        first = phone.locator("form.ballot").first
        expect(first.locator("label.grade:has(input:checked)")).to_have_count(len(criteria))
        expect(first.locator("label.grade:has(input:checked)").first).to_have_text(
            "Très bien" if n else "Bien"
        )
        expect(first.get_by_text("enregistré", exact=True)).to_be_visible()

    console.get_by_role("button", name="Clore le vote et montrer les résultats").click()
    expect(screen.locator("#live-results")).to_contain_text("1. Un compost partagé")
    expect(screen.locator("#live-results svg.merit-profile").first).to_be_visible()
    expect(phones[0].locator("#live-results")).to_contain_text("Mention majoritaire")
    assert axe_violations(phones[0]) == []
    assert axe_violations(screen) == [] and axe_violations(console) == []

    console.get_by_label("Le scénario retenu").select_option(label="Un compost partagé")
    console.get_by_label("La décision, dans les mots du groupe").fill("On lance le compost.")
    console.get_by_role("button", name="Enregistrer la décision et clore l'atelier").click()
    for phone in phones:
        expect(phone.get_by_role("heading", name="La décision du groupe")).to_be_visible()
    expect(screen.locator("#live-phase")).to_contain_text("Un compost partagé")

    console.get_by_role("link", name="Lire le compte-rendu").click()
    expect(console.get_by_text("On lance le compost.")).to_be_visible()
    document = console.request.get(f"{url}/ateliers/{workshop.pk}/compte-rendu.pdf")
    assert document.headers["content-type"] == "application/pdf"
    assert document.body().startswith(b"%PDF")


PROJECTORS = [{"width": 1280, "height": 720}, {"width": 1920, "height": 1080}]
HALL_IDEAS = {
    "Le compost": ["Un composteur partagé", "Un compost collectif au pied des immeubles",
                   "Des bacs pour les épluchures"],
    "L'ombre": ["Des bancs à l'ombre", "Planter des arbres le long du chemin",
                "Une pergola avec une vigne"],
    "Les enfants": ["Un coin pour jouer", "Un potager pour l'école", "Des ateliers le mercredi"],
}  # fmt: skip


def _projector_fits(screen, state: str) -> None:
    """The display shows STATE's layout, without site chrome, and fits without scrolling."""
    expect(screen.locator(f'[data-screen-state="{state}"]')).to_have_count(1)
    assert screen.locator(".site-header, .site-footer").count() == 0
    size = screen.evaluate("[document.documentElement.scrollWidth, document.documentElement"
                           ".scrollHeight, innerWidth, innerHeight]")  # fmt: skip
    assert size[0] <= size[2] and size[1] <= size[3], (state, size)
    hidden = screen.evaluate(
        """[...document.querySelectorAll('.screen__body > section')].filter(s => s.offsetParent)
        .flatMap(s => [...s.querySelectorAll('h3, .idea, .room-count, .merit-profile')])
        .filter(e => e.getBoundingClientRect().bottom > innerHeight).length"""
    )
    assert hidden == 0, f"{state}: {hidden} things below the fold"


@pytest.mark.parametrize("size", PROJECTORS, ids=["720p", "1080p"])
def test_the_projector_has_a_layout_for_each_state_of_the_room(
    new_page, asgi_server, workshop, size
):
    desk = workshop.facilitators.first() or workshop.created_by
    phases = {phase.kind: phase for phase in workshop.phases.all()}
    console = new_page(DESKTOP)
    _log_in(console, asgi_server, "nadia@example.org")
    screen = console.context.new_page()
    screen.set_viewport_size(size)
    screen.goto(f"{asgi_server.url}/ateliers/{workshop.pk}/ecran/")
    people = [door.join(code=workshop.join_code, name=f"Voisin {n}") for n in range(12)]
    expect(screen.locator("#live-phase")).to_contain_text("12 personnes ont rejoint")
    _projector_fits(screen, "welcome")
    assert screen.locator(".qr-code svg").bounding_box()["height"] >= size["height"] * 0.4

    live.start_phase(workshop=workshop, phase=phases["ideation"], by=desk)
    for title, texts in HALL_IDEAS.items():
        ideas = [live.post_idea(participant=people[n], text=text) for n, text in enumerate(texts)]
        live.group_ideas(workshop=workshop, by=desk, ideas=ideas, title=title)
    expect(screen.locator("#live-ideas")).to_contain_text("Des ateliers le mercredi")
    _projector_fits(screen, "ideas")
    expect(screen.locator(".room-timer")).to_contain_text("Encore 30 min")

    live.start_phase(workshop=workshop, phase=phases["scenarios"], by=desk)
    scenarios = [
        live.add_scenario(workshop=workshop, by=desk, title=title, serves="Les voisins",
                          changes="Un jardin où l'on se retrouve, " + title.lower(),
                          means="Des bénévoles et un peu de matériel",
                          first_step="Une matinée d'essai", risks="S'essouffler")
        for title in ["Un compost partagé", "Des bancs à l'ombre", "Un coin des enfants",
                      "Un potager d'école"]
    ]  # fmt: skip
    expect(screen.locator("#live-scenarios")).to_contain_text("Un potager d'école")
    _projector_fits(screen, "scenarios")
    assert len({round(s.bounding_box()["y"]) for s in screen.locator(".scenario").all()}) == 1

    live.start_phase(workshop=workshop, phase=phases["evaluation"], by=desk)
    criteria = list(workshop.criteria.all())
    for n, person in enumerate(people[:9]):
        for k, scenario in enumerate(scenarios):
            live.grade_scenario(participant=person, scenario=scenario,
                                values={c.pk: (n + k) % 7 for c in criteria})  # fmt: skip
    expect(screen.locator("#live-results")).to_contain_text("9 personnes ont voté")
    _projector_fits(screen, "vote")

    live.reveal_results(workshop=workshop, by=desk)
    expect(screen.locator("#live-results")).to_contain_text("Mention majoritaire")
    _projector_fits(screen, "results")
    expect(screen.locator(".screen__results .merit-profile")).to_have_count(4)

    live.start_phase(workshop=workshop, phase=phases["decision"], by=desk)
    live.decide(workshop=workshop, by=desk, scenario=scenarios[0],
                decision="On commence au printemps, avec l'école.")  # fmt: skip
    expect(screen.locator("#live-phase")).to_contain_text("On commence au printemps")
    _projector_fits(screen, "decision")
    assert axe_violations(screen) == []

    screen.goto(f"{asgi_server.url}/ateliers/{workshop.pk}/ecran/?theme=sombre")
    expect(screen.locator("body.display--dark")).to_have_count(1)
    assert axe_violations(screen) == []


def test_the_ballot_works_by_touch_by_keyboard_and_without_javascript(
    new_page, asgi_server, workshop
):
    live_server = asgi_server  # what `maillage serve` serves: the room's lane and its streams
    from maillage.workshops.models import Grade

    desk = workshop.created_by
    phases = {phase.kind: phase for phase in workshop.phases.all()}
    for title in ("Un compost partagé", "Des bancs à l'ombre"):
        live.add_scenario(workshop=workshop, by=desk, title=title, changes=f"Avec {title}")
    live.start_phase(workshop=workshop, phase=phases["evaluation"], by=desk)
    criteria = [c.label for c in workshop.criteria.all()]

    def joined(name, **options):
        phone = new_page(PHONE, **options)
        phone.goto(f"{live_server.url}/atelier/{workshop.join_code}/")
        phone.get_by_label("Votre prénom ou un pseudonyme").fill(name)
        phone.get_by_role("button", name="Rejoindre").click()
        expect(phone.get_by_role("heading", name="Jugez les scénarios")).to_be_visible()
        return phone

    # By touch: a tap on a grade's coloured button chooses it.
    touch = joined("Awa", has_touch=True, is_mobile=True)
    ballot = touch.locator("form.ballot").first
    for criterion in criteria:
        ballot.get_by_role("group", name=criterion).locator(
            "label.grade", has_text="Excellent"
        ).tap()
    expect(touch.locator(".ballot-progress")).to_have_text("1 scénario sur 2 jugé")

    # By keyboard: Tab into a row, the arrows move along the scale.
    keys = joined("Bruno")
    ballot = keys.locator("form.ballot").first
    for criterion in criteria:
        ballot.get_by_role("group", name=criterion).get_by_label("À rejeter", exact=True).focus()
        for _ in range(3):
            keys.keyboard.press("ArrowRight")  # À rejeter → Assez bien
    expect(keys.locator(".ballot-progress")).to_have_text("1 scénario sur 2 jugé")

    # Without JavaScript: the same radios, saved by the scenario's button.
    plain = joined("Chloé", java_script_enabled=False)
    ballot = plain.locator("form.ballot").nth(1)
    for criterion in criteria:
        ballot.get_by_role("group", name=criterion).get_by_label("Bien", exact=True).check()
    ballot.get_by_role("button", name=re.compile("Enregistrer mes mentions")).click()
    expect(plain.get_by_text("sont enregistrées")).to_be_visible()
    expect(plain.locator(".ballot-progress")).to_have_text("1 scénario sur 2 jugé")

    grades = Grade.objects.values_list("value", flat=True)
    given = {
        name: sorted(set(grades.filter(participant__name=name)))
        for name in ("Awa", "Bruno", "Chloé")
    }
    assert given == {"Awa": [6], "Bruno": [3], "Chloé": [4]}
    assert axe_violations(touch) == []
