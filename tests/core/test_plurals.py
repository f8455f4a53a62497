"""French plurals: 0 and 1 are singular (« 0 personne a rejoint »). gettext without a French
catalogue applies the English rule (« 0 personnes ») — so French has its own catalogue, made of
its msgids by `locale/update.sh`, and it must hold every plural the code says."""

import gettext
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import translation
from django.utils.translation import ngettext

import maillage

LOCALE = Path(maillage.__file__).parent / "locale"


def _plurals(language: str) -> set[str]:
    with open(LOCALE / language / "LC_MESSAGES" / "django.mo", "rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)
    return {key[0] for key in catalogue._catalog if isinstance(key, tuple)}


def test_the_french_catalogue_holds_every_plural_of_the_code():
    missing = _plurals("en") - _plurals("fr")
    assert not missing, f"run src/maillage/locale/update.sh — plurals missing in French: {missing}"


@pytest.mark.parametrize(("count", "said"), [(0, "0 personne a rejoint l'atelier"),
                                             (1, "1 personne a rejoint l'atelier"),
                                             (2, "2 personnes ont rejoint l'atelier")])  # fmt: skip
def test_zero_and_one_are_singular_in_french(count, said):
    template = Template(
        "{% load i18n %}{% blocktranslate count counter=n trimmed %}{{ counter }} personne a "
        "rejoint l'atelier{% plural %}{{ counter }} personnes ont rejoint l'atelier"
        "{% endblocktranslate %}"
    )
    with translation.override("fr"):
        assert template.render(Context({"n": count})) == said
        late = ngettext("Permanence : %(count)s besoin en retard",
                        "Permanence : %(count)s besoins en retard", count)  # fmt: skip
        assert late.endswith("besoins en retard" if count > 1 else "besoin en retard")
    with translation.override("en"):
        english = template.render(Context({"n": count}))
        assert english.endswith(
            "has joined the workshop" if count == 1 else "have joined the workshop"
        ), english
