"""examples/github-actions.yml stays a valid workflow that uses the real CLI."""

from __future__ import annotations

import argparse
import shlex
from pathlib import Path

import yaml

from evalkit.commands import check as check_command

WORKFLOW = Path(__file__).resolve().parents[2] / "examples" / "github-actions.yml"


def _steps() -> list[dict]:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    (job,) = workflow["jobs"].values()
    return job["steps"]


def test_workflow_installs_evalkit_runs_the_check_and_uploads_the_report():
    steps = _steps()
    uses = [s.get("uses", "").split("@")[0] for s in steps]
    assert uses[:2] == ["actions/checkout", "actions/setup-python"]
    assert "actions/upload-artifact" in uses
    runs = "\n".join(s.get("run", "") for s in steps)
    assert 'pip install "evalkit==' in runs
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-artifact"))
    assert upload["if"] == "always()" and "reports/" in upload["with"]["path"]


def test_the_check_command_parses_with_the_cli():
    step = next(s for s in _steps() if "evalkit check" in s.get("run", ""))
    assert step["shell"] == "bash"  # -o pipefail keeps evalkit's exit code through tee
    command = step["run"].replace("\\\n", " ").split("evalkit check", 1)[1].split("|")[0]
    parser = argparse.ArgumentParser()
    check_command.add_arguments(parser)
    args = parser.parse_args(shlex.split(command))
    assert args.baseline == "results/baselines/mytranslator.json"
    assert args.system == "mytranslator" and args.run is None
    assert args.junit == "reports/evalkit-check.xml"
