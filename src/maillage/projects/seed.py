"""The projects of the demo territory: the one born from the demo's past workshop."""

from django.db import transaction

from maillage.core.models import User
from maillage.workshops.models import Workshop

from . import services


@transaction.atomic
def load_demo() -> dict[str, int]:
    lab = User.objects.filter(email="animatrice@maillage.localhost").first()
    lab = lab or User.objects.filter(role=User.Role.ANIMATEUR).first()
    decided = Workshop.objects.filter(decided_at__isnull=False).order_by("decided_at")
    created = [services.create_from_workshop(workshop=w, by=lab) for w in decided]
    return {"projets": len(created)}
