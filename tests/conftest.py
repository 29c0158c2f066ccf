"""Shared fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import DIGESTS, REPO, SEEDS, run_cli  # noqa: F401  (re-exported)


@pytest.fixture(scope="session")
def digests_dir() -> Path:
    return DIGESTS
