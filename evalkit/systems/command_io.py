"""One request/answer exchange with a program, bounded in time and memory.

``subprocess.communicate`` waits for end-of-file on stdout and stderr: a program that
answers and exits, leaving a child that holds stdout, makes it wait until the child
ends (or the timeout says "no answer" although the answer came). Here the exchange
ends when the program itself has exited and its pipes hold nothing more, or at the
deadline; stdout is bounded (``max_stdout``) and only a tail of stderr is kept.
"""

from __future__ import annotations

import os
import selectors
import time
from dataclasses import dataclass

from evalkit.systems.procs import Program

#: Bytes of stderr kept (the end of it); more is read and dropped.
STDERR_KEEP_BYTES = 64 * 1024
_PIPE_BUF = 512
_READ = 64 * 1024
#: After the program exits, how long its pipes are drained of what is already there.
_DRAIN_SECONDS = 1.0


@dataclass
class Exchange:
    """What came back: stdout, the tail of stderr, and why reading stopped.

    ``why`` is ``""`` (the program exited), ``"timeout"`` or ``"too_large"``.
    """

    out: bytes
    err: bytes
    why: str


def exchange(program: Program, payload: bytes, timeout: float, max_stdout: int) -> Exchange:
    """Write ``payload`` to the program's stdin and read until it exits.

    The caller stops the program afterwards (:meth:`Program.stop`) in every case.
    """
    proc = program.proc
    assert proc.stdin and proc.stdout and proc.stderr
    deadline = time.monotonic() + timeout
    out = bytearray()
    err = bytearray()
    sel = selectors.DefaultSelector()
    view = memoryview(payload)
    offset = 0
    if payload:
        sel.register(proc.stdin, selectors.EVENT_WRITE)
    else:
        proc.stdin.close()
    sel.register(proc.stdout, selectors.EVENT_READ)
    sel.register(proc.stderr, selectors.EVENT_READ)
    exited_at: float | None = None
    why = ""
    try:
        while sel.get_map():
            now = time.monotonic()
            if now >= deadline:
                why = "timeout"
                break
            if exited_at is None and proc.poll() is not None:
                exited_at = now
            if exited_at is not None and now - exited_at > _DRAIN_SECONDS:
                break
            wait = min(deadline - now, 0.05 if exited_at is not None else 0.2)
            events = sel.select(wait)
            if not events and exited_at is not None:
                break  # exited, and nothing more is waiting in its pipes
            for key, _ in events:
                if key.fileobj is proc.stdin:
                    try:
                        offset += os.write(key.fd, view[offset : offset + _PIPE_BUF])
                    except (BrokenPipeError, OSError):
                        offset = len(view)
                    if offset >= len(view):
                        sel.unregister(proc.stdin)
                        proc.stdin.close()
                    continue
                data = os.read(key.fd, _READ)
                if not data:
                    sel.unregister(key.fileobj)
                elif key.fileobj is proc.stdout:
                    out += data
                    if len(out) > max_stdout:
                        why = "too_large"
                        return Exchange(bytes(out[:max_stdout]), bytes(err), why)
                else:
                    err += data
                    if len(err) > 2 * STDERR_KEEP_BYTES:
                        del err[:-STDERR_KEEP_BYTES]
    finally:
        sel.close()
    return Exchange(bytes(out), bytes(err[-STDERR_KEEP_BYTES:]), why)
