import pytest

from maillage.settings import mailers_from_url


def test_email_goes_to_the_console_without_a_url():
    assert mailers_from_url("")["default"]["BACKEND"] == "maillage.core.mail.ReadableConsoleBackend"


def test_an_smtp_url_configures_the_smtp_mailer():
    options = mailers_from_url("submission://lab%40example.org:s3cr%C3%A9t@smtp.example.org")[
        "default"
    ]["OPTIONS"]
    assert options["host"] == "smtp.example.org"
    assert options["port"] == 587
    assert options["username"] == "lab@example.org"
    assert options["password"] == "s3crét"
    assert options["use_tls"] and not options["use_ssl"]
    assert mailers_from_url("smtps://mail.example.org")["default"]["OPTIONS"]["port"] == 465


def test_an_unknown_email_scheme_is_refused():
    with pytest.raises(ValueError, match="EMAIL_URL"):
        mailers_from_url("http://mail.example.org")
