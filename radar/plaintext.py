"""Outside text made safe to store and print: no terminal control sequences.

Feed titles, feed names, server messages and file rows reach terminals, tables and e-mail;
a sequence that clears the screen or retitles the window would follow them everywhere. One
rule, used at the ingest boundary and again by the CLI before printing.
"""

from __future__ import annotations

import re

# ESC/CSI sequences whole (CSI, OSC up to its terminator, two-character escapes), then any
# C0 or C1 control character left, except tab and newline (carriage return becomes newline).
_CONTROL_SEQUENCE = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?"  # CSI: cursor moves, clear screen, colours
    r"|(?:\x1b\]|\x9d)[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"  # OSC: window title, hyperlink
    r"|(?:\x1b[PX^_]|[\x90\x98\x9e\x9f])[^\x1b\x9c]*(?:\x1b\\|\x9c)?"  # DCS, SOS, PM, APC
    r"|\x1b[ -/]*[0-~]?"  # other escapes (charset, keypad, reset)
    r"|[\x00-\x08\x0b-\x1f\x7f-\x9f]"
)


def strip_controls(text: str) -> str:
    """Remove terminal control sequences and control characters, keeping newlines and tabs."""
    if text.isprintable():  # the common case: nothing to do
        return text
    return _CONTROL_SEQUENCE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
