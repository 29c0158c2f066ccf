"""Ctrl-C and SIGTERM end evalkit promptly, with its cleanup.

SIGTERM (what CI runners and ``kill`` send) is handled like Ctrl-C: the first signal
raises :class:`Terminated` (a :class:`KeyboardInterrupt`) in the main thread, so every
``finally`` and ``except BaseException`` runs: command programs and what they started
are stopped, HTTP requests in flight are cut, temporary files are removed. The CLI
then prints one line and exits 130 (SIGINT) or 143 (SIGTERM).

A second signal while that cleanup runs does not interrupt the cleanup with a
traceback (or Python's ``Exception ignored ... threading._shutdown``): it stops the
programs still running and exits at once with the same code.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Callable
from types import FrameType


class Terminated(KeyboardInterrupt):
    """Raised in the main thread when SIGTERM arrives."""


_received: list[int] = []
_on_exit: list[Callable[[], None]] = []


def exit_code(exc: BaseException | None = None) -> int:
    """128 + the signal that stopped evalkit: 143 for SIGTERM, else 130 (Ctrl-C)."""
    if isinstance(exc, Terminated) or (_received and _received[0] == signal.SIGTERM):
        return 128 + signal.SIGTERM
    return 128 + signal.SIGINT


def on_forced_exit(callback: Callable[[], None]) -> None:
    """Run ``callback`` before a second signal ends the process without cleanup."""
    if callback not in _on_exit:
        _on_exit.append(callback)


def _handler(signum: int, frame: FrameType | None) -> None:
    _received.append(signum)
    if len(_received) == 1:
        if signum == signal.SIGTERM:
            raise Terminated()
        raise KeyboardInterrupt()
    # a second signal: cleanup is already running; finish it the hard way
    for callback in _on_exit:
        with contextlib.suppress(Exception):  # exiting anyway
            callback()
    try:
        sys.stderr.flush()
    finally:
        os._exit(exit_code())


def install() -> None:
    """Handle SIGINT and SIGTERM as described above (main thread only; else no effect)."""
    if threading.current_thread() is not threading.main_thread():
        return
    _received.clear()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, _handler)
