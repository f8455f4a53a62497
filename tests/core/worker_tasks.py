"""A task for the tests of `maillage worker`: the first run is killed in the middle."""

import time
from pathlib import Path

from django.tasks import task


@task
def long_the_first_time(*, marker: str) -> str:
    started = Path(marker + ".started")
    if not started.exists():  # the first run: killed while it sleeps
        started.write_text("started")
        time.sleep(120)
    Path(marker).write_text("done")
    return "done"
