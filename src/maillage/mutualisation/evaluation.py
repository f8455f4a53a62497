"""The matching's labelled evaluation set: needs written the way inhabitants write them (typos,
no accents, familiar words), each with the offers of the catalogue (`seed.catalogue`) that
answer it. The test asserts the right offer is in the top 3 for at least 90% of them; the
benchmark prints the figures."""

PAIRS = [
    ("jarrive pas a faire ma declaration caf sur internet", ["caf-accueil", "aide-demarches"]),
    (
        "jai recu un courier des impots je comprend rien il faut tout faire en ligne",
        ["aide-demarches", "skill-demarches"],
    ),
    (
        "ma mere a 82 ans elle sait pas utiliser son telephone pour ses mails",
        ["skill-demarches", "atelier-numerique-debutant"],
    ),
    ("je sais pas me servir dun ordi du tout", ["atelier-numerique-debutant", "wifi-mediatheque"]),
    (
        "on a pas d'ordinateur a la maison et mon fils doit faire des recherches pour l'ecole",
        ["pret-ordinateurs", "wifi-mediatheque"],
    ),
    ("pas internet chez moi, la box c trop cher", ["internet-box", "wifi-mediatheque"]),
    ("je doit imprimer des papiers pour mon dossier de logement", ["wifi-mediatheque"]),
    ("mon grille pain marche plus je voudrais pas le jeter", ["repair-cafe"]),
    ("mon velo a un pneu crevé et les freins qui marchent pas", ["skill-velo", "repair-cafe"]),
    (
        "jai des dettes partout et je m'en sort plus avec les factures",
        ["conseil-budget", "ccas-aides"],
    ),
    (
        "on a plus rien a manger a la fin du mois avec les enfants",
        ["aide-alimentaire", "ccas-aides"],
    ),
    ("mes enfants ont besoin de vetements pour l'hiver", ["vestiaire"]),
    ("mon fils de 19 ans cherche un apprentissage il sait pas faire un cv", ["cv-lettre", "e2c"]),
    ("je veux passer le caces pour travailler sur le port", ["formation-cace"]),
    ("je parle pas bien francais je voudrais apprendre a lire", ["francais-langue"]),
    ("mon mari me frappe je sais pas quoi faire pour mes droits", ["droits-femmes"]),
    ("je divorce et je sais pas comment avoir la pension pour les petits", ["droits-femmes"]),
    ("ma fille a du mal avec ses devoirs de math en 6eme", ["aide-devoirs"]),
    (
        "je veux creer ma petite entreprise de nettoyage comme auto entrepreneur",
        ["creation-entreprise"],
    ),
    ("jai perdu ma carte vitale et j'ai pas de mutuelle", ["mutuelle-sante"]),
    ("comment on fait pour avoir la CSS", ["mutuelle-sante"]),
    ("jai pas touché mon APL ce mois ci", ["caf-accueil"]),
    ("je touche le rsa et je comprend pas le calcul de la prime", ["caf-accueil"]),
    (
        "il fait super froid dans mon appart et la facture edf est enorme",
        ["energie-logement", "ccas-aides"],
    ),
    ("ma voisine a 90 ans elle a pas de voiture pour aller a l'hopital", ["transport-solidaire"]),
    (
        "mon pere est tout seul depuis que maman est partie il voit personne",
        ["seniors-convivialite"],
    ),
    ("je suis a la retraite et je voudrais me rendre utile", ["benevolat-orientation"]),
    ("je viens de perdre mon travail comment je m'inscrit au chomage", ["recherche-emploi-ft"]),
    ("jai quitté l'ecole a 16 ans sans diplome et je sais pas quoi faire", ["e2c", "cv-lettre"]),
    ("je comprend pas pronote pour voir les notes de mon fils", ["parentalite-ecole"]),
    ("mon ado traine dans la rue pendant les vacances", ["jeunes-loisirs"]),
    (
        "je suis epuisée depuis le deces de mon frere j'ai besoin de parler a quelqu'un",
        ["sante-mentale"],
    ),
    ("ma carte d'identite est perimée et je dois voyager", ["identite-papiers"]),
    ("je suis a la rue et je recois pas mon courrier", ["courrier-poste"]),
    ("avec mon dos je risque de perdre mon boulot", ["maintien-emploi"]),
    ("on voudrait faire du compost dans la residence", ["compost-formation", "jardin-parcelles"]),
    (
        "notre asso a besoin d'une salle pour faire une reunion de 15 personnes",
        ["salle-tiers-lieu"],
    ),
    (
        "on organise la fete du quartier il nous faut une sono et des tables",
        ["sono-comite", "budget-initiatives"],
    ),
    ("le club de foot doit emmener les gamins au tournoi a marseille", ["minibus-mjc"]),
    ("on cherche de l'argent pour un projet de fresque avec les habitants", ["budget-initiatives"]),
    ("notre association n'arrive pas a tenir les comptes", ["skill-compta"]),
    ("je voudrais un site internet pour ma boutique", ["skill-site-web"]),
    (
        "je recois des lettres en francais et je lis que l'arabe",
        ["skill-traduction", "francais-langue"],
    ),
    (
        "mon pantalon est dechire je voudrais apprendre a le reparer",
        ["skill-couture", "repair-cafe"],
    ),
    ("je voudrais faire des courses sans voiture avec mes 2 enfants", ["velos-cargo"]),
    (
        "on voudrait cuisiner un repas pour 50 personnes pour l'association",
        ["cuisine-centre-social"],
    ),
    ("jaimerais cultiver mes legumes mais j'ai pas de jardin", ["jardin-parcelles"]),
    (
        "il me faut une piece en plastique pour reparer mon lave vaisselle",
        ["fablab-decoupe", "repair-cafe"],
    ),
    ("on doit faire notre AG a distance", ["licence-visio"]),
    ("je cherche un parrain dans l'industrie pour trouver du travail", ["mentorat-pro"]),
]


def evaluate(offers: dict, *, semantic_path: bool = True) -> dict:
    """Rank the catalogue OFFERS (key → Offer) for each need of PAIRS; tell how often an
    answering offer comes first, and in the top 3."""
    from maillage.core import semantic
    from maillage.core.similarity import Probe

    from .matching import offers_for_probe

    keys = {offer.pk: key for key, offer in offers.items()}
    use_model = semantic_path and semantic.available()
    texts = [text for text, _ in PAIRS]
    vectors = semantic.embed(texts, query=True) if use_model else [None] * len(texts)
    first = top3 = 0
    misses = []
    for (text, expected), vector in zip(PAIRS, vectors, strict=True):
        ranked = [
            keys.get(s.record.pk) for s in offers_for_probe(Probe.of(text, vector=vector), limit=3)
        ]
        first += bool(ranked) and ranked[0] in expected
        if set(ranked) & set(expected):
            top3 += 1
        else:
            misses.append((text, expected, ranked))
    return {"pairs": len(PAIRS), "first": first, "top3": top3, "misses": misses,
            "path": "semantic" if use_model else "lexical"}  # fmt: skip
