"""Every file evalkit reads back about a run, mutated: one line naming the file, or a result.

A mutation replaces one value anywhere in a record (a key path drawn from the record
itself) with a value of another type, a non-finite number or nothing, deletes a key, or
garbles a whole line. The command that reads the file must then exit 0 (the file is still
valid) or 2 with one line naming the file; never a traceback, and never a change to
another run's files.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import math
import shutil
from pathlib import Path
from typing import Any

from helpers import REPO
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from evalkit.cli import main

FIXTURE = REPO / "tests" / "data" / "results-0.1.0"
LEAD = "lead-7e6ee43b9e"
LEAD_RUN = ["--system", "lead", "--weeks", "2023-W36", "2023-W41", "--pairs", "en-en", "en-ko"]

VALUES = [
    None,
    "abc",
    -1,
    0,
    2.5,
    1e308,
    math.nan,
    math.inf,
    -math.inf,
    [],
    {},
    True,
    [math.inf, None],
    ["x"],
    {"a": 1},
    "../../x",
    5,
]


def paths(obj: Any, prefix: tuple = ()) -> list[tuple]:
    """Every key path inside a JSON value."""
    out = [prefix]
    if isinstance(obj, dict):
        for k, v in obj.items():
            out += paths(v, (*prefix, k))
    elif isinstance(obj, list):
        for i, v in enumerate(obj[:4]):  # a few items of each list are enough
            out += paths(v, (*prefix, i))
    return out


def mutate(obj: Any, path: tuple, action: str, value: Any) -> Any:
    if not path:
        return value if action == "set" else "not an object"
    parent = obj
    for key in path[:-1]:
        parent = parent[key]
    if action == "delete" and isinstance(parent, dict):
        del parent[path[-1]]
    elif action == "delete":
        parent.pop(path[-1])
    else:
        parent[path[-1]] = value
    return obj


def snapshot(root: Path, skip: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and skip not in p.parents
    }


@st.composite
def mutations(draw) -> tuple[str, int | None, tuple, str, Any]:
    name = draw(st.sampled_from(["run.json", "segments.jsonl", "outputs.jsonl"]))
    text = (FIXTURE / "runs" / LEAD / name).read_text(encoding="utf-8")
    if name == "run.json":
        line, record = None, json.loads(text)
    else:
        lines = text.splitlines()
        line = draw(st.integers(0, len(lines) - 1))
        record = json.loads(lines[line])
    path = draw(st.sampled_from(paths(record)))
    action = draw(st.sampled_from(["set", "set", "set", "delete", "garble"]))
    return name, line, path, action, draw(st.sampled_from(VALUES))


def apply(run_dir: Path, name: str, line: int | None, path: tuple, action: str, value) -> None:
    target = run_dir / name
    if name == "run.json":
        if action == "garble":
            target.write_text(target.read_text()[: len(target.read_text()) // 2])
            return
        target.write_text(json.dumps(mutate(json.loads(target.read_text()), path, action, value)))
        return
    lines = target.read_text(encoding="utf-8").splitlines()
    if action == "garble":
        lines[line] = lines[line][: len(lines[line]) // 2] + "\x00"
    else:
        lines[line] = json.dumps(mutate(json.loads(lines[line]), path, action, value))
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")


def cli(*args: str) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(list(args))  # a traceback here fails the test
    return code, err.getvalue()


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(mutation=mutations(), reader=st.sampled_from(["baseline", "baseline", "check", "report"]))
def test_a_mutated_run_file_is_one_line_naming_it(tmp_path_factory, mutation, reader):
    name, line, path, action, value = mutation
    results = tmp_path_factory.mktemp("fuzz") / "results"
    shutil.copytree(FIXTURE, results)
    run_dir = results / "runs" / LEAD
    apply(run_dir, name, line, path, action, value)
    others = snapshot(results, run_dir)
    if name == "outputs.jsonl":  # read back when the run resumes
        code, err = cli(
            "run", *LEAD_RUN, "--resamples", "100", "--no-report", "--results", str(results)
        )
    elif reader == "check":  # 1: the mutation made a regression
        code, err = cli(
            "check", "--baseline", str(results / "baselines" / "lead.json"), "--run", str(run_dir)
        )
    elif reader == "report":
        code, err = cli("report", str(run_dir))
    else:
        code, err = cli("baseline", "save", str(run_dir), "--to", str(results.parent / "b.json"))
    assert code in ((0, 1, 2) if reader == "check" else (0, 2)), err
    event(f"{name}: exit {code}")
    event(f"{reader}: exit {code}")
    if code == 2:
        errors = [x for x in err.splitlines() if x.startswith("evalkit") and "error" in x]
        assert len(errors) == 1, err
        # the file; or the run, when the file is valid but the run cannot be used
        # (a partial run for a baseline, a run lacking the baseline's statistics)
        assert str(run_dir) in errors[0], err
        if f"{run_dir / name}:" in errors[0] and line is not None:
            assert f":{line + 1}: " in errors[0] or f"line {line + 1} " in errors[0], err
        event(f"{name}: file named" if str(run_dir / name) in errors[0] else "run named")
    assert snapshot(results, run_dir) == others
