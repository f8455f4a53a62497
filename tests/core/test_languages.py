"""Each language is named in itself: who needs English does not read « Anglais »."""

import pytest


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_language_menu_names_each_language_in_itself(client, db, language):
    client.cookies["django_language"] = language
    page = client.get("/").content.decode()
    assert '<option value="fr" lang="fr"' in page and ">Français</option>" in page
    assert '<option value="en" lang="en"' in page and ">English</option>" in page
    assert "Anglais" not in page and "French<" not in page
