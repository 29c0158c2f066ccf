"""Signature helpers shared by the built-in scorers."""

from __future__ import annotations


def evalkit_suffix() -> str:
    """The part every evalkit signature ends with."""
    from evalkit import __version__

    return f"evalkit:{__version__}"


def join(*parts: str) -> str:
    """Join signature parts with ``|``, skipping empty ones."""
    return "|".join(p for p in parts if p)


def with_num_refs(signature: str, counts: set[int]) -> str:
    """``signature`` with sacrebleu's ``nrefs:1`` replaced by the references given:
    ``nrefs:2`` when every segment has two, ``nrefs:var`` when the counts differ."""
    if counts == {1} or not signature.startswith("nrefs:1|"):
        return signature
    value = str(next(iter(counts))) if len(counts) == 1 else "var"
    return f"nrefs:{value}|" + signature[len("nrefs:1|") :]
