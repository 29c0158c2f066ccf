"""Fixtures for the regression gate: a baseline run and its saved baseline file."""

from __future__ import annotations

from pathlib import Path

import pytest
from check_helpers import make_examples, noisy, register_scorers, write_run

from evalkit import baseline


@pytest.fixture(scope="session", autouse=True)
def _scorers() -> None:
    register_scorers()


@pytest.fixture(scope="session")
def examples() -> list[dict]:
    return make_examples()


@pytest.fixture(scope="session")
def base_run(tmp_path_factory: pytest.TempPathFactory, examples: list[dict]) -> Path:
    return write_run(tmp_path_factory.mktemp("runs") / "base", examples, noisy())


@pytest.fixture(scope="session")
def baseline_file(tmp_path_factory: pytest.TempPathFactory, base_run: Path) -> Path:
    path = tmp_path_factory.mktemp("baselines") / "base.json"
    baseline.save(base_run, path)
    return path
