import pytest

from maillage.workshops import live, services
from tests.workshops.test_preparation import _evening


@pytest.fixture
def room(facilitator):
    start, end = _evening()
    workshop = services.create_workshop(
        by=facilitator, question="Que faire du jardin ?", starts_at=start, ends_at=end,
        criteria=["Utilité", "Coût"],
    )  # fmt: skip
    garden = live.add_scenario(workshop=workshop, by=facilitator, title="Un jardin partagé")
    market = live.add_scenario(workshop=workshop, by=facilitator, title="Un marché")
    people = [live.join(code=workshop.join_code.lower(), name=n) for n in ("Awa", "Bruno", "Chloé")]
    return workshop, garden, market, people
