import pytest
from django.core.exceptions import ValidationError

from maillage.territory.seed.identifiers import fictional_siret
from maillage.territory.validators import (
    normalise_phone,
    validate_insee_code,
    validate_rna,
    validate_siret,
)


def test_a_siret_that_passes_the_luhn_check_is_accepted():
    validate_siret("73282932000074")
    validate_siret(fictional_siret(42))


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("73282932000075", "clé de contrôle"),
        ("7328293200007", "14 chiffres"),
        ("7328293200007A", "14 chiffres"),
    ],
)
def test_an_invalid_siret_is_refused_with_a_french_reason(value, message):
    with pytest.raises(ValidationError, match=message):
        validate_siret(value)


def test_rna_and_insee_formats():
    validate_rna("W133001234")
    validate_insee_code("13056")
    validate_insee_code("2A004")
    with pytest.raises(ValidationError):
        validate_rna("133001234")
    with pytest.raises(ValidationError):
        validate_insee_code("1305")


def test_phone_numbers_are_stored_in_international_form():
    assert normalise_phone("04 42 00 00 01") == "+33442000001"
    with pytest.raises(ValidationError, match="téléphone"):
        normalise_phone("12")
