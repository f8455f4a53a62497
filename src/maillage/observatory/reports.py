"""Activity reports for the lab's funders and the town council: a month's or a year's figures,
as a page and as a PDF with the charts drawn; generated on demand, and filed by a daily task
once a month (and once a year) is over, so that what was sent can be found as it was."""

import calendar
import re
from datetime import date, timedelta

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from maillage.core import pdf
from maillage.core.errors import DomainError

from .indicators import Period, figures
from .models import Report

LABEL = re.compile(r"^(?P<year>20\d\d|2100)(-(?P<month>0[1-9]|1[0-2]))?$")


def period_for(label: str) -> Period:
    """The period of a report: « 2026-10 » is October 2026, « 2026 » the whole year."""
    found = LABEL.match(label)
    if found is None:
        raise DomainError(_("Un rapport porte sur un mois (2026-10) ou une année (2026)."),
                          code="label", status=404)  # fmt: skip
    year = int(found["year"])
    if found["month"]:
        month = int(found["month"])
        last = calendar.monthrange(year, month)[1]
        return Period(date(year, month, 1), date(year, month, last))
    return Period(date(year, 1, 1), date(year, 12, 31))


def title_for(label: str) -> str:
    period = period_for(label)
    if len(label) == 4:
        return _("Rapport d'activité %(year)s") % {"year": label}
    month = formats.date_format(period.start, "F Y")
    return _("Rapport d'activité — %(month)s") % {"month": month}


def context_for(label: str) -> dict:
    period = period_for(label)
    return {"label": label, "title": title_for(label), "period": period,
            "figures": figures(period), "printing": True, "public": False,
            "generated_at": timezone.now()}  # fmt: skip


def as_pdf(label: str) -> bytes:
    return pdf.from_html(render_to_string("observatory/report_pdf.html", context_for(label)))


@transaction.atomic
def file(label: str) -> Report:
    """Generate the report of LABEL and keep it (again if it was already there)."""
    body = as_pdf(label)
    report, _created = Report.objects.update_or_create(
        label=label, defaults={"pdf": body, "generated_at": timezone.now()}
    )
    return report


def file_due(today: date | None = None) -> list[str]:
    """File last month's report, and last year's in January, unless they are there already."""
    today = today or timezone.localdate()
    previous = today.replace(day=1) - timedelta(days=1)  # a day of last month
    due = [f"{previous:%Y-%m}"]
    if today.month == 1:
        due.append(f"{today.year - 1}")
    filed = set(Report.objects.filter(label__in=due).values_list("label", flat=True))
    return [file(label).label for label in due if label not in filed]
