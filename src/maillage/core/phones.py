"""Phone numbers: checked, kept in E.164 (+33…), shown as people in France write them."""

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def normalise_phone(value: str) -> str:
    """Return VALUE as an E.164 number (+33…), or raise a French error if it is no phone number."""
    try:
        number = phonenumbers.parse(value, "FR")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _("Ce numéro de téléphone n'est pas valide (par exemple 04 42 00 00 00)."),
            code="phone",
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def validate_phone(value: str) -> None:
    normalise_phone(value)


def display_phone(value: str) -> str:
    """Show an E.164 number as people in France write it: 04 42 00 00 00."""
    try:
        number = phonenumbers.parse(value, "FR")
    except phonenumbers.NumberParseException:
        return value
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
