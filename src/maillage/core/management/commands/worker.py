import logging
import threading

from django_tasks_db.management.commands.db_worker import Command as DatabaseWorker

from maillage.core.schedule import enqueue_due

logger = logging.getLogger(__name__)
CHECK_EVERY = 300  # seconds


def _schedule_forever(stop: threading.Event) -> None:
    while not stop.is_set():
        try:
            for name in enqueue_due():
                logger.warning("daily job enqueued: %s", name)
        except Exception:  # a database hiccup must not stop the worker; try again later
            logger.exception("daily jobs could not be enqueued")
        stop.wait(CHECK_EVERY)


class Command(DatabaseWorker):
    help = (
        "Exécute les tâches de fond (courriels, rappels, rapports) et lance chaque jour les "
        "rappels de la permanence et l'effacement des coordonnées échues."
    )

    def handle(self, *args, **options):
        stop = threading.Event()
        threading.Thread(target=_schedule_forever, args=(stop,), daemon=True).start()
        try:
            return super().handle(*args, **options)
        finally:
            stop.set()
