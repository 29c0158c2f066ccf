"""The judges' prompts, as published, filled in one pass.

The texts live in ``templates/*.json`` (data, not code). Each carries a ``version``
that is part of every cache key: a changed prompt never reuses old answers.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any

Message = dict[str, str]

LANG_NAMES = {"en": "English", "ko": "Korean", "ja": "Japanese"}

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def fill(template: str, values: Mapping[str, Any]) -> str:
    """``template`` with each ``{name}`` of ``values`` replaced, in one pass.

    Unlike ``str.format``, braces that name nothing (JSON examples in a prompt) stay as
    they are, and text inserted for one placeholder is never scanned for another.
    """
    return _PLACEHOLDER.sub(
        lambda m: str(values[m.group(1)]) if m.group(1) in values else m.group(0), template
    )


@cache
def template(name: str) -> dict[str, Any]:
    """The template file ``templates/<name>.json``."""
    text = (
        resources.files("evalkit.judges")
        .joinpath("templates")
        .joinpath(f"{name}.json")
        .read_text(encoding="utf-8")
    )
    data: dict[str, Any] = json.loads(text)
    return data


def lang_name(code: str) -> str:
    """``ko`` -> ``Korean``; unknown codes are used as they are."""
    return LANG_NAMES.get(code, code)


def few_shot_messages(
    name: str, values: Mapping[str, str], *, user_key: str = "user"
) -> list[Message]:
    """GEMBA's conversation: the system message, each example as a user/assistant turn,
    then the segment to judge (``values``: source_lang, source_seg, target_lang,
    target_seg, and reference_seg where the template uses it)."""
    t = template(name)
    messages: list[Message] = [{"role": "system", "content": t["system"]}]
    for shot in t["shots"]:
        messages.append({"role": "user", "content": fill(t["user"], shot)})
        messages.append({"role": "assistant", "content": shot["answer"]})
    messages.append({"role": "user", "content": fill(t[user_key], values)})
    return messages


def segment_values(src_lang: str, source: str, tgt_lang: str, target: str) -> dict[str, str]:
    """The placeholder values GEMBA's templates use for one segment."""
    return {
        "source_lang": lang_name(src_lang),
        "source_seg": source,
        "target_lang": lang_name(tgt_lang),
        "target_seg": target,
    }
