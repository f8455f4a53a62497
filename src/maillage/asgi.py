import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maillage.settings")
django_application = get_asgi_application()

# Imported once Django is set up. Live streams bypass Django: see core/live.py.
from maillage.core.live import with_streams  # noqa: E402

application = with_streams(django_application)
