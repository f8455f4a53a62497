"""Values a hostile or careless visitor sends: huge, negative, NUL, invalid UTF-8, far dates,
wrong types — and the real identifiers of the territory, so that requests also get deep."""

import json
from datetime import date

from hypothesis import strategies as st

HOSTILE = [
    "", " ", "0", "-1", "1.5", "abc", "9" * 30, "9" * 4301, "-" + "9" * 25, str(2**63),
    str(-(2**63) - 1), "1e309", "NaN", "inf", "9999-12-31", "0001-01-01", "9999-12-31T23:00",
    "9999-12-31 23:00", "0000-00-00", "2026-02-30", "2026-13-01", "23:59", "25:61", "\x00",
    "a\x00b", "<script>alert(1)</script>", "' OR 1=1 --", "../../etc/passwd", "%00", "%ff",
    "=HYPERLINK(\"http://x\")", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ✓ é", "x" * 5000, "true", "null", "[]", "{}",
    "on", "oui", "moi", "2026", "2026-10", "9999", "0001-01", "\r\n", "\t", " " * 300,
]  # fmt: skip

text = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(max_size=40),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)).map(date.isoformat),
)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats() | text,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(text, children, max_size=4),
    max_leaves=12,
)

CONTENT_TYPES = [
    "application/x-www-form-urlencoded", "multipart/form-data",
    "multipart/form-data; boundary=", "application/json", "text/plain", "application/xml",
    "application/x-www-form-urlencoded; charset=latin-1", "application/json; charset=utf-16",
    "garbage/\x00", "",
]  # fmt: skip

RAW_BODIES = [
    b"", b"\x00", b"\xff\xfe\xfd", b"a=%ff%fe", b"a=1&a=2&=&&", b'{"a":', b"[1,2",
    b'{"description": "x\\u0000"}', b"--x\r\nContent-Disposition: form-data\r\n\r\n",
    json.dumps({"description": "x" * 10_000}).encode(), b"\xef\xbb\xbf{}",
]  # fmt: skip

HEADERS = {
    "HTTP_ACCEPT_LANGUAGE": ["en", "xx", "fr;q=abc", "\x00", "*" * 500, "de-DE,en;q=0.5"],
    "HTTP_HX_REQUEST": ["true", "false", "\x00"],
    "HTTP_HX_TARGET": ["panel", "\x00", "x" * 300],
    "HTTP_X_FORWARDED_FOR": ["1.2.3.4", "garbage", "::1, 1.1.1.1", "\x00", "999.999.1.1"],
    "HTTP_X_FORWARDED_PROTO": ["https", "gopher"],
    "HTTP_AUTHORIZATION": ["Bearer ", "Bearer mlg_faux", "Basic eA==", "Bearer \x00"],
    "HTTP_IDEMPOTENCY_KEY": ["", "x" * 500, "\x00", "clé"],
    "HTTP_REFERER": ["javascript:alert(1)", "http://evil.example/", "\x00"],
    "HTTP_RANGE": ["bytes=0-1", "bytes=9999999999-"],
}  # fmt: skip

COOKIE_NAMES = ["sessionid", "csrftoken", "django_language", "atelier-1", "atelier-2",
                "maillage-navigateur", "messages"]  # fmt: skip

# One field changed at a time, by what its value looks like (the sweep).
SWEEP = {
    "date": ["9999-12-31", "0001-01-01", "2026-02-30", "abc"],
    "datetime": ["9999-12-31T23:00", "0001-01-01T00:00", "abc"],
    "time": ["25:61", "24:00", "abc"],
    "number": ["9" * 4301, "abc", "-1", str(2**63), "1.5"],
    "text": ["x" * 5000, "", "9" * 4301, "abc"],
}


def kind_of(value: str) -> str:
    """What a field's default value looks like."""
    import re

    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return "date"
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?", value):
        return "datetime"
    if re.fullmatch(r"\d{2}:\d{2}(:\d{2})?", value):
        return "time"
    if re.fullmatch(r"-?\d+", value):
        return "number"
    return "text"
