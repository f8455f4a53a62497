"""The public API, assembled from each app's router."""

from ninja import NinjaAPI

from maillage.formation.api import router as formation_router
from maillage.formation.training_api import badges_router, trainings_router
from maillage.mediation.api import router as mediation_router
from maillage.mediation.appointments_api import router as appointments_router
from maillage.mutualisation.api import router as mutualisation_router
from maillage.needs.api import router as needs_router
from maillage.observatory.api import opendata_router
from maillage.observatory.api import router as observatory_router
from maillage.projects.api import router as projects_router
from maillage.territory.api import router as territory_router
from maillage.workshops.api import router as workshops_router

from . import problems
from .auth import optional_bearer


class MaillageAPI(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        return problems.document(super().get_openapi_schema(*args, **kwargs))


api = MaillageAPI(
    title="API Maillage",
    version="1",
    description=(
        "L'API de Maillage, la plateforme du laboratoire d'innovation territoriale de Martigues. "
        "Authentification : `Authorization: Bearer <jeton>` (`maillage token create EMAIL`). "
        "Les opérations ouvertes à tous le disent ; un jeton envoyé est toujours vérifié. "
        "Les erreurs sont des documents JSON « problem » (RFC 9457), en français."
    ),
    auth=optional_bearer,
    urls_namespace="api",
)
problems.install(api)
api.add_router("/organisations", territory_router)
api.add_router("/needs", needs_router)
api.add_router("/", mutualisation_router)
api.add_router("/accompaniments", mediation_router)
api.add_router("/appointments", appointments_router)
api.add_router("/workshops", workshops_router)
api.add_router("/methods", formation_router)
api.add_router("/trainings", trainings_router)
api.add_router("/badges", badges_router)
api.add_router("/projects", projects_router)
api.add_router("/indicators", observatory_router)
api.add_router("/opendata", opendata_router)
