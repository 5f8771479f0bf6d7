"""A build split into shards and merged is the one-job build, file for file (reviewsite/build/shards.py).

The proof at N=200 in 4 shards is `benchmarks/shard_bench.py --sizes 200 --shards 4`; here N=8 keeps it quick."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import ROOT, import_benchmark
from reviewsite.build.shards import ShardSpec, shard_of
from reviewsite.cli import main


def _files(site):
    return {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def _rendered_pages(monkeypatch) -> list[str]:
    import mkdocs.structure.pages as pages

    seen: list[str] = []
    original = pages.Page.render

    def render(self, config, files):
        seen.append(self.file.src_uri)
        return original(self, config, files)

    monkeypatch.setattr(pages.Page, "render", render)
    return seen


def _checkout(project, destination):
    """A fresh checkout of the same commit, as each CI job has: no docs/ pages, no caches, no site."""
    generated = {project / name for name in (".cache", "site")} | {project / "docs" / name for name in
                                                                   ("reviews", "index.md", "about.md")}
    shutil.copytree(project, destination, symlinks=True,
                    ignore=lambda folder, names: [n for n in names if Path(folder) / n in generated])
    return destination


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    build_bench = import_benchmark()
    root = build_bench.make_project(tmp_path_factory.mktemp("shards") / "p", 8)
    # The real review too: an erratum page, affiliations, notices; the synthetic ones share cited works.
    shutil.copytree(ROOT / "records" / "ferrari-lacraz-2011", root / "records" / "ferrari-lacraz-2011")
    return root


def test_a_review_keeps_its_shard_whatever_else_changes():
    assert shard_of("smith-2020", 4) == shard_of("smith-2020", 4)
    assert {shard_of(f"review-{i}", 4) for i in range(40)} == {0, 1, 2, 3}
    assert ShardSpec.parse("2/4") == ShardSpec(2, 4)
    for wrong in ("0/4", "5/4", "2", "a/b"):
        with pytest.raises(ValueError):
            ShardSpec.parse(wrong)


def test_four_shards_merged_are_the_one_job_build_file_for_file(project, tmp_path, monkeypatch):
    one = _checkout(project, tmp_path / "one")
    assert main(["build"], root=one) == 0
    shards = []
    for number in range(1, 5):
        job = _checkout(project, tmp_path / f"job{number}")
        out = tmp_path / f"shard{number}"
        assert main(["build", "--shard", f"{number}/4", "--shard-dir", str(out)], root=job) == 0
        shards.append(out)
    listed = [json.loads((out / "shard.json").read_text(encoding="utf-8"))["reviews"] for out in shards]
    assert sorted(sum(listed, [])) == sorted(p.name for p in (project / "records").iterdir())  # each review once
    merge = _checkout(project, tmp_path / "merge")
    rendered = _rendered_pages(monkeypatch)
    assert main(["build", "--merge", *map(str, shards)], root=merge) == 0
    # The merge converts and renders only the collection's own pages; every review page is the shard's.
    assert rendered and not [uri for uri in rendered if uri.count("/") >= 2]
    merged, whole = _files(merge / "site"), _files(one / "site")
    assert sorted(map(str, set(whole) ^ set(merged))) == []
    assert sorted(str(path) for path in whole if whole[path] != merged[path]) == []
    assert (merge / "site" / "pagefind" / "pagefind.js").is_file()


def test_a_merge_refuses_an_incomplete_or_foreign_set_of_shards(project, tmp_path, capsys):
    job = _checkout(project, tmp_path / "job")
    for number in (1, 2):
        assert main(["build", "--shard", f"{number}/2", "--shard-dir", str(tmp_path / f"s{number}")], root=job) == 0
    merge = _checkout(project, tmp_path / "merge")
    capsys.readouterr()
    assert main(["build", "--merge", str(tmp_path / "s1")], root=merge) == 1
    assert "a merge needs each of 1/2 … 2/2 once" in capsys.readouterr().err
    article = merge / "records" / "ferrari-lacraz-2011" / "article.yaml"
    article.write_text(article.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert main(["build", "--merge", str(tmp_path / "s1"), str(tmp_path / "s2")], root=merge) == 1
    assert "built from other records" in capsys.readouterr().err
    assert not (merge / "site").exists()
    assert main(["build", "--shard", "3/2"], root=merge) == 2


def test_a_job_of_a_build_split_in_four_holds_whole_search_shards():
    """Split into a divisor of the search's shard count, each job's reviews fill whole search bundles, so a job
    could index its own: both splits take one hash of the review id."""
    from reviewsite.build.shards import shard_of
    from reviewsite.search import shards as search
    jobs_of_search_shard: dict[int, set[int]] = {}
    for index in range(2000):
        review_id = f"review-{index}"
        jobs_of_search_shard.setdefault(search.shard_of(review_id), set()).add(shard_of(review_id, 4))
    assert len(jobs_of_search_shard) == search.SHARD_COUNT
    assert all(len(jobs) == 1 for jobs in jobs_of_search_shard.values())
