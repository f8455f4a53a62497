"""La Coop de la médiation numérique's vocabulary: its identifiers, our plain-French labels.

The values are the Coop's own (its API v1 `activite` attributes and its beneficiaries), so that
what the lab records reads with the Coop's meaning in any report, export or feed; only the
labels are ours. `../shared/reference/mediation.md` lists them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    INDIVIDUEL = "individuel", _("Individuel")
    COLLECTIF = "collectif", _("Collectif (atelier)")


class PlaceType(models.TextChoices):
    LIEU_ACTIVITE = "lieu_activite", _("Au laboratoire ou dans un lieu d'activité")
    DOMICILE = "domicile", _("Au domicile de la personne")
    A_DISTANCE = "a_distance", _("À distance (téléphone, visio)")
    AUTRE = "autre", _("Ailleurs")


class Autonomy(models.TextChoices):
    ENTIEREMENT_ACCOMPAGNE = "entierement_accompagne", _("Fait avec elle, pas à pas")
    PARTIELLEMENT_AUTONOME = "partiellement_autonome", _("Autonome, avec de l'aide au besoin")
    AUTONOME = "autonome", _("Autonome")


class Redirection(models.TextChoices):
    OPERATEUR = "operateur_ou_organisme_en_charge", _("L'organisme qui gère la démarche")
    AIDE_DEMARCHES = "aide_aux_demarches_administratives", _("Une aide aux démarches")
    ADMINISTRATION = "administration", _("Une administration")
    MEDIATION_NUMERIQUE = "mediation_numerique", _("Un autre lieu de médiation numérique")
    AIDE_SOCIALE = "aide_sociale", _("L'aide sociale")
    INSERTION = "insertion_professionnelle", _("L'insertion professionnelle")
    AUTRE = "autre", _("Ailleurs")


class Material(models.TextChoices):
    ORDINATEUR = "ordinateur", _("Ordinateur")
    TELEPHONE = "telephone", _("Téléphone")
    TABLETTE = "tablette", _("Tablette")
    AUTRE = "autre", _("Autre matériel")
    AUCUN = "aucun", _("Aucun")


class Thematique(models.TextChoices):
    # What a person learns to do with digital tools.
    DIAGNOSTIC = "diagnostic_numerique", _("Faire le point sur ses usages")
    MATERIEL = "prendre_en_main_du_materiel", _("Prendre en main un appareil")
    MAINTENANCE = "maintenance_de_materiel", _("Entretenir son appareil")
    CONTENUS = "gere_ses_contenus_numeriques", _("Ranger ses fichiers et ses photos")
    NAVIGATION = "navigation_sur_internet", _("Naviguer sur internet")
    EMAIL = "email", _("Le courriel")
    BUREAUTIQUE = "bureautique", _("Écrire un document, un tableau")
    RESEAUX_SOCIAUX = "reseaux_sociaux", _("Les réseaux sociaux")
    SANTE = "sante", _("La santé en ligne")
    BANQUE = "banque_et_achats_en_ligne", _("La banque et les achats en ligne")
    ENTREPRENEURIAT = "entrepreneuriat", _("Créer son activité")
    EMPLOI = "insertion_professionnelle", _("Chercher un emploi en ligne")
    SECURITE = "securite_numerique", _("Se protéger en ligne")
    PARENTALITE = "parentalite", _("Les écrans et les enfants")
    SCOLARITE = "scolarite_et_numerique", _("L'école en ligne")
    CREER = "creer_avec_le_numerique", _("Créer avec le numérique")
    CULTURE = "culture_numerique", _("Comprendre le numérique")
    IA = "intelligence_artificielle", _("L'intelligence artificielle")
    # The administrative procedures done with the person (as Aidants Connect names them).
    DEMARCHES = "aide_aux_demarches_administratives", _("Démarche administrative (en général)")
    PAPIERS = "papiers_elections_citoyennete", _("Papiers, élections, citoyenneté")
    FAMILLE = "famille_scolarite", _("Famille, scolarité")
    SOCIAL = "social_sante", _("Social, santé (CAF, ameli…)")
    TRAVAIL = "travail_formation", _("Travail, formation")
    LOGEMENT = "logement", _("Logement")
    TRANSPORTS = "transports_mobilite", _("Transports, mobilité")
    ARGENT = "argent_impots", _("Argent, impôts")
    JUSTICE = "justice", _("Justice")
    ETRANGERS = "etrangers_europe", _("Étrangers, Europe")
    LOISIRS = "loisirs_sports_culture", _("Loisirs, sports, culture")
    ASSOCIATIONS = "associations", _("Associations")


DIGITAL = [t for t in Thematique][: Thematique.values.index("aide_aux_demarches_administratives")]
PROCEDURES = [t for t in Thematique if t not in DIGITAL]


class Level(models.TextChoices):
    DEBUTANT = "debutant", _("Débutant")
    INTERMEDIAIRE = "intermediaire", _("Intermédiaire")
    AVANCE = "avance", _("Avancé")


class Gender(models.TextChoices):
    FEMININ = "feminin", _("Femme")
    MASCULIN = "masculin", _("Homme")
    NON_COMMUNIQUE = "non_communique", _("Non dit")


class AgeBand(models.TextChoices):
    MOINS_DE_DOUZE = "moins_de_douze_ans", _("Moins de 12 ans")
    DOUZE_DIX_HUIT = "douze_dix_huit", _("12 à 17 ans")
    DIX_HUIT_VINGT_QUATRE = "dix_huit_vingt_quatre", _("18 à 24 ans")
    VINGT_CINQ_TRENTE_NEUF = "vingt_cinq_trente_neuf", _("25 à 39 ans")
    QUARANTE_CINQUANTE_NEUF = "quarante_cinquante_neuf", _("40 à 59 ans")
    SOIXANTE_SOIXANTE_NEUF = "soixante_soixante_neuf", _("60 à 69 ans")
    SOIXANTE_DIX_PLUS = "soixante_dix_plus", _("70 ans et plus")
    NON_COMMUNIQUE = "non_communique", _("Âge non dit")


# The youngest age of each band, oldest first: a birth year gives its band.
AGE_FLOORS = [
    (70, AgeBand.SOIXANTE_DIX_PLUS), (60, AgeBand.SOIXANTE_SOIXANTE_NEUF),
    (40, AgeBand.QUARANTE_CINQUANTE_NEUF), (25, AgeBand.VINGT_CINQ_TRENTE_NEUF),
    (18, AgeBand.DIX_HUIT_VINGT_QUATRE), (12, AgeBand.DOUZE_DIX_HUIT),
    (0, AgeBand.MOINS_DE_DOUZE),
]  # fmt: skip


def age_band(birth_year: int | None, year: int) -> str:
    """The Coop's age band of someone born in BIRTH_YEAR, in YEAR (their age that year)."""
    if birth_year is None or birth_year > year:
        return AgeBand.NON_COMMUNIQUE
    age = year - birth_year
    return next(band for floor, band in AGE_FLOORS if age >= floor)


class SocialStatus(models.TextChoices):
    SCOLARISE = "scolarise", _("En études")
    SANS_EMPLOI = "sans_emploi", _("Sans emploi")
    EN_EMPLOI = "en_emploi", _("En emploi")
    RETRAITE = "retraite", _("À la retraite")
    NON_COMMUNIQUE = "non_communique_ou_heterogene", _("Non dit")


# The durations the form offers in one tap, as the Coop's form does (minutes).
DURATION_PRESETS = (15, 30, 45, 60, 90, 120)
LONGEST_MINUTES = 8 * 60  # a working day: beyond, it is two accompaniments (or a typing slip)

# How the observatory and the Coop's statistics bucket durations: (code, label, from, to).
DURATION_BANDS = [
    ("moins-30", _("Moins de 30 min"), 0, 30),
    ("30-60", _("30 min à 1 h"), 30, 60),
    ("60-120", _("1 h à 2 h"), 60, 120),
    ("120-plus", _("2 h et plus"), 120, None),
]


def choice_list(choices: type[models.TextChoices]) -> str:
    """The values CHOICES accepts, as an error message lists them."""
    return ", ".join(choices.values)
