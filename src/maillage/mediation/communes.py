"""Communes: the INSEE code a person's commune is counted by, and the names of the nearby ones.

A code is checked for its shape and its department (01 to 95 without 20, 2A, 2B, 971 to 976):
the full Code officiel géographique is not bundled, so a well-formed code of a commune that does
not exist cannot be told from a real one. The communes around Martigues are named, for the
desk's list and the observatory."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAINLAND = re.compile(r"(0[1-9]|1\d|2[1-9AB]|[3-8]\d|9[0-5])\d{3}")  # no department 20 or 96
OVERSEAS = re.compile(r"97[1-6]\d{2}")

NEARBY = {
    "13056": "Martigues", "13077": "Port-de-Bouc", "13047": "Istres", "13039": "Fos-sur-Mer",
    "13098": "Saint-Mitre-les-Remparts", "13026": "Châteauneuf-les-Martigues",
    "13104": "Sausset-les-Pins", "13021": "Carry-le-Rouet", "13054": "Marignane",
    "13014": "Berre-l'Étang", "13092": "Saint-Chamas", "13063": "Miramas",
    "13078": "Port-Saint-Louis-du-Rhône", "13043": "Gignac-la-Nerthe", "13033": "Ensuès-la-Redonne",
    "13088": "Le Rove", "13117": "Vitrolles", "13081": "Rognac", "13055": "Marseille",
    "13001": "Aix-en-Provence",
}  # fmt: skip
BY_NAME = {name.casefold(): code for code, name in NEARBY.items()}


def commune_code(value: str) -> str:
    """VALUE as an INSEE commune code (a nearby commune's name is accepted too), or a French
    error naming the problem."""
    text = value.strip().upper()
    if text.casefold() in BY_NAME:
        return BY_NAME[text.casefold()]
    if text.isdigit() and len(text) == 4:  # a spreadsheet dropped the leading zero
        text = "0" + text
    if not (MAINLAND.fullmatch(text) or OVERSEAS.fullmatch(text)) or text.endswith("000"):
        raise ValidationError(
            _("« %(value)s » n'est pas un code INSEE de commune (5 caractères, par exemple "
              "13056 pour Martigues).") % {"value": value.strip()[:20]},
            code="insee",
        )  # fmt: skip
    return text


def commune_name(code: str) -> str:
    return NEARBY.get(code, code)
