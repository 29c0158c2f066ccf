"""``evalkit --help`` (and every command's ``--help``) imports nothing heavy.

Checked with ``python -X importtime``, which lists every module a process imports.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys

import pytest
from helpers import REPO

from evalkit.cli import COMMANDS

HEAVY = {
    "numpy",
    "datasets",
    "pyarrow",
    "torch",
    "transformers",
    "MeCab",
    "mecab_ko",
    "matplotlib",
    "sacrebleu",
}


def imported(*args: str) -> set[str]:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    res = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "evalkit", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert res.returncode == 0, res.stderr[-500:]
    names = set()
    for line in res.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            name = line.rsplit("|", 1)[1].strip()
            names.add(name.split(".")[0])
    assert "evalkit" in names  # the listing works
    return names


def test_top_level_help_imports_nothing_heavy():
    assert imported("--help") & HEAVY == set()


@pytest.mark.parametrize(
    "command", [c for c, (mod, _) in COMMANDS.items() if importlib.util.find_spec(mod)]
)
def test_command_help_imports_nothing_heavy(command):
    assert imported(command, "--help") & HEAVY == set()


def test_cli_asks_openblas_for_one_thread_unless_told(monkeypatch):
    from evalkit import cli

    monkeypatch.delenv("OPENBLAS_NUM_THREADS", raising=False)
    cli._single_threaded_blas()
    assert os.environ["OPENBLAS_NUM_THREADS"] == "1"
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "2")
    cli._single_threaded_blas()
    assert os.environ["OPENBLAS_NUM_THREADS"] == "2"
