import pytest

from maillage.core.models import Dimension, Thematique
from maillage.territory.models import Network


@pytest.mark.django_db
def test_migrations_load_the_four_dimensions_with_their_api_codes():
    assert list(Dimension.objects.values_list("code", flat=True)) == [
        "dematerialisation",
        "travail",
        "ecologie",
        "pratiques-sociales",
    ]


@pytest.mark.django_db
def test_every_dimension_has_thematiques_mapped_to_data_inclusion_where_one_exists():
    for dimension in Dimension.objects.all():
        assert dimension.thematiques.exists()
    service = Thematique.objects.get(code="services-en-ligne")
    assert service.data_inclusion_code == "numerique--acceder-a-des-services-en-ligne"
    mapped = Thematique.objects.exclude(data_inclusion_code="")
    assert all("--" in t.data_inclusion_code for t in mapped)


@pytest.mark.django_db
def test_networks_speak_data_inclusion_codes():
    codes = set(Network.objects.values_list("code", flat=True))
    assert {"france-service", "conseillers-numeriques", "ccas-cias", "mission-locale"} <= codes
