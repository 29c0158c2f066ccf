"""Reasoning text that models put before their answer.

Models served with a reasoning parser off (vLLM, Ollama, llama.cpp) return
``<think>...</think>`` before the answer, and some chat templates open the turn with
``<think>`` themselves, so the answer starts inside it and only the closing tag appears.
The raw text is kept where it is recorded; scorers and judges see the stripped text.
"""

from __future__ import annotations

import re

DEFAULT_TAGS = ("think", "thinking", "reasoning")


def strip_reasoning(text: str, tags: tuple[str, ...] = DEFAULT_TAGS) -> str:
    """``text`` without reasoning blocks.

    - every ``<tag>...</tag>`` block is removed;
    - a closing ``</tag>`` with no opening (the template opened it): everything up to it
      is removed;
    - an opening ``<tag>`` never closed (the model ran out of tokens while thinking):
      everything from it is removed, so the answer is empty rather than the reasoning.
    """
    if not tags:
        return text
    names = "|".join(re.escape(t) for t in tags)
    out = re.sub(rf"<({names})\b[^>]*>.*?</\1\s*>", "", text, flags=re.S | re.I)
    closing = list(re.finditer(rf"</(?:{names})\s*>", out, flags=re.I))
    if closing:
        out = out[closing[-1].end() :]
    opening = re.search(rf"<(?:{names})\b[^>]*>", out, flags=re.I)
    if opening:
        out = out[: opening.start()]
    return out.strip()
