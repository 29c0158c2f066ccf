"""Realistic en/ko/ja segments for the scorer tests (files built by tests/data/scorers/make.py)."""

from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data" / "scorers"
LANGS = ("en", "ko", "ja")
TOKENIZERS = {"en": "13a", "ko": "ko-mecab", "ja": "ja-mecab"}


def data_path(lang: str, name: str) -> Path:
    return DATA / f"{lang}.{name}.txt"


def read(lang: str, name: str) -> list[str]:
    from evalkit.scorers.corpus import read_segments

    return read_segments(data_path(lang, name))
