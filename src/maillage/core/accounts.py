"""Accounts: allauth's adapters, and the second factor the administrators must have.

allauth counts its attempts (logins, codes) by the same client address as the rest of the
site (core.ratelimit); after five wrong passwords an account waits (settings.py). The lab's
team is offered a second factor (an authenticator app's codes, TOTP, and recovery codes);
administrators — who reach the data of everyone through the admin — cannot do anything else
until theirs is set up."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from .ratelimit import client_address


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request: HttpRequest) -> str:
        return client_address(request)

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        """The lab's team lands on its own home; everyone else where the site would send them.
        A page asked for before logging in (?next=) still wins: allauth reads it first."""
        if request.user.is_facilitator:
            return reverse("team")
        return super().get_login_redirect_url(request)


def must_have_second_factor(user) -> bool:
    """Administrators: they reach everyone's data."""
    return user.is_authenticated and (
        user.is_superuser or user.is_staff or user.role == user.Role.ADMINISTRATEUR
    )


# What an administrator without a second factor may still reach: the pages that set one up
# (and logging out), and what pages need to load.
OPEN_TO_SET_UP = ("/compte/", "/static/", "/i18n/", "/healthz", "/readyz")


class SecondFactorRequiredMiddleware:
    """Send an administrator without a second factor to set one up, wherever they go."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            must_have_second_factor(user)
            and not request.path.startswith(OPEN_TO_SET_UP)
            and not is_mfa_enabled(user)
        ):
            messages.warning(
                request,
                _("Votre compte donne accès à l'administration : activez d'abord la double "
                  "authentification (une application de codes sur votre téléphone)."),
            )  # fmt: skip
            return redirect("mfa_activate_totp")
        return self.get_response(request)


def demo_recovery_codes(user) -> list[str]:
    """The demo's administrator comes with a second factor set up; return the recovery codes
    still unused, which the demo prints (each opens one login)."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    if not is_mfa_enabled(user, [Authenticator.Type.TOTP]):
        TOTP.activate(user, generate_totp_secret())
    kept = Authenticator.objects.filter(user=user, type=Authenticator.Type.RECOVERY_CODES).first()
    codes = RecoveryCodes(kept) if kept else RecoveryCodes.activate(user)
    return codes.get_unused_codes()
