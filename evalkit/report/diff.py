"""Where an output differs from its reference: token diff, character-level for CJK.

Korean, Japanese and Chinese characters are one token each (Japanese has no spaces, and
a Korean word differs from its reference by a particle more often than as a whole);
other scripts diff by word, punctuation by character.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from evalkit.report.htmlkit import Markup, el, join

_CJK = (
    "\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u31f0-\u31ff\u3400-\u4dbf"
    "\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff66-\uff9f"
)
_TOKEN = re.compile(rf"[{_CJK}]|(?:(?![{_CJK}])\w)+|\s+|[^\w\s]")

#: Above this many tokens per side, texts are shown without highlighting
#: (difflib is quadratic in the worst case; degenerate outputs must not stall a report).
MAX_TOKENS = 4000


def tokens(text: str) -> list[str]:
    """Diff tokens whose concatenation is ``text``."""
    return _TOKEN.findall(text)


@dataclass(frozen=True)
class Piece:
    """A run of text: ``equal``, ``missing`` (in the reference only) or ``extra`` (output only)."""

    kind: str
    text: str


def diff(reference: str, output: str) -> tuple[list[Piece], list[Piece]]:
    """Reference pieces (``equal``/``missing``) and output pieces (``equal``/``extra``).

    Returns both sides whole; when either is longer than :data:`MAX_TOKENS` tokens each
    side is one ``equal`` piece.
    """
    ref_t, out_t = tokens(reference), tokens(output)
    if (
        "".join(ref_t) != reference or "".join(out_t) != output
    ):  # pragma: no cover - the regex covers all
        return [Piece("equal", reference)], [Piece("equal", output)]
    if len(ref_t) > MAX_TOKENS or len(out_t) > MAX_TOKENS:
        return [Piece("equal", reference)], [Piece("equal", output)]
    matcher = difflib.SequenceMatcher(None, ref_t, out_t, autojunk=False)
    ref_p: list[Piece] = []
    out_p: list[Piece] = []
    ops = matcher.get_opcodes()
    for k, (op, i1, i2, j1, j2) in enumerate(ops):
        a, b = "".join(ref_t[i1:i2]), "".join(out_t[j1:j2])
        # A lone space between two changes is part of the change:
        # "<del>a b</del>", not "<del>a</del> <del>b</del>".
        between = 0 < k < len(ops) - 1 and ops[k - 1][0] != "equal" and ops[k + 1][0] != "equal"
        if op == "equal" and not (between and a.isspace()):
            _add(ref_p, "equal", a)
            _add(out_p, "equal", b)
        else:
            _add(ref_p, "missing", a)
            _add(out_p, "extra", b)
    return ref_p, out_p


def _add(pieces: list[Piece], kind: str, text: str) -> None:
    if not text:
        return
    if pieces and pieces[-1].kind == kind:
        pieces[-1] = Piece(kind, pieces[-1].text + text)
    else:
        pieces.append(Piece(kind, text))


def to_html(pieces: list[Piece]) -> Markup:
    """Pieces as escaped HTML: ``<del>`` for missing text, ``<ins>`` for extra text."""
    out: list[str] = []
    for p in pieces:
        if p.kind == "missing":
            out.append(el("del", p.text, title="missing from the output"))
        elif p.kind == "extra":
            out.append(el("ins", p.text, title="not in the reference"))
        else:
            out.append(p.text)
    return join(out)
