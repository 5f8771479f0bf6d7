"""The command line: its help, its exit codes, and what it prints."""

from __future__ import annotations

import pytest

from conftest import REVIEW_ID, ROOT
from reviewsite.cli import main


def test_help_explains_each_command(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    for command in ("check", "generate", "build", "serve", "schema", "test"):
        assert command in out


@pytest.mark.parametrize("command", ["check", "build", "serve"])
def test_each_command_has_its_own_help(command, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([command, "--help"])
    assert exit_info.value.code == 0
    assert "usage: build_site.py " + command in capsys.readouterr().out


@pytest.mark.parametrize("argv", [[], ["bild"], ["serve", "--port", "eighty"]])
def test_a_wrong_command_line_exits_2(argv, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    assert "usage:" in capsys.readouterr().err


def test_check_passes_on_the_shipped_records(capsys):
    shipped = sorted(p for p in (ROOT / "records").iterdir() if p.is_dir())
    assert main(["check"], root=ROOT) == 0
    assert f"{len(shipped)} review(s) checked: all records are valid" in capsys.readouterr().out


def test_check_lists_every_problem_with_its_place(project, capsys):
    article = project.records_dir / REVIEW_ID / "article.yaml"
    text = article.read_text(encoding="utf-8")
    text = text.replace('doi: "10.1007/s00198-010-1326-y"', 'doi: "https://doi.org/10.1007/s00198-010-1326-y"')
    text = text.replace('issn_print: "0937-941X"', 'issn_print: "0937-9410"')
    article.write_text(text, encoding="utf-8")
    assert main(["check"], root=project.root) == 1
    err = capsys.readouterr().err
    lines = text.splitlines()
    doi_line = next(i for i, line in enumerate(lines, 1) if line.startswith("doi:"))
    issn_line = next(i for i, line in enumerate(lines, 1) if "issn_print" in line)
    assert f"records/{REVIEW_ID}/article.yaml:{doi_line}:6: error: doi: write the bare DOI" in err
    assert f"records/{REVIEW_ID}/article.yaml:{issn_line}:15: error: journal.issn_print: ISSN check digit" in err
    # Problems come in line order, and the run says nothing was changed.
    assert err.index(f":{issn_line}:") < err.index(f":{doi_line}:")
    assert "2 error(s) found" in err


def test_options_after_test_go_to_pytest(monkeypatch, project):
    import pytest as pytest_module

    seen = []
    monkeypatch.setattr(pytest_module, "main", lambda args: seen.append(args) or 0)
    assert main(["test", "-q", "-k", "pages", "tests/test_pages.py"], root=project.root) == 0
    assert seen == [["-q", "-k", "pages", "tests/test_pages.py"]]
