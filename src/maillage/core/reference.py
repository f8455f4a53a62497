"""The method's reference lists, loaded by migrations and editable afterwards in the admin.

Codes are stable identifiers used by the API and the exports; names may be edited freely.
Thématiques map to data·inclusion v1 codes where one exists (that schema has no ecology theme).
"""

DIMENSIONS = [
    (
        "dematerialisation",
        "Dématérialisation",
        "Les services publics et les démarches qui passent en ligne, et l'accompagnement de "
        "chacun pour y accéder.",
    ),
    (
        "travail",
        "Travail",
        "Les emplois, les métiers et les compétences que le numérique transforme.",
    ),
    (
        "ecologie",
        "Écologie",
        "La sobriété numérique, le réemploi du matériel, les mobilités et l'énergie.",
    ),
    (
        "pratiques-sociales",
        "Pratiques sociales",
        "Le lien social, la vie de famille, l'éducation, la culture et la citoyenneté à l'heure "
        "du numérique.",
    ),
]

# (dimension code, thématique code, name, data·inclusion v1 code or "")
THEMATIQUES = [
    (
        "dematerialisation",
        "services-en-ligne",
        "Accès aux services publics en ligne",
        "numerique--acceder-a-des-services-en-ligne",
    ),
    (
        "dematerialisation",
        "demarches-administratives",
        "Démarches administratives",
        "difficultes-administratives-ou-juridiques--accompagnement-aux-demarches-administratives",
    ),
    (
        "dematerialisation",
        "acces-aux-droits",
        "Accès aux droits",
        "difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits",
    ),
    (
        "dematerialisation",
        "connexion-internet",
        "Connexion à Internet",
        "numerique--acceder-a-une-connexion-internet",
    ),
    (
        "dematerialisation",
        "equipement-numerique",
        "Équipement numérique",
        "numerique--acquerir-un-equipement",
    ),
    (
        "dematerialisation",
        "fondamentaux-numerique",
        "Bases du numérique",
        "numerique--maitriser-les-fondamentaux-du-numerique",
    ),
    (
        "travail",
        "recherche-emploi",
        "Recherche d'emploi",
        "preparer-sa-candidature--organiser-ses-demarches-de-recherche-demploi",
    ),
    (
        "travail",
        "cv-candidature",
        "CV et candidatures",
        "preparer-sa-candidature--realiser-un-cv-et-ou-une-lettre-de-motivation",
    ),
    ("travail", "formation", "Formation", "se-former--trouver-sa-formation"),
    (
        "travail",
        "metiers",
        "Découvrir un métier",
        "choisir-un-metier--decouvrir-un-metier-ou-un-secteur-dactivite",
    ),
    ("travail", "competences", "Compétences", "preparer-sa-candidature--valoriser-ses-competences"),
    (
        "travail",
        "creation-entreprise",
        "Création d'entreprise",
        "creer-une-entreprise--definir-son-projet-de-creation-dentreprise",
    ),
    (
        "travail",
        "maintien-emploi",
        "Maintien dans l'emploi",
        "trouver-un-emploi--maintien-dans-lemploi",
    ),
    ("ecologie", "reemploi-materiel", "Réemploi et réparation du matériel", ""),
    ("ecologie", "sobriete-numerique", "Sobriété numérique", ""),
    ("ecologie", "mobilite", "Mobilité", "mobilite--mobilite-douce-partagee-collective"),
    (
        "ecologie",
        "energie-logement",
        "Énergie et logement",
        "logement-hebergement--se-maintenir-dans-le-logement",
    ),
    ("ecologie", "alimentation", "Alimentation", "equipement-et-alimentation--alimentation"),
    ("pratiques-sociales", "lien-social", "Lien social", "remobilisation--lien-social"),
    (
        "pratiques-sociales",
        "parentalite",
        "Parentalité et éducation",
        "famille--soutien-a-la-parentalite-et-a-leducation",
    ),
    (
        "pratiques-sociales",
        "citoyennete",
        "Citoyenneté et participation",
        "difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-a-la-citoyennete",
    ),
    (
        "pratiques-sociales",
        "culture-loisirs",
        "Culture et loisirs",
        "remobilisation--activites-sportives-et-culturelles",
    ),
    ("pratiques-sociales", "sante", "Santé", "sante--acces-aux-soins"),
    (
        "pratiques-sociales",
        "francais",
        "Lire, écrire, parler français",
        "lecture-ecriture-calcul--maitriser-le-francais",
    ),
    (
        "pratiques-sociales",
        "benevolat",
        "Bénévolat et engagement",
        "remobilisation--benevolat-action-citoyenne",
    ),
]

# data·inclusion v1 "réseaux porteurs" found on a territory like Martigues; the admin adds others.
NETWORKS = [
    ("aidants-connect", "Aidants Connect"),
    ("caf", "Caisse d'Allocations Familiales"),
    ("cap-emploi-reseau-cheops", "Cap Emploi - Réseau CHEOPS"),
    ("ccas-cias", "Centres Communaux et Intercommunaux d'Action Sociale"),
    ("chambres-consulaires", "Chambres Consulaires"),
    ("cidff", "Centres d'Information sur les Droits des Femmes et des Familles"),
    ("communes", "Communes, mairies, intercommunalités"),
    ("conseillers-numeriques", "Conseillers Numériques"),
    ("cpam", "Caisses Primaires d'Assurance Maladie"),
    ("croix-rouge", "Croix-Rouge"),
    ("departements", "Départements et services départementaux"),
    ("ecoles-de-la-deuxieme-chance", "Écoles de la 2ᵉ Chance"),
    ("emmaus", "Emmaüs"),
    ("espaces-publics-numeriques", "Espaces Publics Numériques"),
    ("fabrique-de-territoire", "Fabrique de Territoire"),
    ("fcsf", "Fédération des Centres Sociaux et Socioculturels de France"),
    ("france-active", "France Active"),
    ("france-service", "France Service"),
    ("france-travail", "France Travail"),
    ("geiq", "GEIQ"),
    ("initiative-france", "Initiative France"),
    ("la-poste", "La Poste"),
    ("maisons-de-l-emploi", "Maisons de l'Emploi"),
    ("mission-locale", "Mission Locale"),
    ("mjc", "Maisons des Jeunes et de la Culture"),
    ("pimms-mediation", "Point Information Médiation Multi Services"),
    ("plie", "Plans Locaux pour l'Insertion et l'Emploi"),
    ("points-conseil-budget", "Points Conseil Budget"),
    ("points-justice", "Points Justice"),
    ("reseau-information-jeunesse", "Réseau Information Jeunesse"),
    ("ressourceries", "Ressourceries"),
    ("restos-du-coeur", "Restos du Cœur"),
    ("secours-populaire", "Secours Populaire"),
    ("siae", "Structures d'Insertion par l'Activité Économique"),
    ("unis-cite", "UnisCité"),
]


def load_reference_lists(apps, schema_editor=None) -> None:
    """Create or refresh the reference lists (used by migrations: APPS is their app registry)."""
    Dimension = apps.get_model("core", "Dimension")
    Thematique = apps.get_model("core", "Thematique")
    dimensions = {}
    for position, (code, name, description) in enumerate(DIMENSIONS):
        dimensions[code], _ = Dimension.objects.update_or_create(
            code=code, defaults={"name": name, "description": description, "position": position}
        )
    for position, (dimension, code, name, di_code) in enumerate(THEMATIQUES):
        Thematique.objects.update_or_create(
            code=code,
            defaults={
                "dimension": dimensions[dimension],
                "name": name,
                "data_inclusion_code": di_code,
                "position": position,
            },
        )


def load_networks(apps, schema_editor=None) -> None:
    Network = apps.get_model("territory", "Network")
    for code, name in NETWORKS:
        Network.objects.update_or_create(code=code, defaults={"name": name})
