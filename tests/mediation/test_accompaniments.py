"""Noting accompaniments: the rules, the pages, a person's history, nothing half-written."""

from datetime import timedelta

import pytest
from django.utils import timezone

from maillage.core.models import JournalEntry
from maillage.mediation import services
from maillage.mediation.models import Accompaniment, Beneficiary, Participation
from maillage.mediation.services import AccompanimentFacts, PersonFacts
from tests.factories import UserFactory, raise_test_need

pytestmark = pytest.mark.django_db


def _facts(**changes) -> AccompanimentFacts:
    base = {"duration": 45, "thematiques": ["argent_impots"], "materials": ["ordinateur"]}
    return AccompanimentFacts(**(base | changes))


def test_an_individual_accompaniment_of_nobody_named_counts_one_anonymous_person(facilitator):
    done = services.record_accompaniment(facts=_facts(), by=facilitator)
    (person,) = done.beneficiaries.all()
    assert person.is_anonymous and person.consent_at is None
    assert done.participations.get().first is True
    assert done.date == timezone.localdate() and done.mediator == facilitator


def test_a_person_helped_three_times_for_one_need(facilitator):
    need = raise_test_need(description="Déclarer mes revenus en ligne")
    known = PersonFacts(
        first_name="Josiane",
        last_name="Roux",
        phone="06 12 34 56 78",
        consent=True,
        commune="Martigues",
        age_band="soixante_dix_plus",
    )
    first = services.record_accompaniment(facts=_facts(), by=facilitator, new_person=known,
                                          need=need)  # fmt: skip
    person = first.beneficiaries.get()
    assert (person.phone, person.commune_code) == ("+33612345678", "13056")
    for _time in range(2):
        services.record_accompaniment(facts=_facts(), by=facilitator, people=[person], need=need)
    assert need.accompaniments.count() == 3
    assert list(Participation.objects.filter(beneficiary=person).order_by("pk")
                .values_list("first", flat=True)) == [True, False, False]  # fmt: skip
    journal = JournalEntry.objects.about(need).filter(verb="accompaniment-recorded")
    assert journal.count() == 3 and "45 min, individuel — Argent, impôts" in journal[0].message


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"duration": 0}, "duration"),
        ({"duration": 12 * 60}, "duration"),
        ({"thematiques": ["astrologie"]}, "thematiques"),
        ({"thematiques": []}, "thematiques"),
        ({"materials": ["aucun", "telephone"]}, "materials"),
        ({"commune": "99999"}, "commune"),
        ({"commune": "20001"}, "commune"),
        ({"redirected": True}, "redirection"),
        ({"redirection": "administration"}, "redirection"),
        ({"kind": "collectif"}, "workshop_title"),
        ({"kind": "individuel", "workshop_title": "Atelier"}, "kind"),
        ({"kind": "collectif", "workshop_title": "Le courriel"}, "anonymous_people"),
        (
            {
                "kind": "collectif",
                "workshop_title": "X",
                "autonomy": "autonome",
                "anonymous_people": 3,
            },
            "autonomy",
        ),
        ({"day": timezone.localdate() + timedelta(days=1)}, "date"),
        ({"autonomy": "presque"}, "autonomy"),
    ],
)
def test_bad_accompaniments_are_refused_naming_the_field_and_nothing_is_written(
    facilitator, changes, field
):
    with pytest.raises(services.Invalid) as refused:
        services.record_accompaniment(facts=_facts(**changes), by=facilitator)
    assert refused.value.field == field and refused.value.message
    assert not Accompaniment.objects.exists() and not Beneficiary.objects.exists()


@pytest.mark.parametrize(
    ("person", "field"),
    [
        ({"first_name": "Karim"}, "consent"),
        ({"phone": "12", "consent": True}, "phone"),
        ({"email": "pas-une-adresse", "consent": True}, "email"),
        ({"commune": "Atlantide"}, "person_commune"),
        ({"birth_year": 1850}, "birth_year"),
    ],
)
def test_bad_people_are_refused_and_nothing_is_written(facilitator, person, field):
    with pytest.raises(services.Invalid) as refused:
        services.record_accompaniment(facts=_facts(), by=facilitator,
                                      new_person=PersonFacts(**person))  # fmt: skip
    assert refused.value.field == field
    assert not Accompaniment.objects.exists() and not Beneficiary.objects.exists()


def test_a_birth_year_gives_the_coop_age_band(facilitator):
    year = timezone.localdate().year
    done = services.record_accompaniment(
        facts=_facts(), by=facilitator, new_person=PersonFacts(birth_year=year - 30)
    )
    assert done.beneficiaries.get().age_band == "vingt_cinq_trente_neuf"


def test_a_collective_workshop_counts_everyone_present(facilitator):
    done = services.record_accompaniment(
        facts=_facts(kind="collectif", workshop_title="Le courriel, pas à pas",
                     workshop_level="debutant", anonymous_people=7), by=facilitator,
    )  # fmt: skip
    assert done.people_count == 7 and not done.beneficiaries.exists()


# --- the pages ---------------------------------------------------------------------------------


def _form(**changes) -> dict:
    return {"kind": "individuel", "date": timezone.localdate().isoformat(), "duration": "30",
            "thematiques": ["email", "navigation_sur_internet"], "place_type": "lieu_activite",
            "age_band": "non_communique", "gender": "feminin",
            "social_status": "non_communique_ou_heterogene"} | changes  # fmt: skip


def test_from_a_need_the_desk_notes_an_accompaniment_that_shows_in_its_thread(client, facilitator):
    need = raise_test_need(description="Créer une adresse de courriel")
    client.force_login(facilitator)
    page = client.get(f"/permanence/besoins/{need.pk}/")
    assert f"/mediation/noter/?besoin={need.pk}" in page.content.decode()
    form = client.get(f"/mediation/noter/?besoin={need.pk}")
    assert form.status_code == 200 and need.reference in form.content.decode()
    response = client.post(f"/mediation/noter/?besoin={need.pk}", _form())
    assert response.status_code == 302 and response["Location"] == need.get_absolute_url()
    done = need.accompaniments.get()
    assert done.thematiques == ["email", "navigation_sur_internet"] and done.duration == 30
    thread = client.get(need.get_absolute_url()).content.decode()
    assert "Accompagnement noté" in thread and "30 min, individuel" in thread


def test_a_refused_form_says_why_in_french_and_writes_nothing(client, facilitator):
    client.force_login(facilitator)
    response = client.post("/mediation/noter/", _form(duration="autre", other_minutes="",
                                                      first_name="Léa"))  # fmt: skip
    body = response.content.decode()
    assert response.status_code == 400 and "Dites la durée en minutes" in body
    response = client.post("/mediation/noter/", _form(first_name="Léa"))
    assert (
        response.status_code == 400
        and "Sans l&#x27;accord de la personne" in response.content.decode()
    )
    assert not Accompaniment.objects.exists() and not Beneficiary.objects.exists()


def test_the_form_sent_twice_notes_one_accompaniment(client, facilitator):
    client.force_login(facilitator)
    page = client.get("/mediation/noter/")
    key = page.context["form"]["cle"].initial
    for _time in range(2):
        assert client.post("/mediation/noter/", _form(cle=key)).status_code == 302
    assert Accompaniment.objects.count() == 1


def test_only_the_team_sees_the_mediation(client, facilitator):
    person = services.new_beneficiary(facts=PersonFacts(first_name="Josiane", consent=True),
                                      by=facilitator)  # fmt: skip
    paths = ["/mediation/", "/mediation/noter/", "/mediation/personnes/",
             f"/mediation/personnes/{person.pk}/", "/mediation/accompagnements.csv"]  # fmt: skip
    for path in paths:
        assert client.get(path).status_code == 302  # to log in
    client.force_login(UserFactory(role="membre"))
    for path in paths:
        assert client.get(path).status_code == 404
    client.force_login(facilitator)
    for path in paths:
        assert client.get(path).status_code == 200


def test_a_persons_history_gathers_their_accompaniments_and_needs(client, facilitator):
    need = raise_test_need(description="Renouveler ma carte Vitale")
    first = services.record_accompaniment(
        facts=_facts(thematiques=["social_sante"]), by=facilitator, need=need,
        new_person=PersonFacts(first_name="Josiane", last_name="Roux", consent=True),
    )  # fmt: skip
    person = first.beneficiaries.get()
    services.record_accompaniment(facts=_facts(thematiques=["email"]), by=facilitator,
                                  people=[person])  # fmt: skip
    client.force_login(facilitator)
    page = client.get(person.get_absolute_url()).content.decode()
    assert "Social, santé" in page and "Le courriel" in page and need.reference in page
    found = client.get("/mediation/personnes/?q=josiane").content.decode()
    assert "Josiane Roux" in found and "2 accompagnements" in found
    anonymous = services.record_accompaniment(facts=_facts(), by=facilitator).beneficiaries.get()
    assert anonymous.display_name not in client.get("/mediation/personnes/").content.decode()


def test_an_archived_accompaniment_leaves_the_list_and_stays_in_the_journal(client, facilitator):
    done = services.record_accompaniment(facts=_facts(), by=facilitator)
    client.force_login(facilitator)
    assert client.post(f"/mediation/accompagnements/{done.pk}/archiver/").status_code == 302
    assert "0 accompagnement" in client.get("/mediation/").content.decode()
    page = client.get(done.get_absolute_url()).content.decode()
    assert "Accompagnement archivé" in page
    client.post(f"/mediation/accompagnements/{done.pk}/archiver/")
    assert JournalEntry.objects.about(done).filter(verb="accompaniment-archived").count() == 1


def test_the_list_walks_back_page_after_page_without_repeating(client, facilitator):
    for n in range(35):
        services.record_accompaniment(
            facts=_facts(day=timezone.localdate() - timedelta(days=n % 4), duration=n + 1),
            by=facilitator,
        )
    client.force_login(facilitator)
    first = client.get("/mediation/?kind=individuel")
    shown = [a.pk for a in first.context["accompaniments"]]
    assert len(shown) == 30 and first.context["count"] == 35
    older = client.get(f"/mediation/?kind=individuel&avant={first.context['older']}")
    rest = [a.pk for a in older.context["accompaniments"]]
    assert len(rest) == 5 and not set(rest) & set(shown) and older.context["older"] is None
    assert "Les plus récents" in older.content.decode()
    assert client.get("/mediation/?avant=n'importe-quoi").status_code == 200


def test_names_and_contacts_go_after_the_retention_delay_the_counts_stay(facilitator, settings):
    from maillage.mediation.models import Beneficiary

    settings.NEEDS_RETENTION_DAYS = 365
    old = services.record_accompaniment(
        facts=_facts(day=timezone.localdate() - timedelta(days=400)), by=facilitator,
        new_person=PersonFacts(first_name="Josiane", phone="0612345678", consent=True,
                               age_band="soixante_dix_plus", commune="13056"),
    ).beneficiaries.get()  # fmt: skip
    recent = services.record_accompaniment(
        facts=_facts(), by=facilitator, new_person=PersonFacts(first_name="Karim", consent=True)
    ).beneficiaries.get()
    Beneficiary.objects.filter(pk__in=[old.pk, recent.pk]).update(
        created_at=timezone.now() - timedelta(days=400)
    )
    assert services.erase_expired_people() == 1
    old.refresh_from_db()
    assert (old.first_name, old.phone, old.contact_erased_at is not None) == ("", "", True)
    assert (old.age_band, old.commune_code) == ("soixante_dix_plus", "13056")
    assert Beneficiary.objects.get(pk=recent.pk).first_name == "Karim"
    assert services.erase_expired_people() == 0


def test_a_collective_workshop_gathers_the_known_people_ticked_in_the_list(client, facilitator):
    known = [services.new_beneficiary(facts=PersonFacts(first_name=first, last_name="Roux",
                                                        consent=True), by=facilitator)
             for first in ("Josiane", "Marcel", "Lucie")]  # fmt: skip
    services.record_accompaniment(facts=_facts(), by=facilitator, people=[known[0]])
    client.force_login(facilitator)
    listing = client.get("/mediation/personnes/").content.decode()
    assert 'name="personne"' in listing and 'value="collectif"' in listing
    ticked = {"type": "collectif", "personne": [known[0].pk, known[1].pk]}
    form = client.get("/mediation/noter/", ticked).context["form"]
    assert form["kind"].initial == "collectif"
    assert form["present"].initial == [str(known[0].pk), str(known[1].pk)]
    assert [key for key, _label in form.fields["present"].choices] == form["present"].initial
    data = _form(kind="collectif", workshop_title="Le courriel, pas à pas",
                 workshop_level="debutant", anonymous_people="4",
                 present=[str(known[0].pk), str(known[1].pk)])  # fmt: skip
    query = f"?type=collectif&personne={known[0].pk}&personne={known[1].pk}"
    assert client.post(f"/mediation/noter/{query}", data).status_code == 302
    done = Accompaniment.objects.get(kind="collectif")
    assert set(done.beneficiaries.all()) == {known[0], known[1]} and done.people_count == 6
    firsts = dict(done.participations.values_list("beneficiary__first_name", "first"))
    assert firsts == {"Josiane": False, "Marcel": True}
    # someone not offered by the page cannot be slipped in
    sneaked = client.post(f"/mediation/noter/{query}", {**data, "present": [str(known[2].pk)]})
    assert sneaked.status_code == 400 and "present" in sneaked.context["form"].errors
