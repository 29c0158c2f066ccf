"""One watchdog thread that runs a callback when a deadline passes.

Blocking socket calls cannot be given a deadline for a whole exchange (a socket
timeout restarts with every byte); the transport arms the watchdog with a callback
that shuts the socket down, which makes the blocked call return at once.
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
import threading
import time
from collections.abc import Callable


class Watchdog:
    """Calls ``callback()`` at ``deadline`` (``time.monotonic()``) unless disarmed first."""

    def __init__(self) -> None:
        self._heap: list[tuple[float, int]] = []
        self._callbacks: dict[int, Callable[[], None]] = {}
        self._ids = itertools.count()
        self._cond = threading.Condition()
        self._thread: threading.Thread | None = None

    def arm(self, deadline: float, callback: Callable[[], None]) -> int:
        """Schedule ``callback``; returns a ticket for :meth:`disarm`."""
        with self._cond:
            ticket = next(self._ids)
            self._callbacks[ticket] = callback
            heapq.heappush(self._heap, (deadline, ticket))
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._loop, name="evalkit-deadlines", daemon=True
                )
                self._thread.start()
            self._cond.notify()
        return ticket

    def disarm(self, ticket: int) -> None:
        """Cancel a scheduled callback (no effect once it has run)."""
        with self._cond:
            self._callbacks.pop(ticket, None)

    def _loop(self) -> None:
        while True:
            with self._cond:
                while self._heap and self._heap[0][1] not in self._callbacks:
                    heapq.heappop(self._heap)  # disarmed
                if not self._heap:
                    self._cond.wait(timeout=5.0)
                    if not self._heap:
                        self._thread = None
                        return
                    continue
                deadline, ticket = self._heap[0]
                wait = deadline - time.monotonic()
                if wait > 0:
                    self._cond.wait(timeout=wait)
                    continue
                heapq.heappop(self._heap)
                callback = self._callbacks.pop(ticket, None)
            if callback is not None:
                with contextlib.suppress(Exception):  # one failing must not stop the others
                    callback()


#: The process-wide watchdog.
WATCHDOG = Watchdog()
