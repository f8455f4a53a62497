import factory
from django.utils.text import slugify

from maillage.core.models import Dimension, User
from maillage.core.search import stem_document
from maillage.core.text import search_document
from maillage.mutualisation.models import Offer
from maillage.territory.models import Membership, Network, Organisation, Person, Place


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["email"]

    email = factory.Sequence(lambda n: f"personne{n}@example.org")
    first_name = "Camille"
    last_name = factory.Sequence(lambda n: f"Martin{n}")
    role = User.Role.HABITANT
    password = factory.django.Password("un-mot-de-passe-solide")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Association numéro {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    kind = Organisation.Kind.ASSOCIATION
    description = "Une structure du territoire."
    city = "Martigues"
    postal_code = "13500"
    insee_code = "13056"
    search_text = factory.LazyAttribute(lambda o: search_document(o.name, o.description, o.city))

    @factory.post_generation
    def networks(self, create, codes, **kwargs):
        if create and codes:
            self.networks.set(Network.objects.filter(code__in=codes))
            self.refresh_search_text()
            self.save(update_fields=["search_text"])

    @factory.post_generation
    def dimensions(self, create, codes, **kwargs):
        if create and codes:
            self.dimensions.set(Dimension.objects.filter(code__in=codes))


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    first_name = "Lina"
    last_name = factory.Sequence(lambda n: f"Durand{n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    person = factory.SubFactory(PersonFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Membership.Role.MEMBRE


class PlaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Place

    name = factory.Sequence(lambda n: f"Lieu {n}")
    kind = Place.Kind.LAB_SITE
    city = "Martigues"


def raise_test_need(**kwargs):
    """Raise a need through the service, as every real need is."""
    from maillage.needs.services import raise_need

    fields = {"description": "Je n'arrive pas à déclarer mes revenus en ligne.", "consent": False}
    return raise_need(**(fields | kwargs))


class OfferFactory(factory.django.DjangoModelFactory):
    """An offer written straight to the database (the services are tested on their own)."""

    class Meta:
        model = Offer

    kind = Offer.Kind.MOYEN
    category = Offer.Category.SALLE
    title = factory.Sequence(lambda n: f"Salle de réunion {n}")
    description = "Une salle pour se réunir à vingt."
    organisation = factory.SubFactory(OrganisationFactory)
    search_text = factory.LazyAttribute(lambda o: search_document(o.title, o.description))
    search_stems = factory.LazyAttribute(lambda o: stem_document(o.title, o.description))


def with_second_factor(user):
    """USER with an authenticator app set up (administrators cannot work without one)."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    TOTP.activate(user, generate_totp_secret())
    return user
