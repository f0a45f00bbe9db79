"""Text from data (school names, course ids, standard descriptions, survey items and comments, PLC notes)
shown as text, never as Markdown or HTML.

Streamlit renders titles, headers, captions, alerts, help texts, radio options and expander labels as
Markdown (GitHub-flavoured: images, links, bare URLs made live, HTML as text or markup). A value from a file
goes into such a string only through `md`, which backslash-escapes every ASCII punctuation character
(CommonMark shows an escaped character as itself) and breaks the two patterns GFM would still turn into a
link on its own ("://" and "www."). Charts get the same protection in charts/theme.py (`inert`), since Plotly
reads a subset of HTML (links included) in its labels.
"""

from __future__ import annotations

import re

# Every ASCII punctuation character may be backslash-escaped in CommonMark and is then shown literally.
_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
WORD_JOINER = "\u2060"  # invisible; keeps "http://x" and "www.x" from being read as a link


def md(value) -> str:
    """`value` as Markdown that shows exactly its text: no emphasis, image, link, HTML, emoji code or maths."""
    if value is None:
        return ""
    text = str(value)
    text = re.sub(r":(?=//)", ":" + WORD_JOINER, text)
    text = re.sub(r"(?i)\b(www)\.", r"\1" + WORD_JOINER + ".", text)
    escaped = _PUNCTUATION.sub(r"\\\1", text)
    return escaped.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "  \n")  # line breaks stay breaks
