"""The YAML reader: values stay the text written, traps become located problems, quickly and in bounded memory."""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reviewsite.load import reader
from reviewsite.load.reader import read_record_file


def read(tmp_path: Path, content: str | bytes):
    path = tmp_path / "record.yaml"
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return read_record_file(path, "record.yaml")


def only_problem(tmp_path: Path, content: str | bytes):
    record, problems = read(tmp_path, content)
    assert len(problems) == 1, [p.format() for p in problems]
    return problems[0]


@pytest.mark.parametrize(("line", "value"), [
    ("doi: 10.1000/x", "10.1000/x"),
    ("pmid: 012345", "012345"),
    ("volume: 022", "022"),
    ("issue: 1e3", "1e3"),
    ("country: NO", "NO"),
    ("flag: yes", "yes"),
    ("published: 2011-02-03", "2011-02-03"),
    ("published: 2011-02", "2011-02"),
    ("pages: 1-10", "1-10"),
    ("time: 12:30", "12:30"),
    ("octal: 0o17", "0o17"),
    ("hex: 0x1F", "0x1F"),
    ("infinity: .inf", ".inf"),
    ("nothing: null", "null"),
    ("tilde: ~", "~"),
    ("empty:", ""),
    ("version: 1.10", "1.10"),
])
def test_implicit_typing_never_changes_a_value(tmp_path, line, value):
    record, problems = read(tmp_path, line + "\n")
    assert problems == []
    assert list(record.data.values()) == [value]


def test_every_value_and_key_has_its_position(tmp_path):
    record, problems = read(tmp_path, "a:\n  b: [x, {c: d}]\n  e:\n    - f\n")
    assert problems == []
    assert record.data == {"a": {"b": ["x", {"c": "d"}], "e": ["f"]}}
    assert record.value_positions[("a", "b", 1, "c")] == (2, 14)
    assert record.value_positions[("a", "e", 0)] == (4, 7)
    assert record.key_positions[("a", "e")] == (3, 3)


def test_crlf_line_ends_give_the_same_data_and_positions(tmp_path):
    unix, _ = read(tmp_path, "a: b\nc:\n  - d\n")
    windows, problems = read(tmp_path, "a: b\r\nc:\r\n  - d\r\n")
    assert problems == []
    assert windows.data == unix.data
    assert windows.value_positions == unix.value_positions
    assert windows.source_line(3) == "  - d"


def test_a_byte_order_mark_is_dropped(tmp_path):
    record, problems = read(tmp_path, b"\xef\xbb\xbfa: b\n")
    assert problems == []
    assert record.data == {"a": "b"}
    assert record.value_positions[("a",)] == (1, 4)


def test_invalid_utf8_is_located(tmp_path):
    problem = only_problem(tmp_path, b"a: b\nc: caf\xe9\n")
    assert (problem.line, problem.column, problem.message) == (2, 7, "invalid UTF-8 (byte 0xe9)")


@pytest.mark.parametrize("content", ["", "\n\n", "# nothing\n", "---\n", "---\n...\n"])
def test_an_empty_file_is_one_clear_problem(tmp_path, content):
    assert only_problem(tmp_path, content).message == "file is empty"


def test_a_raw_control_character_is_located(tmp_path):
    problem = only_problem(tmp_path, "a: b\nc: d\x07e\n")
    assert (problem.line, problem.column) == (2, 5)
    assert problem.message == "the character U+0007 is not allowed in YAML"


def test_tabs_in_indentation_are_located(tmp_path):
    problem = only_problem(tmp_path, "a:\n  b: c\n\td: e\n")
    assert (problem.line, problem.column, problem.message) == (3, 1, "tab character used for indentation")


def test_a_tab_inside_a_quoted_value_is_kept(tmp_path):
    record, problems = read(tmp_path, 'a: "b\tc"\n')
    assert problems == []
    assert record.data == {"a": "b\tc"}


def test_every_duplicate_key_names_both_lines(tmp_path):
    record, problems = read(tmp_path, "a: 1\nb:\n  c: 2\n  c: 3\na: 4\n")
    assert [(p.line, p.field_path, p.message) for p in sorted(problems)] == [
        (4, "b.c", "duplicate key 'c' (first given on line 3)"),
        (5, "a", "duplicate key 'a' (first given on line 1)"),
    ]


BILLION_LAUGHS = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


def test_billion_laughs_is_refused_fast_in_bounded_memory(tmp_path):
    tracemalloc.start()
    started = time.perf_counter()
    problem = only_problem(tmp_path, BILLION_LAUGHS)
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert (problem.line, problem.column, problem.field_path) == (2, 8, "b[0]")
    assert "anchors and aliases (&name, *name) are not allowed" in problem.message
    assert elapsed < 0.5
    assert peak < 5_000_000


def test_a_huge_file_is_refused_without_parsing(tmp_path):
    big = "notes:\n" + '  - "' + "x" * 100 + '"\n'
    content = big * (10_000_000 // len(big))
    content += "#" * (10_000_000 - len(content) - 1) + "\n"  # exactly 10 MB
    started = time.perf_counter()
    problem = only_problem(tmp_path, content)
    assert time.perf_counter() - started < 1
    assert problem.message.startswith("file is 10,000,000 bytes")
    assert problem.message.endswith(f"a record file may hold at most {reader.MAX_FILE_BYTES:,}")


def test_a_large_valid_file_is_read_within_seconds(tmp_path):
    item = '  - citation: "Example J. 2001;1(1):1-9"\n    sources: ["example"]\n'
    content = "references:\n" + item * (1_900_000 // len(item))
    started = time.perf_counter()
    record, problems = read(tmp_path, content)
    assert problems == []
    assert len(record.data["references"]) > 20_000
    assert time.perf_counter() - started < 5


@pytest.mark.parametrize("content", [
    "a: " + "[" * 100_000 + "]" * 100_000 + "\n",
    "a: " + "{b: " * 50_000 + "c" + "}" * 50_000 + "\n",
    "a:\n" + "- " * 100_000 + "x\n",
    "".join(" " * depth + f"k{depth}:\n" for depth in range(1500)) + " " * 1500 + "x\n",
], ids=["flow-lists", "flow-mappings", "block-lists", "block-mappings"])
def test_deep_nesting_is_refused_without_exhausting_the_stack(tmp_path, content):
    started = time.perf_counter()
    problem = only_problem(tmp_path, content)
    assert time.perf_counter() - started < 2
    assert problem.message == f"data nested more than {reader.MAX_DEPTH} levels deep"
    assert problem.line >= 1


def test_nesting_is_refused_where_it_passes_the_limit(tmp_path):
    problem = only_problem(tmp_path, "a: " + "[" * 500 + "]" * 500 + "\n")
    assert (problem.line, problem.column) == (1, 3 + reader.MAX_DEPTH)


def test_nesting_up_to_the_limit_is_fine(tmp_path):
    record, problems = read(tmp_path, "a: " + "[" * (reader.MAX_DEPTH - 1) + "]" * (reader.MAX_DEPTH - 1) + "\n")
    assert problems == []


def test_the_pure_python_parser_behaves_the_same(tmp_path, monkeypatch):
    import yaml

    monkeypatch.setattr(reader, "_Loader", yaml.BaseLoader)
    problem = only_problem(tmp_path, "a:\n" + "- " * 5000 + "x\n")
    assert problem.message == f"data nested more than {reader.MAX_DEPTH} levels deep"
    record, problems = read(tmp_path, "pmid: 012345\nc: [d, {e: f}]\n")
    assert problems == [] and record.data == {"pmid": "012345", "c": ["d", {"e": "f"}]}


def test_long_lines_are_shown_around_the_mistake(tmp_path):
    problem = only_problem(tmp_path, "a: " + "x" * 5000 + ": b\n")
    text = problem.format()
    shown, caret = text.splitlines()[-2:]
    assert len(shown) < 120
    assert shown[caret.index("^")] == ":"


def test_an_unreadable_file_is_a_problem_not_a_crash(tmp_path, monkeypatch):
    path = tmp_path / "record.yaml"
    path.write_text("a: b\n")

    def refuse(self):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_bytes", refuse)
    record, problems = read_record_file(path, "record.yaml")
    assert [p.format() for p in problems] == [
        "record.yaml: error: cannot read the file: Permission denied\n"
        "    fix: check that it exists and that you may read it"]


YAML_PIECES = ["a: b\n", "- x\n", "  ", "\t", ": ", "&a ", "*a", "!!int ", "? ", "[", "]", "{", "}", ",", '"', "'",
               "\\", "#", "---\n", "...\n", "<<: ", "|\n", ">\n", "%YAML 1.1\n", "\r\n", "\ufeff", "\x00", "\u2028"]


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.one_of(st.binary(max_size=200),
                 st.lists(st.one_of(st.sampled_from(YAML_PIECES), st.text(max_size=5)), max_size=30)
                 .map(lambda parts: "".join(parts).encode("utf-8", "surrogatepass"))))
def test_any_bytes_are_read_or_refused_with_a_place(tmp_path_factory, content):
    path = tmp_path_factory.getbasetemp() / "fuzz.yaml"
    path.write_bytes(content)
    record, problems = read_record_file(path, "fuzz.yaml")
    if problems:
        for problem in problems:
            assert problem.line >= 1 and problem.message
            problem.format()
    else:
        assert isinstance(record.data, dict)


def test_a_utf16_file_is_named_as_such(tmp_path):
    problem = only_problem(tmp_path, "a: b\n".encode("utf-16"))
    assert (problem.line, problem.message) == (1, "the file is saved as UTF-16, not UTF-8")
