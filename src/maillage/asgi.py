"""What `maillage serve` runs: live streams (core/live.py) in front of Django.

Django runs as a WSGI application on a bounded pool of threads (a2wsgi), not on Django's own
async path: that path gives each request a thread of its own and hops between threads in every
middleware, which a room of hundreds of phones turned into hundreds of threads fighting for
the database (bench/live.py; ../shared/reference/live.md found the same: half the CPU per POST
on a sync server)."""

import os

from a2wsgi import WSGIMiddleware
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maillage.settings")
django_application = WSGIMiddleware(
    get_wsgi_application(), workers=int(os.environ.get("DJANGO_THREADS", 8))
)

# Imported once Django is set up.
from maillage.core.live import with_streams  # noqa: E402

application = with_streams(django_application)
