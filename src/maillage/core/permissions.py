from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404


def facilitator_required(view):
    """Let the lab's team in; send visitors to log in; others learn nothing (404)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.is_facilitator:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper
