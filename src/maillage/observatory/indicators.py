"""The territory's figures, each defined once, here, with the words that define it (shown next
to it on the dashboard and given by the API). A figure is a table: columns, then rows."""

import math
import statistics
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maillage.core.delays import add_working_days
from maillage.core.errors import DomainError
from maillage.core.models import Dimension
from maillage.needs.models import Need
from maillage.projects.models import Project
from maillage.workshops.models import Workshop

LONGEST_PERIOD = timedelta(days=366 * 5)
EARLIEST, LATEST = date(2000, 1, 1), date(2100, 12, 31)


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
        if any(day is not None and not EARLIEST <= day <= LATEST for day in (start, end)):
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


def _month(moment: datetime) -> str:
    return f"{timezone.localtime(moment):%Y-%m}"


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


def needs_per_month(period: Period) -> Figure:
    received = Counter(_month(at) for at in period.received().values_list("created_at", flat=True))
    resolved = Counter(_month(at) for at in period.resolved().values_list("closed_at", flat=True))
    return Figure(
        "besoins-par-mois", _("Besoins reçus et résolus par mois"),
        _("Reçus : les besoins enregistrés dans le mois, par tous les canaux. Résolus : les "
          "besoins passés à « résolu » dans le mois (qu'ils aient été reçus avant ou pendant). "
          "Un besoin rouvert puis résolu à nouveau compte au mois de sa dernière résolution."),
        [("mois", _("Mois")), ("recus", _("Reçus")), ("resolus", _("Résolus"))],
        [{"mois": m, "recus": received[m], "resolus": resolved[m]} for m in period.months()],
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
        [{"valeur": name(k), "recus": received.get(k, 0), "resolus": resolved.get(k, 0)}
         for k in keys],
    )  # fmt: skip


def delays(period: Period) -> Figure:
    answers: dict[str, list[float]] = {m: [] for m in period.months()}
    for created, answered in (
        period.received()
        .filter(first_answered_at__isnull=False)
        .values_list("created_at", "first_answered_at")
    ):
        answers[_month(created)].append(_days(answered - created))
    resolutions: dict[str, list[float]] = {m: [] for m in period.months()}
    for created, closed in period.resolved().values_list("created_at", "closed_at"):
        resolutions[_month(closed)].append(_days(closed - created))
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
          "réception à la résolution, pour les besoins résolus dans le mois. Médiane : la moitié "
          "des besoins attend moins. 90e centile : neuf besoins sur dix attendent au plus ce "
          "nombre de jours (rang le plus proche)."),
        [("mois", _("Mois")), ("premiere_reponse_mediane", _("1re réponse, médiane")),
         ("premiere_reponse_p90", _("1re réponse, 90e centile")),
         ("resolution_mediane", _("Résolution, médiane")),
         ("resolution_p90", _("Résolution, 90e centile"))],
        rows,
    )  # fmt: skip


def within_delay(period: Period, *, now: datetime | None = None) -> Figure:
    now = now or timezone.now()
    days = settings.NEEDS_FIRST_ANSWER_WORKING_DAYS
    on_time, late = Counter(), Counter()
    for created, answered in period.received().values_list("created_at", "first_answered_at"):
        promised = add_working_days(created, days)
        if answered is not None:
            (on_time if answered <= promised else late)[_month(created)] += 1
        elif promised < now:
            late[_month(created)] += 1
    rows = []
    for month in period.months():
        counted = on_time[month] + late[month]
        share = round(100 * on_time[month] / counted) if counted else None
        rows.append({"mois": month, "dans_le_delai": on_time[month], "en_retard": late[month],
                     "part": share})  # fmt: skip
    return Figure(
        "reponse-dans-le-delai", _("Réponses dans le délai promis"),
        _("Pour les besoins reçus dans le mois : la première réponse est-elle venue dans les "
          "%(days)s jours ouvrés promis (jours fériés exclus) ? Un besoin sans réponse dont le "
          "délai est passé compte en retard ; un besoin sans réponse encore dans son délai ne "
          "compte pas encore. Part : dans le délai, sur les besoins comptés, en %%.")
        % {"days": days},
        [("mois", _("Mois")), ("dans_le_delai", _("Dans le délai")),
         ("en_retard", _("En retard")), ("part", _("Part dans le délai (%)"))],
        rows,
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
    )  # fmt: skip


def figures(period: Period) -> list[Figure]:
    """Every figure of the dashboard, for PERIOD."""
    return [
        needs_per_month(period), delays(period), within_delay(period), funnel(period),
        *(needs_by(period, axis) for axis in BREAKDOWNS),
    ]  # fmt: skip
