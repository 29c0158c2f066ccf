"""FineSurE (Song et al. 2024): faithfulness by fact checking, completeness by key facts.

Faithfulness is the share of summary sentences the judge finds free of factual
errors (nine categories); completeness the share of the source's key facts the
judge can infer from the summary. FineSurE takes key facts as given; evalkit asks the
judge to list them from the abstract first (one cached question per abstract).

Parsing differs from FineSurE's in one way: FineSurE falls back to keyword spotting
and, failing that, to "no error" for every sentence; evalkit counts an answer that is
not the JSON asked for as unparseable, never as a perfect summary.
"""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass
from typing import Any

from evalkit.judges.prompts import fill, template

ERROR_TYPES = (
    "out-of-context error",
    "entity error",
    "predicate error",
    "circumstantial error",
    "grammatical error",
    "coreference error",
    "linking error",
    "other error",
)


def _json_list(answer: str) -> list[Any] | None:
    """The first JSON (or Python-literal) list in ``answer``, or None."""
    text = answer.replace("```json", "").replace("```", "")
    start = text.find("[")
    if start < 0:
        return None
    depth_end = text.rfind("]")
    if depth_end < start:
        return None
    chunk = re.sub(r",\s*\]", "]", text[start : depth_end + 1])  # FineSurE's own example ends ",]"
    for loader in (json.loads, ast.literal_eval):
        try:
            value = loader(chunk)
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            continue
        if isinstance(value, list):
            return value
    return None


def keyfacts_prompt(abstract: str) -> str:
    return fill(template("finesure")["keyfacts"], {"transcript": abstract})


def parse_keyfacts(answer: str) -> list[str] | None:
    """The key facts listed, or None when the answer is not a non-empty list of strings."""
    items = _json_list(answer)
    if not items:
        return None
    facts = [str(x).strip() for x in items if isinstance(x, (str, int, float)) and str(x).strip()]
    return facts or None


def fact_checking_prompt(abstract: str, sentences: list[str]) -> str:
    return fill(
        template("finesure")["fact_checking"],
        {"transcript": abstract, "n_sentences": len(sentences), "sentences": "\n".join(sentences)},
    )


@dataclass(frozen=True)
class FactCheck:
    """Per summary sentence: its error category (``no error`` when faithful)."""

    categories: tuple[str, ...]

    @property
    def faithfulness(self) -> float:
        ok = sum(1 for c in self.categories if c == "no error")
        return ok / len(self.categories)


def parse_fact_checking(answer: str) -> FactCheck | None:
    items = _json_list(answer)
    if not items:
        return None
    categories = []
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("category"), str):
            return None
        categories.append(item["category"].replace("[", "").replace("]", "").strip().lower())
    return FactCheck(tuple(categories))


def alignment_prompt(keyfacts: list[str], sentences: list[str]) -> str:
    summary = "\n".join(f"[{i + 1}] {s}" for i, s in enumerate(sentences))
    return fill(
        template("finesure")["keyfact_alignment"],
        {"summary": summary, "n_keyfacts": len(keyfacts), "keyfacts": "\n".join(keyfacts)},
    )


@dataclass(frozen=True)
class Alignment:
    """Per key fact: whether the summary conveys it."""

    matched: tuple[bool, ...]

    @property
    def completeness(self) -> float:
        return sum(self.matched) / len(self.matched)


def parse_alignment(answer: str) -> Alignment | None:
    items = _json_list(answer)
    if not items:
        return None
    matched = []
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("response"), str):
            return None
        matched.append(item["response"].strip().lower() == "yes")
    return Alignment(tuple(matched))
