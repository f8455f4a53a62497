"""French typography on every page: no line starts with « ? ! : ; » or a closing guillemet,
no reference is broken across lines — and nothing that is not text is touched."""

import pytest

from maillage.core.typography import NBSP, french
from tests.factories import raise_test_need


def test_punctuation_keeps_to_its_word_and_guillemets_to_their_words():
    assert french("<p>Votre besoin ? C'est noté ! Motif : « Reçu » ; merci</p>") == (
        f"<p>Votre besoin{NBSP}? C'est noté{NBSP}! Motif{NBSP}: «{NBSP}Reçu{NBSP}»{NBSP}; merci</p>"
    )


def test_a_reference_is_kept_whole_and_only_once():
    assert french("<a href='/b/1/'>B-2026-00301 — Impôts</a>") == (
        "<a href='/b/1/'><span class=\"ref\">B-2026-00301</span> — Impôts</a>"
    )
    already = '<span class="ref">B-2026-00301</span>'
    assert french(already) == already
    assert french("XB-2026-00301 B-2026-003011") == "XB-2026-00301 B-2026-003011"


@pytest.mark.parametrize(
    "untouched",
    [
        '<input value="Heure : 10 ?" placeholder="B-2026-00301">',
        '<div hx-headers=\'{"a": "b > c ?"}\' data-x="« x »">',
        "<script>if (a ? b : c) {}</script>",
        "<textarea name=d>Mon texte : tel quel ?</textarea>",
        "<pre>clé : valeur</pre>",
        "<!-- commentaire : ici ? -->",
        "<style>a:hover { color: red; }</style>",
    ],
)
def test_nothing_but_text_is_touched(untouched):
    assert french(untouched) == untouched


def test_a_title_and_an_option_get_the_spaces_but_no_markup():
    assert (
        french("<title>B-2026-00301 : impôts</title>")
        == f"<title>B-2026-00301{NBSP}: impôts</title>"
    )
    assert (
        french('<option value="x">Moi : oui</option>')
        == f'<option value="x">Moi{NBSP}: oui</option>'
    )


def test_every_french_page_has_it_and_english_pages_do_not(client, facilitator, db):
    need = raise_test_need(description="Comment faire ma déclaration ? Je n'ai pas d'ordinateur.")
    client.force_login(facilitator)
    page = client.get(need.get_absolute_url()).content.decode()
    assert f"déclaration{NBSP}? Je" in page
    assert f'<span class="ref">{need.reference}</span>' in page
    client.cookies["django_language"] = "en"
    english = client.get(need.get_absolute_url()).content.decode()
    assert "déclaration ? Je" in english and NBSP + "?" not in english
