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
#: Texts whose ids are kept: enough for ROUGE-1, -2 and -L to share the work on a
#: chunk of segments of several systems, small enough to bound memory.
_CACHE = 8192


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
        # Raw MeCab token -> id of its lowercased form, or -1 for punctuation: one dict
        # lookup per token instead of lowercasing and testing each token every time.
        self._raw_ids: dict[str, int] = {}
        if name == ROUGE_DEFAULT:
            from nltk.stem import porter
            from rouge_score import tokenize as rs_tokenize

            self._rs_tokenize = rs_tokenize.tokenize
            self._stemmer = _CachedStemmer(porter.PorterStemmer()) if self.stem else None
            self._tok = None
        else:
            self._tok = get_tokenizer(name)
        self.ids = lru_cache(maxsize=_CACHE)(self._ids)

    def tokens(self, text: str) -> tuple[str, ...]:
        """The tokens ROUGE compares for ``text``."""
        if self._tok is None:
            return tuple(self._rs_tokenize(text, self._stemmer))
        return tuple(t.lower() for t in self._tok(text.rstrip()).split() if _has_alnum(t))

    def _id(self, token: str) -> int:
        i = self._vocab.get(token)
        if i is None:
            i = self._vocab[token] = len(self._vocab)
        return i

    def _ids(self, text: str) -> tuple[int, ...]:
        if self._tok is None:
            vocab = self._vocab
            toks = self.tokens(text)
            try:
                return tuple([vocab[t] for t in toks])
            except KeyError:
                return tuple([self._id(t) for t in toks])
        raw = self._tok(text.rstrip()).split()
        table = self._raw_ids
        try:
            return tuple(filter(_KEPT, map(table.__getitem__, raw)))
        except KeyError:
            for t in raw:
                if t not in table:
                    table[t] = self._id(t.lower()) if _has_alnum(t) else -1
            return tuple(filter(_KEPT, map(table.__getitem__, raw)))

    def signature(self) -> str:
        if self._tok is None:
            return f"tok:rouge-score|stem:{'porter' if self.stem else 'no'}"
        return f"tok:{self._tok.signature()}|lc:yes|punct:dropped|stem:no"  # type: ignore[attr-defined]


class _CachedStemmer:
    """Porter stemming memoised per word (stemming dominates rouge-score's tokenizer)."""

    def __init__(self, stemmer: Any):
        self.stem = lru_cache(maxsize=2**16)(stemmer.stem)


_KEPT = (-1).__ne__  # id -1 marks a dropped (punctuation) token


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
