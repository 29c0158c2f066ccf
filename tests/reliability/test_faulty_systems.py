"""Faulty systems inside a run: reported clearly, retried, outputs kept, resumable.

``tests/test_run_cli.py`` runs command systems that raise, hang, miscount, answer
non-text or invalid UTF-8 through the CLI; these add the python kind, a system failing
10% of its batches under ``--retries`` and ``--max-failures``, 10 MB answers and a
program killed by a signal, and resuming a partial run. ``benchmarks/fault_runs.py
--only faults`` runs the whole matrix through the CLI (figures in RELIABILITY.md).
"""

from __future__ import annotations

import json
import sys
import textwrap
import uuid
from pathlib import Path

import pytest
from runkit import make_dataset

from evalkit.errors import SystemError_
from evalkit.run import RunOptions, execute

#: Fails the first attempt of the batches whose first id hashes to 0 mod 10.
FLAKY = """
import zlib
seen = set()

def translate(requests):
    first = requests[0].id
    if zlib.crc32(first.encode()) % 10 == 0 and first not in seen:
        seen.add(first)
        raise RuntimeError("transient failure on " + first)
    return [r.text.upper() for r in requests]
"""


PYTHON_TABLE = 'kind = "python"\ncallable = "MODULE:translate"\nbatch_size = 1\n'


def project(tmp_path: Path, module: str, table: str) -> tuple[Path, str]:
    """A folder with the small dataset, ``module`` as a unique module, one system ``s``."""
    name = f"faulty_{uuid.uuid4().hex[:8]}"
    (tmp_path / f"{name}.py").write_text(textwrap.dedent(module), encoding="utf-8")
    make_dataset(tmp_path)
    (tmp_path / "evalkit.toml").write_text(
        "[systems.s]\n" + table.replace("MODULE", name), encoding="utf-8"
    )
    return tmp_path, name


def run(folder: Path, **options):
    defaults = {
        "dataset": str(folder / "papers.jsonl"),
        "results": str(folder / "results"),
        "metrics": ["chrf"],
        "n_resamples": 0,
        "reports": False,
        "progress": False,
        "cwd": str(folder),
    }
    return execute(RunOptions(system="s", **{**defaults, **options}))


def outputs_on_disk(folder: Path) -> list[dict]:
    (path,) = (folder / "results" / "runs").glob("*/outputs.jsonl")
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def flaky_ids(folder: Path, batch_size: int) -> list[str]:
    import zlib

    from evalkit import dataset as ds

    ids = [e.id for e in ds.build_examples(ds.load(str(folder / "papers.jsonl")))]
    firsts = ids[::batch_size]
    return [i for i in firsts if zlib.crc32(i.encode()) % 10 == 0]


def test_a_system_failing_some_batches(tmp_path, capsys):
    folder, _ = project(tmp_path, FLAKY, PYTHON_TABLE)
    failing = flaky_ids(folder, 1)
    assert 1 <= len(failing) <= 5  # about 10% of the 18 batches
    # --max-failures 0: stops at the first failure with one line; what was answered stays
    with pytest.raises(SystemError_) as info:
        run(folder)
    message = str(info.value)
    assert "\n" not in message and "'s'" in message and "more than --max-failures 0" in message
    assert f"transient failure on {failing[0]}" in capsys.readouterr().err
    kept = outputs_on_disk(folder)
    assert kept and all(r["output"] == r["output"].upper() for r in kept)
    # the same command again with retries: resumes and completes
    result = run(folder, retries=2)
    assert result.record.status == "complete" and len(result.segments) == 18
    assert result.runner.from_run == len(kept)


@pytest.mark.parametrize("tolerated", [0, 1])
def test_max_failures_decides_and_a_rerun_fills_the_gaps(tmp_path, tolerated):
    folder, _ = project(tmp_path, FLAKY, PYTHON_TABLE)
    failing = flaky_ids(folder, 1)
    if tolerated == 0:  # one fewer than the failures: the run stops at the last one
        with pytest.raises(SystemError_, match=f"more than --max-failures {len(failing) - 1}"):
            run(folder, max_failures=len(failing) - 1)
        return
    result = run(folder, max_failures=len(failing))
    assert result.record.status == "partial"
    assert [list(f.ids) for f in result.failures] == [[i] for i in failing]
    assert len(result.segments) == 18 - len(failing)
    # the same command again asks only for what failed
    again = run(folder, max_failures=len(failing))
    assert again.record.status == "complete" and again.failures == []
    assert again.runner.calls == len(failing) and again.runner.from_run == 18 - len(failing)


HUGE = """
def translate(requests):
    return ["x" * 10_000_000 if "abstract" in r.id else r.text for r in requests]
"""


def test_ten_megabyte_answers_fail_their_batch_and_the_rest_is_kept(tmp_path):
    folder, _ = project(
        tmp_path, HUGE, 'kind = "python"\ncallable = "MODULE:translate"\nbatch_size = 1\n'
    )
    result = run(folder, max_failures=100, fields=["title", "abstract"])
    errors = [f.error for f in result.failures]
    assert len(errors) == 6 and all("10,000,000 characters" in e for e in errors)
    assert all("over max_output_chars=100,000" in e and "/abstract/" in e for e in errors)
    assert {s.field for s in result.segments} == {"title"} and len(result.segments) == 6
    assert all(len(r["output"]) < 1000 for r in outputs_on_disk(folder))


DIES = """
import json, os, signal, sys
reqs = [json.loads(line) for line in sys.stdin]
if any("summary" in r["id"] for r in reqs):
    sys.stdout.write(json.dumps({"id": reqs[0]["id"], "output": "half"})[:20])  # torn
    sys.stdout.flush()
    sys.stderr.write("fatal: segfault in the decoder\\n")
    sys.stderr.flush()
    os.kill(os.getpid(), signal.SIGKILL)
for r in reqs:
    print(json.dumps({"id": r["id"], "output": r["text"][::-1]}))
"""


def test_a_program_killed_by_a_signal(tmp_path):
    folder, name = project(
        tmp_path,
        DIES,
        f'kind = "command"\ncommand = {json.dumps([sys.executable, "MODULE.py"])}\n'
        "batch_size = 1\n",
    )
    result = run(folder, max_failures=6, retries=1)
    errors = [f.error for f in result.failures]
    assert len(errors) == 6
    assert all("killed by signal 9" in e and "segfault in the decoder" in e for e in errors)
    assert result.record.status == "partial"
    assert {s.field for s in result.segments} == {"title", "abstract"}
    assert "half" not in {r["output"] for r in outputs_on_disk(folder)}


HANGS = """
import time

def translate(requests):
    if any("summary" in r.id for r in requests):
        time.sleep(3600)
    return [r.text for r in requests]
"""


def test_a_python_system_hanging_past_its_timeout(tmp_path):
    folder, _ = project(
        tmp_path,
        HANGS,
        'kind = "python"\ncallable = "MODULE:translate"\nbatch_size = 1\ntimeout = 0.3\n',
    )
    result = run(folder, max_failures=6)
    errors = [f.error for f in result.failures]
    assert len(errors) == 6 and all("no answer within timeout=0.3s" in e for e in errors)
    assert len(result.segments) == 12
