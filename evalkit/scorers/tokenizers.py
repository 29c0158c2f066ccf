"""One tokenizer object per name per process, shared by every scorer.

sacrebleu builds a new tokenizer inside every ``BLEU(...)`` and its MeCab tokenizers
are never freed (their ``__call__`` is an ``lru_cache`` that keeps each instance
alive), so re-creating ``ko-mecab`` leaks about four memory maps each time until the
process dies. Every evalkit scorer asks this module instead: BLEU, TER
pre-tokenization, ROUGE and ``length_ratio`` all use the same object, and its
``lru_cache`` means a text tokenized for BLEU is not tokenized again for ROUGE.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from evalkit.didyoumean import suggest
from evalkit.errors import ConfigError

#: The tokenizer used for each target language when none is given.
LANG_TOKENIZERS = {"ko": "ko-mecab", "ja": "ja-mecab", "zh": "zh"}
DEFAULT_TOKENIZER = "13a"
#: Target languages evalkit picks tokenizers for: its own (en, ko, ja), Chinese, and
#: languages written with spaces between words, for which ``13a`` is sacrebleu's choice.
KNOWN_LANGS = (
    "en", "ko", "ja", "zh",
    "ar", "bg", "cs", "da", "de", "el", "es", "et", "fi", "fr", "ga", "hi", "hr", "hu",
    "id", "it", "lt", "lv", "mt", "nl", "no", "pl", "pt", "ro", "ru", "sk", "sl", "sv",
    "tr", "uk", "vi",
)  # fmt: skip
#: Country codes mistaken for language codes: named in the error, never accepted.
_COUNTRY_CODES = {"kr": "ko", "jp": "ja", "cn": "zh", "gr": "el", "cz": "cs", "ua": "uk"}

_lock = threading.Lock()
_built: dict[str, Any] = {}


def canonical_lang(lang: str, *, tokenizer_given: bool = False) -> str:
    """The language code ``lang`` stands for: ``KO`` and `` ko `` are ``ko``.

    Args:
        lang: A target language code, any case.
        tokenizer_given: Whether the caller names the tokenizer itself; then any code
            is accepted (lowercased), since the language picks nothing.

    Raises:
        ConfigError: naming ``lang`` and listing the known languages, when it is not
            one of :data:`KNOWN_LANGS` and no tokenizer is given.
    """
    code = str(lang).strip().lower()
    if code in KNOWN_LANGS or (tokenizer_given and code):
        return code
    hint = (
        f"; {code!r} is a country code, did you mean {_COUNTRY_CODES[code]!r}?"
        if code in _COUNTRY_CODES
        else ""
    )
    listing = suggest(code, KNOWN_LANGS)
    if hint:
        listing = listing.split("; did you mean")[0] + hint
    return _raise(
        f"unknown target language {lang!r} (it picks the tokenizer; give one explicitly"
        f" to score another language); {listing}"
    )


def _raise(message: str) -> str:
    raise ConfigError(message)


def default_tokenizer(lang: str) -> str:
    """The tokenizer name for target language ``lang`` (``13a`` unless ko/ja/zh)."""
    return LANG_TOKENIZERS.get(lang, DEFAULT_TOKENIZER)


def tokenizer_names() -> list[str]:
    """Names of the sacrebleu tokenizers that can be requested."""
    from sacrebleu.metrics.bleu import BLEU

    return sorted(BLEU.TOKENIZERS)


def get_tokenizer(name: str) -> Callable[[str], str]:
    """The process-wide sacrebleu tokenizer ``name`` (built on first use, then reused).

    The returned object maps a line to a space-separated token string and has a
    ``signature()`` method (e.g. ``ko-mecab-0.996/ko-0.9.2-KO``).

    Raises:
        ConfigError: if ``name`` is unknown or its dependencies are missing.
    """
    tok = _built.get(name)
    if tok is not None:
        return tok  # type: ignore[no-any-return]
    with _lock:
        tok = _built.get(name)
        if tok is None:
            tok = _build(name)
            _built[name] = tok
    return tok  # type: ignore[no-any-return]


def _build(name: str) -> Any:
    from sacrebleu.metrics.bleu import _TOKENIZERS, _get_tokenizer

    if name not in _TOKENIZERS:
        raise ConfigError(f"unknown tokenizer {name!r}; {suggest(name, _TOKENIZERS)}")
    try:
        tok = _get_tokenizer(name)()
    except (RuntimeError, ImportError) as exc:
        extra = {"ko-mecab": "ko", "ja-mecab": "ja"}.get(name, "")
        hint = f" (pip install 'sacrebleu[{extra}]')" if extra else ""
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ConfigError(f"tokenizer {name!r} is not available: {first}{hint}") from exc
    return _LongLines(tok) if name in ("ko-mecab", "ja-mecab") else tok


#: MeCab gives up on a line of a few megabytes (sacrebleu then fails with "'NoneType'
#: object has no attribute 'strip'") and takes quadratic time on a run of characters it
#: does not know (100,000 letters without a space: 13 s). Lines longer than _MECAB_LINE,
#: or holding more than _MECAB_RUN characters without a space, are tokenized in pieces
#: of at most _MECAB_RUN characters, cut at a space where there is one. No real text
#: comes near either limit, so real texts are tokenized exactly as sacrebleu does.
_MECAB_LINE = 100_000
_MECAB_RUN = 5_000


def _pieces(line: str) -> list[str]:
    pieces = []
    start, n = 0, len(line)
    while n - start > _MECAB_RUN:
        cut = line.rfind(" ", start, start + _MECAB_RUN)
        end = cut if cut > start else start + _MECAB_RUN
        pieces.append(line[start:end])
        start = end
    pieces.append(line[start:])
    return pieces


class _LongLines:
    """A MeCab tokenizer that survives degenerate lines (see :data:`_MECAB_LINE`)."""

    def __init__(self, tok: Any):
        self._tok = tok

    def __call__(self, line: str) -> str:
        if len(line) <= _MECAB_RUN or (
            len(line) <= _MECAB_LINE and max(map(len, line.split(" "))) <= _MECAB_RUN
        ):
            return str(self._tok(line))
        return " ".join(t for t in (str(self._tok(p)) for p in _pieces(line)) if t)

    def signature(self) -> str:
        return str(self._tok.signature())


def tokenizer_signature(name: str) -> str:
    """The sacrebleu signature of tokenizer ``name``."""
    return str(get_tokenizer(name).signature())  # type: ignore[attr-defined]
