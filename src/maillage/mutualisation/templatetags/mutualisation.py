"""The mutualisation's sections on other apps' pages: an organisation's or a person's offers and
ledger, and the offers suggested for a need at the permanence's desk."""

from django import template

from .. import ledger, services
from ..forms import OrientForm
from ..matching import offers_for
from ..models import Offer, Orientation

register = template.Library()
SHOWN = 5  # suggestions on the need page; the API gives up to 50


@register.inclusion_tag("mutualisation/includes/organisation_sharing.html", takes_context=True)
def organisation_sharing(context, organisation):
    user = context["request"].user
    offers = organisation.offers.listed().prefetch_related("thematiques").defer("embedding")
    return {
        "organisation": organisation,
        "offers": offers,
        "given": ledger.given_by(organisation),
        "received": ledger.received_by(organisation),
        "may_declare": services.may_declare_for(user, organisation=organisation, person=None),
    }


@register.inclusion_tag("mutualisation/includes/person_skills.html", takes_context=True)
def person_skills(context, person):
    user = context["request"].user
    return {
        "person": person,
        "offers": person.offers.listed().prefetch_related("thematiques").defer("embedding"),
        "may_declare": services.may_declare_for(user, organisation=None, person=person),
    }


@register.inclusion_tag("mutualisation/includes/need_suggestions.html", takes_context=True)
def need_suggestions(context, need):
    orientations = list(need.orientations.select_related("offer").order_by("-created_at"))
    return {
        "request": context["request"],
        "csrf_token": context.get("csrf_token"),
        "need": need,
        "suggestions": offers_for(need, limit=SHOWN) if need.is_open else [],
        "orientations": orientations,
        "taken": any(o.status == Orientation.Status.ACCEPTEE for o in orientations),
        "orient_form": OrientForm(),
        "Offer": Offer,
    }
