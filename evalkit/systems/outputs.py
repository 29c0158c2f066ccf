"""The ``outputs`` kind: outputs produced elsewhere, read from a JSON-lines file.

Each line is ``{"id": <example id>, "output": <text>}``; requests are matched by id,
so the file may hold more examples than a run asks for, in any order, and fewer: the
examples it lacks fail, the others are scored.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, ClassVar

from evalkit.errors import ConfigError, DataError
from evalkit.io import read_input_jsonl
from evalkit.option_checks import non_empty, positive
from evalkit.options import Option, declare
from evalkit.systems.base import COMMON_OPTIONS, Request, System
from evalkit.systems.common import check_answers, files_fingerprint, system_failure
from evalkit.systems.partial import PartialAnswers

#: The options of an ``outputs`` system (see :mod:`evalkit.options`).
OPTIONS = declare(
    COMMON_OPTIONS,
    (
        Option(
            "path",
            str,
            doc="the JSON-lines file, relative to the configuration file",
            required=True,
            check=non_empty,
        ),
        Option("batch_size", int, 256, "requests per call", check=positive, identity=False),
    ),
)


class OutputsSystem(System):
    """Answers from a file (see the module docstring).

    Options (:data:`OPTIONS`): ``path`` (the JSON-lines file, relative to the configuration file;
    required); ``max_output_chars``.
    """

    kind = "outputs"
    options = OPTIONS
    #: The file already is a cache.
    cacheable: ClassVar[bool] = False

    def __init__(
        self, name: str, config: dict[str, Any] | None = None, *, root: Path | None = None
    ):
        super().__init__(name, config)
        path: str = self.values["path"]
        self.path = (Path(root) if root is not None else Path.cwd()) / path
        if not self.path.is_file():
            raise ConfigError(f"system {name!r}: outputs file not found", path=self.path)
        self._outputs: dict[str, Any] | None = None

    @property
    def version(self) -> str:
        return files_fingerprint([self.path])

    def _load(self) -> dict[str, Any]:
        if self._outputs is None:
            outputs: dict[str, Any] = {}
            for line, record in read_input_jsonl(self.path):
                if "id" not in record or "output" not in record:
                    raise DataError(
                        'expected {"id": ..., "output": ...}', path=self.path, line=line
                    )
                key = str(record["id"])
                if key in outputs and outputs[key] != record["output"]:
                    raise DataError(
                        f"id {key!r} appears twice with different outputs",
                        path=self.path,
                        line=line,
                    )
                outputs[key] = record["output"]
            self._outputs = outputs
        return self._outputs

    def answer_batch(self, requests: Sequence[Request]) -> list[str]:
        outputs = self._load()
        missing = [r for r in requests if r.id not in outputs]
        if missing:
            # keep what the file has: only the missing ids fail
            reason = f"no output with this id in {self.path}"
            raise PartialAnswers(
                {r.id: outputs[r.id] for r in requests if r.id in outputs},
                reason,
                str(system_failure(self.name, missing, reason)),
            )
        max_chars: int = self.values["max_output_chars"]
        return check_answers(
            self.name, requests, [outputs[r.id] for r in requests], max_chars=max_chars
        )
