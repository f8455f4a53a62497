"""A large synthetic territory for benchmarks, reproducible from a seed number, loaded in bulk."""

import random

from django.db import transaction

from maillage.core.models import Dimension
from maillage.core.text import search_document
from maillage.territory.models import Membership, Network, Organisation, Person

from .demo import FIRST_NAMES, LAST_NAMES, NEIGHBOURHOODS, TITLES
from .identifiers import fictional_rna, fictional_siret

ORGANISATIONS = 5_000
PEOPLE = 50_000
BATCH = 2_000

NAME_PARTS = {
    Organisation.Kind.SERVICE_MUNICIPAL: ["Service municipal", "Direction", "Pôle"],
    Organisation.Kind.SERVICE_PUBLIC: ["Agence", "Antenne", "Maison départementale"],
    Organisation.Kind.ENTREPRISE: ["Société", "Ateliers", "Industries", "Coopérative"],
    Organisation.Kind.ASSOCIATION: ["Association", "Collectif", "Amicale", "Centre social"],
    Organisation.Kind.ENSEIGNEMENT: ["Lycée", "Collège", "École", "Centre de formation"],
    Organisation.Kind.COLLECTIF_HABITANTS: ["Comité de quartier", "Collectif des habitants"],
    Organisation.Kind.TIERS_LIEU: ["Tiers-lieu", "Fab lab"],
    Organisation.Kind.AUTRE: ["Réseau", "Groupement"],
}
TOPICS = [
    "du numérique",
    "de l'emploi",
    "de l'écologie",
    "des familles",
    "de la mobilité",
    "du littoral",
    "des seniors",
    "de la jeunesse",
    "de l'énergie",
    "de la culture",
    "de l'insertion",
    "du réemploi",
]
TOWNS = [
    ("Martigues", "13500", "13056"),
    ("Port-de-Bouc", "13110", "13077"),
    ("Châteauneuf-les-Martigues", "13220", "13026"),
    ("Saint-Mitre-les-Remparts", "13920", "13098"),
    ("Istres", "13800", "13047"),
    ("Fos-sur-Mer", "13270", "13039"),
]


@transaction.atomic
def load(
    *, seed: int = 1, organisations: int = ORGANISATIONS, people: int = PEOPLE
) -> dict[str, int]:
    """Add ORGANISATIONS organisations and PEOPLE people, drawn from SEED."""
    organisation_count, people_count = organisations, people
    rng = random.Random(seed)
    networks = list(Network.objects.all())
    dimensions = list(Dimension.objects.all())
    kinds = list(NAME_PARTS)
    prefix = f"g{seed}-"
    if Organisation.objects.filter(slug__startswith=prefix).exists():
        raise ValueError(f"Le grand territoire de graine {seed} est déjà chargé.")

    organisations, org_networks = [], []
    for i in range(organisation_count):
        kind = rng.choice(kinds)
        town, postal_code, insee = rng.choice(TOWNS)
        name = f"{rng.choice(NAME_PARTS[kind])} {rng.choice(TOPICS)} de {town} n° {i + 1}"
        chosen = rng.sample(networks, rng.randint(0, 2))
        description = (
            f"Structure de {town} engagée auprès des habitants {rng.choice(TOPICS)} "
            f"et {rng.choice(TOPICS)}."
        )
        hood = rng.choice(NEIGHBOURHOODS)
        organisations.append(
            Organisation(
                name=name,
                slug=f"{prefix}{i + 1}",
                kind=kind,
                description=description,
                siret=fictional_siret(seed * 100_000 + i)
                if kind != Organisation.Kind.ASSOCIATION
                else "",
                rna=fictional_rna(seed * 100_000 + i)
                if kind == Organisation.Kind.ASSOCIATION
                else "",
                city=town,
                postal_code=postal_code,
                insee_code=insee,
                neighbourhood=hood,
                latitude=43.40 + rng.uniform(-0.08, 0.08),
                longitude=5.05 + rng.uniform(-0.1, 0.1),
                search_text=search_document(
                    name, description, town, hood, *(n.name for n in chosen)
                ),
            )
        )
        org_networks.append(chosen)
    Organisation.objects.bulk_create(organisations, batch_size=BATCH)

    NetworkLink = Organisation.networks.through
    DimensionLink = Organisation.dimensions.through
    NetworkLink.objects.bulk_create(
        (
            NetworkLink(organisation=o, network=n)
            for o, ns in zip(organisations, org_networks, strict=True)
            for n in ns
        ),
        batch_size=BATCH,
    )
    DimensionLink.objects.bulk_create(
        (
            DimensionLink(organisation=o, dimension=d)
            for o in organisations
            for d in rng.sample(dimensions, rng.randint(1, 2))
        ),
        batch_size=BATCH,
    )

    people = [
        Person(
            first_name=rng.choice(FIRST_NAMES),
            last_name=rng.choice(LAST_NAMES),
            neighbourhood=rng.choice(NEIGHBOURHOODS),
        )
        for _ in range(people_count)
    ]
    Person.objects.bulk_create(people, batch_size=BATCH)
    memberships = []
    for i, person in enumerate(people):
        if i % 6 == 5:
            continue  # inhabitants without an organisation
        for organisation in rng.sample(organisations, 1 + (i % 4 == 0)):
            role = Membership.Role.REFERENT if i % 25 == 0 else Membership.Role.MEMBRE
            memberships.append(
                Membership(
                    person=person, organisation=organisation, role=role, title=rng.choice(TITLES)
                )
            )
    Membership.objects.bulk_create(memberships, batch_size=BATCH)
    return {
        "structures": len(organisations),
        "personnes": len(people),
        "appartenances": len(memberships),
    }
