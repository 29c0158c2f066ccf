"""The ``python`` kind: a callable in an importable module.

The callable takes the batch (a list of :class:`~evalkit.systems.base.Request`, with
attributes ``id``, ``task``, ``text``, ``src_lang``, ``tgt_lang``) and returns one
string per request, in order::

    def translate(requests):
        return [my_model(r.text, r.src_lang, r.tgt_lang) for r in requests]
"""

from __future__ import annotations

import inspect
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from evalkit.errors import ConfigError
from evalkit.option_checks import non_empty, positive
from evalkit.options import Option, declare
from evalkit.registry import import_spec
from evalkit.systems.base import COMMON_OPTIONS, Request, System
from evalkit.systems.common import files_fingerprint, system_failure
from evalkit.systems.partial import PartialAnswers, checked_answers


def _spec_check(value: Any) -> str | None:
    module, sep, attr = value.partition(":")
    return None if sep and module.strip() and attr.strip() else "must be 'module:function'"


#: The options of a ``python`` system (see :mod:`evalkit.options`).
OPTIONS = declare(
    COMMON_OPTIONS,
    (
        Option(
            "callable",
            str,
            doc="'package.module:function' taking a list of requests",
            check=_spec_check,
        ),
        Option(
            "path",
            (str, list),
            ["."],
            "folders put on sys.path, relative to the configuration file",
            items=str,
            check=lambda v: non_empty(v) if isinstance(v, list) else None,
        ),
        Option(
            "timeout",
            float,
            None,
            "seconds per batch (off by default)",
            check=positive,
            identity=False,
        ),
    ),
)


class PythonSystem(System):
    """A Python callable (see the module docstring).

    Options (:data:`OPTIONS`): ``callable`` (``"package.module:function"``, required); ``path``
    (folders to put on ``sys.path``, relative to the configuration file; default
    ``["."]``, the configuration's folder); ``timeout``
    (seconds per batch; off by default); ``batch_size``; ``version`` (default: a hash
    of the module's source file); ``max_output_chars``.
    """

    kind = "python"
    options = OPTIONS

    def __init__(
        self,
        name: str,
        config: dict[str, Any] | None = None,
        *,
        root: Path | None = None,
        function: Callable[[list[Request]], Any] | None = None,
    ):
        super().__init__(name, config)
        root = Path(root) if root is not None else Path.cwd()
        spec = self.values["callable"]
        if function is None:
            if spec is None:
                raise ConfigError(
                    f"system {name!r}: callable is required (a 'module:function' string)"
                )
            paths = self.values["path"]
            if isinstance(paths, str):
                paths = [paths]
            for folder in reversed(paths):
                full = str((root / folder).resolve())
                if full not in sys.path:
                    sys.path.insert(0, full)
            function = import_spec(spec)
        if not callable(function):
            raise ConfigError(f"system {name!r}: {spec!r} is not callable")
        self.function = function
        self.timeout: float | None = self.values["timeout"]
        self.max_chars: int = self.values["max_output_chars"]

    @property
    def version(self) -> str:
        if self.values["version"] is not None:
            return str(self.values["version"])
        try:
            source = inspect.getsourcefile(self.function)
        except TypeError:
            source = None
        return files_fingerprint([Path(source)]) if source else ""

    def _call(self, requests: list[Request]) -> Any:
        try:
            return self.function(requests)
        except PartialAnswers:
            raise
        except Exception as exc:  # the system under test failing is a failed batch, not a crash
            raise system_failure(
                self.name, requests, f"raised {type(exc).__name__}: {exc}"
            ) from None

    def answer_batch(self, requests: Sequence[Request]) -> list[str]:
        batch = list(requests)
        if not batch:
            return []
        if self.timeout is None:
            answers = self._call(batch)
        else:
            box: dict[str, Any] = {}

            def target() -> None:
                try:
                    box["answers"] = self._call(batch)
                except BaseException as exc:  # handed to the caller's thread below
                    box["error"] = exc

            worker = threading.Thread(target=target, daemon=True, name=f"evalkit-{self.name}")
            worker.start()
            worker.join(self.timeout)
            if worker.is_alive():
                raise system_failure(
                    self.name, batch, f"no answer within timeout={self.timeout:g}s"
                )
            if "error" in box:
                raise box["error"]
            answers = box["answers"]
        return checked_answers(self.name, batch, answers, max_chars=self.max_chars)
