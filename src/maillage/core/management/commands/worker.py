import logging
import threading
import time

from django.db import close_old_connections
from django_tasks_db.management.commands.db_worker import TASKS_LOGGER
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorker
from django_tasks_db.management.commands.db_worker import logger as worker_logger

from maillage.core import housekeeping
from maillage.core.schedule import enqueue_due

logger = logging.getLogger(__name__)
DAILY_CHECK = 300  # seconds


def _keep_house(worker_id: str, stop: threading.Event) -> None:
    """Beside the worker: beat, take up what dead workers left, sweep the outbox, enqueue the
    daily jobs. A database hiccup must not stop any of it: it is tried again at the next beat."""
    last_minute = last_daily = 0.0
    while not stop.is_set():
        try:
            housekeeping.beat(worker_id)
            now = time.monotonic()
            if now - last_minute >= min(60, housekeeping.dead_after().total_seconds()):
                housekeeping.every_minute()
                last_minute = now
            if now - last_daily >= DAILY_CHECK:
                for name in enqueue_due():
                    logger.info("daily job enqueued: %s", name)
                last_daily = now
        except Exception:
            logger.exception("the worker's housekeeping failed; trying again")
        finally:
            close_old_connections()
        stop.wait(housekeeping.beat_every())


class Command(DatabaseWorker):
    help = (
        "Exécute les tâches de fond (courriels, rappels, rapports), reprend celles qu'un "
        "processus arrêté a laissées, et lance chaque jour les tâches quotidiennes."
    )

    def configure_logging(self, verbosity: int) -> None:
        """Quiet (-v 0, as the demo runs it) still tells a task that failed, not one that ran."""
        super().configure_logging(verbosity)
        if verbosity == 0:
            for quiet in (worker_logger, logging.getLogger(TASKS_LOGGER)):
                quiet.setLevel(logging.ERROR)

    def handle(self, *args, **options):
        stop = threading.Event()
        worker_id = options["worker_id"]
        keeper = threading.Thread(target=_keep_house, args=(worker_id, stop), daemon=True)
        keeper.start()
        try:
            return super().handle(*args, **options)
        finally:
            stop.set()
            keeper.join(timeout=5)
            try:
                housekeeping.stopped(worker_id)
            except Exception:  # the database is gone too: the heartbeat will simply age
                logger.exception("the worker's heartbeat could not be removed")
