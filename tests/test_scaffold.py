"""`new ID` starts a review whose every file is explained, and which passes `check` once filled in."""

from __future__ import annotations

import re
from pathlib import Path

from reviewsite.cli import main
from reviewsite.importers.scaffold import TEMPLATES
from reviewsite.load.schema import RECORD_FILES, Record

FIXTURES = Path(__file__).parent / "fixtures" / "import"
REVIEW = "example-new-review"

# What a maintainer would type into each placeholder, by file and key (first empty value on that line).
FILL = {
    "article.yaml": [("title", "Example review of widget therapy"), ("title", "Example journal of medicine"),
                     ("iso_abbreviation", "Example J Med"), ("published", "2020-03"), ("-", "Review"),
                     ("- family", "Müller"), ("- id", "publisher"), ("name", "Example publisher's page"),
                     ("url", "https://example.org/articles/example.1")],
    "abstract.yaml": [("sources", "publisher"), ("- text", "An invented abstract.")],
    "erratum.yaml": [("- citation", "Example J Med. 2020 Jun;12(6):300"), ("sources", "publisher")],
    "references.yaml": [("complete", None), ("- citation", "Example J Med. 2016 May 15;8(2):54-64"),
                        ("sources", "publisher")],
}
SUMMARY_FILL = [("bottom_line", "An invented bottom line."), ("- text", "An invented point."),
                ("- abstract", "1.1"), ("- name", "Ann Example"), ("written", "2024-03-02"),
                ("competing_interests", "none declared"), ("source", "publisher"), ("date", "2024-03-01")]


def fill(folder: Path, plan: dict | None = None) -> None:
    for name, values in (plan or FILL).items():
        lines = (folder / name).read_text(encoding="utf-8").splitlines()
        for key, value in values:
            index = next(i for i, line in enumerate(lines)
                         if line.lstrip().startswith(key) and not line.lstrip().startswith("#") and '""' in line)
            # `complete` is a flag: written bare, as the editors' schema expects a boolean.
            lines[index] = lines[index].replace('""', "false" if value is None else f'"{value}"', 1)
        (folder / name).write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_new_writes_every_record_file_with_the_editor_schema_first(project, capsys):
    assert main(["new", REVIEW], root=project.root) == 0
    folder = project.records_dir / REVIEW
    # summary.yaml is the maintainers' own writing: `new` does not start one unasked.
    assert sorted(p.name for p in folder.iterdir()) == sorted(set(RECORD_FILES) - {"summary.yaml"})
    for name in set(RECORD_FILES) - {"summary.yaml"}:
        first = (folder / name).read_text(encoding="utf-8").splitlines()[0]
        assert first == f"# yaml-language-server: $schema=../../schema/{name.replace('.yaml', '.schema.json')}"
    assert f"records/{REVIEW}/" in capsys.readouterr().out


def test_an_unfilled_review_is_a_draft_whose_every_placeholder_check_names(project, capsys):
    assert main(["new", REVIEW], root=project.root) == 0
    capsys.readouterr()
    assert main(["check"], root=project.root) == 0  # a draft's problems do not fail `check`...
    assert "Drafts (left out of `build`" in capsys.readouterr().err
    assert main(["check", "--strict"], root=project.root) == 1  # ...unless --strict
    err = capsys.readouterr().err
    for where in ("article.yaml:8:8: error: title", "journal.iso_abbreviation", "publication_types[0]",
                  "authors[0].family", "sources[0].url", "abstract.yaml", "erratum.yaml", "references.yaml"):
        assert where in err


def test_a_filled_in_review_passes_check_and_builds(project, capsys):
    assert main(["new", REVIEW], root=project.root) == 0
    fill(project.records_dir / REVIEW)
    capsys.readouterr()
    assert main(["check"], root=project.root) == 0, capsys.readouterr().err
    assert "2 review(s) checked" in capsys.readouterr().out
    assert main(["generate"], root=project.root) == 0


def test_new_summary_adds_an_empty_summary_that_check_refuses_until_filled(project, capsys):
    assert main(["new", REVIEW], root=project.root) == 0
    fill(project.records_dir / REVIEW)
    assert main(["new", REVIEW, "--summary"], root=project.root) == 0
    summary = project.records_dir / REVIEW / "summary.yaml"
    assert summary.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=../../schema/summary")
    capsys.readouterr()
    # `new` scaffolds a draft: a draft's problems fail `check` only with --strict
    assert main(["check", "--strict"], root=project.root) == 1
    err = capsys.readouterr().err
    for where in ("summary.yaml:6:14: error: bottom_line", "key_points[0].text", "written_by[0].name",
                  "competing_interests", "source_version.source"):
        assert where in err
    fill(project.records_dir / REVIEW, {"summary.yaml": SUMMARY_FILL})
    assert main(["check", "--strict"], root=project.root) == 0, capsys.readouterr().err
    assert main(["new", REVIEW, "--summary"], root=project.root) == 1  # never over a written summary
    assert "already exists" in capsys.readouterr().err


def test_every_schema_field_is_explained_in_the_scaffold():
    def fields(model: type[Record], prefix: str = "") -> set[str]:
        names = set()
        for name, info in model.model_fields.items():
            names.add(name)
            for inner in getattr(info.annotation, "__args__", ()) or (info.annotation,):
                if isinstance(inner, type) and issubclass(inner, Record):
                    names |= fields(inner)
        return names

    for filename, (model, _) in RECORD_FILES.items():
        written = set(re.findall(r"^[#\s-]*([a-z_]+):", TEMPLATES[filename], flags=re.MULTILINE))
        assert fields(model) <= written, f"{filename} lacks {sorted(fields(model) - written)}"
        # Each field line says what the field is, in a comment beside it.
        for line in TEMPLATES[filename].splitlines()[1:]:
            if re.match(r"^[#\s-]*[a-z_]+:", line) and line.split(":", 1)[0].strip("# -") != "text":
                assert "#" in line.split(":", 1)[1] or line.lstrip().startswith("#"), line


def test_new_refuses_an_existing_review_and_a_bad_id(project, capsys):
    assert main(["new", "ferrari-lacraz-2011"], root=project.root) == 1
    assert "already exists" in capsys.readouterr().err
    assert main(["new", "Not_An_Id"], root=project.root) == 1
    assert "cannot be a review id" in capsys.readouterr().err
    # A collection page's address (reviews/all/) is not free for a review.
    assert main(["new", "all"], root=project.root) == 1
    assert "collection's own pages" in capsys.readouterr().err
    assert not (project.root / "records" / "all").exists()


def test_imports_fill_a_new_review(project, capsys):
    """new, then the review's PubMed record and its cited works: every placeholder is filled, check passes."""
    assert main(["new", REVIEW], root=project.root) == 0
    assert main(["import", str(FIXTURES / "review-article.nbib"), "--review", REVIEW], root=project.root) == 0
    out = capsys.readouterr().out
    assert f"records/{REVIEW}/references.yaml: removed the empty template from `new`" in out
    assert main(["import", str(FIXTURES / "cited-works.nbib"), "--review", REVIEW], root=project.root) == 0
    capsys.readouterr()
    assert main(["check"], root=project.root) == 0, capsys.readouterr().err
    article = (project.records_dir / REVIEW / "article.yaml").read_text(encoding="utf-8")
    assert not [line for line in article.splitlines() if '""' in line.split("#")[0]]
    assert "# the article's title, exactly as the source writes it" in article
