"""The administration cannot be brute-forced: one login for the whole site (allauth's, with its
lockout), a second factor offered to the lab's team and required of administrators."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.test import Client

from tests.factories import UserFactory, with_second_factor

PASSWORD = "un-mot-de-passe-solide"


@pytest.fixture
def administrator(db):
    return UserFactory(email="admin@example.org", role="administrateur", is_staff=True,
                       is_superuser=True)  # fmt: skip


def _login(client, email, password):
    return client.post("/compte/login/", {"login": email, "password": password})


def test_the_admins_own_login_sends_to_the_sites_login(client, db):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/compte/login/")


def test_after_five_wrong_passwords_the_right_one_is_refused(client, administrator):
    for _ in range(5):
        assert _login(Client(), administrator.email, "pas-le-bon").status_code == 200
    refused = _login(client, administrator.email, PASSWORD)
    assert refused.status_code in (200, 429) and "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302  # still sent to log in


def test_an_administrator_without_a_second_factor_must_set_one_up_first(client, administrator):
    client.force_login(administrator)
    for url in ("/admin/", "/permanence/file/", "/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == "/compte/2fa/totp/activate/"
    setup = client.get("/compte/2fa/totp/activate/", follow=True)
    assert setup.status_code == 200 and "double authentification" in setup.text


def test_an_administrator_logs_in_with_the_password_then_the_code(client, administrator):
    with_second_factor(administrator)
    response = _login(client, administrator.email, PASSWORD)
    assert response.status_code == 302 and "/2fa/authenticate" in response["Location"]
    assert client.get("/admin/").status_code == 302  # not in yet
    secret = Authenticator.objects.get(user=administrator, type="totp").wrap().instance.data
    from allauth.mfa.totp.internal.auth import yield_hotp_counters_from_time
    from allauth.mfa.utils import decrypt

    counter = next(yield_hotp_counters_from_time())
    code = format_hotp_value(hotp_value(decrypt(secret["secret"]), counter))
    client.post(response["Location"], {"code": code})
    assert client.get("/admin/").status_code == 200


@pytest.mark.ignore_template_errors  # allauth's own template reads what it may not have
def test_the_lab_team_is_offered_a_second_factor_not_forced(client, facilitator):
    client.force_login(facilitator)
    page = client.get("/")
    assert page.status_code == 200 and "Sécurité du compte" in page.text
    assert client.get("/compte/2fa/").status_code == 200
