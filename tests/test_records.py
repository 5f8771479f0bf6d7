"""Bad records: every mistake in the corpus gets exactly the error (file, line, message, fix) it names.

Each file in tests/fixtures/bad/ is one mistake (or a few) made on the synthetic review in
tests/fixtures/good/example-a/. Its header says what it shows and where it goes
(`# file: example-a/article.yaml`, relative to records/; a new folder starts as a copy of
example-a); its last lines list every problem it must produce, in order:
`# expect: <first line of the message>` followed by `#   fix: <the fix>` when there is one.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reviewsite.cli import main
from reviewsite.errors import Problem
from reviewsite.load.records import load_collection

FIXTURES = Path(__file__).parent / "fixtures"
GOOD = FIXTURES / "good" / "example-a"
BAD_CASES = sorted((FIXTURES / "bad").glob("*.yaml"))


def make_records(root: Path, target: str | None = None, content: bytes = b"", removes: tuple[str, ...] = ()) -> Path:
    """A project at `root` holding example-a, with `content` written to records/`target`."""
    records = root / "records"
    shutil.copytree(GOOD, records / "example-a")
    if target is not None:
        destination = records / target
        if destination.parent != records and not destination.parent.exists():
            shutil.copytree(GOOD, destination.parent)
        destination.write_bytes(content)
    for name in removes:
        (records / name).unlink()
    return records


def directives(raw: bytes) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {"file": [], "remove": [], "expect": []}
    for line in raw.decode("utf-8", "replace").lstrip("\ufeff").splitlines():
        for name in ("file", "remove", "expect"):
            if line.startswith(f"# {name}: "):
                found[name].append(line.split(": ", 1)[1])
        if line.startswith("#   fix: "):
            found["expect"][-1] += "\n    fix: " + line.split(": ", 1)[1]
    return found


def shown(problems: list[Problem]) -> list[str]:
    """Each problem's first line and its fix, as the maintainer reads them."""
    lines = []
    for problem in sorted(problems):
        text = problem.format().split("\n")[0]
        if problem.hint:
            text += "\n    fix: " + problem.hint
        lines.append(text)
    return lines


def test_the_good_example_is_valid(tmp_path):
    result = load_collection(make_records(tmp_path), tmp_path)
    assert [r.id for r in result.reviews] == ["example-a"]
    assert result.problems == []


def test_the_corpus_covers_many_kinds_of_mistake():
    assert len(BAD_CASES) >= 70


@pytest.mark.parametrize("case", BAD_CASES, ids=lambda p: p.stem)
def test_bad_record_gets_its_exact_error(case: Path, tmp_path):
    raw = case.read_bytes()
    wanted = directives(raw)
    assert wanted["file"] and wanted["expect"], f"{case.name} needs '# file:' and '# expect:' lines"
    records = make_records(tmp_path, wanted["file"][0], raw, tuple(wanted["remove"]))
    result = load_collection(records, tmp_path)
    assert shown(result.problems) == wanted["expect"]


def test_check_reports_every_problem_of_every_file_at_once(tmp_path, capsys):
    """Three broken files in two reviews: one run lists all of them, in file and line order, and exits 1."""
    records = make_records(tmp_path)
    for name in ("many_problems", "ref_doi_twice"):
        raw = (FIXTURES / "bad" / f"{name}.yaml").read_bytes()
        (records / directives(raw)["file"][0]).write_bytes(raw)
    shutil.copytree(GOOD, records / "example-b")
    (records / "example-b" / "erratum.yaml").write_bytes((FIXTURES / "bad" / "top_level_list.yaml").read_bytes())
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n")
    assert main(["check"], root=tmp_path) == 1
    err = capsys.readouterr().err
    heads = [line.split(": error")[0] for line in err.splitlines() if ": error: " in line]
    assert heads == [
        "records/example-a/article.yaml:3:1", "records/example-a/article.yaml:8:12",
        "records/example-a/article.yaml:13:6", "records/example-a/article.yaml:14:7",
        "records/example-a/article.yaml:21:12", "records/example-a/article.yaml:34:10",
        "records/example-a/references.yaml:16:10", "records/example-b/erratum.yaml:3:1",
    ]
    assert "    | doi: \"10.1234 example\"\n    |      ^" in err  # the offending line, marked
    assert "8 error(s) found; the site was not changed." in err
    assert "Traceback" not in err


def test_warnings_alone_do_not_fail_check(tmp_path, capsys):
    records = make_records(tmp_path)
    raw = (FIXTURES / "bad" / "affiliation_unused.yaml").read_bytes()
    (records / "example-a" / "article.yaml").write_bytes(raw)
    assert main(["check"], root=tmp_path) == 0
    captured = capsys.readouterr()
    assert "warning: affiliations[0].id: no author uses affiliation 'spare-unit'" in captured.err
    assert "(1 warning(s))" in captured.out


def test_an_affiliation_may_go_unused_when_the_author_list_is_incomplete(tmp_path):
    records = make_records(tmp_path)
    article = records / "example-a" / "article.yaml"
    text = (FIXTURES / "bad" / "affiliation_unused.yaml").read_text(encoding="utf-8")
    article.write_text(text.replace('language: "en"\n', 'language: "en"\nauthors_complete: false\n'),
                       encoding="utf-8")
    assert load_collection(records, tmp_path).problems == []


def test_a_reviews_without_a_doi_or_pmid_are_not_duplicates(tmp_path):
    records = make_records(tmp_path)
    shutil.copytree(GOOD, records / "example-b")
    for folder in ("example-a", "example-b"):
        article = records / folder / "article.yaml"
        text = article.read_text(encoding="utf-8")
        text = text.replace('doi: "10.1234/example.a"\n', "").replace('pmid: "1234501"\n', "")
        article.write_text(text, encoding="utf-8")
    result = load_collection(records, tmp_path)
    assert [r.id for r in result.reviews] == ["example-a", "example-b"]
    assert result.problems == []


def test_a_record_file_that_links_elsewhere_is_refused_unread(tmp_path, capsys):
    """A link in records/ (say, to ~/.ssh/id_rsa) must not put that file's lines into an error or a page."""
    secret = tmp_path / "secret.txt"
    secret.write_text("title: SECRET-LINE\n")
    records = make_records(tmp_path)
    erratum = records / "example-a" / "erratum.yaml"
    erratum.unlink()
    erratum.symlink_to(secret)
    (records / "example-a" / "notes.yaml").symlink_to(secret)
    shutil.copytree(GOOD, tmp_path / "elsewhere")
    (records / "example-b").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    result = load_collection(records, tmp_path)
    assert shown(result.problems) == [
        "records/example-a/erratum.yaml: error: a record file must be a real file, not a link"
        "\n    fix: replace the link with a copy of the record",
        "records/example-a/notes.yaml:1:1: error: unexpected file 'notes.yaml' in a review folder"
        "\n    fix: a review folder holds only abstract.yaml, article.yaml, erratum.yaml, references.yaml, "
        "summary.yaml",
        "records/example-b: error: a review folder must be a real folder, not a link"
        "\n    fix: move the review's files into records/ instead of linking to them",
    ]
    assert "SECRET" not in "".join(p.format() for p in result.problems)


@pytest.mark.parametrize(("value", "hint"), [
    ("reveiw", "did you mean 'review'?"), ("Erratum", "did you mean 'erratum'?"),
    ("zzz", "write one of: review, erratum, letter"),
])
def test_a_misspelt_value_from_a_closed_set_gets_a_did_you_mean(tmp_path, value, hint):
    """No field of today's schema is an enumeration but the flags; a new Literal field gets this for free."""
    from typing import Literal

    from reviewsite.load.reader import read_record_file
    from reviewsite.load.records import validate
    from reviewsite.load.schema import Record

    class Kinds(Record):
        kind: Literal["review", "erratum", "letter"]

    path = tmp_path / "kinds.yaml"
    path.write_text(f"# a comment\nkind: {value}\n")
    record_file, problems = read_record_file(path, "kinds.yaml")
    assert validate(record_file, Kinds, problems) is None
    assert shown(problems) == [f"kinds.yaml:2:7: error: kind: '{value}' is not one of the allowed values"
                               f"\n    fix: {hint}"]


FIELD_NAMES = ["title", "journal", "published", "authors", "family", "affiliations", "id", "name", "sources", "url",
               "doi", "pmid", "pages", "references", "citation", "complete", "errata", "sections", "text", "x"]
VALUES = st.recursive(
    st.one_of(st.sampled_from(["", "true", "2011-02", "435-46", "10.1234/x", "123", "https://example.org/",
                               "example-source", "example-unit"]), st.text(max_size=8)),
    lambda children: st.one_of(st.lists(children, max_size=4),
                               st.dictionaries(st.sampled_from(FIELD_NAMES), children, max_size=5)),
    max_leaves=25)


@settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(["article.yaml", "abstract.yaml", "erratum.yaml", "references.yaml"]),
       data=st.dictionaries(st.sampled_from(FIELD_NAMES), VALUES, max_size=8))
def test_any_structure_is_validated_or_refused_with_a_place(tmp_path_factory, name, data):
    """Whatever shape a record has, loading never raises and every problem says where it is."""
    from safety_support import dump_yaml

    root = tmp_path_factory.mktemp("fuzz")
    records = make_records(root, f"example-a/{name}", (dump_yaml(data) + "\n").encode("utf-8"))
    result = load_collection(records, root)
    for problem in result.problems:
        assert problem.file.startswith("records/example-a/") and problem.line >= 1, problem.format()
