"""The demo territory, loaded once for the fuzzer's module and rolled back after it: every
route then has real records to reach, in every state the demo holds."""

import pytest
from django.conf import settings
from django.db import transaction
from django.test import override_settings

IMMEDIATE_TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
UNHASHED_STATIC = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


@pytest.fixture(scope="module")
def demo_territory(django_db_setup, django_db_blocker):
    from maillage import seed

    # The fuzzer looks for server errors as production has them: an unknown variable in a
    # template (a third party's, such as allauth's) renders empty there.
    invalid = settings.TEMPLATES[0]["OPTIONS"].get("string_if_invalid")
    failing = getattr(invalid, "fail", None)
    if failing is not None:
        invalid.fail = False
    overrides = override_settings(TASKS=IMMEDIATE_TASKS, STORAGES=UNHASHED_STATIC)
    with django_db_blocker.unblock(), overrides:
        outer = transaction.atomic()
        outer.__enter__()
        try:
            seed.load_demo()
            _rooms_under_way()
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            if failing is not None:
                invalid.fail = failing


def _rooms_under_way() -> None:
    """Two rooms the demo does not hold: one in its idéation, one voting."""
    from datetime import timedelta

    from django.utils import timezone

    from maillage.core.models import User
    from maillage.workshops import live, services
    from maillage.workshops.models import Phase

    lab = User.objects.get(email="animatrice@maillage.localhost")
    start = timezone.now() + timedelta(minutes=1)
    for kind in (Phase.Kind.IDEATION, Phase.Kind.EVALUATION):
        workshop = services.create_workshop(
            by=lab, question=f"Une salle en {kind}", starts_at=start,
            ends_at=start + timedelta(hours=2), criteria=["Utilité", "Coût"],
        )  # fmt: skip
        for title in ("Un jardin", "Un marché"):
            live.add_scenario(workshop=workshop, by=lab, title=title)
        live.start_phase(workshop=workshop, phase=workshop.phases.get(kind=kind), by=lab)
