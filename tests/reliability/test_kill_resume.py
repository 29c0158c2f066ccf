"""SIGKILL a run at a few points; the same command then finishes with identical scores.

``benchmarks/fault_runs.py --only kill`` does this 20 times at random moments on the
bundled digests (figures in RELIABILITY.md); here three kills at fixed fractions of an
uninterrupted run on a small dataset, through the same code.
"""

from __future__ import annotations

import fault_runs as fr
from runkit import make_dataset


def test_killed_runs_resume_to_identical_scores(tmp_path):
    project = fr.make_project(tmp_path / "project", batch_size=2)
    make_dataset(project)
    argv = ["run", "--system", "mt", "--dataset", "papers.jsonl", "--no-report"]
    env = fr.evalkit_env(SLOW="0.15")
    import time

    began = time.perf_counter()
    proc = fr.evalkit(*argv, "--results", "reference", cwd=project, env=env)
    duration = time.perf_counter() - began
    assert proc.returncode == 0, proc.stderr
    reference = fr.scores_of(project / "reference")
    assert reference is not None and reference[0]
    examples = len(reference[1].splitlines())

    phases = []
    for k, fraction in enumerate((0.35, 0.6, 0.85)):
        trial = fr.kill_trial(
            project,
            argv,
            project / f"trial-{k}",
            reference,
            kill_after=[fraction * duration] + ([0.5 * duration] if k == 2 else []),
            examples=examples,
            env=env,
        )
        assert trial["ok"], trial
        assert trial["resume_exit"] == 0 and trial["scores_identical"]
        assert trial["segments_identical"] and trial["unparsable_after"] == []
        phases += [kill["phase"] for kill in trial["kills"]]
        # the resumed run asks the system only for what the killed one had not kept
        assert trial["resume_system_calls"] <= (examples + 1) // 2
    assert "system" in phases  # at least one kill landed while the system was answering


def test_check_files_finds_a_torn_line_and_a_broken_json(tmp_path):
    (tmp_path / "a.jsonl").write_text('{"id": 1}\n{"id": 2', encoding="utf-8")
    assert fr.check_files(tmp_path, allow_torn_tail=True) == ([], 1)
    assert len(fr.check_files(tmp_path, allow_torn_tail=False)[0]) == 1
    (tmp_path / "run.json").write_text('{"schema_version": 1', encoding="utf-8")
    assert len(fr.check_files(tmp_path, allow_torn_tail=True)[0]) == 1
