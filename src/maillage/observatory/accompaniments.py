"""The médiation numérique's figures: the accompaniments of a period as La Coop's statistics
count them, and the people accompanied. Each figure is defined once, here, with its words."""

from collections import Counter

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maillage.mediation import communes
from maillage.mediation.models import Accompaniment, Beneficiary, Participation
from maillage.mediation.vocabulary import (
    DURATION_BANDS,
    AgeBand,
    Autonomy,
    Kind,
    Material,
    PlaceType,
    Thematique,
)

from .indicators import Figure, Period

# The médiation numérique accompanies the dematerialisation of public services: an
# accompaniment is of that dimension, unless the need it answers says another.
OWN_DIMENSION = "dematerialisation"


def accompaniments(period: Period):
    found = Accompaniment.objects.active().between(period.start, period.end)
    if period.dimension is None:
        return found
    mine = Q(need__dimension=period.dimension)
    if period.dimension.code == OWN_DIMENSION:
        mine |= Q(need__isnull=True) | Q(need__dimension__isnull=True)
    return found.filter(mine)


DIMENSION_WORDS = gettext_lazy(
    "Un accompagnement est de la dimension « dématérialisation », sauf si le besoin auquel il "
    "répond est d'une autre. Les accompagnements archivés (notés par erreur) ne comptent pas."
)


def by_kind(period: Period) -> Figure:
    found = accompaniments(period)
    participations = Participation.objects.filter(accompaniment__in=found)
    rows = []
    for kind in Kind:
        mine = found.filter(kind=kind)
        counts = mine.aggregate(n=Count("pk", distinct=True))
        present = sum(mine.values_list("anonymous_people", flat=True))
        people = participations.filter(accompaniment__kind=kind)
        firsts = people.filter(first=True).count()
        rows.append({
            "type": str(kind.label), "accompagnements": counts["n"],
            "personnes": people.count() + present, "premiers": firsts,
            "suivants": people.count() - firsts,
        })  # fmt: skip
    return Figure(
        "accompagnements", _("Accompagnements de la médiation numérique"),
        _("Sur la période : les accompagnements notés, individuels ou en atelier collectif. "
          "Personnes : une par personne accompagnée à chaque fois (le « nombre "
          "d'accompagnements » de La Coop), présents d'un atelier non nommés compris. Premier : "
          "la personne n'avait jamais été accompagnée par le laboratoire ; suivant : elle "
          "l'avait été (les présents non nommés ne sont ni l'un ni l'autre). ")
        + str(DIMENSION_WORDS),
        [("type", _("Type")), ("accompagnements", _("Accompagnements")),
         ("personnes", _("Personnes accompagnées")), ("premiers", _("Premier accompagnement")),
         ("suivants", _("Accompagnement suivant"))],
        rows, chart=["accompagnements"],
    )  # fmt: skip


def _breakdown(code, title, definition, label, counts: Counter, order) -> Figure:
    rows = [{"valeur": str(name), "accompagnements": counts.get(value, 0)}
            for value, name in order if counts.get(value, 0)]  # fmt: skip
    return Figure(code, title, definition + " " + str(DIMENSION_WORDS),
                  [("valeur", label), ("accompagnements", _("Accompagnements"))],
                  rows, chart=["accompagnements"])  # fmt: skip


def by_thematique(period: Period) -> Figure:
    counts = Counter(t for themes in accompaniments(period).values_list("thematiques", flat=True)
                     for t in themes)  # fmt: skip
    return _breakdown(
        "accompagnements-par-thematique", _("Accompagnements par thématique"),
        _("Un accompagnement compte pour chacune de ses thématiques : la somme dépasse le nombre "
          "d'accompagnements."),
        _("Thématique"), counts, Thematique.choices,
    )  # fmt: skip


def by_duration(period: Period) -> Figure:
    counts = Counter()
    for minutes in accompaniments(period).values_list("duration", flat=True):
        band = next(code for code, _label, low, high in DURATION_BANDS
                    if minutes >= low and (high is None or minutes < high))  # fmt: skip
        counts[band] += 1
    return _breakdown(
        "accompagnements-par-duree", _("Accompagnements par durée"),
        _("Les tranches de La Coop : moins de 30 minutes, de 30 minutes à moins d'une heure, "
          "d'une heure à moins de deux, deux heures et plus."),
        _("Durée"), counts, [(code, label) for code, label, _low, _high in DURATION_BANDS],
    )  # fmt: skip


def _by_field(period: Period, field: str, **only) -> Counter:
    found = accompaniments(period).filter(**only)
    return Counter(dict(found.values_list(field).annotate(n=Count("pk")).order_by()))


def by_autonomy(period: Period) -> Figure:
    counts = _by_field(period, "autonomy", kind=Kind.INDIVIDUEL)
    return _breakdown(
        "accompagnements-par-autonomie", _("Autonomie atteinte"),
        _("Les accompagnements individuels, selon ce que la personne sait faire seule à la fin ; "
          "ceux où l'autonomie n'est pas notée comptent à part."),
        _("Autonomie"), counts, [*Autonomy.choices, ("", _("Non notée"))],
    )  # fmt: skip


def by_place(period: Period) -> Figure:
    return _breakdown(
        "accompagnements-par-lieu", _("Accompagnements par lieu"),
        _("Où l'accompagnement a eu lieu."),
        _("Lieu"), _by_field(period, "place_type"), PlaceType.choices,
    )  # fmt: skip


def by_material(period: Period) -> Figure:
    counts = Counter(m for used in accompaniments(period).values_list("materials", flat=True)
                     for m in used)  # fmt: skip
    return _breakdown(
        "accompagnements-par-materiel", _("Matériel utilisé"),
        _("Un accompagnement compte pour chaque matériel utilisé ; ceux où rien n'est noté ne "
          "comptent pas."),
        _("Matériel"), counts, Material.choices,
    )  # fmt: skip


def _people(period: Period):
    return Beneficiary.objects.filter(
        participations__accompaniment__in=accompaniments(period)
    ).distinct()


def people_by_age(period: Period) -> Figure:
    counts = Counter(dict(
        Beneficiary.objects.filter(pk__in=_people(period).values("pk"))
        .values_list("age_band").annotate(n=Count("pk")).order_by()
    ))  # fmt: skip
    return Figure(
        "personnes-accompagnees-par-age", _("Personnes accompagnées par âge"),
        _("Les personnes distinctes accompagnées au moins une fois sur la période (nommées ou "
          "anonymes, une fois chacune), selon leur tranche d'âge ; les présents non nommés d'un "
          "atelier n'y sont pas. ") + str(DIMENSION_WORDS),
        [("valeur", _("Tranche d'âge")), ("personnes", _("Personnes"))],
        [{"valeur": str(label), "personnes": counts[value]} for value, label in AgeBand.choices
         if counts.get(value)],
        chart=["personnes"],
    )  # fmt: skip


def people_by_commune(period: Period) -> Figure:
    counts = Counter(dict(
        Beneficiary.objects.filter(pk__in=_people(period).values("pk"))
        .values_list("commune_code").annotate(n=Count("pk")).order_by()
    ))  # fmt: skip
    order = sorted(counts, key=lambda code: (code == "", -counts[code], code))
    return Figure(
        "personnes-accompagnees-par-commune", _("Personnes accompagnées par commune"),
        _("Les personnes distinctes accompagnées sur la période, selon la commune où elles "
          "habitent (code INSEE) ; « commune non dite » quand elle n'est pas notée. ")
        + str(DIMENSION_WORDS),
        [("valeur", _("Commune")), ("code_insee", _("Code INSEE")), ("personnes", _("Personnes"))],
        [{"valeur": communes.commune_name(code) if code else _("Commune non dite"),
          "code_insee": code, "personnes": counts[code]} for code in order],
        chart=["personnes"],
    )  # fmt: skip


def figures(period: Period) -> list[Figure]:
    return [
        by_kind(period), by_thematique(period), by_duration(period), by_autonomy(period),
        by_place(period), by_material(period), people_by_age(period), people_by_commune(period),
    ]  # fmt: skip
