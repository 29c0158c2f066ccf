"""PyTorchKR weekly post, Korean edition (``[2023/10/09 ~ 10/15] 이번 주의 주요 ML 논문``).

Sections ``논문 소개`` (summary), ``논문 초록`` / ``논문 초록(Abstract)`` (abstract),
``논문 링크``, ``더 읽어보기``, and ``원문`` before the closing boilerplate. Korean
summaries may end with the post's tag words (``... 제공합니다. survey-paper llm``).
"""

from __future__ import annotations

from evalkit.digests import pytorchkr
from evalkit.digests.model import ParseResult

FORMAT = "pytorchkr-ko"

DIALECT = pytorchkr.Dialect(
    format=FORMAT,
    lang="ko",
    language="Korean",
    labels={
        "논문소개": pytorchkr.SUMMARY,
        "논문초록": pytorchkr.ABSTRACT,
        "논문링크": pytorchkr.LINKS,
        "더읽어보기": pytorchkr.MORE,
        "원문": pytorchkr.CLOSING,
    },
    bare_tags=True,
)


def parse(lines: list[str], *, file: str) -> ParseResult:
    """Parse the clean lines of a Korean post."""
    return pytorchkr.parse(lines, file=file, dialect=DIALECT)
