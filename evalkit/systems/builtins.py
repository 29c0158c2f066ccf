"""Built-in systems: floors, ceilings and the lead baseline.

- ``copy-source``: answers the source text unchanged (a floor: the target-script share
  and BLEU of not translating at all);
- ``reference``: answers the reference (a ceiling and a sanity check: BLEU 100);
- ``lead``: the first sentence(s) of the source, the classic summarization baseline.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from evalkit.option_checks import positive
from evalkit.options import Option, declare
from evalkit.systems.base import COMMON_OPTIONS, Request, System
from evalkit.systems.common import system_failure
from evalkit.systems.sentences import lead

if TYPE_CHECKING:
    from evalkit.dataset import Example


class _Builtin(System):
    options = declare(
        COMMON_OPTIONS,
        (Option("batch_size", int, 64, "requests per call", check=positive, identity=False),),
    )
    #: Answers cost nothing, so they are not cached.
    cacheable: ClassVar[bool] = False
    #: Tasks a run of this system covers unless ``--tasks`` says otherwise.
    default_tasks: ClassVar[tuple[str, ...]] = ("translation",)

    @property
    def version(self) -> str:
        from evalkit import __version__

        return __version__


class CopySource(_Builtin):
    """Answers the source text: what a system that does nothing scores."""

    kind = "copy-source"

    def answer_batch(self, requests: Sequence[Request]) -> list[str]:
        return [r.text for r in requests]


class Reference(_Builtin):
    """Answers the reference text of each example: every metric at its best."""

    kind = "reference"

    def __init__(self, name: str, config: dict[str, Any] | None = None, **kwargs: Any):
        super().__init__(name, config)
        self._references: dict[str, str] = {}

    def use_examples(self, examples: Iterable[Example]) -> None:
        """Learn the references of the examples about to be requested."""
        self._references.update({e.id: e.reference for e in examples})

    def answer_batch(self, requests: Sequence[Request]) -> list[str]:
        missing = [r for r in requests if r.id not in self._references]
        if missing:
            raise system_failure(self.name, missing, "no reference known for this id")
        return [self._references[r.id] for r in requests]


class Lead(_Builtin):
    """The first ``sentences`` sentences of the source (default 2).

    On cross-lingual summarization pairs (en-ko, en-ja) it answers in the source
    language, which the target-script metric shows.
    """

    kind = "lead"
    options = declare(
        _Builtin.options,
        (Option("sentences", int, 2, "sentences kept from the source", check=positive),),
    )
    default_tasks: ClassVar[tuple[str, ...]] = ("summarization",)

    def __init__(self, name: str, config: dict[str, Any] | None = None, **kwargs: Any):
        super().__init__(name, config)
        self.sentences: int = self.values["sentences"]

    def answer_batch(self, requests: Sequence[Request]) -> list[str]:
        return [lead(r.text, self.sentences) for r in requests]
