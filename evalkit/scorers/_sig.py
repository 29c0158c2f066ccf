"""Signature helpers shared by the built-in scorers."""

from __future__ import annotations


def evalkit_suffix() -> str:
    """The part every evalkit signature ends with."""
    from evalkit import __version__

    return f"evalkit:{__version__}"


def join(*parts: str) -> str:
    """Join signature parts with ``|``, skipping empty ones."""
    return "|".join(p for p in parts if p)
