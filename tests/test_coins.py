"""COinS' percent-encoding is urllib's, byte for byte, for any text a record may hold."""

from urllib.parse import quote, urlencode

from hypothesis import given
from hypothesis import strategies as st

from reviewsite.cite.coins import percent_encoded

# Any text that UTF-8 can encode (records are read as UTF-8, so they hold no lone surrogates).
_TEXT = st.text(st.characters(exclude_categories=("Cs",)))


@given(_TEXT)
def test_percent_encoded_is_urllib_quote(text):
    assert percent_encoded(text) == quote(text, safe="")


@given(st.lists(st.tuples(_TEXT, _TEXT), max_size=5))
def test_pairs_join_as_urlencode(pairs):
    joined = "&".join(f"{percent_encoded(k)}={percent_encoded(v)}" for k, v in pairs)
    assert joined == urlencode(pairs, quote_via=quote, safe="")
