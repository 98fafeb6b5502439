"""The cells of an expert's QA sheet, checked: text within its limit and cleanly encoded, a
history as [question, answer] pairs, and a cell's value named in words for a message."""

from __future__ import annotations

import json
import re

# U+FFFD marks bytes that were not valid text; C0/C1 controls (bar tab and newlines) are mojibake.
_BROKEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffd]")
_BROKEN_REASON = (
    "broken encoding: the text has replacement (�) or control characters; "
    "save the file again as UTF-8 (in Excel: 'CSV UTF-8')"
)
_HISTORY_REASON = 'history must be a JSON list of [question, answer] pairs, e.g. [["Q", "A"]]'


def check_text(value: object, limit: int) -> tuple[str, str | None]:
    """The stripped text of a cell, and what is wrong with it (None when nothing)."""
    if value is None:
        return "", None
    if not isinstance(value, str):
        return "", f"expected text, found {kind_of(value)}"
    text = value.strip()
    if len(text) > limit:
        return text, f"the cell has {len(text):,} characters, over the {limit:,} limit"
    if _BROKEN.search(text):
        return text, _BROKEN_REASON
    return text, None


def parse_history(value: object, limit: int) -> tuple[list[list[str]], str | None]:
    """[[question, answer], ...] from a JSON text cell (or a JSON list), and any problem."""
    if isinstance(value, list):
        value = json.dumps(value, ensure_ascii=False)
    text, reason = check_text(value, limit)
    if reason is not None or not text:
        return [], reason
    try:
        pairs = json.loads(text)
    except json.JSONDecodeError:
        return [], _HISTORY_REASON
    if not isinstance(pairs, list) or not all(
        isinstance(pair, list) and len(pair) == 2 and all(isinstance(s, str) for s in pair)
        for pair in pairs
    ):
        return [], _HISTORY_REASON
    history = [[question.strip(), answer.strip()] for question, answer in pairs]
    if any(_BROKEN.search(s) for pair in history for s in pair):
        return [], _BROKEN_REASON
    return history, None


def cell_text(value: object) -> str:
    """A spreadsheet cell as stripped text: numbers and dates as str(), formulas as written."""
    if value is None:
        return ""
    formula = getattr(value, "text", None)  # openpyxl's ArrayFormula keeps its text here
    return (formula if isinstance(formula, str) else str(value)).strip()


def kind_of(value: object) -> str:
    """How a JSON value's type reads in a message."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"a number ({value})"
    kinds: dict[type, str] = {bool: "true/false", list: "a list", dict: "an object", str: "text"}
    return kinds.get(type(value), "null")
