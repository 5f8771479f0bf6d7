"""Any text at all: the importers either read it or say where it is wrong; MEDLINE values survive wrapping."""

from __future__ import annotations

import textwrap
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reviewsite.importers import medline
from reviewsite.importers.detect import detect_format
from reviewsite.importers.model import ImportFailed
from reviewsite.importers.run import PARSER_MODULES

FIXTURES = Path(__file__).parent / "fixtures" / "import"


def _parse(text: str, file_format: str):
    from importlib import import_module

    return import_module(f"reviewsite.importers.{PARSER_MODULES[file_format]}").parse(text, "any.txt")


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400))
def test_any_text_is_read_or_refused_with_a_line(text):
    for file_format in PARSER_MODULES:
        try:
            _parse(text, file_format)
        except ImportFailed as exc:
            assert exc.line >= 0 and exc.message
    try:
        detect_format(text, Path("any.txt"))
    except ImportFailed:
        pass


@settings(max_examples=200)
@given(st.lists(st.sampled_from([line for name in ("review-article.nbib", "cited-works.nbib", "cited-works.ris",
                                                     "cited-works.bib", "cited-works.json")
                                  for line in (FIXTURES / name).read_text(encoding="utf-8").splitlines()]),
                max_size=40))
def test_shuffled_lines_of_real_exports_are_read_or_refused(lines):
    text = "\n".join(lines) + "\n"
    for file_format in PARSER_MODULES:
        try:
            _parse(text, file_format)
        except ImportFailed:
            pass


_WORDS = st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp", "Zs")), min_size=1,
                 max_size=12)


@given(st.lists(_WORDS, min_size=1, max_size=40), st.integers(min_value=20, max_value=90))
def test_a_title_wrapped_onto_continuation_lines_reads_back_whole(words, width):
    title = " ".join(words)
    lines = textwrap.wrap(title, width, break_long_words=False, break_on_hyphens=False)
    text = "PMID- 99000050\nTI  - " + "\n      ".join(lines) + "\n"
    (work,) = medline.parse(text, "t.nbib").works
    assert work.title == title
