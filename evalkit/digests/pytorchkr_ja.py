"""PyTorchKR weekly post, Japanese edition (``[2023/09/04 ~ 09/10] 今週の主要ML論文``).

Sections ``論文紹介`` (summary: ``- `` Japanese and ``> `` English lines), ``論文要旨``
(abstract, likewise), ``論文リンク``, ``さらに読む``, and ``原文`` before the closing
boilerplate. Japanese summaries may end with ``#tag`` words.
"""

from __future__ import annotations

from evalkit.digests import pytorchkr
from evalkit.digests.model import ParseResult

FORMAT = "pytorchkr-ja"

DIALECT = pytorchkr.Dialect(
    format=FORMAT,
    lang="ja",
    language="Japanese",
    labels={
        "論文紹介": pytorchkr.SUMMARY,
        "論文要旨": pytorchkr.ABSTRACT,
        "論文リンク": pytorchkr.LINKS,
        "さらに読む": pytorchkr.MORE,
        "原文": pytorchkr.CLOSING,
    },
    bare_tags=False,
)


def parse(lines: list[str], *, file: str) -> ParseResult:
    """Parse the clean lines of a Japanese post."""
    return pytorchkr.parse(lines, file=file, dialect=DIALECT)
