"""Fixtures for the scorer tests."""

from __future__ import annotations

import pytest
from scorer_data import LANGS, read


@pytest.fixture(scope="session")
def segments() -> dict[str, dict[str, list[str]]]:
    """``{lang: {"ref": [...], "sysA": [...], "sysB": [...]}}`` from the bundled digests."""
    return {lang: {n: read(lang, n) for n in ("ref", "sysA", "sysB")} for lang in LANGS}
