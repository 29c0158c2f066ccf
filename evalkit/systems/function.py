"""A plain Python function as a system: texts in, texts out.

The function takes a list of source texts and returns one text per source, in order::

    def shout(texts):
        return [t.upper() for t in texts]

Requests are grouped by task and language pair, so each call holds texts of one kind;
a function that declares keyword parameters ``task``, ``src_lang`` or ``tgt_lang`` (or
``**kwargs``) is told which::

    def translate(texts, *, src_lang, tgt_lang):
        return my_model(texts, src_lang, tgt_lang)

Used by :func:`evalkit.evaluate` and for functions registered as objects
(``SYSTEMS.register("mine", translate)``). A ``module:callable`` spec named on the command
line or in an entry point is a ``python`` system instead, called with the requests.
"""

from __future__ import annotations

import hashlib
import inspect
from collections.abc import Callable, Sequence
from typing import Any

from evalkit.errors import ConfigError
from evalkit.systems.base import COMMON_OPTIONS, Request, System
from evalkit.systems.common import check_answers, system_failure

CONTEXT = ("task", "src_lang", "tgt_lang")


def code_fingerprint(function: Callable[..., Any]) -> str:
    """A short hash of ``function``'s source (else its byte code): changes when it is edited.

    State the function reads (a model it closes over) is not seen: give a ``version``
    when that changes.
    """
    target: Any = function
    if not (inspect.isfunction(target) or inspect.ismethod(target) or inspect.isclass(target)):
        target = type(function)  # a callable object: its class's source
    h = hashlib.sha256(f"{getattr(target, '__module__', '')}.{_qualname(function)}".encode())
    try:
        h.update(inspect.getsource(target).encode("utf-8"))
    except (OSError, TypeError):
        code = getattr(target, "__code__", None)
        if code is None:
            return ""
        h.update(code.co_code)
        h.update(repr(code.co_consts).encode("utf-8"))
    return h.hexdigest()[:12]


def _qualname(function: Callable[..., Any]) -> str:
    return str(getattr(function, "__qualname__", None) or type(function).__qualname__)


def _context_params(function: Callable[..., Any]) -> tuple[str, ...]:
    try:
        params = inspect.signature(function).parameters
    except (TypeError, ValueError):  # some builtins have no signature: texts only
        return ()
    if any(p.kind is p.VAR_KEYWORD for p in params.values()):
        return CONTEXT
    return tuple(k for k in CONTEXT if k in params)


class FunctionSystem(System):
    """A function from texts to texts (see the module docstring).

    Args:
        name: The system's name (run folders and cache files are named after it).
        config: Common options only (``batch_size``, ``version``, ``max_output_chars``).
        function: The function.

    Raises:
        ConfigError: if ``function`` is not callable, or for a bad option.
    """

    kind = "function"
    options = COMMON_OPTIONS

    def __init__(
        self,
        name: str,
        config: dict[str, Any] | None = None,
        *,
        function: Callable[..., Any],
    ):
        if not callable(function):
            raise ConfigError(f"system {name!r}: {function!r} is not callable")
        super().__init__(name, config)
        self.function = function
        self._context = _context_params(function)

    @property
    def version(self) -> str:
        """The configured ``version``, else a hash of the function's code."""
        configured = super().version
        return configured or code_fingerprint(self.function)

    def spec(self) -> dict[str, Any]:
        module = getattr(self.function, "__module__", None) or type(self.function).__module__
        return {**super().spec(), "function": f"{module}.{_qualname(self.function)}"}

    def answer_batch(self, requests: Sequence[Request]) -> list[str]:
        groups: dict[tuple[str, str, str], list[int]] = {}
        for i, r in enumerate(requests):
            groups.setdefault((r.task, r.src_lang, r.tgt_lang), []).append(i)
        answers: list[str] = [""] * len(requests)
        for (task, src, tgt), index in groups.items():
            batch = [requests[i] for i in index]
            context = {"task": task, "src_lang": src, "tgt_lang": tgt}
            kwargs = {k: context[k] for k in self._context}
            try:
                got = self.function([r.text for r in batch], **kwargs)
            except Exception as exc:  # the system under test failing fails its batch
                raise system_failure(
                    self.name, batch, f"raised {type(exc).__name__}: {exc}"
                ) from None
            for i, text in zip(
                index,
                check_answers(self.name, batch, got, max_chars=self.values["max_output_chars"]),
                strict=True,
            ):
                answers[i] = text
        return answers
