"""Chat prompt templates from a file, for ``openai`` systems (``prompt_file = "..."``).

The file is TOML (or JSON) holding chat messages with placeholders, for every task or
per task::

    [[messages]]                       # used for every task ...
    role = "system"
    content = "You translate {field}s of machine-learning papers."

    [[messages]]
    role = "user"
    content = "{src_name} to {tgt_name}:\\n\\n{text}"

    [[summarization.messages]]         # ... unless the task has its own
    role = "user"
    content = "Summarize in {tgt_name}:\\n\\n{text}"

Placeholders: ``{text}``, ``{src_lang}``, ``{tgt_lang}``, ``{src_name}``, ``{tgt_name}``,
``{task}``, ``{field}``. Few-shot examples (``few_shot = N``) are inserted before the last
user message as user/assistant turns, the user turn rendered from that last message
with the example's text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evalkit.errors import ConfigError

PLACEHOLDERS = ("text", "src_lang", "tgt_lang", "src_name", "tgt_name", "task", "field")
ROLES = ("system", "user", "assistant")
TASKS = ("translation", "summarization")
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class PromptFile:
    """Validated message templates: ``by_task[task]`` is a tuple of ``(role, content)``."""

    path: str
    by_task: Mapping[str, tuple[tuple[str, str], ...]]

    def messages(
        self, values: Mapping[str, str], shots: Sequence[tuple[str, str]] = ()
    ) -> list[dict[str, str]]:
        """The conversation for one request (``values`` fill the placeholders)."""
        template = self.by_task[values["task"]]
        last_user = max(i for i, (role, _) in enumerate(template) if role == "user")
        out: list[dict[str, str]] = []
        for i, (role, content) in enumerate(template):
            if i == last_user:
                for text, target in shots:
                    out.append({"role": "user", "content": fill(content, {**values, "text": text})})
                    out.append({"role": "assistant", "content": target})
            out.append({"role": role, "content": fill(content, values)})
        return out


def fill(template: str, values: Mapping[str, Any]) -> str:
    """``template`` with each ``{name}`` of ``values`` replaced, in one pass.

    Unlike ``str.format``, braces that name nothing (JSON examples in a judge's prompt)
    stay as they are, and text inserted for one placeholder is never scanned for another.
    """
    return _PLACEHOLDER.sub(
        lambda m: str(values[m.group(1)]) if m.group(1) in values else m.group(0), template
    )


def _messages(raw: Any, where: str) -> tuple[tuple[str, str], ...]:
    if not isinstance(raw, list) or not raw:
        raise ConfigError(f"{where}: messages must be a non-empty list of {{role, content}}")
    out = []
    for n, msg in enumerate(raw, 1):
        if not isinstance(msg, dict):
            raise ConfigError(f"{where}: message {n} must be a table with role and content")
        unknown = sorted(set(msg) - {"role", "content"})
        if unknown:
            raise ConfigError(f"{where}: message {n} has unknown key {unknown[0]!r}")
        role, content = msg.get("role"), msg.get("content")
        if role not in ROLES:
            raise ConfigError(f"{where}: message {n} role must be one of {', '.join(ROLES)}")
        if not isinstance(content, str):
            raise ConfigError(f"{where}: message {n} content must be a string")
        for name in _PLACEHOLDER.findall(content):
            if name not in PLACEHOLDERS:
                raise ConfigError(
                    f"{where}: message {n} has an unknown placeholder {{{name}}};"
                    f" use {', '.join('{' + p + '}' for p in PLACEHOLDERS)}"
                )
        out.append((role, content))
    if not any(role == "user" for role, _ in out):
        raise ConfigError(f"{where}: the messages need at least one user message")
    return tuple(out)


def load_prompt_file(path: str | Path) -> PromptFile:
    """Read and validate a prompt file; every error names the file."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"prompt file {p}: cannot be read ({exc})") from None
    try:
        if p.suffix == ".json":
            data = json.loads(text)
        else:
            try:
                import tomllib
            except ModuleNotFoundError:  # Python 3.10
                import tomli as tomllib  # type: ignore[no-redef]
            data = tomllib.loads(text)
    except ValueError as exc:
        kind = "JSON" if p.suffix == ".json" else "TOML"
        raise ConfigError(f"prompt file {p}: not valid {kind}: {exc}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"prompt file {p}: must hold a table")
    unknown = sorted(set(data) - {"messages", *TASKS})
    if unknown:
        raise ConfigError(
            f"prompt file {p}: unknown key {unknown[0]!r} (messages, {', '.join(TASKS)})"
        )
    default = _messages(data["messages"], f"prompt file {p}") if "messages" in data else None
    by_task: dict[str, tuple[tuple[str, str], ...]] = {}
    for task in TASKS:
        if task in data:
            table = data[task]
            if not isinstance(table, dict) or set(table) != {"messages"}:
                raise ConfigError(f"prompt file {p}: [{task}] must hold only messages")
            by_task[task] = _messages(table["messages"], f"prompt file {p} [{task}]")
        elif default is not None:
            by_task[task] = default
    if not by_task:
        raise ConfigError(f"prompt file {p}: no messages")
    return PromptFile(str(p), by_task)
