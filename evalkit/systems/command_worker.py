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
from pathlib import Path

from evalkit.systems.command_io import STDERR_KEEP_BYTES
from evalkit.systems.procs import Program

#: Put on the line queue when a line grows past the limit.
TOO_LARGE = b"\0too large"


class Worker:
    """The running program, with threads draining its stdout (lines) and stderr (a tail).

    Args:
        argv: The command line.
        cwd: Its working folder.
        env: Its environment.
        max_line: Longest answer line accepted, in bytes; a longer one ends the reading
            (:meth:`read` says ``"too_large"``) instead of filling memory.
    """

    def __init__(self, argv: list[str], cwd: Path, env: dict[str, str], *, max_line: int):
        self.program = Program(argv, cwd, env)
        self.proc = self.program.proc
        self.max_line = max_line
        self.lines: queue.Queue[bytes | None] = queue.Queue()
        self._err = bytearray()
        self._err_lock = threading.Lock()
        threading.Thread(target=self._drain_out, daemon=True).start()
        threading.Thread(target=self._drain_err, daemon=True).start()

    def _drain_out(self) -> None:
        assert self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        pending = bytearray()
        try:
            while data := os.read(fd, 65536):
                pending += data
                *complete, rest = pending.split(b"\n")
                for raw in complete:
                    if raw.strip():
                        self.lines.put(bytes(raw) + b"\n")
                pending = bytearray(rest)
                if len(pending) > self.max_line:
                    self.lines.put(TOO_LARGE)
                    return
        except OSError:
            pass
        if pending.strip():
            self.lines.put(bytes(pending))
        self.lines.put(None)

    def _drain_err(self) -> None:
        assert self.proc.stderr is not None
        fd = self.proc.stderr.fileno()
        try:
            while data := os.read(fd, 65536):
                with self._err_lock:
                    self._err += data
                    if len(self._err) > 2 * STDERR_KEEP_BYTES:
                        del self._err[:-STDERR_KEEP_BYTES]
        except OSError:
            pass

    def stderr(self) -> bytes:
        time.sleep(0.05)  # let the drain thread catch the last lines of a dying program
        with self._err_lock:
            return bytes(self._err[-STDERR_KEEP_BYTES:])

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
        """Up to ``n`` answer lines; the reason if fewer (``"timeout"``, ``"exit"``,
        ``"too_large"``)."""
        deadline = time.monotonic() + timeout
        out: list[bytes] = []
        while len(out) < n:
            remaining = deadline - time.monotonic()
            try:
                line = self.lines.get(timeout=max(0.0, remaining))
            except queue.Empty:
                return out, "timeout"
            if line is None:
                try:
                    self.proc.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:  # stdout closed, the program lives on
                    return out, "timeout"
                return out, "exit"
            if line is TOO_LARGE:
                return out, "too_large"
            out.append(line)
        return out, ""

    def kill(self) -> None:
        """Stop the program, its process group and everything it started."""
        self.program.stop()

    def close(self, grace: float = 5.0) -> None:
        """Close stdin (the program's signal to finish), then kill it if it lingers."""
        if self.proc.poll() is None and self.proc.stdin is not None:
            try:
                self.proc.stdin.close()
                self.proc.wait(timeout=grace)
            except (OSError, subprocess.TimeoutExpired):
                pass
        self.kill()
