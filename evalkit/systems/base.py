"""The system contract: a batch of requests in, one text per request out.

Every system kind declares its options once (:attr:`System.options`, a tuple of
:class:`~evalkit.options.Option`); the constructor validates the table it is given
against that declaration, and :meth:`System.spec` (the cache key and the run's record)
is built from the validated options, never from the table as written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any, ClassVar

from evalkit.option_checks import non_empty, positive
from evalkit.options import Option, identity_options, validate

#: Options every kind takes.
COMMON_OPTIONS: tuple[Option, ...] = (
    Option("batch_size", int, 8, "requests per call", check=positive, identity=False),
    Option(
        "version",
        (str, int, float),
        None,
        "change it to invalidate cached outputs",
        check=lambda v: non_empty(str(v)),
    ),
    Option(
        "max_output_chars",
        int,
        100_000,
        "a longer answer fails",
        check=positive,
        identity=False,
    ),
    Option("description", str, None, "free text, shown by `evalkit run --list`", identity=False),
    Option(
        "strip_reasoning",
        bool,
        True,
        "remove <think> blocks from outputs before scoring (outputs.jsonl keeps the raw text)",
    ),
)


@dataclass(frozen=True)
class Request:
    """What a system is asked: translate or summarize ``text``.

    Serialized for ``command`` systems as one JSON line:
    ``{"id", "task", "text", "src_lang", "tgt_lang"}``, plus ``field`` and ``shots``
    (few-shot ``[source, target]`` pairs from other weeks) when they are set.
    """

    id: str
    task: str
    text: str
    src_lang: str
    tgt_lang: str
    #: The dataset field (``title``, ``abstract``...), where known.
    field: str = ""
    #: Few-shot examples ``(source, target)`` for systems that prompt (``few_shot = N``).
    shots: tuple[tuple[str, str], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        if not self.field:
            del out["field"]
        if self.shots:
            out["shots"] = [list(s) for s in self.shots]
        else:
            del out["shots"]
        return out


def declares_options(cls: type) -> bool:
    """Whether ``cls`` (or a parent below :class:`System`) declares its own options.

    A plugin class that declares none keeps accepting any key, as before options were
    declared; only the common options are checked for it.
    """
    for klass in cls.__mro__:
        if klass is System:
            return False
        if "options" in vars(klass):
            return True
    return False


class System:
    """A system under evaluation.

    Args:
        name: The name it was looked up by (a config section, plugin or built-in).
        config: Its options (kind-specific keys), validated against :attr:`options`.

    Attributes:
        options: The declared options (class attribute); on an instance, ``self.values``
            holds every declared option with defaults filled in.
        config: The options as given, validated and normalized (integers given for
            numbers are floats), without defaults.

    Raises:
        ConfigError: one line naming the system and the key, for an unknown key, a
            missing required key, a wrong type, NaN or infinity.
    """

    kind: ClassVar[str] = ""
    options: ClassVar[tuple[Option, ...]] = COMMON_OPTIONS
    #: True for a kind that retries failed requests itself (its own ``retries`` option,
    #: per request, honouring Retry-After): the runner then calls each batch once, so
    #: retries never multiply. Every other kind is retried by the runner, per batch.
    retries_itself: ClassVar[bool] = False

    def __init__(self, name: str, config: dict[str, Any] | None = None):
        cls = type(self)
        undefined = cls.answer_batch is System.answer_batch
        if undefined and cls.translate_batch is System.translate_batch:
            raise TypeError(f"{cls.__name__} must define answer_batch (or translate_batch)")
        self.name = name
        raw = {k: v for k, v in dict(config or {}).items() if k != "kind"}
        strict = declares_options(type(self))
        declared = type(self).options
        known = {o.name for o in declared}
        checked = raw if strict else {k: v for k, v in raw.items() if k in known}
        self.values: dict[str, Any] = validate(checked, declared, where=f"system {name!r}")
        self.config: dict[str, Any] = {
            k: (self.values[k] if k in known else v) for k, v in raw.items()
        }

    @property
    def batch_size(self) -> int:
        return int(self.values.get("batch_size") or 8)

    @property
    def version(self) -> str:
        """Changes whenever the system's outputs may change; part of the cache key."""
        value = self.values.get("version")
        return "" if value is None else str(value)

    def spec(self) -> dict[str, Any]:
        """What identifies the system's outputs, secrets removed: run.json and cache keys.

        The validated options that can change an output and differ from their default
        (see :func:`evalkit.options.canonical`), so the same settings written two ways
        give one key, and a changed timeout keeps the cache.
        """
        from evalkit.systems.secrets import redact

        declared = type(self).options
        known = {o.name for o in declared}
        extra = {k: v for k, v in self.config.items() if k not in known}
        return {
            "name": self.name,
            "kind": self.kind,
            **redact({**identity_options(self.values, declared), **extra}),
        }

    def answer_batch(self, requests: Sequence[Request]) -> list[str]:
        """Answer each request, in order: a translation or a summary, as ``task`` says.

        A subclass implements this, or ``translate_batch`` (the name evalkit 0.1 used;
        both keep working, whichever one a subclass defines).

        Raises:
            SystemFailure: naming the system and request ids on any failure.
        """
        if type(self).translate_batch is System.translate_batch:
            raise NotImplementedError(f"{type(self).__name__} defines no answer_batch")
        return self.translate_batch(requests)

    def translate_batch(self, requests: Sequence[Request]) -> list[str]:
        """The evalkit 0.1 name of :meth:`answer_batch` (it summarizes too)."""
        if type(self).answer_batch is System.answer_batch:
            raise NotImplementedError(f"{type(self).__name__} defines no answer_batch")
        return self.answer_batch(requests)

    def close(self) -> None:  # noqa: B027 (optional hook, nothing to release by default)
        """Release processes, connections or models."""
