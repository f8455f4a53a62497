from django import template

from maillage.needs.models import Need

register = template.Library()


@register.filter
def need_status(code: str) -> str:
    """The label of a status code kept in the journal (« en-atelier » → « En atelier »)."""
    try:
        return Need.Status(code).label
    except ValueError:
        return code
