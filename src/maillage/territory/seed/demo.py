"""The demo territory: Martigues-like organisations, fictional people, the lab and its two sites."""

import random
from datetime import time

from django.db import transaction
from django.utils.text import slugify

from maillage.core.models import Dimension, User
from maillage.territory import services
from maillage.territory.models import (
    Membership,
    Network,
    OpeningPeriod,
    Organisation,
    Person,
    Place,
)

from .identifiers import fictional_rna, fictional_siret

PASSWORD = "maillage-demo"
LAB_SLUG = "tiers-lieu-de-martigues"

ACCOUNTS = [
    ("admin@maillage.localhost", "administrateur (accès à l'administration)"),
    ("animatrice@maillage.localhost", "Nadia Benali, animatrice du laboratoire"),
    ("animateur@maillage.localhost", "Thomas Vidal, animateur du laboratoire"),
    ("coordinateur@maillage.localhost", "Marc Olivieri, coordinateur"),
    ("referente@maillage.localhost", "Sophie Garcia, référente du centre social Jonquières"),
    ("membre@maillage.localhost", "Julien Roux, membre de France Services"),
    ("habitant@maillage.localhost", "Karim Haddad, habitant"),
]

MARTIGUES = {"postal_code": "13500", "city": "Martigues", "insee_code": "13056"}
PORT_DE_BOUC = {"postal_code": "13110", "city": "Port-de-Bouc", "insee_code": "13077"}
CHATEAUNEUF = {"postal_code": "13220", "city": "Châteauneuf-les-Martigues", "insee_code": "13026"}

# name, kind, networks, dimensions, neighbourhood, street, (lat, lon), description
K = Organisation.Kind
ORGANISATIONS = [
    (
        "Tiers-lieu de Martigues — Maison de la transformation publique",
        K.TIERS_LIEU,
        ["fabrique-de-territoire", "conseillers-numeriques"],
        ["dematerialisation", "travail", "ecologie", "pratiques-sociales"],
        "Ferrières",
        "12 quai Général Leclerc",
        (43.4066, 5.0476),
        "Le laboratoire d'innovation du territoire. Nous tenons une permanence où chacun peut "
        "venir parler d'un besoin lié au numérique, nous animons des ateliers de scénarisation et "
        "nous accompagnons des groupes de travail sur des projets concrets.",
    ),
    (
        "Mairie de Martigues — Direction de la citoyenneté",
        K.SERVICE_MUNICIPAL,
        ["communes"],
        ["dematerialisation"],
        "L'Île",
        "Avenue Louis Sammut",
        (43.4045, 5.0536),
        "État civil, élections, cartes d'identité et passeports. Le service accompagne les "
        "habitants dans les démarches qui passent en ligne.",
    ),
    (
        "Service municipal de la jeunesse",
        K.SERVICE_MUNICIPAL,
        ["communes", "reseau-information-jeunesse"],
        ["pratiques-sociales", "travail"],
        "Jonquières",
        "8 boulevard du 14 Juillet",
        (43.4012, 5.0489),
        "Point information jeunesse, aide aux projets des 12-25 ans, accès libre à des ordinateurs.",
    ),
    (
        "Service municipal emploi et insertion",
        K.SERVICE_MUNICIPAL,
        ["communes", "plie"],
        ["travail"],
        "Ferrières",
        "3 rue Lamartine",
        (43.4071, 5.0458),
        "Accueil des demandeurs d'emploi, lien avec les entreprises du bassin et suivi du plan "
        "local pour l'insertion et l'emploi.",
    ),
    (
        "Médiathèque Louis Aragon",
        K.SERVICE_MUNICIPAL,
        ["communes", "espaces-publics-numeriques"],
        ["dematerialisation", "pratiques-sociales"],
        "Ferrières",
        "Quai des Anglais",
        (43.4069, 5.0492),
        "Prêt de livres et de liseuses, espace public numérique, ateliers d'initiation à "
        "l'ordinateur et au smartphone chaque semaine.",
    ),
    (
        "Direction de l'écologie urbaine",
        K.SERVICE_MUNICIPAL,
        ["communes"],
        ["ecologie"],
        "L'Île",
        "Avenue Louis Sammut",
        (43.4047, 5.0531),
        "Propreté, espaces verts, tri des déchets et plan climat de la commune.",
    ),
    (
        "Direction des systèmes d'information de la Ville",
        K.SERVICE_MUNICIPAL,
        ["communes"],
        ["dematerialisation"],
        "L'Île",
        "Avenue Louis Sammut",
        (43.4046, 5.0534),
        "Informatique de la Ville, portail des démarches en ligne et réemploi des ordinateurs "
        "réformés des services municipaux.",
    ),
    (
        "Service municipal de l'éducation",
        K.SERVICE_MUNICIPAL,
        ["communes"],
        ["pratiques-sociales"],
        "Jonquières",
        "Rue de la République",
        (43.4021, 5.0502),
        "Inscriptions scolaires, restauration, activités périscolaires et portail famille en ligne.",
    ),
    (
        "Service politique de la ville",
        K.SERVICE_MUNICIPAL,
        ["communes"],
        ["pratiques-sociales", "travail"],
        "Canto-Perdrix",
        "Avenue José Nobre",
        (43.4132, 5.0611),
        "Contrat de ville, soutien aux associations des quartiers prioritaires et aux conseils "
        "citoyens.",
    ),
    (
        "Centre communal d'action sociale de Martigues",
        K.SERVICE_MUNICIPAL,
        ["ccas-cias", "communes"],
        ["dematerialisation", "pratiques-sociales"],
        "Ferrières",
        "Rue Colonel Denfert",
        (43.4075, 5.0470),
        "Aides sociales, domiciliation, accompagnement des personnes âgées et aide aux démarches "
        "administratives en ligne.",
    ),
    (
        "France Services Martigues",
        K.SERVICE_PUBLIC,
        ["france-service", "aidants-connect"],
        ["dematerialisation"],
        "Notre-Dame des Marins",
        "Avenue Frédéric Mistral",
        (43.4189, 5.0398),
        "Un guichet unique pour les démarches avec la CAF, l'Assurance maladie, les impôts, "
        "France Travail, la retraite et l'ANTS, avec ou sans rendez-vous.",
    ),
    (
        "Agence France Travail de Martigues",
        K.SERVICE_PUBLIC,
        ["france-travail"],
        ["travail"],
        "Croix-Sainte",
        "Chemin de Paradis",
        (43.4151, 5.0558),
        "Inscription, indemnisation, conseil en évolution professionnelle et relations avec les "
        "entreprises qui recrutent.",
    ),
    (
        "Mission locale de l'Ouest Étang de Berre",
        K.ASSOCIATION,
        ["mission-locale"],
        ["travail"],
        "Ferrières",
        "5 cours du 4 Septembre",
        (43.4079, 5.0462),
        "Accompagnement des 16-25 ans vers l'emploi, la formation, le logement et la santé ; "
        "contrat d'engagement jeune.",
    ),
    (
        "Caisse d'allocations familiales — accueil de Martigues",
        K.SERVICE_PUBLIC,
        ["caf"],
        ["dematerialisation", "pratiques-sociales"],
        "Ferrières",
        "Boulevard Lucien Degut",
        (43.4083, 5.0449),
        "Accueil sur rendez-vous pour les prestations familiales, le logement et la prime "
        "d'activité ; aide à l'utilisation de l'espace en ligne.",
    ),
    (
        "Assurance maladie — point d'accueil de Martigues",
        K.SERVICE_PUBLIC,
        ["cpam"],
        ["dematerialisation"],
        "Jonquières",
        "Rue de la République",
        (43.4018, 5.0509),
        "Carte Vitale, compte ameli, complémentaire santé solidaire.",
    ),
    (
        "Maison départementale de la solidarité",
        K.SERVICE_PUBLIC,
        ["departements"],
        ["pratiques-sociales"],
        "Paradis Saint-Roch",
        "Avenue Charles de Gaulle",
        (43.4102, 5.0581),
        "Travailleurs sociaux du Département : RSA, protection de l'enfance, personnes âgées et "
        "handicapées.",
    ),
    (
        "La Poste — bureau de Martigues Ferrières",
        K.SERVICE_PUBLIC,
        ["la-poste"],
        ["dematerialisation"],
        "Ferrières",
        "Rue Lamartine",
        (43.4073, 5.0455),
        "Courrier, colis, banque postale et accès à une tablette pour les démarches en ligne.",
    ),
    (
        "Pétrochimie de Lavéra",
        K.ENTREPRISE,
        [],
        ["travail", "ecologie"],
        "Lavéra",
        "Route du port de Lavéra",
        (43.3895, 5.0098),
        "Site industriel du bassin de l'Étang de Berre. Mécénat de compétences et don "
        "d'ordinateurs reconditionnés aux associations.",
    ),
    (
        "Énergies de l'Étang",
        K.ENTREPRISE,
        [],
        ["ecologie", "travail"],
        "Croix-Sainte",
        "Zone d'activités de Croix-Sainte",
        (43.4218, 5.0662),
        "Bureau d'études en efficacité énergétique et en énergies renouvelables.",
    ),
    (
        "Caronte Naval Services",
        K.ENTREPRISE,
        [],
        ["travail"],
        "Caronte",
        "Quai de Caronte",
        (43.4001, 5.0286),
        "Réparation et maintenance navale ; accueille des apprentis et des stagiaires.",
    ),
    (
        "Numérique Provence, coopérative",
        K.ENTREPRISE,
        [],
        ["dematerialisation", "travail"],
        "Jonquières",
        "14 rue de la République",
        (43.4016, 5.0513),
        "Coopérative de développeurs et de formateurs : sites web, logiciels libres et formation "
        "des petites structures.",
    ),
    (
        "Transports de la Côte Bleue",
        K.ENTREPRISE,
        [],
        ["ecologie", "travail"],
        "La Couronne",
        "Route de la Couronne",
        (43.3394, 5.0652),
        "Transport de voyageurs et navettes vers les zones d'activités ; partenaire de la "
        "mobilité vers l'emploi.",
    ),
    (
        "Chantier naval de Carro",
        K.ENTREPRISE,
        [],
        ["travail"],
        "Carro",
        "Port de Carro",
        (43.3311, 5.0399),
        "Entretien de bateaux de pêche et de plaisance.",
    ),
    (
        "Boulangerie du Cours",
        K.ENTREPRISE,
        [],
        ["travail"],
        "Ferrières",
        "Cours du 4 Septembre",
        (43.4080, 5.0465),
        "Artisan boulanger ; recrute régulièrement des apprentis.",
    ),
    (
        "Groupement d'employeurs du bassin de Martigues",
        K.ENTREPRISE,
        ["geiq"],
        ["travail"],
        "Croix-Sainte",
        "Zone d'activités de Croix-Sainte",
        (43.4221, 5.0655),
        "Groupement d'employeurs pour l'insertion et la qualification dans l'industrie et la "
        "logistique.",
    ),
    (
        "Centre social Jonquières",
        K.ASSOCIATION,
        ["fcsf", "conseillers-numeriques"],
        ["pratiques-sociales", "dematerialisation"],
        "Jonquières",
        "Place Gérard Philipe",
        (43.4008, 5.0521),
        "Accueil des familles, soutien scolaire, ateliers numériques avec une conseillère "
        "numérique, sorties et vacances.",
    ),
    (
        "Centre social de Canto-Perdrix",
        K.ASSOCIATION,
        ["fcsf"],
        ["pratiques-sociales"],
        "Canto-Perdrix",
        "Avenue José Nobre",
        (43.4137, 5.0618),
        "Maison de quartier : accueil de loisirs, cours de français, permanences d'écrivain public.",
    ),
    (
        "Secours populaire — comité de Martigues",
        K.ASSOCIATION,
        ["secours-populaire"],
        ["pratiques-sociales"],
        "Paradis Saint-Roch",
        "Chemin de Paradis",
        (43.4109, 5.0574),
        "Aide alimentaire, vestiaire, accès aux vacances et à la culture.",
    ),
    (
        "Restos du Cœur de Martigues",
        K.ASSOCIATION,
        ["restos-du-coeur"],
        ["pratiques-sociales"],
        "Croix-Sainte",
        "Rue des Boudèmes",
        (43.4162, 5.0601),
        "Distribution de repas, aide à la personne et accompagnement vers l'emploi.",
    ),
    (
        "Croix-Rouge — unité locale de l'Ouest Étang de Berre",
        K.ASSOCIATION,
        ["croix-rouge"],
        ["pratiques-sociales"],
        "Saint-Julien",
        "Chemin de Saint-Julien",
        (43.4301, 5.0702),
        "Secourisme, aide alimentaire et lutte contre l'isolement des personnes âgées.",
    ),
    (
        "Ressourcerie de l'Ouest Étang de Berre",
        K.ASSOCIATION,
        ["ressourceries", "siae"],
        ["ecologie", "travail"],
        "Caronte",
        "Zone de Caronte",
        (43.3988, 5.0301),
        "Collecte, réparation et revente d'objets ; atelier de reconditionnement d'ordinateurs en "
        "chantier d'insertion.",
    ),
    (
        "Les Compagnons du numérique",
        K.ASSOCIATION,
        ["espaces-publics-numeriques", "conseillers-numeriques"],
        ["dematerialisation"],
        "Notre-Dame des Marins",
        "Allée des Pins",
        (43.4195, 5.0391),
        "Espace public numérique associatif : initiation, aide aux démarches, permanences "
        "« smartphone » pour les seniors.",
    ),
    (
        "Les Amis de l'Étang de Berre",
        K.ASSOCIATION,
        [],
        ["ecologie"],
        "Saint-Pierre",
        "Chemin du Mas de Pouane",
        (43.4256, 5.0447),
        "Protection des rives et des herbiers de l'étang, sorties nature et sciences participatives.",
    ),
    (
        "Martigues à vélo",
        K.ASSOCIATION,
        [],
        ["ecologie"],
        "L'Île",
        "Quai Brescon",
        (43.4051, 5.0497),
        "Atelier participatif de réparation de vélos, balades et apprentissage du vélo pour adultes.",
    ),
    (
        "Lire et écrire ensemble",
        K.ASSOCIATION,
        [],
        ["pratiques-sociales", "travail"],
        "Canto-Perdrix",
        "Avenue José Nobre",
        (43.4135, 5.0615),
        "Cours d'alphabétisation et de français langue étrangère, ateliers d'écriture.",
    ),
    (
        "Jardins partagés de Paradis Saint-Roch",
        K.ASSOCIATION,
        [],
        ["ecologie", "pratiques-sociales"],
        "Paradis Saint-Roch",
        "Chemin de Paradis",
        (43.4112, 5.0588),
        "Parcelles cultivées en commun, compost de quartier et ateliers cuisine.",
    ),
    (
        "Centre d'information sur les droits des femmes et des familles",
        K.ASSOCIATION,
        ["cidff"],
        ["pratiques-sociales"],
        "Ferrières",
        "Rue Colonel Denfert",
        (43.4077, 5.0468),
        "Information juridique, accompagnement vers l'emploi des femmes, aide aux victimes.",
    ),
    (
        "Point conseil budget de l'Étang",
        K.ASSOCIATION,
        ["points-conseil-budget"],
        ["pratiques-sociales"],
        "Jonquières",
        "Rue de la République",
        (43.4019, 5.0506),
        "Conseils gratuits pour gérer son budget, prévenir le surendettement et lire ses factures "
        "en ligne.",
    ),
    (
        "Club de l'âge d'or de Carro",
        K.ASSOCIATION,
        [],
        ["pratiques-sociales"],
        "Carro",
        "Place du port de Carro",
        (43.3314, 5.0404),
        "Rencontres, sorties et entraide pour les retraités du quartier.",
    ),
    (
        "Association des parents d'élèves de Martigues",
        K.ASSOCIATION,
        [],
        ["pratiques-sociales"],
        "Jonquières",
        "Rue de la République",
        (43.4022, 5.0499),
        "Représentation des parents, bourse aux fournitures, aide à l'usage de l'espace numérique "
        "de travail.",
    ),
    (
        "Lycée Jean Lurçat",
        K.ENSEIGNEMENT,
        [],
        ["travail", "pratiques-sociales"],
        "Croix-Sainte",
        "Chemin de Paradis",
        (43.4148, 5.0547),
        "Lycée général, technologique et professionnel ; sections industrielles et numériques.",
    ),
    (
        "Lycée Paul Langevin",
        K.ENSEIGNEMENT,
        [],
        ["travail"],
        "Notre-Dame des Marins",
        "Avenue Frédéric Mistral",
        (43.4183, 5.0409),
        "Lycée général et technologique ; un club de codage ouvert aux élèves et aux familles.",
    ),
    (
        "Collège Henri Wallon",
        K.ENSEIGNEMENT,
        [],
        ["pratiques-sociales"],
        "Canto-Perdrix",
        "Avenue José Nobre",
        (43.4129, 5.0625),
        "Collège du quartier ; parcours citoyen et éducation aux médias et à l'information.",
    ),
    (
        "École élémentaire Di Lorto",
        K.ENSEIGNEMENT,
        [],
        ["pratiques-sociales"],
        "Jonquières",
        "Rue de la République",
        (43.4014, 5.0517),
        "École élémentaire de Jonquières.",
    ),
    (
        "École de la deuxième chance de Martigues",
        K.ENSEIGNEMENT,
        ["ecoles-de-la-deuxieme-chance"],
        ["travail"],
        "Croix-Sainte",
        "Zone d'activités de Croix-Sainte",
        (43.4215, 5.0648),
        "Formation et accompagnement vers l'emploi des jeunes de 16 à 25 ans sans diplôme.",
    ),
    (
        "Centre de formation continue de l'Étang",
        K.ENSEIGNEMENT,
        [],
        ["travail", "dematerialisation"],
        "Ferrières",
        "Boulevard Lucien Degut",
        (43.4085, 5.0443),
        "Formations pour adultes : bureautique, compétences numériques, certification PIX.",
    ),
    (
        "Collectif des habitants de Canto-Perdrix",
        K.COLLECTIF_HABITANTS,
        [],
        ["pratiques-sociales"],
        "Canto-Perdrix",
        "Avenue José Nobre",
        (43.4140, 5.0620),
        "Des habitants qui se retrouvent pour améliorer la vie du quartier et porter ses demandes.",
    ),
    (
        "Comité de quartier de Carro",
        K.COLLECTIF_HABITANTS,
        [],
        ["pratiques-sociales", "ecologie"],
        "Carro",
        "Place du port de Carro",
        (43.3316, 5.0401),
        "Fêtes de quartier, propreté du littoral, lien entre les pêcheurs et les habitants.",
    ),
    (
        "Collectif Notre-Dame des Marins",
        K.COLLECTIF_HABITANTS,
        [],
        ["pratiques-sociales"],
        "Notre-Dame des Marins",
        "Allée des Pins",
        (43.4192, 5.0395),
        "Collectif d'habitants mobilisé sur la mobilité et l'accès aux services.",
    ),
    (
        "Fab lab de Caronte",
        K.TIERS_LIEU,
        ["fabrique-de-territoire"],
        ["ecologie", "travail"],
        "Caronte",
        "Quai de Caronte",
        (43.4003, 5.0292),
        "Atelier de fabrication numérique : imprimantes 3D, découpe laser, électronique, "
        "réparation d'objets le samedi.",
    ),
    (
        "Maison des jeunes et de la culture de Port-de-Bouc",
        K.ASSOCIATION,
        ["mjc"],
        ["pratiques-sociales"],
        "",
        "Avenue Maurice Thorez",
        (43.4052, 4.9887),
        "Activités culturelles et sportives, studio de musique, accueil des jeunes.",
    ),
    (
        "Espace emploi de Châteauneuf-les-Martigues",
        K.SERVICE_MUNICIPAL,
        ["communes"],
        ["travail"],
        "",
        "Avenue du Général de Gaulle",
        (43.3839, 5.1642),
        "Accueil des demandeurs d'emploi de la commune voisine, ateliers CV et job dating.",
    ),
]

OTHER_TOWNS = {
    "Maison des jeunes et de la culture de Port-de-Bouc": PORT_DE_BOUC,
    "Espace emploi de Châteauneuf-les-Martigues": CHATEAUNEUF,
}

FIRST_NAMES = [
    "Adèle",
    "Ahmed",
    "Aïcha",
    "Alain",
    "Alexandre",
    "Alice",
    "Amandine",
    "Amine",
    "Anaïs",
    "André",
    "Anne",
    "Antoine",
    "Aurélie",
    "Bernard",
    "Brigitte",
    "Camille",
    "Carla",
    "Céline",
    "Chantal",
    "Charlotte",
    "Christian",
    "Claire",
    "Claude",
    "Corinne",
    "Damien",
    "David",
    "Delphine",
    "Didier",
    "Dominique",
    "Élise",
    "Émilie",
    "Emma",
    "Éric",
    "Fabienne",
    "Fanny",
    "Farid",
    "Fatima",
    "Florence",
    "François",
    "Françoise",
    "Frédéric",
    "Gilles",
    "Hélène",
    "Hugo",
    "Inès",
    "Isabelle",
    "Jacques",
    "Jean",
    "Jeanne",
    "Jérôme",
    "Joël",
    "Josiane",
    "Karima",
    "Laetitia",
    "Laura",
    "Laurent",
    "Léa",
    "Lina",
    "Louis",
    "Lucie",
    "Malik",
    "Manon",
    "Marie",
    "Martine",
    "Mathieu",
    "Mehdi",
    "Michel",
    "Monique",
    "Mourad",
    "Nathalie",
    "Nicolas",
    "Noémie",
    "Océane",
    "Olivier",
    "Patrick",
    "Paul",
    "Pierre",
    "Rachid",
    "Raphaël",
    "Rémi",
    "Romain",
    "Samia",
    "Sandrine",
    "Sarah",
    "Sébastien",
    "Simone",
    "Sofiane",
    "Stéphane",
    "Sylvie",
    "Thomas",
    "Valérie",
    "Vincent",
    "Virginie",
    "Yasmina",
    "Yves",
    "Zoé",
]
LAST_NAMES = [
    "Amar",
    "Arnaud",
    "Aubert",
    "Barbier",
    "Belkacem",
    "Benhamou",
    "Bernard",
    "Blanc",
    "Bonnet",
    "Bouchet",
    "Brun",
    "Castel",
    "Chabert",
    "Chevalier",
    "Colin",
    "Constant",
    "Da Silva",
    "Dubois",
    "Durand",
    "Esposito",
    "Fabre",
    "Faure",
    "Ferrari",
    "Fontaine",
    "Garnier",
    "Gauthier",
    "Giraud",
    "Gomez",
    "Guerin",
    "Hamidi",
    "Henry",
    "Imbert",
    "Jacquet",
    "Lambert",
    "Laurent",
    "Leblanc",
    "Lefebvre",
    "Lopez",
    "Marchand",
    "Martin",
    "Martinez",
    "Mathieu",
    "Mercier",
    "Meyer",
    "Michel",
    "Moreau",
    "Morel",
    "Nguyen",
    "Olivier",
    "Pascal",
    "Perez",
    "Perrin",
    "Petit",
    "Pons",
    "Rey",
    "Ricci",
    "Robert",
    "Roche",
    "Rousseau",
    "Roussel",
    "Sanchez",
    "Serra",
    "Simon",
    "Teissier",
    "Vidal",
    "Vincent",
    "Zerrouki",
]
TITLES = [
    "Chargée d'accueil",
    "Conseiller numérique",
    "Directrice",
    "Animateur",
    "Bénévole",
    "Travailleuse sociale",
    "Responsable RH",
    "Chargé de mission",
    "Enseignante",
    "Président",
    "Médiatrice",
    "Coordinateur",
    "Assistante administrative",
    "Technicien",
]
NEIGHBOURHOODS = [
    "Ferrières",
    "Jonquières",
    "L'Île",
    "Canto-Perdrix",
    "Paradis Saint-Roch",
    "Notre-Dame des Marins",
    "Croix-Sainte",
    "Carro",
    "La Couronne",
    "Lavéra",
    "Saint-Julien",
    "Saint-Pierre",
]


def is_loaded() -> bool:
    return Organisation.objects.filter(slug=LAB_SLUG).exists()


def _account(email: str, first: str, last: str, role: str, **extra) -> User:
    user = User.objects.create_user(
        email, PASSWORD, first_name=first, last_name=last, role=role, **extra
    )
    Person.objects.create(user=user, first_name=first, last_name=last)
    return user


@transaction.atomic
def load() -> dict[str, int]:
    """Load the demo territory into an empty database."""
    rng = random.Random(13500)
    networks = {n.code: n for n in Network.objects.all()}
    dimensions = {d.code: d for d in Dimension.objects.all()}
    organisations = []
    for n, (name, kind, net, dims, hood, street, (lat, lon), description) in enumerate(
        ORGANISATIONS
    ):
        town = OTHER_TOWNS.get(name, MARTIGUES)
        identifiers = {}
        if kind in (
            K.ENTREPRISE,
            K.TIERS_LIEU,
            K.SERVICE_MUNICIPAL,
            K.SERVICE_PUBLIC,
            K.ENSEIGNEMENT,
        ):
            identifiers["siret"] = fictional_siret(n + 1)
        elif kind == K.ASSOCIATION:
            identifiers["rna"] = fictional_rna(n + 1)
        organisations.append(
            services.create_organisation(
                by=None,
                name=name,
                slug=LAB_SLUG if n == 0 else "",
                kind=kind,
                description=description,
                street=street,
                neighbourhood=hood,
                latitude=lat,
                longitude=lon,
                phone=f"+3344280{n:04d}",
                email=f"contact@{slugify(name.split(' —')[0])[:40]}.example",
                networks=[networks[code] for code in net],
                dimensions=[dimensions[code] for code in dims],
                **identifiers,
                **town,
            )
        )
    lab, by_name = organisations[0], {o.name: o for o in organisations}

    admin = User.objects.create_superuser("admin@maillage.localhost", PASSWORD, first_name="Admin")
    Person.objects.create(user=admin, first_name="Équipe", last_name="technique")
    facilitator = _account("animatrice@maillage.localhost", "Nadia", "Benali", User.Role.ANIMATEUR)
    second = _account("animateur@maillage.localhost", "Thomas", "Vidal", User.Role.ANIMATEUR)
    coordinator = _account(
        "coordinateur@maillage.localhost", "Marc", "Olivieri", User.Role.COORDINATEUR
    )
    referent = _account("referente@maillage.localhost", "Sophie", "Garcia", User.Role.MEMBRE)
    member = _account("membre@maillage.localhost", "Julien", "Roux", User.Role.MEMBRE)
    _account("habitant@maillage.localhost", "Karim", "Haddad", User.Role.HABITANT)
    Membership.objects.bulk_create(
        [
            Membership(
                person=facilitator.person,
                organisation=lab,
                role=Membership.Role.REFERENT,
                title="Animatrice de la permanence",
            ),
            Membership(person=second.person, organisation=lab, title="Animateur de la permanence"),
            Membership(
                person=coordinator.person,
                organisation=lab,
                role=Membership.Role.REFERENT,
                title="Coordinateur du laboratoire",
            ),
            Membership(
                person=referent.person,
                organisation=by_name["Centre social Jonquières"],
                role=Membership.Role.REFERENT,
                title="Directrice",
            ),
            Membership(
                person=member.person,
                organisation=by_name["France Services Martigues"],
                title="Conseiller France Services",
            ),
        ]
    )

    people, memberships = [], []
    for _ in range(194):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        people.append(
            Person(first_name=first, last_name=last, neighbourhood=rng.choice(NEIGHBOURHOODS))
        )
    Person.objects.bulk_create(people)
    for i, person in enumerate(people):
        if i % 7 == 6:
            continue  # an inhabitant who belongs to no organisation
        for organisation in rng.sample(organisations, 2 if i % 5 == 0 else 1):
            role = Membership.Role.REFERENT if i % 9 == 0 else Membership.Role.MEMBRE
            memberships.append(
                Membership(
                    person=person, organisation=organisation, role=role, title=rng.choice(TITLES)
                )
            )
    Membership.objects.bulk_create(memberships, ignore_conflicts=True)

    _places(lab, by_name)
    return {
        "structures": Organisation.objects.count(),
        "personnes": Person.objects.count(),
        "appartenances": Membership.objects.count(),
        "lieux": Place.objects.count(),
    }


def _places(lab: Organisation, by_name: dict[str, Organisation]) -> None:
    weekdays = range(5)
    sites = [
        (
            Place(
                name="Tiers-lieu — site de Ferrières",
                kind=Place.Kind.LAB_SITE,
                organisation=lab,
                street="12 quai Général Leclerc",
                neighbourhood="Ferrières",
                latitude=43.4066,
                longitude=5.0476,
                capacity=60,
                description="Le site principal : l'accueil de la "
                "permanence, la grande salle d'ateliers et l'espace de travail partagé.",
                accessibility="De plain-pied, toilettes adaptées, boucle magnétique à l'accueil.",
                **MARTIGUES,
            ),
            [(d, time(9), time(12, 30)) for d in weekdays]
            + [(d, time(13, 30), time(17)) for d in weekdays],
        ),
        (
            Place(
                name="Tiers-lieu — antenne de Canto-Perdrix",
                kind=Place.Kind.LAB_SITE,
                organisation=lab,
                street="Avenue José Nobre",
                neighbourhood="Canto-Perdrix",
                latitude=43.4134,
                longitude=5.0613,
                capacity=25,
                description="L'antenne du quartier : permanence "
                "sans rendez-vous deux jours par semaine, au pied des immeubles.",
                accessibility="De plain-pied.",
                **MARTIGUES,
            ),
            [(1, time(9), time(12)), (3, time(14), time(18))],
        ),
        (
            Place(
                name="Médiathèque Louis Aragon — salle multimédia",
                kind=Place.Kind.PARTNER_VENUE,
                organisation=by_name["Médiathèque Louis Aragon"],
                street="Quai des Anglais",
                neighbourhood="Ferrières",
                latitude=43.4069,
                longitude=5.0492,
                capacity=16,
                **MARTIGUES,
            ),
            [(d, time(10), time(18)) for d in (1, 2, 4, 5)],
        ),
        (
            Place(
                name="Fab lab de Caronte — atelier",
                kind=Place.Kind.PARTNER_VENUE,
                organisation=by_name["Fab lab de Caronte"],
                street="Quai de Caronte",
                neighbourhood="Caronte",
                latitude=43.4003,
                longitude=5.0292,
                capacity=20,
                **MARTIGUES,
            ),
            [(2, time(14), time(19)), (5, time(10), time(17))],
        ),
        (
            Place(
                name="Centre social Jonquières — salle polyvalente",
                kind=Place.Kind.PARTNER_VENUE,
                organisation=by_name["Centre social Jonquières"],
                street="Place Gérard Philipe",
                neighbourhood="Jonquières",
                latitude=43.4008,
                longitude=5.0521,
                capacity=40,
                **MARTIGUES,
            ),
            [(d, time(9), time(18)) for d in weekdays],
        ),
    ]
    for place, periods in sites:
        place.full_clean()
        place.save()
        OpeningPeriod.objects.bulk_create(
            OpeningPeriod(place=place, weekday=d, opens=o, closes=c) for d, o, c in periods
        )
