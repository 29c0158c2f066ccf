"""Language-aware tokenizers for ROUGE, shared by every ROUGE scorer of a process.

rouge-score's tokenizer replaces every character outside ``[a-z0-9]`` by a space, so
Korean and Japanese text disappears. For those languages ROUGE counts MeCab
morphemes (the same tokenizer object BLEU uses), lowercased, without tokens that
hold no letter or digit (punctuation, as rouge-score drops it for English). English
keeps rouge-score's own tokenizer with Porter stemming, the usual setting.

Tokens are also mapped to integer ids so the LCS runs in rapidfuzz on exact keys.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import Any

from evalkit.scorers.tokenizers import get_tokenizer

#: ``tokenize`` value that selects rouge-score's own tokenizer.
ROUGE_DEFAULT = "rouge"
_MECAB = {"ko": "ko-mecab", "ja": "ja-mecab"}
_CACHE = 2**16


class RougeTokenizer:
    """Tokenizes text for ROUGE and maps tokens to stable integer ids.

    Args:
        name: ``rouge`` (rouge-score's tokenizer) or a sacrebleu tokenizer name.
        stem: Porter stemming (rouge-score tokenizer only).
    """

    def __init__(self, name: str, stem: bool):
        self.name = name
        self.stem = stem and name == ROUGE_DEFAULT
        self._vocab: dict[str, int] = {}
        if name == ROUGE_DEFAULT:
            from nltk.stem import porter
            from rouge_score import tokenize as rs_tokenize

            self._rs_tokenize = rs_tokenize.tokenize
            self._stemmer = _CachedStemmer(porter.PorterStemmer()) if self.stem else None
            self._tok = None
        else:
            self._tok = get_tokenizer(name)
        self.tokens = lru_cache(maxsize=_CACHE)(self._tokens)
        self.ids = lru_cache(maxsize=_CACHE)(self._ids)

    def _tokens(self, text: str) -> tuple[str, ...]:
        if self._tok is None:
            return tuple(self._rs_tokenize(text, self._stemmer))
        return tuple(t.lower() for t in self._tok(text.rstrip()).split() if _has_alnum(t))

    def _ids(self, text: str) -> tuple[int, ...]:
        vocab = self._vocab
        out = []
        for t in self.tokens(text):
            i = vocab.get(t)
            if i is None:
                i = vocab[t] = len(vocab)
            out.append(i)
        return tuple(out)

    def signature(self) -> str:
        if self._tok is None:
            return f"tok:rouge-score|stem:{'porter' if self.stem else 'no'}"
        return f"tok:{self._tok.signature()}|lc:yes|punct:dropped|stem:no"  # type: ignore[attr-defined]


class _CachedStemmer:
    """Porter stemming memoised per word (stemming dominates rouge-score's tokenizer)."""

    def __init__(self, stemmer: Any):
        self.stem = lru_cache(maxsize=_CACHE)(stemmer.stem)


def _has_alnum(token: str) -> bool:
    return any(c.isalnum() for c in token)


_lock = threading.Lock()
_tokenizers: dict[tuple[str, bool], RougeTokenizer] = {}


def default_rouge_tokenizer(lang: str) -> str:
    """MeCab for Korean and Japanese, rouge-score's tokenizer otherwise."""
    return _MECAB.get(lang, ROUGE_DEFAULT)


def get_rouge_tokenizer(name: str, stem: bool = True) -> RougeTokenizer:
    """The process-wide :class:`RougeTokenizer` for ``name`` and ``stem``."""
    key = (name, stem and name == ROUGE_DEFAULT)
    with _lock:
        tok = _tokenizers.get(key)
        if tok is None:
            tok = _tokenizers[key] = RougeTokenizer(name, key[1])
    return tok
