from django.conf import settings

from .method import METHOD_PARTS


def method(request):
    """Give every page the method's parts (the header) and the site's public address."""
    return {"METHOD_PARTS": METHOD_PARTS, "SITE_URL": settings.SITE_URL}
