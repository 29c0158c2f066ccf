"""Paths and helpers shared by the tests (import with ``from helpers import ...``)."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DIGESTS = REPO / "fixtures" / "digests"
SEEDS = REPO.parent / "shared" / "seeds"


def run_cli(
    *args: str,
    cwd: str | Path | None = None,
    env: dict[str, str] | None = None,
    input: str | None = None,
    timeout: float = 600,
):
    """Run ``python -m evalkit ARGS`` in a subprocess, importing this checkout's evalkit.

    A ``PYTHONPATH`` in ``env`` is added after the checkout, never instead of it: the
    installed evalkit (if any) may be another version.
    """
    import os
    import subprocess
    import sys

    full_env = dict(os.environ)
    if env:
        full_env.update(env)
    full_env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(REPO), full_env.get("PYTHONPATH", "")) if p
    )
    return subprocess.run(
        [sys.executable, "-m", "evalkit", *args],
        cwd=cwd,
        env=full_env,
        input=input,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
