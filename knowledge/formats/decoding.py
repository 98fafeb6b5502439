"""Reading a text file's bytes as text: UTF-8 (with or without its mark), UTF-16 with its
mark, or the legacy encoding it is in (Big5/CP950 in Taiwan, GB18030, Shift JIS), as
charset-normalizer judges it. A file that decodes to no readable text is refused, since a
binary given a text name must not end up in the index as noise."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from charset_normalizer import from_bytes

from knowledge.formats.protocol import Refused

_MAX_CONTROL_SHARE = 0.01
"""Above this share of control characters (other than tabs and line breaks), it is binary."""
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
"""Unicode's control characters (category Cc) less tab, line feed, form feed and return;
a regular expression, since a million-line CSV must be judged in a blink."""
_DECLARED_CODECS = {"big5": "cp950", "cp950": "cp950", "big5-hkscs": "big5hkscs",
                    "gb2312": "gb18030", "gbk": "gb18030", "gb18030": "gb18030",
                    "shift_jis": "cp932", "euc-jp": "euc_jp", "euc-kr": "cp949"}  # fmt: skip
"""The declared labels trusted, and the codec browsers decode each with (the WHATWG
Encoding Standard: a page that says Big5 is read as Microsoft's superset). Only multi-byte
ones: bytes that decode strictly in one of them are strong evidence, while a single-byte
label (iso-8859-1, an old editor's default on many Big5 pages) decodes anything."""


def read_text(path: str, declared: str | None = None) -> str:
    """The file's text, line breaks as ``\\n``; Refused when it is not text. ``declared``
    is the encoding the file names itself (an HTML page's ``<meta charset>``), trusted when
    the bytes are neither UTF-8 nor marked."""
    data = Path(path).read_bytes()
    text = _decode(data, declared)
    if text is None:
        raise Refused("the file is not text in any encoding kbchat knows (a binary file?)")
    controls = len(_CONTROLS.findall(text))
    if controls > _MAX_CONTROL_SHARE * max(len(text), 1):
        raise Refused("the file holds binary data, not text")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _decode(data: bytes, declared: str | None) -> str | None:
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
    codec = _DECLARED_CODECS.get((declared or "").lower())
    if codec is not None:
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            pass  # a wrong label: judge by the bytes
    best = from_bytes(data).best()
    return None if best is None else str(best)
