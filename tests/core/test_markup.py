"""Numbers in markup: a chart or a merit profile is drawn the same in French and in English
(a decimal comma in an SVG coordinate made them blank in French)."""

import re

import pytest
from django.template import Context, Template
from django.utils import translation

from maillage.core.markup import number
from tests.factories import raise_test_need


def test_a_number_for_markup_has_a_point_and_no_trailing_zeros():
    with translation.override("fr"):
        assert number(6.6667) == "6.667"
        assert number(45.0, 1) == "45"
        assert number(-0.0001) == "0"
        assert number(1234567.5) == "1234567.5"


def _rects(html: str) -> list[dict[str, float]]:
    """Each <rect>'s geometry, as a browser would read it (a comma makes it unreadable)."""
    rects = []
    for attributes in re.findall(r"<rect ([^>]*)>", html):
        found = dict(re.findall(r'(x|y|width|height)="([^"]*)"', attributes))
        rects.append({name: float(value) for name, value in found.items()})  # a ValueError fails
    return rects


@pytest.mark.parametrize("language", ["fr", "en"])
def test_merit_profile_bars_have_a_drawn_size(language):
    template = Template("{% load workshops %}{% merit_profile profile label %}")
    with translation.override(language):
        html = template.render(Context({"profile": [1, 2, 0, 3, 0, 0, 1], "label": "Un jardin"}))
    bars = _rects(html)
    assert len(bars) == 4 and all(bar["width"] > 0 for bar in bars)
    assert sum(bar["width"] for bar in bars) == pytest.approx(100, abs=0.01)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_public_charts_have_drawn_bars(client, language):
    for n in range(7):
        raise_test_need(description=f"Un besoin de transport numéro {n}", neighbourhood="Carro")
    page = client.get("/chiffres/", headers={"Accept-Language": language}).content.decode()
    assert f'lang="{language}"' in page
    charts = re.findall(r'<figure class="chart">(.*?)</figure>', page, re.S)
    assert charts, "no chart on /chiffres/"
    drawn = [bar for chart in charts for bar in _rects(chart) if bar.get("height", 0) > 0]
    assert drawn and all(bar["width"] > 0 for bar in drawn)
