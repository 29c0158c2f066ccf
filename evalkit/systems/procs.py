"""Programs run by ``command`` systems, and everything they start, stopped for sure.

Each program starts in its own session and process group, with a marker variable
``EVALKIT_SYSTEM_PROCESS=<random>`` in its environment. Stopping it kills the group
(children that stayed in it), then every process of ours whose initial environment
carries the marker: children that called ``setsid()``, double-forked daemons and
orphans adopted by init inherit the marker and are found by a scan of ``/proc``.

Why not a subreaper (``prctl(PR_SET_CHILD_SUBREAPER)``)? It makes evalkit the parent
of every orphan in the process, scoring pools and ``git`` included, which then need
reaping and telling apart; the marker finds exactly the system's processes, also
those that a daemonizing child re-parented elsewhere. Its limit: a process that
replaces its environment wholesale (``env -i``) before ``exec`` is no longer found
(its process group still is, unless it also called ``setsid()``).

Live programs are stopped when evalkit exits (``atexit``) and by :func:`stop_all`,
which the signal handling calls on a second interrupt.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import secrets
import signal
import subprocess
import threading
import time
from pathlib import Path

from evalkit import signals

MARKER = "EVALKIT_SYSTEM_PROCESS"

_live: set[Program] = set()
_live_lock = threading.Lock()
_atexit_installed = False


class Program:
    """A started program (``subprocess.Popen`` with pipes) and the way to stop all of it.

    Args:
        argv: The command line (no shell).
        cwd: Its working folder.
        env: Its environment (the marker is added).
    """

    def __init__(self, argv: list[str], cwd: Path, env: dict[str, str]):
        global _atexit_installed
        self.marker = secrets.token_hex(8)
        self.proc = subprocess.Popen(
            argv,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=cwd,
            env={**env, MARKER: self.marker},
            start_new_session=True,
        )
        with _live_lock:
            _live.add(self)
            if not _atexit_installed:
                atexit.register(stop_all)
                signals.on_forced_exit(stop_all)
                _atexit_installed = True

    @property
    def pid(self) -> int:
        return self.proc.pid

    def stop(self) -> None:
        """Kill the program, its process group and every marked descendant; reap it.

        Returns once none of them is left running (SIGKILL takes effect when the
        process is next scheduled), or after two seconds.
        """
        if self.proc.poll() is None:
            with contextlib.suppress(OSError):
                self.proc.kill()
        end = time.monotonic() + 2.0
        while True:
            _signal_group(self.proc.pid)  # its children may hold the group after it exits
            if not kill_marked(self.marker) or time.monotonic() > end:
                break
            time.sleep(0.01)
        with contextlib.suppress(subprocess.TimeoutExpired):  # SIGKILL does not fail
            self.proc.wait(timeout=5)
        for pipe in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            if pipe is not None:
                with contextlib.suppress(OSError):
                    pipe.close()
        with _live_lock:
            _live.discard(self)


def _signal_group(pgid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signal.SIGKILL)


def marked_pids(marker: str) -> list[int]:
    """Processes whose initial environment holds ``EVALKIT_SYSTEM_PROCESS=marker``."""
    needle = f"{MARKER}={marker}".encode()
    found = []
    try:
        entries = os.listdir("/proc")
    except OSError:  # not Linux: the process group is all we can stop
        return []
    own = os.getpid()
    for entry in entries:
        if not entry.isdigit() or int(entry) == own:
            continue
        try:
            with open(f"/proc/{entry}/environ", "rb") as fh:
                environ = fh.read()
        except OSError:  # gone, or another user's
            continue
        if needle in environ.split(b"\0"):
            found.append(int(entry))
    return found


def kill_marked(marker: str) -> int:
    """SIGKILL every process carrying ``marker`` (and its group); how many were found."""
    pids = marked_pids(marker)
    for pid in pids:
        try:
            pgid = os.getpgid(pid)
            if pgid == pid:
                os.killpg(pgid, signal.SIGKILL)
            os.kill(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
    return len(pids)


def stop_all() -> None:
    """Stop every live program (at exit, on interruption)."""
    with _live_lock:
        programs = list(_live)
    for program in programs:
        program.stop()
