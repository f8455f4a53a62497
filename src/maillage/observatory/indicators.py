"""The territory's figures, each defined once, here, with the words that define it (shown next
to it on the dashboard and given by the API). A figure is a table: columns, then rows."""

import dataclasses
import math
import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import (
    Case,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Sum,
    Value,
    When,
)
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from maillage.core.cache import counted_once
from maillage.core.errors import DomainError
from maillage.core.models import Dimension
from maillage.core.params import EARLIEST_DAY, LATEST_DAY
from maillage.mutualisation.ledger import (
    ACCEPTED_BOOKINGS,
    ACCEPTED_ORIENTATIONS,
    BOOKED_TIME,
    hours,
)
from maillage.mutualisation.models import Offer
from maillage.needs.models import Need
from maillage.projects.models import Member, Project, Step
from maillage.territory.geography import neighbourhood_location
from maillage.territory.models import Place
from maillage.workshops.models import Participant, Registration, Workshop

LONGEST_PERIOD = timedelta(days=366 * 5)


@dataclass(frozen=True)
class Period:
    """From START to END, both days included, perhaps for one dimension."""

    start: date
    end: date
    dimension: Dimension | None = None

    @classmethod
    def parse(cls, start: date | None, end: date | None, dimension: str | None = None):
        """The period asked for; by default the last twelve months. Refused with a clear
        message when it makes no sense."""
        end = end or timezone.localdate()
        if any(day is not None and not EARLIEST_DAY <= day <= LATEST_DAY for day in (start, end)):
            raise DomainError(_("Choisissez des dates entre 2000 et 2100."), code="period",
                              status=422)  # fmt: skip
        start = start or (end.replace(day=1) - timedelta(days=334)).replace(day=1)
        if end < start:
            raise DomainError(_("La fin de la période vient avant son début."), code="period",
                              status=422)  # fmt: skip
        if end - start > LONGEST_PERIOD:
            raise DomainError(_("Une période dure au plus cinq ans."), code="period", status=422)
        found = None
        if dimension:
            found = Dimension.objects.filter(code=dimension).first()
            if found is None:
                message = _("La dimension « %(code)s » n'existe pas.") % {"code": dimension}
                raise DomainError(message, code="dimension", status=422)
        return cls(start, end, found)

    def bounds(self) -> tuple[datetime, datetime]:
        zone = timezone.get_current_timezone()
        return (datetime.combine(self.start, time.min, zone),
                datetime.combine(self.end + timedelta(days=1), time.min, zone))  # fmt: skip

    def months(self) -> list[str]:
        """The months of the period, as YYYY-MM."""
        months, day = [], self.start.replace(day=1)
        while day <= self.end:
            months.append(f"{day:%Y-%m}")
            day = (day + timedelta(days=32)).replace(day=1)
        return months

    def monthly(self, field: str) -> list[tuple[str, Q]]:
        """Each month of the period, as YYYY-MM and the condition that FIELD falls in it."""
        zone = timezone.get_current_timezone()
        start, end = self.bounds()
        found = []
        for label in self.months():
            first = datetime.strptime(label, "%Y-%m").replace(tzinfo=zone)
            following = (first + timedelta(days=32)).replace(day=1)
            found.append((label, Q(**{f"{field}__gte": max(first, start),
                                      f"{field}__lt": min(following, end)})))  # fmt: skip
        return found

    def needs(self):
        needs = Need.objects.all()
        return needs.filter(dimension=self.dimension) if self.dimension else needs

    def received(self):
        start, end = self.bounds()
        return self.needs().filter(created_at__gte=start, created_at__lt=end)

    def resolved(self):
        start, end = self.bounds()
        return self.needs().filter(status=Need.Status.RESOLU, closed_at__gte=start,
                                   closed_at__lt=end)  # fmt: skip


@dataclass
class Figure:
    code: str
    label: str
    definition: str
    columns: list[tuple[str, str]]
    rows: list[dict] = field(default_factory=list)
    chart: list[str] = field(default_factory=list)  # the columns drawn as bars


def _days(delta: timedelta) -> float:
    return delta.total_seconds() / 86400


def median_and_p90(values: list[float]) -> tuple[float | None, float | None]:
    """The median, and the 90th percentile by nearest rank (the smallest value at or above
    which 90 % of the values lie), each rounded to a tenth; None without values."""
    if not values:
        return None, None
    ordered = sorted(values)
    p90 = ordered[math.ceil(0.9 * len(ordered)) - 1]
    return round(statistics.median(ordered), 1), round(p90, 1)


def _monthly(queryset, counts: dict[str, Q], months) -> list[dict[str, int]]:
    """For each month, each of COUNTS (a name and what to count): one query, each row tested
    against the months' bounds in the database rather than brought back one by one."""
    aggregates = {
        f"{name}_{n}": Count("pk", filter=condition & month)
        for n, (_label, month) in enumerate(months) for name, condition in counts.items()
    }  # fmt: skip
    totals = queryset.aggregate(**aggregates)
    return [{name: totals[f"{name}_{n}"] for name in counts} for n in range(len(months))]


def needs_per_month(period: Period) -> Figure:
    received = _monthly(period.received(), {"n": Q()}, period.monthly("created_at"))
    resolved = _monthly(period.resolved(), {"n": Q()}, period.monthly("closed_at"))
    return Figure(
        "besoins-par-mois", _("Besoins reçus et résolus par mois"),
        _("Reçus : les besoins enregistrés dans le mois, par tous les canaux. Résolus : les "
          "besoins passés à « résolu » dans le mois (qu'ils aient été reçus avant ou pendant). "
          "Un besoin rouvert puis résolu à nouveau compte au mois de sa dernière résolution."),
        [("mois", _("Mois")), ("recus", _("Reçus")), ("resolus", _("Résolus"))],
        [{"mois": m, "recus": r["n"], "resolus": s["n"]}
         for m, r, s in zip(period.months(), received, resolved, strict=True)],
        chart=["recus", "resolus"],
    )  # fmt: skip


BREAKDOWNS: dict[str, tuple[str, Callable]] = {
    "dimension": ("dimension__name", lambda v: v or _("Sans dimension")),
    "thematique": ("thematique__name", lambda v: v or _("Sans thématique")),
    "canal": ("channel", lambda v: Need.Channel(v).label if v else "—"),
    "quartier": ("neighbourhood", lambda v: v or _("Quartier non dit")),
}
BREAKDOWN_LABELS = {
    "dimension": gettext_lazy("Dimension"), "thematique": gettext_lazy("Thématique"),
    "canal": gettext_lazy("Canal"), "quartier": gettext_lazy("Quartier"),
}  # fmt: skip


def needs_by(period: Period, axis: str) -> Figure:
    path, name = BREAKDOWNS[axis]
    received = dict(period.received().values_list(path).annotate(n=Count("pk")))
    resolved = dict(period.resolved().values_list(path).annotate(n=Count("pk")))
    keys = sorted(set(received) | set(resolved), key=lambda k: (-received.get(k, 0), str(k)))
    label = str(BREAKDOWN_LABELS[axis])
    return Figure(
        f"besoins-par-{axis}", _("Besoins par %(axis)s") % {"axis": str(label).lower()},
        _("Sur la période : les besoins reçus, et les besoins résolus, selon leur %(axis)s.")
        % {"axis": str(label).lower()},
        [("valeur", label), ("recus", _("Reçus")), ("resolus", _("Résolus"))],
        [{"valeur": str(name(k)), "recus": received.get(k, 0), "resolus": resolved.get(k, 0)}
         for k in keys],
        chart=["recus", "resolus"],
    )  # fmt: skip


def _durations(queryset, field: str, months, *, waiting: bool = False) -> dict[str, list[float]]:
    """The days from receipt to FIELD of each need of QUERYSET, by the month FIELD falls in,
    without the time it waited for its requester if WAITING: the database computes the month
    and the duration, Python only sorts numbers."""
    month = Case(*[When(condition, then=Value(n)) for n, (_label, condition) in enumerate(months)],
                 default=Value(-1))  # fmt: skip
    span = F(field) - F("created_at") - F("waited") if waiting else F(field) - F("created_at")
    took = ExpressionWrapper(span, output_field=DurationField())
    found: dict[str, list[float]] = {label: [] for label, _condition in months}
    for n, delta in queryset.annotate(_month=month, _took=took).values_list("_month", "_took"):
        if n >= 0:
            found[months[n][0]].append(_days(delta))
    return found


def delays(period: Period) -> Figure:
    answered = period.received().filter(first_answered_at__isnull=False)
    answers = _durations(answered, "first_answered_at", period.monthly("created_at"))
    resolutions = _durations(period.resolved(), "closed_at", period.monthly("closed_at"),
                             waiting=True)  # fmt: skip
    rows = []
    for month in period.months():
        answer_median, answer_p90 = median_and_p90(answers[month])
        done_median, done_p90 = median_and_p90(resolutions[month])
        rows.append({"mois": month, "premiere_reponse_mediane": answer_median,
                     "premiere_reponse_p90": answer_p90, "resolution_mediane": done_median,
                     "resolution_p90": done_p90})  # fmt: skip
    return Figure(
        "delais", _("Délais de première réponse et de résolution (jours)"),
        _("Première réponse : du moment où le besoin est reçu à la première réponse écrite au "
          "demandeur, pour les besoins reçus dans le mois et déjà répondus. Résolution : de la "
          "réception à la résolution, pour les besoins résolus dans le mois, sans le temps passé "
          "« en attente du demandeur » (un document, une réponse qu'on lui a demandés). "
          "Médiane : la moitié des besoins attend moins. 90e centile : neuf besoins sur dix "
          "attendent au plus ce nombre de jours (rang le plus proche)."),
        [("mois", _("Mois")), ("premiere_reponse_mediane", _("1re réponse, médiane")),
         ("premiere_reponse_p90", _("1re réponse, 90e centile")),
         ("resolution_mediane", _("Résolution, médiane")),
         ("resolution_p90", _("Résolution, 90e centile"))],
        rows, chart=["premiere_reponse_mediane", "resolution_mediane"],
    )  # fmt: skip


def within_delay(period: Period, *, now: datetime | None = None) -> Figure:
    now = now or timezone.now()
    days = settings.NEEDS_FIRST_ANSWER_WORKING_DAYS
    promised = F("answer_promised_at")
    counts = _monthly(period.received(), {
        "on_time": Q(first_answered_at__lte=promised),
        "late": Q(first_answered_at__gt=promised)
        | Q(first_answered_at__isnull=True, answer_promised_at__lt=now),
    }, period.monthly("created_at"))  # fmt: skip
    rows = []
    for month, count in zip(period.months(), counts, strict=True):
        counted = count["on_time"] + count["late"]
        share = round(100 * count["on_time"] / counted) if counted else None
        rows.append({"mois": month, "dans_le_delai": count["on_time"],
                     "en_retard": count["late"], "part": share})  # fmt: skip
    return Figure(
        "reponse-dans-le-delai", _("Réponses dans le délai promis"),
        _("Pour les besoins reçus dans le mois : la première réponse est-elle venue dans les "
          "%(days)s jours ouvrés promis (jours fériés exclus) ? Un besoin sans réponse dont le "
          "délai est passé compte en retard ; un besoin sans réponse encore dans son délai ne "
          "compte pas encore. Part : dans le délai, sur les besoins comptés, en %%.")
        % {"days": days},
        [("mois", _("Mois")), ("dans_le_delai", _("Dans le délai")),
         ("en_retard", _("En retard")), ("part", _("Part dans le délai (%)"))],
        rows, chart=["part"],
    )  # fmt: skip


def funnel(period: Period) -> Figure:
    received = period.received()
    in_project = Exists(Project.needs.through.objects.filter(need=OuterRef("pk")))
    in_workshop = Exists(Workshop.objects.filter(shared_need=OuterRef("shared_need")))
    counts = received.aggregate(
        recus=Count("pk"), communs=Count("pk", filter=Q(shared_need__isnull=False)),
        ateliers=Count("pk", filter=Q(in_workshop)), projets=Count("pk", filter=Q(in_project)),
        resolus=Count("pk", filter=Q(in_project, status=Need.Status.RESOLU)),
    )  # fmt: skip
    stages = [("recus", _("Reçus")), ("communs", _("Mis en commun avec d'autres")),
              ("ateliers", _("Travaillés en atelier")),
              ("projets", _("Pris en charge par un projet")),
              ("resolus", _("Résolus par un projet"))]  # fmt: skip
    return Figure(
        "entonnoir", _("Des besoins aux projets"),
        _("Les besoins reçus sur la période, et parmi eux : ceux rattachés à un besoin commun, "
          "ceux dont le besoin commun a eu un atelier, ceux qu'un projet prend en charge, et "
          "ceux qu'un projet a résolus (à ce jour)."),
        [("etape", _("Étape")), ("besoins", _("Besoins"))],
        [{"etape": label, "besoins": counts[key]} for key, label in stages],
        chart=["besoins"],
    )  # fmt: skip


def sharing(period: Period) -> Figure:
    """The mutualisation ledger month by month, counted as `mutualisation.ledger` counts it:
    from accepted bookings and orientations."""
    offers = Offer.objects.exclude(status=Offer.Status.RETIREE)
    bookings, orientations = ACCEPTED_BOOKINGS, ACCEPTED_ORIENTATIONS
    if period.dimension:
        offers = offers.filter(dimension=period.dimension)
        bookings = bookings.filter(offer__dimension=period.dimension)
        orientations = orientations.filter(offer__dimension=period.dimension)
    declared = _monthly(offers, {"n": Q()}, period.monthly("created_at"))
    booked = bookings.aggregate(**{
        f"{key}_{n}": aggregate(month) for n, (_label, month) in enumerate(period.monthly("start"))
        for key, aggregate in (("n", lambda m: Count("pk", filter=m)),
                               ("time", lambda m: Sum(BOOKED_TIME, filter=m)))
    })  # fmt: skip
    oriented = orientations.aggregate(**{
        f"{key}_{n}": aggregate(month)
        for n, (_label, month) in enumerate(period.monthly("answered_at"))
        for key, aggregate in (("n", lambda m: Count("pk", filter=m)),
                               ("hours", lambda m: Sum("hours", filter=m)))
    })  # fmt: skip
    rows = [
        {"mois": month, "offres": declared[n]["n"], "reservations": booked[f"n_{n}"],
         "heures_reservees": hours(booked[f"time_{n}"]), "orientations": oriented[f"n_{n}"],
         "heures_competences": float(oriented[f"hours_{n}"] or 0)}
        for n, month in enumerate(period.months())
    ]  # fmt: skip
    return Figure(
        "mutualisation", _("Ce que le territoire met en commun"),
        _("Offres : moyens, compétences et services déclarés dans le mois (hors retirés). "
          "Réservations : les réservations acceptées qui commencent dans le mois, et leur durée "
          "en heures. Orientations : les besoins orientés vers une offre dont le porteur a "
          "accepté dans le mois, et les heures de compétences qu'il a dit donner."),
        [("mois", _("Mois")), ("offres", _("Offres déclarées")),
         ("reservations", _("Réservations acceptées")), ("heures_reservees", _("Heures réservées")),
         ("orientations", _("Orientations acceptées")),
         ("heures_competences", _("Heures de compétences"))],
        rows, chart=["reservations", "orientations"],
    )  # fmt: skip


def givers(period: Period) -> Figure:
    """Who gives: the organisations whose means were booked or whose offers took needs on."""
    start, end = period.bounds()
    bookings = ACCEPTED_BOOKINGS.filter(start__gte=start, start__lt=end)
    orientations = ACCEPTED_ORIENTATIONS.filter(answered_at__gte=start, answered_at__lt=end)
    if period.dimension:
        bookings = bookings.filter(offer__dimension=period.dimension)
        orientations = orientations.filter(offer__dimension=period.dimension)
    rows: dict[str, dict] = {}
    for name, n, booked in bookings.exclude(offer__organisation=None).values_list(
        "offer__organisation__name").annotate(n=Count("pk"), time=Sum(BOOKED_TIME)):  # fmt: skip
        rows[name] = {"structure": name, "reservations": n, "heures_reservees": hours(booked),
                      "orientations": 0, "heures_competences": 0.0}  # fmt: skip
    for name, n, given in orientations.exclude(offer__organisation=None).values_list(
        "offer__organisation__name").annotate(n=Count("pk"), hours=Sum("hours")):  # fmt: skip
        row = rows.setdefault(name, {"structure": name, "reservations": 0, "heures_reservees": 0.0,
                                     "orientations": 0, "heures_competences": 0.0})  # fmt: skip
        row["orientations"], row["heures_competences"] = n, float(given or 0)
    ordered = sorted(rows.values(), key=lambda r: (-(r["reservations"] + r["orientations"]),
                                                   r["structure"]))  # fmt: skip
    return Figure(
        "qui-donne", _("Qui donne"),
        _("Sur la période, les structures dont un moyen a été réservé (réservations acceptées) "
          "ou dont une offre a pris en charge un besoin (orientations acceptées), les plus "
          "actives d'abord."),
        [("structure", _("Structure")), ("reservations", _("Réservations")),
         ("heures_reservees", _("Heures réservées")), ("orientations", _("Orientations")),
         ("heures_competences", _("Heures de compétences"))],
        ordered, chart=["reservations", "orientations"],
    )  # fmt: skip


def _organisations_engaged(period: Period, projects) -> set[int]:
    """The organisations that raised a need, booked a means, gave one (a booking of their means,
    a need their offer took on), or worked in a project's group."""
    start, end = period.bounds()
    needs = period.received().exclude(organisation=None)
    bookings = ACCEPTED_BOOKINGS.filter(start__gte=start, start__lt=end)
    orientations = ACCEPTED_ORIENTATIONS.filter(answered_at__gte=start, answered_at__lt=end)
    members = Member.objects.active().filter(project__in=projects, accepted_at__lt=end)
    found = (
        set(needs.values_list("organisation", flat=True))
        | set(bookings.values_list("organisation", flat=True))
        | set(bookings.values_list("offer__organisation", flat=True))
        | set(orientations.values_list("offer__organisation", flat=True))
        | set(members.values_list("organisation", flat=True))
    )
    return found - {None}


def participation(period: Period) -> Figure:
    start, end = period.bounds()
    workshops = Workshop.objects.filter(starts_at__gte=start, starts_at__lt=end).exclude(
        status=Workshop.Status.ANNULE
    )
    projects = Project.objects.all()
    if period.dimension:
        workshops = workshops.filter(shared_need__dimension=period.dimension)
        projects = projects.filter(dimensions=period.dimension)
    held = workshops.filter(status=Workshop.Status.TERMINE)
    in_period = {"created_at__gte": start, "created_at__lt": end}
    values = [
        ("ateliers", _("Ateliers tenus"), held.count()),
        ("participants", _("Participants aux ateliers (téléphones de la salle)"),
         Participant.objects.counted().filter(workshop__in=held).count()),
        ("presents", _("Inscrits venus"),
         Registration.objects.filter(workshop__in=held, attended=True).count()),
        ("structures", _("Structures engagées"),
         len(_organisations_engaged(period, projects))),
        ("projets", _("Projets créés"), projects.filter(**in_period).count()),
        ("etapes", _("Étapes revues"),
         Step.objects.filter(project__in=projects, reviewed_at__gte=start,
                             reviewed_at__lt=end).count()),
    ]  # fmt: skip
    return Figure(
        "participation", _("Participation"),
        _("Sur la période : les ateliers terminés, les téléphones qui les ont rejoints et les "
          "inscrits présents ; les structures distinctes qui ont déposé un besoin, réservé un "
          "moyen, mis en commun le leur (réservé ou orienté) ou travaillé dans un groupe ; les "
          "projets créés et les étapes passées en revue."),
        [("mesure", _("Mesure")), ("valeur", _("Nombre"))],
        [{"mesure": str(label), "valeur": value} for _key, label, value in values],
    )  # fmt: skip


# What the public sees: the same figures, but no count by neighbourhood, and under five needs,
# accompaniments or people in a breakdown a cell says « moins de 5 » (it could point at someone).
NOT_PUBLIC = {"besoins-par-quartier"}
SMALLEST_PUBLIC = 5
# The trainings' own figure is not masked: its sessions are public, and hours reveal them.
SMALL_CELLS = (
    "besoins-par-",
    "accompagnements",
    "personnes-accompagnees-par-",
    "personnes-formees-par-",
)


def public(computed: list[Figure]) -> list[Figure]:
    shown = []
    for figure in computed:
        if figure.code in NOT_PUBLIC:
            continue
        if figure.code.startswith(SMALL_CELLS) and figure.code != "besoins-par-mois":
            rows = [{key: (f"< {SMALLEST_PUBLIC}" if isinstance(value, int)
                           and 0 < value < SMALLEST_PUBLIC else value)
                     for key, value in row.items()} for row in figure.rows]  # fmt: skip
            figure = dataclasses.replace(figure, rows=rows, chart=[])
        shown.append(figure)
    return shown


# The figures of a period are computed once and kept until something they count changes (the
# generation moves: see `apps.py`), or ten minutes at most (promises fall due as time passes).
GENERATION, CACHE_SECONDS = "observatory:generation", 600


WARMING, WARM_AFTER = "observatory:warming", 60  # seconds between two recounts at most


def invalidate(**_signal) -> None:
    """Drop the figures kept; the worker counts the last twelve months' again, for all the
    dimensions and for each (once for the changes of a minute), so that the dashboard's
    first views after a change are kept."""
    try:
        cache.incr(GENERATION)
    except ValueError:  # not there yet (or evicted): any new value will do
        cache.set(GENERATION, 1, None)
    if cache.add(WARMING, 1, WARM_AFTER):
        from .tasks import warm_figures

        transaction.on_commit(lambda: warm_figures.enqueue())


def warm() -> None:
    """Count the default period's figures (as the dashboard first shows them), for all the
    dimensions and for each, into the cache."""
    for dimension in [None, *Dimension.objects.values_list("code", flat=True)]:
        figures(Period.parse(None, None, dimension))


def figures(period: Period) -> list[Figure]:
    """Every figure of the dashboard, for PERIOD: counted once per change, one count at a
    time whatever the number of visitors (the others see the last figures meanwhile)."""
    dimension = period.dimension.code if period.dimension else "-"
    key = f"observatory:{get_language()}:{period.start}:{period.end}:{dimension}"
    return counted_once(
        key, lambda: count_figures(period), fresh=CACHE_SECONDS,
        version=cache.get_or_set(GENERATION, 1, None),
    )  # fmt: skip


def count_figures(period: Period) -> list[Figure]:
    from .accompaniments import figures as mediation  # they build on this module's Figure
    from .trainings import figures as formation

    return [
        needs_per_month(period), delays(period), within_delay(period), funnel(period),
        *(needs_by(period, axis) for axis in BREAKDOWNS), sharing(period), givers(period),
        participation(period), *mediation(period), *formation(period),
    ]  # fmt: skip


def map_points(period: Period, *, shown_to_all: bool) -> dict:
    """What the map shows: the needs received by neighbourhood (at the centre of the
    organisations located there; for the public, only neighbourhoods with five needs or more),
    and the places where the territory's offers are."""
    counts = (
        period.received().exclude(neighbourhood="").values_list("neighbourhood")
        .annotate(n=Count("pk")).order_by("-n")
    )  # fmt: skip
    hoods, unplaced = [], 0
    for name, n in counts:
        if shown_to_all and n < SMALLEST_PUBLIC:
            continue
        where = neighbourhood_location(name)
        if where is None:
            unplaced += n
            continue
        hoods.append({"name": name, "lat": where[0], "lon": where[1], "needs": n})
    places = (
        Place.objects.filter(archived_at__isnull=True)
        .exclude(latitude=None)
        .annotate(standing=Count("offers", filter=~Q(offers__status=Offer.Status.RETIREE)))
    )
    return {
        "neighbourhoods": hoods,
        "unplaced": unplaced,
        "places": [{"name": p.name, "lat": p.latitude, "lon": p.longitude, "offers": p.standing,
                    "kind": str(p.get_kind_display()), "url": p.get_absolute_url()}
                   for p in places.order_by("name")[:500]],
    }  # fmt: skip
