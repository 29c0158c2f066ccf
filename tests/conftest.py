"""Shared fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DIGESTS = REPO / "fixtures" / "digests"
SEEDS = REPO.parent / "shared" / "seeds"


@pytest.fixture(scope="session")
def digests_dir() -> Path:
    return DIGESTS
