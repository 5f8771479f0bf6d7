"""The reader's in-line path for plain scalars gives exactly what its general path gives: the same data, the same
positions of every key and value, the same problems, for any text (valid YAML or not, traps included)."""

from __future__ import annotations

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from reviewsite.load import reader

_WORDS = st.sampled_from(["title", "doi", "authors", "family", "<<", "a", "b", "Titel", "2011", "x y"])
_DATA = st.recursive(_WORDS | st.text(max_size=8),
                     lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_WORDS, inner, max_size=4),
                     max_leaves=25)
# Snippets that make a line a trap or a mistake: a tag, an anchor or alias, a merge key, a tab, a second document.
_SNIPPETS = st.sampled_from(["!!str ", "!tag ", "&a ", "*a", "<<: ", "\t", "---\n", "- ", ": ", '"', "  "])


@st.composite
def _texts(draw) -> str:
    text = yaml.safe_dump(draw(_DATA), default_flow_style=draw(st.booleans()), allow_unicode=True)
    lines = text.splitlines(keepends=True)
    for _ in range(draw(st.integers(0, 3))):  # a copied line (a duplicate key) or a snippet, somewhere
        at = draw(st.integers(0, len(lines)))
        if lines and draw(st.booleans()):
            lines.insert(at, lines[draw(st.integers(0, len(lines) - 1))])
        else:
            line = lines[at] if at < len(lines) else ""
            cut = draw(st.integers(0, len(line)))
            lines[at:at + 1] = [line[:cut] + draw(_SNIPPETS) + line[cut:]]
    return "".join(lines)


def _read(path, general_only: bool):
    scalar = reader._SCALAR
    if general_only:
        reader._SCALAR = type("NoEvent", (), {})  # the in-line path never applies
    try:
        record, problems = reader.read_record_file(path, "article.yaml")
    finally:
        reader._SCALAR = scalar
    return record.data, record.value_positions, record.key_positions, problems


@settings(max_examples=300, deadline=None)
@given(_texts())
def test_in_line_path_is_the_general_path(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("fast") / "article.yaml"
    path.write_text(text, encoding="utf-8")
    assert _read(path, False) == _read(path, True)
