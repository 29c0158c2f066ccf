"""Untrusted text made safe to print on a terminal.

A system's stderr, an HTTP error body or a name from someone else's file may hold
escape sequences that clear the screen, set the window title (OSC), move the cursor
or hide what follows. :func:`terminal_safe` removes them before such text is printed
or put into a message.
"""

from __future__ import annotations

import re

#: ESC-introduced sequences: CSI (``ESC [ ... final``), OSC/DCS/SOS/PM/APC strings ended
#: by BEL or ST (or left unterminated), and two-byte escapes; then the 8-bit C1 forms.
_SEQUENCES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]?"  # CSI
    r"|\x1b[\]PX^_][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"  # OSC, DCS, SOS, PM, APC
    r"|\x1b[ -/]*[0-~]?"  # other escapes (charset selection, RIS, ...)
    r"|\x9b[0-?]*[ -/]*[@-~]?"  # 8-bit CSI
    r"|[\x90\x98\x9d\x9e\x9f][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"  # 8-bit string controls
)
#: Control characters left after the sequences are gone (tab and newline are kept).
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def terminal_safe(text: str, *, keep_newlines: bool = True) -> str:
    """``text`` without terminal control sequences and control characters.

    Escape sequences (CSI, OSC such as a window title, DCS...) are removed whole; any
    other control character, bidirectional override or line separator becomes ``?``
    so that its presence stays visible. Carriage returns become ``?`` too: they would
    let text overwrite the start of its own line.

    Args:
        text: Untrusted text.
        keep_newlines: Keep ``\\n`` and ``\\t`` (else they become spaces).

    Returns:
        Text that prints as itself.
    """
    text = _SEQUENCES.sub("", text)
    text = _CONTROLS.sub("?", text)
    if not keep_newlines:
        text = text.replace("\n", " ").replace("\t", " ")
    return text
