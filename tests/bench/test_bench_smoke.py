"""The benchmark harness: a quick run on tiny sizes writes well-formed results.

No assertion here is about speed (that is what the benchmarks measure); they check
that every benchmark runs, records medians and ratios, and finds evalkit's numbers
identical to the reference tools'.
"""

from __future__ import annotations

import json
import sys

import pytest
from helpers import REPO, run_cli

if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from benchmarks import harness, report, suite  # noqa: E402

EXACT = ("", "bool")


@pytest.mark.slow
def test_quick_run_writes_well_formed_results(tmp_path):
    res = run_cli("bench", "--quick", "--out", str(tmp_path), timeout=900)
    assert res.returncode == 0, res.stderr[-3000:]
    data = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    assert data["schema_version"] == 1 and data["kind"] == "benchmarks"
    assert data["quick"] is True and data["repeat"] == 1
    m = data["machine"]
    assert m["cores"] >= 1 and m["python"].count(".") == 2 and m["cpu_model"]
    assert m["libraries"]["sacrebleu"] and m["libraries"]["rouge-score"]
    assert list(data["benchmarks"]) == sorted(suite.BENCHMARKS)
    for name, bench in data["benchmarks"].items():
        assert "error" not in bench, (name, bench.get("error"))
        assert bench["title"] and bench["seconds"] >= 0
        medians = [t["median_s"] for t in _timings(bench)]
        assert medians and all(x > 0 for x in medians), name
        for t in _timings(bench):
            assert t["median_s"] in t["runs_s"] or len(t["runs_s"]) % 2 == 0
        for c in bench["checks"]:
            assert set(c) == {"name", "measured", "op", "threshold", "unit", "met"}
            if c["unit"] in EXACT:  # exactness holds at any size
                assert c["met"], (name, c)
    checked = {n for n, b in data["benchmarks"].items() if b["checks"]}
    assert checked == set(suite.BENCHMARKS) - {"costs"}
    costs = data["benchmarks"]["costs"]["figures"]["seconds_per_1000"]
    assert set(costs) == {"en", "ko", "ja"} and all(
        v > 0 for c in costs.values() for v in c.values()
    )
    md = (tmp_path / "RESULTS.md").read_text(encoding="utf-8")
    assert "QUICK" in md and "## Targets" in md
    for name in suite.BENCHMARKS:
        assert f"\n## {name}: " in md


def _timings(bench):
    for value in bench["timings"].values():
        if "median_s" in value:
            yield value
        else:  # nested per language (costs)
            yield from value.values()


def test_list_and_unknown_names():
    res = run_cli("bench", "--list")
    assert res.returncode == 0
    assert [ln.split()[0] for ln in res.stdout.splitlines()] == list(suite.BENCHMARKS)
    res = run_cli("bench", "--only", "rouge", "slicez")
    assert res.returncode == 2
    assert res.stderr.strip().count("\n") == 0 and "slicez" in res.stderr and "slices" in res.stderr


def test_measure_interleaves_and_keeps_every_run():
    calls = []
    t = harness.measure(
        {"a": lambda: calls.append("a"), "b": lambda: calls.append("b")},
        repeat=3,
        warmup=1,
        setup=lambda: calls.append("setup"),
    )
    assert calls == ["setup", "a", "setup", "b"] * 4
    assert len(t["a"].wall) == len(t["b"].cpu) == len(t["a"].other_load) == 3
    assert t["a"].median == sorted(t["a"].wall)[1]


def test_run_command_reports_time_memory_and_failures():
    res = harness.run_command(
        [
            sys.executable,
            "-c",
            "b = bytearray(60 * 2**20); import time; time.sleep(0.3); print('ok')",
        ],
        sample_memory=True,
    )
    assert res.stdout.strip() == "ok" and res.wall >= 0.3
    assert res.maxrss_kb >= 60 * 1024 and res.tree_peak_rss_kb >= 60 * 1024
    with pytest.raises(RuntimeError, match="exited 3: boom"):
        harness.run_command(
            [sys.executable, "-c", "import sys; print('boom', file=sys.stderr); sys.exit(3)"]
        )


def test_checks_and_report_show_a_missed_target():
    assert harness.check("x", 2.0, ">=", 1.6)["met"]
    assert not harness.check("x", 1.2, ">=", 1.6)["met"]
    assert not harness.check("x", 1.5, "<", 1.5, "GB")["met"]
    results = {
        "quick": False,
        "repeat": 3,
        "created": "2024-01-01T00:00:00+00:00",
        "evalkit_version": "0",
        "git_revision": "abc",
        "total_seconds": 1.0,
        "load_average_before": [0.0, 0.0, 0.0],
        "load_average_after": [0.0, 0.0, 0.0],
        "machine": harness.machine(),
        "benchmarks": {
            "pool": {
                "title": "pool",
                "size": {"segments": 10},
                "timings": {"jobs_1": harness.Timing([2.0], [2.0], [1.0]).to_dict()},
                "figures": {"speedup": 1.2},
                "checks": [harness.check("speedup", 1.2, ">=", 1.6)],
                "notes": ["the second core was busy"],
                "seconds": 3.0,
                "load_average_1min_before": 1.0,
            }
        },
    }
    md = report.render(results)
    assert "| pool | speedup | >= 1.6x | 1.2x | **no** |" in md
    assert "the second core was busy" in md
