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
from evalkit.registry import import_spec
from evalkit.systems.base import Request, System
from evalkit.systems.common import (
    DEFAULT_MAX_OUTPUT_CHARS,
    files_fingerprint,
    positive_int,
    positive_number,
    system_failure,
)
from evalkit.systems.partial import PartialAnswers, checked_answers


class PythonSystem(System):
    """A Python callable (see the module docstring).

    Config keys: ``callable`` (``"package.module:function"``, required); ``path``
    (folders to put on ``sys.path``, relative to the configuration file; default
    ``["."]``, the configuration's folder); ``timeout``
    (seconds per batch; off by default); ``batch_size``; ``version`` (default: a hash
    of the module's source file); ``max_output_chars``.
    """

    kind = "python"

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
        spec = self.config.get("callable")
        if function is None:
            if not isinstance(spec, str) or ":" not in spec:
                raise ConfigError(f"system {name!r}: callable must be a 'module:function' string")
            paths = self.config.get("path", ["."])
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
        self.timeout = (
            positive_number(self.config, "timeout", 1e9, system=name)
            if "timeout" in self.config
            else None
        )
        positive_int(self.config, "batch_size", 8, system=name)
        self.max_chars = positive_int(
            self.config, "max_output_chars", DEFAULT_MAX_OUTPUT_CHARS, system=name
        )

    @property
    def version(self) -> str:
        if "version" in self.config:
            return str(self.config["version"])
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

    def translate_batch(self, requests: Sequence[Request]) -> list[str]:
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
