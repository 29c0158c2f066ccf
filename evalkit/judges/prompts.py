"""The judges' prompts, as published, filled in one pass.

The texts live in ``templates/*.json`` (data, not code). Each carries a ``version``
that is part of every cache key: a changed prompt never reuses old answers.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any

from evalkit.paper import LANG_NAMES
from evalkit.systems.prompt_file import fill  # the one single-pass placeholder filler

Message = dict[str, str]


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
