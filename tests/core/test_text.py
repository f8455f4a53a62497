from hypothesis import given
from hypothesis import strategies as st

from maillage.core.text import fold, search_document, search_terms


def test_fold_strips_accents_and_case():
    assert fold("Écologie À l'ÉTANG") == "ecologie a l'etang"


def test_search_terms_split_on_punctuation_and_drop_duplicates():
    assert search_terms("Numérique, numérique ; l'accès!") == ["numerique", "l", "acces"]


@given(st.text())
def test_every_term_of_a_text_is_found_in_its_search_document(text):
    document = search_document(text)
    assert all(term in document for term in search_terms(text))
