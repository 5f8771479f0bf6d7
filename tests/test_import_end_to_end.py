"""Done when: from a PubMed export of an article and an export of its cited works, two commands give a
valid new review that builds."""

from __future__ import annotations

from pathlib import Path

from reviewsite.cli import main

FIXTURES = Path(__file__).parent / "fixtures" / "import"
REVIEW = "example-widget-2020"


def test_two_imports_give_a_new_review_that_builds(project, capsys):
    assert main(["import", str(FIXTURES / "review-article.nbib"), "--review", REVIEW], root=project.root) == 0
    assert main(["import", str(FIXTURES / "cited-works.nbib"), "--review", REVIEW], root=project.root) == 0
    capsys.readouterr()
    assert main(["check"], root=project.root) == 0, capsys.readouterr().err
    assert "2 review(s) checked: all records are valid" in capsys.readouterr().out
    assert main(["build"], root=project.root) == 0, capsys.readouterr().err
    page = project.site_dir / "reviews" / REVIEW / "index.html"
    html = page.read_text(encoding="utf-8")
    assert "Example review of widget therapy in an imaginary disease" in html
    assert "Ørsted" in html and "Example Widget Study Group" in html
    references = (project.site_dir / "reviews" / REVIEW / "references" / "index.html").read_text(encoding="utf-8")
    for citation in ("Example J Med. 2016 May 15;8(2):54-64", "Imaginary Dis Rep. 2002 Oct;219(2):82-91",
                     "Example Consens Rev. 2019 Jan-Feb;40(1):1-9", "Example Open Med. 2021;5:e1234"):
        assert citation in references
    home = (project.site_dir / "index.html").read_text(encoding="utf-8")
    assert f"reviews/{REVIEW}/" in home
