"""The formation's figures: the sessions held, their hours, the people trained and the badges
issued, by path and by dimension. Each figure is defined once, here, with its words."""

from collections import Counter
from datetime import datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maillage.core.models import Dimension
from maillage.formation.models import Assertion, Registration, Session, TrainingPath

from .indicators import Figure, Period

WORDS = gettext_lazy(
    "Une session est tenue si elle n'a pas été annulée et s'est terminée sur la période ; une "
    "personne est formée si elle y était présente (comptée une fois par parcours, par son "
    "adresse) ; un badge compte s'il a été délivré sur la période et n'a pas été révoqué. Pour "
    "une dimension : les parcours de cette dimension."
)


def _bounds(period: Period) -> tuple[datetime, datetime]:
    zone = timezone.get_current_timezone()
    return (datetime.combine(period.start, time(0), tzinfo=zone),
            datetime.combine(period.end + timedelta(days=1), time(0), tzinfo=zone))  # fmt: skip


def _paths(period: Period):
    found = TrainingPath.objects.all()
    return found.filter(dimension=period.dimension) if period.dimension else found


def held(period: Period):
    start, end = _bounds(period)
    return Session.objects.filter(cancelled_at__isnull=True, ends_at__gte=start, ends_at__lt=end,
                                  path__in=_paths(period))  # fmt: skip


def by_path(period: Period) -> Figure:
    sessions = held(period)
    start, end = _bounds(period)
    came = Registration.objects.filter(session__in=sessions, attended=True)
    badges = Assertion.objects.filter(revoked_at__isnull=True, issued_on__gte=start,
                                      issued_on__lt=end, path__in=_paths(period))  # fmt: skip
    rows = []
    for path in _paths(period).order_by("name"):
        mine = sessions.filter(path=path)
        count = mine.count()
        trained = came.filter(session__path=path).values("email").distinct().count()
        issued = badges.filter(path=path).count()
        if count or issued:
            rows.append({"parcours": path.name, "sessions": count, "heures": count * path.hours,
                         "personnes": trained, "heures-stagiaires": trained * path.hours,
                         "badges": issued})  # fmt: skip
    return Figure(
        "formations", _("Formations à la méthode"),
        _("Sur la période, par parcours : les sessions tenues et leurs heures de formation, les "
          "personnes formées et leurs heures de formation reçues, les badges délivrés. ")
        + str(WORDS),
        [("parcours", _("Parcours")), ("sessions", _("Sessions tenues")),
         ("heures", _("Heures de formation")), ("personnes", _("Personnes formées")),
         ("heures-stagiaires", _("Heures-stagiaires")), ("badges", _("Badges délivrés"))],
        rows, chart=["personnes"],
    )  # fmt: skip


def trained_by_dimension(period: Period) -> Figure:
    came = Registration.objects.filter(session__in=held(period), attended=True)
    trained = came.values_list("session__path__dimension__code", "session__path", "email")
    counts = Counter(code for code, _path, _email in trained.order_by().distinct())
    rows = [{"dimension": d.name, "personnes": counts[d.code]}
            for d in Dimension.objects.all() if counts.get(d.code)]  # fmt: skip
    if counts.get(None):
        rows.append({"dimension": _("Sans dimension"), "personnes": counts[None]})
    return Figure(
        "personnes-formees-par-dimension", _("Personnes formées, par dimension"),
        _("Sur la période : les personnes présentes à une session tenue, par la dimension de "
          "son parcours (une personne formée à deux parcours d'une dimension compte une fois "
          "par parcours). ") + str(WORDS),
        [("dimension", _("Dimension")), ("personnes", _("Personnes formées"))],
        rows, chart=["personnes"],
    )  # fmt: skip


def figures(period: Period) -> list[Figure]:
    return [by_path(period), trained_by_dimension(period)]
