"""A judge answered by an ``openai`` system declared in ``evalkit.toml``.

The judge inherits everything of that kind: concurrency, retries and backoff,
request deadlines, redirect and secret handling, and any OpenAI-compatible server
(a hosted API, vLLM, TGI, Ollama, llama.cpp).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from evalkit.errors import ConfigError
from evalkit.judges.client import Answer, Usage
from evalkit.judges.prompts import Message


class OpenAIJudgeBackend:
    """Sends judge conversations through an :class:`OpenAISystem`."""

    def __init__(self, system: Any):
        self.system = system

    def identity(self) -> dict[str, Any]:
        spec = self.system.spec()
        return {
            "kind": "openai",
            "model": spec.get("model"),
            "base_url": spec.get("base_url"),
            "temperature": spec.get("temperature", 0),
            "max_tokens": spec.get("max_tokens"),
            "extra_body": spec.get("extra_body"),
            "system_version": self.system.version,
        }

    def complete(self, conversations: Sequence[list[Message]]) -> list[Answer | Exception]:
        out: list[Answer | Exception] = []
        for result in self.system.chat(list(conversations)):
            if isinstance(result, Exception):
                out.append(result)
            else:
                out.append(
                    Answer(result.text, Usage(result.prompt_tokens, result.completion_tokens))
                )
        return out

    def close(self) -> None:
        self.system.close()


def backend_for_system(name: str, cwd: str | None = None) -> OpenAIJudgeBackend:
    """The backend of the system ``name``, which must be of kind ``openai``."""
    from evalkit.systems.openai_compat import OpenAISystem
    from evalkit.systems.resolve import resolve_system

    system = resolve_system(name, cwd=cwd)
    if not isinstance(system, OpenAISystem):
        raise ConfigError(
            f"judge {name!r} is a system of kind {system.kind!r}; a judge must be an"
            " openai system (kind = 'openai' in evalkit.toml)"
        )
    return OpenAIJudgeBackend(system)
