"""A long-lived ``command`` program (``persistent = true``): one process for the whole run.

The program must answer each request line with one line and flush stdout after it
(``print(..., flush=True)``), since evalkit waits for the answers of a batch before
sending the next one. Any failure kills the process; the next batch starts a new one.
"""

from __future__ import annotations

import os
import queue
import subprocess
import threading
import time
from collections import deque
from pathlib import Path

STDERR_TAIL_LINES = 40


class Worker:
    """The running program, with threads draining its stdout (lines) and stderr (a tail)."""

    def __init__(self, argv: list[str], cwd: Path, env: dict[str, str]):
        self.proc = subprocess.Popen(
            argv,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=cwd,
            env=env,
            start_new_session=True,
        )
        self.lines: queue.Queue[bytes | None] = queue.Queue()
        self.err: deque[bytes] = deque(maxlen=STDERR_TAIL_LINES)
        threading.Thread(target=self._drain_out, daemon=True).start()
        threading.Thread(target=self._drain_err, daemon=True).start()

    def _drain_out(self) -> None:
        assert self.proc.stdout is not None
        for raw in self.proc.stdout:
            if raw.strip():
                self.lines.put(raw)
        self.lines.put(None)

    def _drain_err(self) -> None:
        assert self.proc.stderr is not None
        for raw in self.proc.stderr:
            self.err.append(raw)

    def stderr(self) -> bytes:
        time.sleep(0.05)  # let the drain thread catch the last lines of a dying program
        return b"".join(self.err)

    def alive(self) -> bool:
        return self.proc.poll() is None

    def send(self, payload: bytes) -> None:
        """Write requests from a thread, so a program that stops reading cannot block us.

        If the program has exited, the write fails quietly and :meth:`read` sees the exit.
        """

        def write() -> None:
            assert self.proc.stdin is not None
            try:
                self.proc.stdin.write(payload)
                self.proc.stdin.flush()
            except (OSError, ValueError):
                pass

        threading.Thread(target=write, daemon=True).start()

    def read(self, n: int, timeout: float) -> tuple[list[bytes], str]:
        """Up to ``n`` answer lines; the reason if fewer (``"timeout"`` or ``"exit"``)."""
        deadline = time.monotonic() + timeout
        out: list[bytes] = []
        while len(out) < n:
            remaining = deadline - time.monotonic()
            try:
                line = self.lines.get(timeout=max(0.0, remaining))
            except queue.Empty:
                return out, "timeout"
            if line is None:
                self.proc.wait()
                return out, "exit"
            out.append(line)
        return out, ""

    def kill(self) -> None:
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, 9)
            except (ProcessLookupError, PermissionError):
                self.proc.kill()
        self.proc.wait()

    def close(self, grace: float = 5.0) -> None:
        """Close stdin (the program's signal to finish), then kill it if it lingers."""
        if self.proc.poll() is None and self.proc.stdin is not None:
            try:
                self.proc.stdin.close()
                self.proc.wait(timeout=grace)
            except (OSError, subprocess.TimeoutExpired):
                pass
        self.kill()
