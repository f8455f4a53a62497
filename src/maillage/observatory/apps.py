from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ObservatoryConfig(AppConfig):
    name = "maillage.observatory"
    label = "observatory"
    verbose_name = _("Observatoire")

    def ready(self) -> None:
        """The figures kept in the cache are dropped when what they count changes: a need (its
        state, answer, dimension…), a workshop, a project or the needs it answers, an
        accompaniment (its people are written with it), a training session, its attendance, a
        badge."""
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from maillage.formation.models import Assertion, Registration, Session
        from maillage.mediation.models import Accompaniment
        from maillage.needs.models import Need
        from maillage.projects.models import Project
        from maillage.workshops.models import Workshop

        from .indicators import invalidate

        for model in (Need, Workshop, Project, Accompaniment, Session, Registration, Assertion):
            post_save.connect(invalidate, sender=model, dispatch_uid=f"observatory-{model}")
            post_delete.connect(invalidate, sender=model, dispatch_uid=f"observatory-d-{model}")
        m2m_changed.connect(invalidate, sender=Project.needs.through,
                            dispatch_uid="observatory-project-needs")  # fmt: skip
