"""The ``command`` kind: a program fed JSON lines on stdin, answering JSON lines on stdout.

The program is started once per batch, without a shell, in the folder of the
configuration that defines it. It reads one request per line::

    {"id": ..., "task": "translation", "text": ..., "src_lang": "en", "tgt_lang": "ko"}

and answers one line per request, ``{"id": ..., "output": ...}`` (matched by ``id``
when every answer has one, else by order). A non-zero exit, a timeout, a wrong
number of answers, invalid JSON or invalid UTF-8 fails the batch with the tail of the
program's stderr; the complete answers a program printed before it exited or timed out
are kept (only the requests it did not answer fail).
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from evalkit.errors import SystemError_
from evalkit.io import dumps
from evalkit.option_checks import positive
from evalkit.options import Option, declare
from evalkit.systems.base import COMMON_OPTIONS, Request, System
from evalkit.systems.command_io import exchange
from evalkit.systems.command_worker import Worker
from evalkit.systems.common import check_answers, files_fingerprint, system_failure
from evalkit.systems.partial import PartialAnswers
from evalkit.systems.procs import Program
from evalkit.systems.secrets import scrub, secret_values, secrets_in
from evalkit.textsafe import terminal_safe

STDERR_TAIL_CHARS = 600
#: Bytes of stdout allowed per request: an answer of ``max_output_chars`` characters,
#: each JSON-escaped in at most this many bytes, plus room for the rest of the line.
STDOUT_BYTES_PER_CHAR = 8
STDOUT_OVERHEAD_BYTES = 64 * 1024


def _tail(stderr: bytes, secrets: list[str] | None = None) -> str:
    text = stderr.decode("utf-8", errors="replace").strip()
    if not text:
        return "(stderr empty)"
    # scrub the whole text first: a secret cut in half by the tail would slip through;
    # then strip escape sequences (clear screen, window title) meant for a terminal
    text = terminal_safe(scrub(text, secrets)).strip()
    tail = text[-STDERR_TAIL_CHARS:]
    return "stderr: " + ("..." if len(text) > len(tail) else "") + tail


def _partial(name: str, requests: Sequence[Request], out: bytes, why: str) -> SystemError_:
    """The error of a program that failed: with the answers it gave before, if any.

    Complete JSON lines ``{"id", "output"}`` (or ``{"output"}``, matched by order) are
    kept up to the first line that is not one; see :class:`PartialAnswers`.
    """
    by_id: dict[str, object] = {}
    by_order: list[object] = []
    for raw in out.split(b"\n")[:-1] if out else []:  # the last piece is unterminated
        try:
            obj = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            break
        if not isinstance(obj, dict) or "output" not in obj:
            break
        if "id" in obj:
            by_id[str(obj["id"])] = obj["output"]
        by_order.append(obj["output"])
    wanted = {r.id for r in requests}
    if by_id and len(by_id) == len(by_order) and set(by_id) <= wanted:
        answered = by_id
    elif not by_id and len(by_order) <= len(requests):
        answered = {r.id: o for r, o in zip(requests, by_order, strict=False)}
    else:
        answered = {}
    if not answered:
        return system_failure(name, requests, why)
    missing = [r for r in requests if r.id not in answered]
    return PartialAnswers(answered, why, str(system_failure(name, missing, why)))


def _argv_check(value: Any) -> str | None:
    if not value or not all(a.strip() for a in value):
        return 'must be a non-empty argv list like ["python", "translate.py"]'
    return None


#: The options of a ``command`` system (see :mod:`evalkit.options`).
OPTIONS = declare(
    COMMON_OPTIONS,
    (
        Option(
            "command",
            (list, str),
            doc='argv list like ["python", "translate.py"], never a shell string',
            items=str,
            required=True,
            check=lambda v: (
                'must be an argv list like ["python", "translate.py"], never a shell string'
                if isinstance(v, str)
                else _argv_check(v)
            ),
        ),
        Option("timeout", float, 600.0, "seconds per batch", check=positive, identity=False),
        Option("env", dict, {}, "extra environment variables", items=str),
        Option(
            "persistent",
            bool,
            False,
            "one process for the whole run (it must answer with id and flush)",
            identity=False,
        ),
    ),
)


class CommandSystem(System):
    """A system that is a program speaking JSON lines (see the module docstring).

    Options (:data:`OPTIONS`): ``command`` (argv list, required), ``timeout`` (seconds
    per batch, default 600), ``batch_size`` (default 8), ``env`` (extra environment
    variables), ``persistent`` (keep one process for the whole run, see
    :mod:`evalkit.systems.command_worker`), ``version``, ``max_output_chars``.
    """

    kind = "command"
    options = OPTIONS

    def __init__(
        self, name: str, config: dict[str, Any] | None = None, *, root: Path | None = None
    ):
        super().__init__(name, config)
        self.root = Path(root) if root is not None else Path.cwd()
        v = self.values
        self.argv: list[str] = list(v["command"])
        self.timeout: float = v["timeout"]
        self.max_chars: int = v["max_output_chars"]
        self.env = {**os.environ, **v["env"]}
        #: Secret-looking values the program sees, its ``env`` table's included: they are
        #: scrubbed from its stderr before it goes into a message.
        self._secrets = [*secret_values(self.env), *secrets_in(self.config)]
        self.persistent: bool = v["persistent"]
        self._worker: Worker | None = None

    @property
    def version(self) -> str:
        """The configured ``version``, else a hash of the files the command names."""
        if self.values["version"] is not None:
            return str(self.values["version"])
        return files_fingerprint(self.root / a for a in self.argv[1:] if not a.startswith("-"))

    def _argv(self) -> list[str]:
        exe = self.argv[0]
        if os.sep in exe and not os.path.isabs(exe):
            exe = str(self.root / exe)
        return [exe, *self.argv[1:]]

    def _tail(self, stderr: bytes) -> str:
        return _tail(stderr, self._secrets)

    def translate_batch(self, requests: Sequence[Request]) -> list[str]:
        if not requests:
            return []
        payload = "".join(dumps(r.to_dict()) + "\n" for r in requests).encode("utf-8")
        if self.persistent:
            return self._persistent_batch(requests, payload)
        try:
            program = Program(self._argv(), self.root, self.env)
        except OSError as exc:
            raise system_failure(
                self.name, requests, f"cannot start {self.argv[0]!r}: {exc.strerror or exc}"
            ) from None
        try:
            result = exchange(program, payload, self.timeout, self._max_stdout(len(requests)))
        finally:
            program.stop()  # the program, its group and whatever it started
        if result.why == "timeout":
            raise _partial(
                self.name,
                requests,
                result.out,
                f"no answer within timeout={self.timeout:g}s; {self._tail(result.err)}",
            )
        if result.why == "too_large":
            raise system_failure(
                self.name,
                requests,
                f"stdout passed {self._max_stdout(len(requests)):,} bytes: {len(requests)}"
                f" answer(s) over max_output_chars={self.max_chars:,}; reading stopped;"
                f" {self._tail(result.err)}",
            )
        status = program.proc.returncode
        if status != 0:
            how = f"killed by signal {-status}" if status < 0 else f"exited with status {status}"
            raise _partial(self.name, requests, result.out, f"{how}; {self._tail(result.err)}")
        return check_answers(
            self.name,
            requests,
            self._parse(requests, result.out, result.err),
            max_chars=self.max_chars,
        )

    def _max_stdout(self, n: int) -> int:
        return n * (STDOUT_BYTES_PER_CHAR * self.max_chars + STDOUT_OVERHEAD_BYTES)

    def _persistent_batch(self, requests: Sequence[Request], payload: bytes) -> list[str]:
        if self._worker is None or not self._worker.alive():
            try:
                self._worker = Worker(
                    self._argv(), self.root, self.env, max_line=self._max_stdout(1)
                )
            except OSError as exc:
                raise system_failure(
                    self.name, requests, f"cannot start {self.argv[0]!r}: {exc.strerror or exc}"
                ) from None
        worker = self._worker
        try:
            worker.send(payload)
            lines, why = worker.read(len(requests), self.timeout)
            if why == "timeout":
                raise system_failure(
                    self.name,
                    requests,
                    f"no answer within timeout={self.timeout:g}s ({len(lines)} of {len(requests)}"
                    " lines; persistent programs must flush stdout);"
                    f" {self._tail(worker.stderr())}",
                )
            if why == "too_large":
                raise system_failure(
                    self.name,
                    requests,
                    f"an answer line passed {self._max_stdout(1):,} bytes: an answer over"
                    f" max_output_chars={self.max_chars:,}; {self._tail(worker.stderr())}",
                )
            if why == "exit":
                worker.kill()
                status = worker.proc.returncode
                raise _partial(
                    self.name,
                    requests,
                    b"".join(lines),
                    f"exited with status {status} after {len(lines)} of {len(requests)} answers;"
                    f" {self._tail(worker.stderr())}",
                )
            answers = self._parse(requests, b"".join(lines), b"", need_ids=True)
        except BaseException:
            worker.kill()
            self._worker = None
            raise
        return check_answers(self.name, requests, answers, max_chars=self.max_chars)

    def close(self) -> None:
        if self._worker is not None:
            self._worker.close()
            self._worker = None

    def _parse(
        self, requests: Sequence[Request], out: bytes, err: bytes, *, need_ids: bool = False
    ) -> list[Any]:
        try:
            text = out.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise system_failure(
                self.name,
                requests,
                f"stdout is not valid UTF-8 (byte {exc.start}); {self._tail(err)}",
            ) from None
        answers: list[dict[str, Any]] = []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise system_failure(
                    self.name,
                    requests,
                    f"stdout line {number} is not JSON ({exc.msg}); {self._tail(err)}",
                ) from None
            if not isinstance(obj, dict) or "output" not in obj:
                raise system_failure(
                    self.name, requests, f'stdout line {number} is not an object with "output"'
                )
            answers.append(obj)
        if len(answers) != len(requests):
            raise system_failure(
                self.name,
                requests,
                f"answered {len(answers)} lines for {len(requests)} requests; {self._tail(err)}",
            )
        if need_ids and not all("id" in a for a in answers):
            raise system_failure(self.name, requests, 'persistent programs must answer with "id"')
        if all("id" in a for a in answers):
            by_id = {str(a["id"]): a["output"] for a in answers}
            missing = [r for r in requests if r.id not in by_id]
            if missing:
                raise system_failure(self.name, missing, "no answer with this id")
            return [by_id[r.id] for r in requests]
        return [a["output"] for a in answers]
