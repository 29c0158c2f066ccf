"""Names, config values and configurations from an untrusted checkout.

Names from users or configs cannot write outside the results folder; command systems
never go through a shell and their config values stay literal; an ``evalkit.toml`` or
``[tool.evalkit]`` runs code only for the system named on the command line. (Reports
escape untrusted text: ``tests/report/test_report_run.py::test_untrusted_text_is_escaped``;
``--system ../../x``: ``tests/test_run_cli.py``; names with NUL bytes or paths:
``tests/systems/test_resolve.py`` and ``tests/test_runner.py``.)
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import uuid
from pathlib import Path

import fault_runs as fr
import pytest
from helpers import REPO
from runkit import make_dataset

RUN = ["run", "--dataset", "papers.jsonl", "--metrics", "chrf", "--resamples", "0"]


def evalkit(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``evalkit ARGS`` as the console script runs it: the current folder not on sys.path."""
    return subprocess.run(
        [sys.executable, "-P", "-m", "evalkit", *args],
        cwd=cwd,
        env=fr.evalkit_env(),
        capture_output=True,
        text=True,
        timeout=600,
    )


def tree(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


@pytest.mark.parametrize(
    "name", ["/tmp/evalkit-abs-name", "../../escape", "..", "a/../../b", "~/x", "C:\\x\\y"]
)
def test_config_system_names_stay_inside_results(tmp_path, name):
    project = tmp_path / "p"
    project.mkdir()
    make_dataset(project)
    (project / "evalkit.toml").write_text(
        f'[systems.{json.dumps(name)}]\nkind = "copy-source"\n', encoding="utf-8"
    )
    before = tree(tmp_path)
    proc = evalkit(*RUN, "--system", name, cwd=project)
    assert proc.returncode == 0, proc.stderr
    new = tree(tmp_path) - before
    assert new and all(n.startswith("p/results") for n in new), sorted(new)
    assert not Path("/tmp/evalkit-abs-name").exists()
    (run_dir,) = (project / "results" / "runs").iterdir()
    assert run_dir.parent == project / "results" / "runs"


@pytest.mark.parametrize("week", ["../../x", "/tmp/x", "2023-W41/../..", "a\tb"])
def test_week_labels_are_checked(tmp_path, week):
    make_dataset(tmp_path)
    proc = evalkit(*RUN, "--system", "reference", "--weeks", week, cwd=tmp_path)
    assert proc.returncode == 2 and "is not a safe name" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "results").exists()


def test_run_ids_in_a_tampered_run_json_stay_inside(tmp_path):
    """A committed run.json whose ids, pairs and weeks are path tricks."""
    make_dataset(tmp_path)
    assert evalkit(*RUN, "--system", "reference", cwd=tmp_path).returncode == 0
    (run_dir,) = (tmp_path / "results" / "runs").iterdir()
    meta = json.loads((run_dir / "run.json").read_text(encoding="utf-8"))
    marker = f"pwned-{uuid.uuid4().hex}"
    meta["run_id"] = f"../../../{marker}"
    for score in meta["scores"]:
        score["pair"] = f"../../../{marker}-" + score["pair"]
        score["metric"] = "../" + score["metric"]
    (run_dir / "run.json").write_text(json.dumps(meta), encoding="utf-8")
    before = tree(tmp_path)
    for args in (["report", str(run_dir)], ["report", "--index"]):
        proc = evalkit(*args, cwd=tmp_path)
        assert "Traceback" not in proc.stderr, proc.stderr
    new = tree(tmp_path) - before
    assert all(n.startswith("results/") for n in new), sorted(new)
    marked = list(tmp_path.parents[1].rglob(f"*{marker}*"))  # chart names, made safe
    assert marked and all(p.parent == run_dir / "charts" for p in marked)


SHELL_TRICKS = [
    "$(touch pwned1)",
    "; touch pwned2",
    "`touch pwned3`",
    "| touch pwned4",
    "&& touch pwned5",
    "$HOME",
    "~",
    "*",
    "'\"",
]
#: Answers with the arguments and one environment value it was given, to compare.
ECHO_ARGS = """
import json, os, sys
for line in sys.stdin:
    r = json.loads(line)
    out = json.dumps([sys.argv[1:], os.environ["TRICK"]])
    print(json.dumps({"id": r["id"], "output": out}))
"""


def test_command_config_values_are_never_shell_text(tmp_path):
    make_dataset(tmp_path)
    (tmp_path / "echo_args.py").write_text(ECHO_ARGS, encoding="utf-8")
    argv = [sys.executable, "echo_args.py", *SHELL_TRICKS]
    (tmp_path / "evalkit.toml").write_text(
        "[systems.mt]\n"
        'kind = "command"\n'
        f"command = {json.dumps(argv)}\n"
        f'env = {{ TRICK = "$(touch pwned6); `touch pwned7`" }}\n',
        encoding="utf-8",
    )
    proc = evalkit(*RUN, "--system", "mt", "--fields", "title", "--no-report", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    (run_dir,) = (tmp_path / "results" / "runs").iterdir()
    outputs = [
        json.loads(line)["output"]
        for line in (run_dir / "outputs.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    assert outputs and {o for o in outputs} == {
        json.dumps([SHELL_TRICKS, "$(touch pwned6); `touch pwned7`"])
    }
    assert not list(tmp_path.rglob("pwned*")) and not list(Path.cwd().glob("pwned*"))


def _calls(tree_: ast.AST) -> list[ast.Call]:
    return [n for n in ast.walk(tree_) if isinstance(n, ast.Call)]


def test_no_shell_anywhere_in_evalkit():
    """No ``shell=True``, ``os.system``, ``os.popen`` or string command lines in the code."""
    found = []
    for path in sorted((REPO / "evalkit").rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        for call in _calls(ast.parse(source)):
            func = ast.unparse(call.func)
            if func in ("os.system", "os.popen", "os.execl", "os.spawnl", "commands.getoutput"):
                found.append(f"{path.name}:{call.lineno}: {func}")
            for kw in call.keywords:
                if kw.arg == "shell" and not (
                    isinstance(kw.value, ast.Constant) and kw.value.value is False
                ):
                    found.append(f"{path.name}:{call.lineno}: shell=")
            text = (ast.Constant, ast.JoinedStr, ast.BinOp)
            if func.startswith("subprocess.") and call.args and isinstance(call.args[0], text):
                found.append(f"{path.name}:{call.lineno}: command line as text")
    assert found == []


EVIL_MODULE = "import pathlib\npathlib.Path(__file__).with_name('pwned-import').touch()\n"


def _hostile(folder: Path, pyproject: bool) -> None:
    make_dataset(folder)
    (folder / "evil_mod.py").write_text(
        EVIL_MODULE + "def f(requests):\n    return [r.text for r in requests]\n",
        encoding="utf-8",
    )
    prefix = "tool.evalkit.systems" if pyproject else "systems"
    tables = (
        f'[{prefix}.evil]\nkind = "python"\ncallable = "evil_mod:f"\n'
        f'[{prefix}.evil2]\nkind = "command"\ncommand = ["sh", "-c", "touch pwned-cmd"]\n'
        f'[{prefix}.evil3]\nkind = "outputs"\npath = "/etc/passwd"\n'
        f'[{prefix}.evil4]\nkind = "no-such-kind"\n'
    )
    name = "pyproject.toml" if pyproject else "evalkit.toml"
    (folder / name).write_text(tables, encoding="utf-8")
    # modules a careless import of the current folder would pick up
    for shadow in ("numpy.py", "sacrebleu.py", "tqdm.py"):
        (folder / shadow).write_text(EVIL_MODULE.replace("pwned-import", f"pwned-{shadow}"))


@pytest.mark.parametrize("pyproject", [False, True], ids=["evalkit.toml", "tool.evalkit"])
def test_a_hostile_configuration_runs_nothing_unless_named(tmp_path, pyproject):
    _hostile(tmp_path, pyproject)
    commands = [
        [*RUN, "--system", "reference", "--no-report"],
        ["run", "--list"],
        ["report", "--index"],
        ["extract", "--out", "data"],
        ["dataset", "stats", "--dataset", "data"],
        ["publish", "--repo-id", "o/n", "--dataset", "data", "--dry-run"],
        [*RUN, "--system", "evil4"],  # an invalid system: an error, nothing else
    ]
    for args in commands:
        proc = evalkit(*args, cwd=tmp_path)
        assert "Traceback" not in proc.stderr, (args, proc.stderr)
        assert not list(tmp_path.glob("pwned*")), args
    assert proc.returncode == 2 and "unknown kind 'no-such-kind'" in proc.stderr
    # naming the python system runs it: that is what naming it means (its folder then
    # comes first on sys.path, so the shadowing modules go before it runs)
    for shadow in ("numpy.py", "sacrebleu.py", "tqdm.py"):
        (tmp_path / shadow).unlink()
    proc = evalkit(*RUN, "--system", "evil", "--no-report", cwd=tmp_path)
    assert proc.returncode == 0 and (tmp_path / "pwned-import").exists()
