"""The reliability tests drive the benchmark scripts' own code on small samples."""

from __future__ import annotations

import sys

from helpers import REPO

if str(REPO / "benchmarks") not in sys.path:
    sys.path.insert(0, str(REPO / "benchmarks"))
