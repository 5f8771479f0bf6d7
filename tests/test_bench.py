"""A smoke run of the build benchmark at N=2: it builds, and reports a no-change rebuild that writes nothing.

Speed targets are read from the benchmark's printed table, not asserted here (benchmarks/RESULTS.md).
"""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT, import_benchmark


def test_the_benchmark_runs_and_a_rebuild_with_nothing_changed_writes_no_file():
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "build_bench.py"), "--sizes", "2", "--no-serve"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    rows = {line.split("|")[2].strip(): [cell.strip() for cell in line.split("|")[1:-1]]
            for line in done.stdout.splitlines() if line.startswith("| 2 |")}
    assert set(rows) == {"cold", "edited", "again"}
    header = [cell.strip() for cell in done.stdout.splitlines()[0].split("|")[1:-1]]
    written = header.index("files written")
    assert int(rows["cold"][written]) > 0
    assert 0 < int(rows["edited"][written]) < int(rows["cold"][written])
    assert rows["again"][written] == "0"


def test_the_synthetic_records_are_valid_and_share_some_cited_works(tmp_path):
    build_bench = import_benchmark()
    from reviewsite.load.records import load_collection

    root = build_bench.make_project(tmp_path / "bench", 3)
    result = load_collection(root / "records", root)
    assert not result.errors, [p.format() for p in result.errors]
    assert [len(r.reference_list) for r in result.reviews] == [100, 100, 100]
    dois = [{ref.doi for ref in r.reference_list} for r in result.reviews]
    assert dois[0] & dois[1] and all(d.startswith("10.5555/bench.") for d in dois[0])
