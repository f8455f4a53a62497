"""The Coop's identifiers, word for word (from its public schema and API v1, 2026): a value
renamed here would be a value the Coop and the funders reading it do not know."""

import pytest

from maillage.mediation import vocabulary as v

COOP = {
    v.Kind: "individuel collectif",
    v.PlaceType: "lieu_activite domicile a_distance autre",
    v.Autonomy: "entierement_accompagne partiellement_autonome autonome",
    v.Redirection: "operateur_ou_organisme_en_charge aide_aux_demarches_administratives "
                   "administration mediation_numerique aide_sociale insertion_professionnelle "
                   "autre",
    v.Material: "ordinateur telephone tablette autre aucun",
    v.Thematique: "diagnostic_numerique prendre_en_main_du_materiel maintenance_de_materiel "
                  "gere_ses_contenus_numeriques navigation_sur_internet email bureautique "
                  "reseaux_sociaux sante banque_et_achats_en_ligne entrepreneuriat "
                  "insertion_professionnelle securite_numerique parentalite "
                  "scolarite_et_numerique creer_avec_le_numerique culture_numerique "
                  "intelligence_artificielle aide_aux_demarches_administratives "
                  "papiers_elections_citoyennete famille_scolarite social_sante "
                  "travail_formation logement transports_mobilite argent_impots justice "
                  "etrangers_europe loisirs_sports_culture associations",
    v.Level: "debutant intermediaire avance",
}  # fmt: skip


@pytest.mark.parametrize("choices", COOP, ids=lambda c: c.__name__)
def test_every_value_is_the_coop_s_own_and_none_is_missing(choices):
    assert sorted(choices.values) == sorted(COOP[choices].split())


def test_the_people_are_counted_in_the_coop_s_bands():
    assert len(v.AgeBand.values) == 8 and len(v.SocialStatus.values) == 5
    assert "non_communique" in v.Gender.values
