"""Figures drawn as bar charts in SVG, in the page (no script, no third party): each chart
sits above its table, which carries the figures for screen readers and the CSV."""

import re
from datetime import date

from django import template
from django.utils.formats import date_format

from maillage.core.markup import number

register = template.Library()

# Room below the axis for a label and its year, at the phone's larger type too (see the CSS).
WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 640, 240, 52, 58, 20
COLOURS = ["#0b5d6b", "#a34f00", "#5b3f8c"]  # 4.5:1 or more on white
MOST_GROUPS = 12


MONTH = re.compile(r"(\d{4})-(\d{2})")


def _short(text: str, size: int = 11) -> str:
    text = str(text)
    return text if len(text) <= size else text[: size - 1] + "…"


def _month(value) -> date | None:
    found = MONTH.fullmatch(str(value))
    return date(int(found[1]), int(found[2]), 1) if found else None


@register.filter
def period_label(value) -> str:
    """A month as a person says it (« jan. 2026 »); anything else as it is. The CSV keeps
    the ISO month."""
    month = _month(value)
    return f"{date_format(month, 'N')} {month.year}" if month else value


def _tick(value, first: bool) -> dict:
    """An axis label: a month's short name, with its year under the first and under January."""
    month = _month(value)
    if month is None:
        return {"label": _short(value), "year": ""}
    shows_year = first or month.month == 1
    return {"label": date_format(month, "N"), "year": month.year if shows_year else ""}


@register.inclusion_tag("observatory/includes/chart.html")
def bar_chart(figure):
    """The bars of FIGURE's series (its `chart` columns), a group per row (the first rows
    when there are many: the table has them all)."""
    labels = dict(figure.columns)
    first = figure.columns[0][0]
    rows = figure.rows[:MOST_GROUPS]
    values = [row[key] or 0 for row in rows for key in figure.chart]
    top = max(values, default=0) or 1
    group = (WIDTH - LEFT) / max(len(rows), 1)
    bar = group * 0.8 / max(len(figure.chart), 1)
    bars, ticks = [], []
    for n, row in enumerate(rows):
        x0 = LEFT + n * group + group * 0.1
        for k, key in enumerate(figure.chart):
            value = row[key]
            height = (HEIGHT - BOTTOM - TOP) * (value or 0) / top
            bars.append({
                "x": number(x0 + k * bar, 1), "y": number(HEIGHT - BOTTOM - height, 1),
                "width": number(bar * 0.92, 1), "height": number(height, 1),
                "colour": COLOURS[k % len(COLOURS)],
                "title": f"{period_label(row[first])} — {labels[key]} : "
                         f"{'—' if value is None else value}",
            })  # fmt: skip
        ticks.append({"x": number(LEFT + n * group + group / 2, 1), **_tick(row[first], n == 0),
                      "odd": n % 2 == 1})  # fmt: skip
    legend = [{"label": labels[key], "colour": COLOURS[k % len(COLOURS)], "y": 14 + 16 * k}
              for k, key in enumerate(figure.chart)]  # fmt: skip
    return {"figure": figure, "bars": bars, "ticks": ticks, "legend": legend, "top": top,
            "width": WIDTH, "height": HEIGHT, "base": HEIGHT - BOTTOM, "left": LEFT,
            "top_y": TOP + 4,
            "crowded": len(rows) > 6,
            "more": len(figure.rows) > len(rows)}  # fmt: skip
