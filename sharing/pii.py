"""Mask personal data in a shared question or answer before anything is stored.

Taiwan's Personal Data Protection Act (個人資料保護法) treats these identifiers and medical
records as personal data, so a shared pair must not carry them. Each kind gets a fixed,
language-neutral token (``MASKS``): e-mail addresses; Taiwan national ID and new-format
resident certificate numbers with a valid checksum; medical record numbers after a keyword
(or by a configured pattern); dates right after (or before 出生) a birth keyword; Taiwan
mobile and landline numbers and ``+country`` numbers. Visit dates, years, counts and page
numbers are kept: they are what makes a clinical answer useful.

Rules run in a fixed order (e-mail, ID, MRN, DOB, phone) and never touch a span that overlaps
a mask already in the text, so nothing is masked twice and scrubbing is idempotent. They
match on a copy with full-width characters folded to ASCII (same length, so spans carry
over). Every repetition is bounded, so matching stays linear in the length of the text.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

MASKS: Final[dict[str, str]] = {
    "email": "[EMAIL]",
    "national_id": "[ID]",
    "mrn": "[MRN]",
    "dob": "[DOB]",
    "phone": "[PHONE]",
}

DEFAULT_MRN_PATTERN: Final = (
    r"(?:病歷號碼|病歷編號|病歷號|病例號碼|病例號"
    r"|(?<![A-Za-z\[])(?i:MRN|Chart\s?(?:No\.?|Number|\#)|Medical\s+Record\s+(?:No\.?|Number)))"
    r"(?:[\s:：#＃.=]|是|為|为){0,5}"
    r"(?P<mrn>(?=[A-Za-z-]{0,11}\d)[A-Za-z\d][A-Za-z\d-]{2,10}[A-Za-z\d])(?![A-Za-z\d])"
)

_ID_LETTER_CODES: Final = dict(zip("ABCDEFGHJKLMNPQRSTUVXYWZIO", range(10, 36), strict=True))
_ID_WEIGHTS: Final = (1, 9, 8, 7, 6, 5, 4, 3, 2, 1, 1)
_ID_SHAPE: Final = re.compile(r"[A-Za-z][1289]\d{8}")

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
_ORD = r"(?:st|nd|rd|th)?"
_DATE = (
    r"(?P<date>(?:\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}"
    r"|(?:民國|西元)?\s?\d{2,4}\s?年\s?\d{1,2}\s?月(?:\s?\d{1,2}\s?[日號号]?)?"
    rf"|\d{{1,2}}{_ORD}[\s-]?{_MONTH}\.?,?[\s-]?\d{{4}}"
    rf"|{_MONTH}\.?\s?\d{{1,2}}{_ORD},?\s?\d{{4}})(?!\d))"
)
_BIRTH_KEYWORD = (
    r"(?:出生年月日|出生日期|出生|生日|生於|生于|(?<![A-Za-z])(?:date\sof\sbirth|birth\s?date"
    r"|birthday|D\.O\.B\.?|DOB|born)(?![A-Za-z]))"
)
# Lazy, so a date that starts with 民國/西元 keeps it inside the mask.
_GAP = r"(?:[\s:=,，、.()-]|是|為|为|於|于|在|西元|民國|(?:is|on|was)(?![A-Za-z])){0,12}?"
_NOT_AFTER_NUMBER = r"(?<![A-Za-z\d])(?<!\d[/.-])"
_SEP = r"[-\s.]"

_EMAIL = r"(?<![A-Za-z\d._%+-])[A-Za-z\d._%+-]{1,64}@[A-Za-z\d-]{1,63}(?:\.[A-Za-z\d-]{1,63}){1,8}"
_NATIONAL_ID = r"(?<![A-Za-z\d])[A-Za-z][1289]\d{8}(?![A-Za-z\d])"
_MOBILE = (
    rf"{_NOT_AFTER_NUMBER}(?:\(?\+?886\)?{_SEP}?(?:\(0\)|0)?|0)"
    rf"9\d\d{_SEP}?\d{{3}}{_SEP}?\d{{3}}(?!\d)"
)
_LANDLINE = (
    rf"{_NOT_AFTER_NUMBER}(?P<num>\(0[2-8]\d{{0,3}}\)\s?\d{{3,4}}[-\s]?\d{{2,4}}"
    r"|0[2-8]\d{0,3}[-\s]\d{3,4}[-\s]?\d{2,4}|0[2-8]\d{7,8})(?!\d)"
    r"(?:\s?(?:#|分機|轉|ext\.?)\s?\d{1,6}(?!\d))?"
)
_INTERNATIONAL = r"(?<![A-Za-z\d+])\+\d{1,15}(?:[-\s.]?\(\d{1,5}\)|[-\s.]\d{1,14}){0,7}(?!\d)"

# Full-width digits, letters and ASCII punctuation (typed in an IME's full-width mode) and
# the ideographic space fold to ASCII one character for one, so spans match the original.
_FOLD: Final = {**{c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}, 0x3000: 0x20}

_Span = tuple[int, int] | None


@dataclass(frozen=True)
class Scrubbed:
    """The masked text and how many of each kind were masked."""

    text: str
    found: dict[str, int]


@dataclass(frozen=True)
class _Rule:
    kind: str
    pattern: re.Pattern[str]
    span: Callable[[re.Match[str]], _Span]


def is_valid_taiwan_id(value: str) -> bool:
    """Whether ``value`` is a national ID or new-format resident certificate number."""
    value = value.translate(_FOLD)
    if not _ID_SHAPE.fullmatch(value):
        return False
    code = _ID_LETTER_CODES[value[0].upper()]
    digits = [code // 10, code % 10, *(int(char) for char in value[1:])]
    return sum(d * w for d, w in zip(digits, _ID_WEIGHTS, strict=True)) % 10 == 0


def _whole(match: re.Match[str]) -> _Span:
    return match.span()


def _group(name: str) -> Callable[[re.Match[str]], _Span]:
    def span(match: re.Match[str]) -> _Span:
        start, end = match.span(name)
        return (start, end) if start >= 0 else None

    return span


def _valid_id(match: re.Match[str]) -> _Span:
    return match.span() if is_valid_taiwan_id(match.group()) else None


def _landline(match: re.Match[str]) -> _Span:
    return match.span() if 9 <= sum(c.isdigit() for c in match.group("num")) <= 10 else None


def _international(match: re.Match[str]) -> _Span:
    """Keep the leading digit groups that stay within 15 digits (E.164), if at least 8."""
    kept, end = 0, 0
    for run in re.finditer(r"\d+", match.group()):
        if kept + len(run.group()) > 15:
            break
        kept, end = kept + len(run.group()), run.end()
    return (match.start(), match.start() + end) if kept >= 8 else None


_RULES_BEFORE_MRN: Final = (
    _Rule("email", re.compile(_EMAIL), _whole),
    _Rule("national_id", re.compile(_NATIONAL_ID), _valid_id),
)
_RULES_AFTER_MRN: Final = (
    _Rule("dob", re.compile(_BIRTH_KEYWORD + _GAP + _DATE, re.IGNORECASE), _group("date")),
    _Rule("dob", re.compile(_DATE + r"\s?(?:出生|生(?![\u4e00-\u9fff]))"), _group("date")),
    _Rule("phone", re.compile(_MOBILE), _whole),
    _Rule("phone", re.compile(_LANDLINE, re.IGNORECASE), _landline),
    _Rule("phone", re.compile(_INTERNATIONAL), _international),
)
_MASK_TOKEN: Final = re.compile("|".join(re.escape(mask) for mask in MASKS.values()))


def _mask(text: str, rule: _Rule) -> tuple[str, int]:
    """Replace each span ``rule`` finds, skipping any that overlaps a mask already present."""
    folded = text.translate(_FOLD)
    tokens = [m.span() for m in _MASK_TOKEN.finditer(folded)]
    token_ends = [end for _, end in tokens]
    pieces: list[str] = []
    last = count = 0
    for match in rule.pattern.finditer(folded):
        span = rule.span(match)
        if span is None or span[0] >= span[1]:
            continue
        nearest = bisect_right(token_ends, span[0])
        if nearest < len(tokens) and tokens[nearest][0] < span[1]:
            continue
        pieces += [text[last : span[0]], MASKS[rule.kind]]
        last, count = span[1], count + 1
    pieces.append(text[last:])
    return "".join(pieces), count


class PIIScrubber:
    """Masks personal data in free text; one instance serves any number of texts."""

    def __init__(self, mrn_pattern: str | None = None) -> None:
        """Use ``mrn_pattern`` for record numbers (its ``mrn`` group, else the whole match).

        Like the built-in rules, it sees full-width digits and letters as ASCII.
        """
        pattern = DEFAULT_MRN_PATTERN if mrn_pattern is None else mrn_pattern
        try:
            compiled = re.compile(pattern)
        except re.error as exc:
            raise ValueError(
                f"invalid medical record number pattern '{pattern}': {exc}; "
                "fix KBCHAT_MRN_PATTERN (a Python regular expression)"
            ) from exc
        mrn_span = _group("mrn") if "mrn" in compiled.groupindex else _whole
        self._rules = (
            *_RULES_BEFORE_MRN,
            _Rule("mrn", compiled, mrn_span),
            *_RULES_AFTER_MRN,
        )

    def scrub(self, text: str) -> Scrubbed:
        """Return ``text`` with every detected piece of personal data replaced by its mask."""
        found: dict[str, int] = {}
        for rule in self._rules:
            text, count = _mask(text, rule)
            if count:
                found[rule.kind] = found.get(rule.kind, 0) + count
        return Scrubbed(text=text, found=found)
