from django import template

from .. import communes
from ..vocabulary import Material, Thematique

register = template.Library()

VOCABULARIES = {"thematique": Thematique, "materiel": Material}


@register.filter
def coop_labels(values: list[str], vocabulary: str) -> str:
    """The Coop's codes VALUES, as the people reading the page say them."""
    choices = VOCABULARIES[vocabulary]
    return " ; ".join(str(choices(v).label) for v in values if v in choices.values)


@register.filter
def commune(code: str) -> str:
    return communes.commune_name(code)
