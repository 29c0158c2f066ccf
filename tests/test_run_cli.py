"""``evalkit run`` end to end through the command line, one system kind at a time."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import REPO, run_cli
from runkit import ECHO_SCRIPT, calls, make_dataset, read_run, run_dirs, toml_system, write_script

from evalkit.runfiles import RUN_KEYS


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    """A project folder with the small dataset and an echo translator."""
    make_dataset(tmp_path)
    write_script(tmp_path, "translate.py", ECHO_SCRIPT)
    return tmp_path


def evalkit_run(project: Path, *args: str, env: dict[str, str] | None = None, reports=False):
    """``evalkit run`` on the small dataset (reports only when asked: they take a while)."""
    extra = () if reports or "--no-report" in args else ("--no-report",)
    return run_cli("run", "--dataset", "papers.jsonl", *args, *extra, cwd=project, env=env)


def configure(project: Path, *tables: str) -> None:
    (project / "evalkit.toml").write_text("".join(tables), encoding="utf-8")


def scores(meta: dict) -> dict[tuple, float]:
    return {
        (s["week"], s["task"], s["pair"], s["field"], s["metric"]): s["score"]
        for s in meta["scores"]
    }


def all_files_parse(results: Path) -> None:
    for path in results.rglob("*"):
        if path.suffix == ".json":
            assert "schema_version" in json.loads(path.read_text(encoding="utf-8"))
        elif path.suffix == ".jsonl":
            for line in path.read_text(encoding="utf-8").splitlines():
                json.loads(line)


def test_reference_scores_bleu_100_with_every_slice(project):
    proc = evalkit_run(project, "--system", "reference", reports=True)
    assert proc.returncode == 0, proc.stderr
    meta, segments = read_run(project / "results")
    assert set(RUN_KEYS) <= set(meta)
    assert meta["status"] == "complete" and meta["failures"] == []
    assert meta["system"]["name"] == "reference" and meta["dataset"]["papers"] == 6
    assert len(segments) == meta["examples"]["count"] == 18
    assert all(s["output"] == s["reference"] for s in segments)
    bleu = {k: v for k, v in scores(meta).items() if k[-1] == "bleu"}
    expected = {
        (w, "translation", p, f, "bleu")
        for w, p in [
            ("2023-W41", "en-ko"),
            ("2023-W42", "en-ja"),
            ("all", "en-ko"),
            ("all", "en-ja"),
        ]
        for f in ("title", "summary", "abstract")
    }
    assert set(bleu) == expected
    assert all(v == pytest.approx(100.0) for v in bleu.values())
    first = meta["scores"][0]
    assert first["ci95"] is not None and first["signature"]
    assert set(meta["metrics"]) == {"bleu", "chrf", "ter", "target_script", "length_ratio"}
    assert set(meta["metrics"]["bleu"]) == {"ko", "ja"}
    # the per-week table on stdout
    assert "2023-W41" in proc.stdout and "bleu" in proc.stdout and "100.00" in proc.stdout
    # reports of the run and the index of runs
    (run_dir,) = run_dirs(project / "results")
    assert (run_dir / "report.html").is_file() and (project / "results" / "index.html").is_file()
    all_files_parse(project / "results")


def test_copy_source_scores_low_target_script(project):
    proc = evalkit_run(project, "--system", "copy-source", "--metrics", "target_script", "bleu")
    assert proc.returncode == 0, proc.stderr
    meta, segments = read_run(project / "results")
    script = [s["score"] for s in meta["scores"] if s["metric"] == "target_script"]
    assert script and max(script) < 0.2
    assert all("copy_of_source" in s["flags"] for s in segments)


def test_lead_runs_summarization_by_default(project):
    proc = evalkit_run(project, "--system", "lead")
    assert proc.returncode == 0, proc.stderr
    meta, segments = read_run(project / "results")
    assert meta["selection"]["tasks"] == ["summarization"]
    assert {s["task"] for s in segments} == {"summarization"}
    assert {s["pair"] for s in segments} == {"en-en", "ko-ko", "ja-ja", "en-ko", "en-ja"}
    assert "rougeL" in meta["metrics"]
    assert "summarization" in proc.stdout


def test_command_system_cached_rerun_calls_it_zero_times(project):
    configure(
        project,
        toml_system("mt", kind="command", command=[sys.executable, "translate.py"], batch_size=4),
    )
    first = evalkit_run(project, "--system", "mt", "--pairs", "en-ko")
    assert first.returncode == 0, first.stderr
    assert calls(project) == 3  # 9 examples in batches of 4
    meta, segments = read_run(project / "results")
    assert all(s["output"] == s["source"].upper() for s in segments)
    # the same command again: the run is complete and every output cached
    again = evalkit_run(project, "--system", "mt", "--pairs", "en-ko")
    assert again.returncode == 0 and calls(project) == 3
    assert scores(read_run(project / "results")[0]) == scores(meta)
    # another run id (other metrics) over the same system: answered from the cache
    other = evalkit_run(project, "--system", "mt", "--pairs", "en-ko", "--metrics", "bleu")
    assert other.returncode == 0 and calls(project) == 3 and "9 from cache" in other.stderr
    # changing the translator changes its version: it is asked again
    (project / "translate.py").write_text(ECHO_SCRIPT + "# v2\n", encoding="utf-8")
    changed = evalkit_run(project, "--system", "mt", "--pairs", "en-ko", "--metrics", "bleu")
    assert changed.returncode == 0 and calls(project) == 6


def test_python_and_outputs_kinds(project):
    (project / "mymt.py").write_text(
        "def translate(requests):\n    return [r.text[::-1] for r in requests]\n", encoding="utf-8"
    )
    outputs = project / "gpu-outputs.jsonl"
    configure(
        project,
        toml_system("py", kind="python", callable="mymt:translate"),
        toml_system("ext", kind="outputs", path="gpu-outputs.jsonl"),
    )
    assert evalkit_run(project, "--system", "py", "--no-report").returncode == 0
    _, segments = read_run(project / "results")
    assert all(s["output"] == s["source"][::-1] for s in segments)
    outputs.write_text(
        "".join(json.dumps({"id": s["id"], "output": s["reference"]}) + "\n" for s in segments)
    )
    proc = evalkit_run(project, "--system", "ext", "--results", "r2", "--metrics", "bleu")
    assert proc.returncode == 0, proc.stderr
    meta, _ = read_run(project / "r2")
    assert meta["scores"] and all(s["score"] == pytest.approx(100.0) for s in meta["scores"])
    assert not (project / "r2" / "cache").exists()


def test_openai_kind_against_a_loopback_server_never_writes_the_key(project):
    from chat_server import ChatServer

    secret = "sk-sentinel-4f9a8b7c6d5e"
    with ChatServer() as server:
        server.script = {"Ring Attention": [429, 500]}
        configure(
            project,
            toml_system(
                "qwen",
                kind="openai",
                base_url=server.base_url,
                model="qwen",
                api_key_env="EVALKIT_SENTINEL_KEY",
                max_concurrency=4,
                backoff=0.01,
            ),
        )
        proc = evalkit_run(
            project, "--system", "qwen", env={"EVALKIT_SENTINEL_KEY": secret}, reports=True
        )
    assert proc.returncode == 0, proc.stderr
    assert server.auth and set(server.auth) == {f"Bearer {secret}"}
    assert server.attempts["Ring Attention"] == 4  # 429, 500, 200; then the same title of week 42
    meta, segments = read_run(project / "results")
    assert meta["system"]["api_key_env"] == "EVALKIT_SENTINEL_KEY"
    assert all(s["output"] == s["source"].splitlines()[-1][::-1] for s in segments)
    for path in project.rglob("*"):
        if path.is_file():
            assert secret.encode() not in path.read_bytes(), path
    assert secret not in proc.stdout + proc.stderr


FAILING = {
    "raises": "import sys\nsys.stdin.read()\nraise RuntimeError('translator crashed')\n",
    "hangs": "import time\ntime.sleep(60)\n",
    "wrong-count": (
        "import json, sys\nfor l in list(sys.stdin)[1:]:\n    print(json.dumps({'output': 'x'}))\n"
    ),
    "non-text": (
        "import json, sys\nfor l in sys.stdin:\n"
        "    print(json.dumps({'id': json.loads(l)['id'], 'output': [1]}))\n"
    ),
    "bad-utf8": "import sys\nsys.stdin.read()\nsys.stdout.buffer.write(b'\\xff\\n')\n",
}
EXPECTED = {
    "raises": "RuntimeError: translator crashed",
    "hangs": "timeout=2s",
    "wrong-count": "answered 2 lines for 3 requests",
    "non-text": "list, not text",
    "bad-utf8": "not valid UTF-8",
}


@pytest.mark.parametrize("kind", sorted(FAILING))
def test_failing_system_one_clear_message_and_kept_outputs(project, kind):
    # the first batch (3 titles of week 41) answers; the second fails
    body = (
        "import json, os, sys\n"
        "flag = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'started')\n"
        "if not os.path.exists(flag):\n"
        "    open(flag, 'w').close()\n"
        "    for l in sys.stdin:\n"
        "        print(json.dumps({'id': json.loads(l)['id'], 'output': 'ok'}))\n"
        "    sys.exit(0)\n"
    ) + FAILING[kind]
    write_script(project, "bad.py", body)
    configure(
        project,
        toml_system(
            "bad",
            kind="command",
            command=[sys.executable, "bad.py"],
            batch_size=3,
            timeout=2 if kind == "hangs" else 60,
        ),
    )
    proc = evalkit_run(project, "--system", "bad", "--pairs", "en-ko")
    assert proc.returncode == 2
    errors = [line for line in proc.stderr.splitlines() if "error:" in line]
    assert len(errors) == 1 and "more than --max-failures 0" in errors[0]
    detail = [line for line in proc.stderr.splitlines() if EXPECTED[kind] in line]
    assert detail and "'bad'" in detail[0] and "2023-W41-" in detail[0]
    (run_dir,) = run_dirs(project / "results")
    kept = (run_dir / "outputs.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(kept) == 3 and not (run_dir / "run.json").exists()
    # going on past the failure: a partial run with the failure recorded
    tolerant = evalkit_run(project, "--system", "bad", "--pairs", "en-ko", "--max-failures", "5")
    assert tolerant.returncode == 0, tolerant.stderr
    meta, segments = read_run(project / "results")
    assert meta["status"] == "partial" and meta["failures"]
    assert EXPECTED[kind] in meta["failures"][0]["error"]
    assert len(segments) == 3


def test_system_names_cannot_escape_the_results_folder(project):
    configure(project, toml_system("../../x", kind="lead"))
    before = set(project.parent.iterdir())
    proc = evalkit_run(project, "--system", "../../x", "--no-report")
    assert proc.returncode == 0, proc.stderr
    (run_dir,) = run_dirs(project / "results")
    assert run_dir.parent == project / "results" / "runs" and run_dir.name.startswith("x-")
    assert set(project.parent.iterdir()) == before
    unknown = evalkit_run(project, "--system", "/tmp/evil")
    assert unknown.returncode == 2 and "unknown system" in unknown.stderr


def test_unknown_system_lists_and_suggests(project):
    proc = evalkit_run(project, "--system", "refrence")
    assert proc.returncode == 2
    assert "did you mean 'reference'" in proc.stderr and "copy-source" in proc.stderr
    assert not (project / "results").exists()


def test_kill_and_resume_ends_with_identical_scores(project):
    configure(
        project,
        toml_system("slow", kind="command", command=[sys.executable, "translate.py"], batch_size=2),
    )
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""),
        "SLOW": "0.2",
    }
    argv = [
        sys.executable,
        "-m",
        "evalkit",
        "run",
        "--system",
        "slow",
        "--dataset",
        "papers.jsonl",
        "--no-report",
    ]
    proc = subprocess.Popen(
        argv, cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    outputs = project / "results" / "runs"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        files = list(outputs.glob("*/outputs.jsonl"))
        if files and len(files[0].read_text(encoding="utf-8").splitlines()) >= 4:
            break
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    (run_dir,) = run_dirs(project / "results")
    done = len((run_dir / "outputs.jsonl").read_text(encoding="utf-8").splitlines())
    assert 4 <= done < 18 and not (run_dir / "run.json").exists()
    started = calls(project)

    resumed = run_cli(*argv[3:], cwd=project, env={"SLOW": "0"})
    assert resumed.returncode == 0, resumed.stderr
    assert calls(project) - started <= (18 - done + 1) // 2 + 1
    meta, _ = read_run(project / "results")
    fresh = run_cli(*argv[3:], "--results", "fresh", "--no-cache", cwd=project, env={"SLOW": "0"})
    assert fresh.returncode == 0, fresh.stderr
    assert scores(meta) == scores(read_run(project / "fresh")[0])
    all_files_parse(project / "results")


def test_the_example_translator_runs_as_documented(project):
    import shutil

    for name in ("translate.py", "evalkit.toml"):
        shutil.copy(REPO / "examples" / name, project / name)
    text = (project / "evalkit.toml").read_text(encoding="utf-8")
    (project / "evalkit.toml").write_text(
        text.replace('"python"', json.dumps(sys.executable)), encoding="utf-8"
    )
    proc = evalkit_run(
        project, "--system", "mytranslator", "--fields", "title", "--metrics", "target_script"
    )
    assert proc.returncode == 0, proc.stderr
    _, segments = read_run(project / "results")
    assert len(segments) == 6 and all(s["output"] == s["source"] for s in segments)


def test_unwritable_results_folder_is_one_clear_error(project):
    (project / "results").write_text("not a folder", encoding="utf-8")
    proc = evalkit_run(project, "--system", "reference")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "cannot create the run folder" in proc.stderr and "results" in proc.stderr


def test_quickstart_reference_on_the_bundled_digests(tmp_path):
    proc = run_cli("run", "--system", "reference", "--no-report", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    meta, segments = read_run(tmp_path / "results")
    assert meta["dataset"]["source"] == "bundled" and meta["dataset"]["papers"] >= 30
    assert {"2023-W36", "2023-W41", "2024-W42"} <= {s["week"] for s in segments}
    assert {s["pair"] for s in segments} == {"en-ko", "en-ja"}
    bleu = [s["score"] for s in meta["scores"] if s["metric"] == "bleu"]
    assert bleu and all(b == pytest.approx(100.0) for b in bleu)
    assert "2024-W42" in proc.stdout


# -- nothing silently lost, nothing silently wrong ----------------------------------


def _write_outputs(project: Path, keep: int) -> list[str]:
    """An outputs file answering the first ``keep`` examples of the small dataset."""
    from evalkit import dataset as ds

    ids = [e.id for e in ds.build_examples(ds.load(str(project / "papers.jsonl")))]
    lines = [json.dumps({"id": i, "output": f"output of {i}"}) for i in ids[:keep]]
    (project / "outs.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    configure(project, toml_system("file", kind="outputs", path="outs.jsonl"))
    return ids


def test_an_outputs_file_with_some_ids_keeps_them_and_every_count_agrees(project):
    ids = _write_outputs(project, 6)
    missing = len(ids) - 6
    stop = evalkit_run(project, "--system", "file")
    assert stop.returncode == 2
    (error,) = [line for line in stop.stderr.splitlines() if "error:" in line]
    assert f"{missing} of {len(ids)} example(s) failed in 1 batch(es)" in error
    assert f"6 of {len(ids)} outputs kept" in error
    assert f"failed on {missing} example(s)" in stop.stderr
    tolerant = evalkit_run(project, "--system", "file", "--max-failures", "1")
    assert tolerant.returncode == 0, tolerant.stderr
    assert f"{missing} of {len(ids)} example(s) failed" in tolerant.stderr
    assert "evalkit run: 6 segments" in tolerant.stderr
    meta, segments = read_run(project / "results")
    assert sorted(s["id"] for s in segments) == sorted(ids[:6])
    assert sorted(i for f in meta["failures"] for i in f["ids"]) == sorted(ids[6:])
    assert all(f"failed on {len(f['ids'])} example(s)" in f["error"] for f in meta["failures"])
    (run_dir,) = run_dirs(project / "results")
    save = run_cli("baseline", "save", str(run_dir), "--to", "b.json", cwd=project)
    assert save.returncode == 2 and f"({missing} examples failed)" in save.stderr


def test_a_translator_that_answers_some_lines_then_dies_keeps_them(project):
    write_script(
        project,
        "dies.py",
        """
        import json, sys
        reqs = [json.loads(line) for line in sys.stdin]
        for r in reqs[:2]:
            print(json.dumps({"id": r["id"], "output": r["text"].upper()}), flush=True)
        if len(reqs) > 2:
            sys.stderr.write("out of memory\\n")
            sys.exit(3)
        """,
    )
    configure(
        project,
        toml_system("dies", kind="command", command=[sys.executable, "dies.py"], batch_size=3),
    )
    proc = evalkit_run(project, "--system", "dies", "--pairs", "en-ko", "--max-failures", "9")
    assert proc.returncode == 0, proc.stderr
    meta, segments = read_run(project / "results")
    failed = [i for f in meta["failures"] for i in f["ids"]]
    assert len(segments) == 6 and len(failed) == 3 and meta["status"] == "partial"
    assert all("exited with status 3" in f["error"] for f in meta["failures"])
    assert "3 of 9 example(s) failed in 3 batch(es)" in proc.stderr
    # again with a retry: asks for the three (answers two), then for the last one alone
    again = evalkit_run(
        project, "--system", "dies", "--pairs", "en-ko", "--max-failures", "9", "--retries", "1"
    )
    assert again.returncode == 0 and "2 system call(s), 0 from cache, 6 resumed" in again.stderr
    meta, segments = read_run(project / "results")
    assert meta["status"] == "complete" and len(segments) == 9


def test_a_run_that_scores_nothing_fails_whatever_max_failures_allows(project):
    write_script(project, "crash.py", "import sys\nsys.exit(1)\n")
    configure(project, toml_system("crash", kind="command", command=[sys.executable, "crash.py"]))
    proc = evalkit_run(project, "--system", "crash", "--max-failures", "100")
    assert proc.returncode == 2
    (error,) = [line for line in proc.stderr.splitlines() if "error:" in line]
    assert "nothing scored, 18 of 18 example(s) failed" in error
    meta, segments = read_run(project / "results")  # the failures are on record
    assert segments == [] and len([i for f in meta["failures"] for i in f["ids"]]) == 18


def test_a_rerun_keeps_the_created_time(project):
    assert evalkit_run(project, "--system", "reference").returncode == 0
    (run_dir,) = run_dirs(project / "results")
    meta = json.loads((run_dir / "run.json").read_text())
    meta["created"] = "2020-01-01T00:00:00Z"
    (run_dir / "run.json").write_text(json.dumps(meta))
    assert evalkit_run(project, "--system", "reference").returncode == 0
    assert json.loads((run_dir / "run.json").read_text())["created"] == "2020-01-01T00:00:00Z"


@pytest.mark.parametrize("value", ["-1", "-5", str(2**63)])
def test_a_seed_out_of_range_is_one_line(project, value):
    proc = evalkit_run(project, "--system", "reference", "--seed", value)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert proc.stderr.count("\n") == 1 and f"--seed {value}" in proc.stderr


def test_a_malformed_run_json_is_skipped_by_the_index_with_a_warning(project):
    assert evalkit_run(project, "--system", "reference", reports=True).returncode == 0
    (broken,) = run_dirs(project / "results")
    meta = json.loads((broken / "run.json").read_text())
    del meta["scores"][0]["week"]
    (broken / "run.json").write_text(json.dumps(meta))
    proc = evalkit_run(project, "--system", "copy-source", reports=True)
    assert proc.returncode == 0, proc.stderr
    assert f"{broken.name}/run.json: scores[0]: missing key 'week'" in proc.stderr
    assert "warning: skipping a run in the index" in proc.stderr
    index = (project / "results" / "index.md").read_text(encoding="utf-8")
    assert f"unreadable: {broken.name}" in index and "copy-source" in index
