"""A page's text as its reader reads it: entities decoded, French typography's no-break spaces
read as spaces, a reference's unbreakable wrapper gone. For assertions on words; the typography
itself is asserted in tests/core/test_typography.py."""

import html
import re

from maillage.core.typography import NBSP

REFERENCE_WRAPPER = re.compile(r'<span class="ref">([^<]*)</span>')


def read(page) -> str:
    """PAGE (a response or its text) as read."""
    text = page if isinstance(page, str) else page.content.decode()
    return html.unescape(REFERENCE_WRAPPER.sub(r"\1", text)).replace(NBSP, " ")
