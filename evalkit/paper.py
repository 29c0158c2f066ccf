"""The paper record, the example built from it, and the language, field and pair
constants: a leaf module.

Everything that reads or builds paper records (the digest parsers, alignment, the
arXiv metadata enrichment, :mod:`evalkit.dataset`, publishing) imports these names from
here, so each exists once and no import cycle runs through them. This module imports
nothing from evalkit but the error family (itself a leaf).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from evalkit.errors import DataError

LANGS = ("en", "ko", "ja")
#: The names prompts use for the languages.
LANG_NAMES = {"en": "English", "ko": "Korean", "ja": "Japanese"}
#: Fields with one text per language, always written with every language key.
TEXT_FIELDS = ("title", "summary", "abstract")
#: Notes commentary: ``{"ko": ...}``, plus ``"en"`` when the note has the author's
#: own English version (an ``<english>`` block).
COMMENTARY = "commentary"
#: Fields a translation example can come from.
TRANSLATION_FIELDS = (*TEXT_FIELDS, COMMENTARY)
TASKS = ("translation", "summarization")
#: The real direction of the digests; ko-en and ja-en are available on request.
DEFAULT_TRANSLATION_PAIRS = ("en-ko", "en-ja")
TRANSLATION_PAIRS = ("en-ko", "en-ja", "ko-en", "ja-en")
#: The commentary is written in Korean, then in English by the same author: ko-en is
#: its real direction, en-ko is available on request.
DEFAULT_COMMENTARY_PAIRS = ("ko-en",)
COMMENTARY_PAIRS = ("ko-en", "en-ko")
#: Summarization: abstract -> summary within a language and across.
SUMMARIZATION_PAIRS = ("en-en", "ko-ko", "ja-ja", "en-ko", "en-ja")
SUMMARIZE_FIELD = "summarize"


def pair_of(src_lang: str, tgt_lang: str) -> str:
    """The language pair label of a direction: ``en-ko``."""
    return f"{src_lang}-{tgt_lang}"


def languages_of(pair: str) -> tuple[str, str]:
    """The source and target language of a pair label: ``en-ko`` -> ``("en", "ko")``.

    Raises:
        ValueError: if ``pair`` is not two languages joined by ``-``.
    """
    src, tgt = pair.split("-")
    return src, tgt


def target_of(pair: str) -> str:
    """The target language of a pair label (which picks a slice's tokenizer)."""
    return pair.split("-", 1)[1]


@dataclass(frozen=True)
class Example:
    """One scoring unit: a source text, its reference, and where it comes from.

    ``id`` is ``<paper id>/<field>/<src>-<tgt>`` for translation and
    ``<paper id>/summarize/<src>-<tgt>`` for summarization.
    """

    id: str
    paper_id: str
    week: str
    task: str
    field: str
    src_lang: str
    tgt_lang: str
    source: str
    reference: str

    @property
    def pair(self) -> str:
        return pair_of(self.src_lang, self.tgt_lang)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def texts(**values: str | None) -> dict[str, str | None]:
    """A text field object with every language key (``None`` where absent)."""
    return {lang: values.get(lang) or None for lang in LANGS}


def full_texts(value: dict[str, str | None] | None) -> dict[str, str | None]:
    """``value`` with every language key, in the fixed order."""
    value = value or {}
    return {lang: value.get(lang) for lang in LANGS}


def flag(code: str, field_name: str | None, detail: str) -> dict[str, Any]:
    """A record flag: what the extractor noticed and repaired or could not."""
    return {"code": code, "field": field_name, "detail": detail}


@dataclass(frozen=True)
class Paper:
    """One paper of one week, in every language the digests carry.

    Field meanings are those of the dataset record in the README.
    """

    id: str
    week: str
    week_start: str
    week_end: str
    arxiv_id: str | None
    title: dict[str, str | None]
    summary: dict[str, str | None]
    abstract: dict[str, str | None]
    commentary: dict[str, str | None] | None = None
    authors: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    sources: list[dict[str, Any]] = field(default_factory=list)
    flags: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The record as written to ``papers.jsonl`` (every field, fixed key set)."""
        d = asdict(self)
        for name in TEXT_FIELDS:
            d[name] = full_texts(d[name])
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Paper:
        """Build a paper from a record; unknown keys are ignored (forward compatibility).

        Raises:
            DataError: naming the missing or invalid key.
        """
        try:
            commentary = d.get("commentary")
            if commentary is not None and not isinstance(commentary, dict):
                raise TypeError("'commentary' is not an object")
            return cls(
                id=_str(d, "id"),
                week=_str(d, "week"),
                week_start=_str(d, "week_start"),
                week_end=_str(d, "week_end"),
                arxiv_id=d.get("arxiv_id"),
                title=full_texts(d.get("title")),
                summary=full_texts(d.get("summary")),
                abstract=full_texts(d.get("abstract")),
                commentary=commentary,
                authors=list(d.get("authors") or []),
                tags=list(d.get("tags") or []),
                links=list(d.get("links") or []),
                sources=list(d.get("sources") or []),
                flags=list(d.get("flags") or []),
            )
        except (KeyError, TypeError, AttributeError) as exc:
            raise DataError(f"not a paper record: missing or invalid {exc}") from exc

    def text(self, field_name: str, lang: str) -> str | None:
        """The text of ``field_name`` (title, summary, abstract, commentary) in ``lang``."""
        value: dict[str, str | None] | None = getattr(self, field_name)
        return value.get(lang) if value else None


def _str(d: dict[str, Any], key: str) -> str:
    value = d[key]
    if not isinstance(value, str):
        raise TypeError(f"{key!r} is not a string")
    return value
