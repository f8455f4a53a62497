import pytest
from django.contrib import admin
from django.urls import reverse

from maillage.core.models import User
from tests.factories import MembershipFactory, UserFactory, with_second_factor

OUR_APPS = {"core", "territory", "needs"}


def _our_models():
    return [m for m in admin.site._registry if m._meta.app_label in OUR_APPS]


def test_the_admin_covers_every_model_of_the_platform():
    from django.apps import apps

    registered = set(_our_models())
    registered |= {
        inline.model for m in _our_models() for inline in admin.site._registry[m].inlines
    }
    for label in OUR_APPS:
        for model in apps.get_app_config(label).get_models():
            assert model in registered, f"{model.__name__} is missing from the admin"


@pytest.mark.django_db
def test_every_admin_list_and_form_opens_for_an_administrator(client, rf):
    MembershipFactory()
    administrator = with_second_factor(
        UserFactory(role=User.Role.ADMINISTRATEUR, is_staff=True, is_superuser=True)
    )
    client.force_login(administrator)
    request = rf.get("/admin/")
    request.user = administrator
    for model in _our_models():
        info = model._meta.app_label, model._meta.model_name
        assert client.get(reverse("admin:{}_{}_changelist".format(*info))).status_code == 200, info
        if admin.site._registry[model].has_add_permission(request):
            assert client.get(reverse("admin:{}_{}_add".format(*info))).status_code == 200, info


@pytest.fixture
def administrator_client(client, db):
    client.force_login(
        with_second_factor(
            UserFactory(role=User.Role.ADMINISTRATEUR, is_staff=True, is_superuser=True)
        )
    )
    return client


def test_an_empty_field_name_in_the_address_opens_the_page_by_its_key(administrator_client):
    organisation = MembershipFactory().organisation
    url = reverse("admin:territory_organisation_change", args=[organisation.pk])
    response = administrator_client.get(url, {"_to_field": ""})
    assert response.status_code == 200
    assert organisation.name in response.content.decode()


def test_a_training_path_with_a_card_that_is_no_card_is_refused_in_the_form(
    administrator_client,
):
    from maillage.formation.models import TrainingPath

    response = administrator_client.post(
        reverse("admin:formation_trainingpath_add"),
        {"name": "Animer", "slug": "animer", "hours": "7", "authorisation_days": "",
         "modules-TOTAL_FORMS": "1", "modules-INITIAL_FORMS": "0",
         "modules-0-card": "pas-un-numero", "modules-0-title": "Pratique", "modules-0-order": "1"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert not TrainingPath.objects.exists()


def test_a_session_s_seats_are_never_lowered_below_the_people_seated(administrator_client):
    from datetime import datetime, time, timedelta

    from django.utils import timezone

    from maillage.formation import trainings
    from maillage.formation.models import Session, TrainingPath

    path = TrainingPath.objects.create(slug="p", name="P", hours=7, description="d",
                                       criteria="c", skill="s")  # fmt: skip
    day = timezone.localdate() + timedelta(days=5)
    starts = datetime.combine(day, time(10), tzinfo=timezone.get_current_timezone())
    session = trainings.open_session(session=Session(path=path, starts_at=starts, capacity=3,
                                                     ends_at=starts + timedelta(hours=3)),
                                     trainers=[])  # fmt: skip
    for n in range(3):
        trainings.register(session=session, name=f"P {n}", email=f"p{n}@exemple.fr")
    local = timezone.localtime(starts)
    response = administrator_client.post(
        reverse("admin:formation_session_change", args=[session.pk]),
        {"path": path.pk, "starts_at_0": local.date().isoformat(),
         "starts_at_1": local.strftime("%H:%M"), "ends_at_0": local.date().isoformat(),
         "ends_at_1": (local + timedelta(hours=3)).strftime("%H:%M"), "capacity": "2",
         "minimum": "1"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "3 personnes ont déjà une place" in response.content.decode()
    assert session.seats.count() == 3
