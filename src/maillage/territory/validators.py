"""Validators for the French identifiers that organisations and places carry."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.fr import siret

# Phone numbers are checked in core (the SMS outbox needs them too), and named here as well.
from maillage.core.phones import display_phone, normalise_phone, validate_phone  # noqa: F401

_RNA = re.compile(r"^W\d{9}$")
_INSEE = re.compile(r"^(\d{5}|2[AB]\d{3})$")
_POSTAL_CODE = re.compile(r"^\d{5}$")


def validate_siret(value: str) -> None:
    """Accept a 14-digit SIRET that passes the Luhn check (La Poste's exception included)."""
    compact = siret.compact(value)
    if not compact.isdigit() or len(compact) != 14:
        raise ValidationError(_("Un numéro SIRET compte 14 chiffres."), code="siret_length")
    if not siret.is_valid(compact):
        raise ValidationError(
            _("Ce numéro SIRET n'existe pas : vérifiez les chiffres (clé de contrôle invalide)."),
            code="siret_checksum",
        )


def validate_rna(value: str) -> None:
    if not _RNA.match(value):
        raise ValidationError(
            _("Un numéro RNA commence par W suivi de 9 chiffres (par exemple W133001234)."),
            code="rna",
        )


def validate_insee_code(value: str) -> None:
    if not _INSEE.match(value):
        raise ValidationError(
            _("Un code INSEE de commune compte 5 caractères (par exemple 13056)."), code="insee"
        )


def validate_postal_code(value: str) -> None:
    if not _POSTAL_CODE.match(value):
        raise ValidationError(_("Un code postal compte 5 chiffres."), code="postal_code")
