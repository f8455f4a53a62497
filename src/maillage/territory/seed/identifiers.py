"""Fictional but valid French identifiers for seeded organisations."""

from stdnum import luhn


def fictional_siret(n: int) -> str:
    """Return a 14-digit SIRET that passes the Luhn check, unique for each N."""
    siren = f"9{n:07d}"
    siren += luhn.calc_check_digit(siren)
    body = siren + "0001"  # the establishment number, whose last digit is the check digit
    return body + luhn.calc_check_digit(body)


def fictional_rna(n: int) -> str:
    return f"W13{n:07d}"
