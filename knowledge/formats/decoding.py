"""Reading a text file's bytes as text: UTF-8 (with or without its mark), UTF-16 with its
mark, or the legacy encoding it is in (Big5/CP950 in Taiwan, GB18030, Shift JIS), as
charset-normalizer judges it. A file that decodes to no readable text is refused, since a
binary given a text name must not end up in the index as noise."""

from __future__ import annotations

import codecs
import unicodedata
from pathlib import Path

from charset_normalizer import from_bytes

from knowledge.formats.protocol import Refused

_MAX_CONTROL_SHARE = 0.01
"""Above this share of control characters (other than tabs and line breaks), it is binary."""


def read_text(path: str) -> str:
    """The file's text, line breaks as ``\\n``; Refused when it is not text."""
    data = Path(path).read_bytes()
    text = _decode(data)
    if text is None:
        raise Refused("the file is not text in any encoding kbchat knows (a binary file?)")
    controls = sum(
        1 for char in text if unicodedata.category(char) == "Cc" and char not in "\t\n\r\f"
    )
    if controls > _MAX_CONTROL_SHARE * max(len(text), 1):
        raise Refused("the file holds binary data, not text")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _decode(data: bytes) -> str | None:
    for mark, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(mark):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    return None if best is None else str(best)
