"""Daily jobs of the mutualisation, enqueued by `core.schedule`."""

from django.tasks import task

from . import services


@task
def ask_confirmations() -> dict[str, int]:
    """Offers stay true: ask owners to confirm, put unconfirmed offers to sleep."""
    asked, asleep = services.ask_confirmations()
    return {"asked": asked, "asleep": asleep}
