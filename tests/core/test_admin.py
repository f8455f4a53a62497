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
