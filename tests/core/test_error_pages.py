"""The site's own error pages in French, the security headers every page carries, and the
redirect to https behind a TLS proxy."""

import json
import os
import subprocess
import sys

import pytest
from django.test import Client
from django.urls import include, path


def _boom(request):
    raise RuntimeError("a bug")


urlpatterns = [path("boum/", _boom), path("", include("maillage.urls"))]
handler500 = "maillage.core.error_pages.server_error"


@pytest.mark.django_db
def test_an_unknown_page_answers_the_french_404_in_the_site_layout(client):
    response = client.get("/nulle-part/")
    assert response.status_code == 404
    page = response.text
    assert "Page introuvable" in page and 'lang="fr"' in page and "Exprimer un besoin" in page
    assert "Not Found" not in page


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_a_bug_answers_the_french_500_page():
    response = Client(raise_request_exception=False).get("/boum/")
    assert response.status_code == 500
    assert "Une erreur de notre côté" in response.text and "Server Error" not in response.text


@pytest.mark.django_db
def test_a_host_the_site_does_not_serve_answers_the_french_400(client):
    response = client.get("/", HTTP_HOST="ailleurs.example")
    assert response.status_code == 400 and "Demande invalide" in response.text


@pytest.mark.django_db
def test_a_form_without_its_csrf_token_says_it_expired_and_writes_nothing():
    from maillage.needs.models import Need

    response = Client(enforce_csrf_checks=True).post(
        "/permanence/", {"description": "Un besoin", "contact": "aucun"}
    )
    assert response.status_code == 403
    assert "Le formulaire a expiré" in response.text and "a été enregistré" in response.text
    assert not Need.objects.exists()


@pytest.mark.django_db
def test_a_cookie_holding_a_nul_is_refused_in_french_and_deleted(client):
    response = client.get("/", HTTP_COOKIE='sessionid="ab\x00cd"; atelier-2="x\x00"')
    assert response.status_code == 400 and "cookie" in response.text
    assert response.cookies["sessionid"]["max-age"] == 0
    assert response.cookies["atelier-2"]["max-age"] == 0
    assert client.get("/", HTTP_COOKIE="sessionid=abcd").status_code == 200


@pytest.mark.django_db
def test_a_nul_in_a_json_body_sent_as_text_is_refused(client):
    from maillage.needs.models import Need

    body = json.dumps({"description": "Besoin\u0000", "consent": False})
    response = client.post("/api/v1/needs", body, content_type="text/plain")
    assert response.status_code == 422 and response["Content-Type"] == "application/problem+json"
    assert not Need.objects.exists()


@pytest.mark.django_db
def test_every_page_says_where_its_scripts_and_styles_may_come_from(client):
    policy = client.get("/")["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy and "frame-ancestors 'none'" in policy


@pytest.mark.django_db
def test_no_page_of_ours_holds_an_inline_script_or_style(client):
    """The policy would block them: every script is a file, every style in the stylesheet."""
    import re

    for url in ["/", "/permanence/", "/chiffres/", "/mutualisation/", "/compte/login/"]:
        page = client.get(url).text
        assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)", page), url
        assert " style=" not in page and "<style" not in page, url


PROBE = """
import os, django
os.environ["DJANGO_SETTINGS_MODULE"] = "maillage.settings"
django.setup()
from django.conf import settings
from django.test import Client
settings.ALLOWED_HOSTS = ["lab.example"]
client = Client()
plain = client.get("/chiffres/", HTTP_HOST="lab.example", HTTP_X_FORWARDED_PROTO="http")
probe = client.get("/healthz", HTTP_HOST="lab.example", HTTP_X_FORWARDED_PROTO="http")
secure = client.get("/healthz", HTTP_HOST="lab.example", HTTP_X_FORWARDED_PROTO="https")
print(plain.status_code, plain.get("Location"), probe.status_code,
      secure.get("Strict-Transport-Security", "-").split(";")[0])
"""


def test_behind_a_tls_proxy_plain_http_goes_to_https_and_browsers_are_told_to_stay(tmp_path):
    env = os.environ | {"SITE_URL": "https://lab.example", "BEHIND_PROXY": "true",
                        "MAILLAGE_DATA_DIR": str(tmp_path)}  # fmt: skip
    env.pop("DATABASE_URL", None)
    output = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    assert output[:2] == ["301", "https://lab.example/chiffres/"]
    assert output[2] in {"200", "503"}  # the probe is answered where it is, not redirected
    assert output[3] == "max-age=31536000"
