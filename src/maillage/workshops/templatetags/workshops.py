"""Merit profiles as pictures: a bar per scenario, its grades from « À rejeter » (left) to
« Excellent » (right), the majority grade under the middle line."""

import functools

import segno
from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from maillage.core.markup import number

from ..models import Grade

register = template.Library()

# From red to green, distinguishable in grey too (lightness rises with the grade).
COLOURS = ["#8b1a1a", "#c0392b", "#e07b39", "#e6b422", "#9ccc65", "#43a047", "#1b5e20"]


@register.inclusion_tag("workshops/includes/merit_profile.html")
def merit_profile(profile: list[int], label: str):
    total = sum(profile) or 1
    segments, x = [], 0.0
    for value, count in enumerate(profile):
        width = 100 * count / total
        if count:
            segments.append({"x": number(x), "width": number(width), "colour": COLOURS[value],
                             "label": Grade.Value(value).label, "count": count})  # fmt: skip
        x += width
    summary = ", ".join(f"{s['label']} : {s['count']}" for s in segments) or _("aucune mention")
    return {"segments": segments, "label": label, "summary": summary}


@register.simple_tag
def qr_code(url: str):
    """The QR code of URL as inline SVG, for phones to join from the projector's screen."""
    svg = segno.make(url, error="m").svg_inline(scale=8, border=2, omitsize=True)
    return format_html(
        '<div class="qr-code" role="img" aria-label="{}">{}</div>',
        _("Code QR pour rejoindre l'atelier : %(url)s") % {"url": url},
        mark_safe(svg),  # segno's SVG: no user input but the URL, which it encodes as modules
    )


@register.simple_tag
def grade_scale() -> list[tuple[int, str]]:
    """The seven grades, « À rejeter » first, for a legend of the merit profiles' colours."""
    return Grade.Value.choices


@register.simple_tag
def grade_choices(scenario: int, criterion: int, selected: int | None):
    """A criterion's row of seven choices, from « À rejeter » to « Excellent », each a large
    coloured button over a real radio (so that it works without script and for a screen
    reader; its id keeps the focus where it was when the ballot saves itself). 140 of them on
    a phone: rendered here once per language, row and choice."""
    return _grade_choices(get_language(), scenario, criterion, selected)


@functools.lru_cache(maxsize=16384)
def _grade_choices(language: str, scenario: int, criterion: int, selected: int | None) -> str:
    return format_html_join(
        "",
        '<label class="grade grade--{}"><input type="radio" id="note-{}-{}-{}" name="critere-{}" '
        'value="{}"{}><span>{}</span></label>',
        (
            (value, scenario, criterion, value, criterion, value,
             " checked" if value == selected else "", label)
            for value, label in Grade.Value.choices
        ),
    )  # fmt: skip
