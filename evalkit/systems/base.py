"""The system contract: a batch of requests in, one text per request out."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any, ClassVar


@dataclass(frozen=True)
class Request:
    """What a system is asked: translate or summarize ``text``.

    Serialized for ``command`` systems as one JSON line:
    ``{"id", "task", "text", "src_lang", "tgt_lang"}``.
    """

    id: str
    task: str
    text: str
    src_lang: str
    tgt_lang: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class System(ABC):
    """A system under evaluation.

    Args:
        name: The name it was looked up by (a config section, plugin or built-in).
        config: Its configuration (kind-specific keys), as given.
    """

    kind: ClassVar[str] = ""

    def __init__(self, name: str, config: dict[str, Any] | None = None):
        self.name = name
        self.config = dict(config or {})

    @property
    def batch_size(self) -> int:
        return int(self.config.get("batch_size", 8))

    @property
    def version(self) -> str:
        """Changes whenever the system's outputs may change; part of the cache key."""
        return str(self.config.get("version", ""))

    def spec(self) -> dict[str, Any]:
        """The configuration with secrets removed: safe for run.json and cache keys."""
        from evalkit.systems.secrets import redact

        return {"name": self.name, "kind": self.kind, **redact(self.config)}

    @abstractmethod
    def translate_batch(self, requests: Sequence[Request]) -> list[str]:
        """Answer each request, in order.

        Raises:
            SystemError_: naming the system and request ids on any failure.
        """

    def close(self) -> None:  # noqa: B027 (optional hook, nothing to release by default)
        """Release processes, connections or models."""
