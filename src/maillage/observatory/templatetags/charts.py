"""Figures drawn as bar charts in SVG, in the page (no script, no third party): each chart
sits above its table, which carries the figures for screen readers and the CSV."""

from django import template

from maillage.core.markup import number

register = template.Library()

WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 640, 220, 40, 40, 14
COLOURS = ["#0b5d6b", "#a34f00", "#5b3f8c"]  # 4.5:1 or more on white
MOST_GROUPS = 12


def _short(text: str, size: int = 11) -> str:
    text = str(text)
    return text if len(text) <= size else text[: size - 1] + "…"


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
                "title": f"{row[first]} — {labels[key]} : {'—' if value is None else value}",
            })  # fmt: skip
        ticks.append({"x": number(LEFT + n * group + group / 2, 1), "label": _short(row[first])})
    legend = [{"label": labels[key], "colour": COLOURS[k % len(COLOURS)], "y": 14 + 16 * k}
              for k, key in enumerate(figure.chart)]  # fmt: skip
    return {"figure": figure, "bars": bars, "ticks": ticks, "legend": legend, "top": top,
            "width": WIDTH, "height": HEIGHT, "base": HEIGHT - BOTTOM, "left": LEFT,
            "tick_y": HEIGHT - BOTTOM + 16, "top_y": TOP + 4,
            "more": len(figure.rows) > len(rows)}  # fmt: skip
