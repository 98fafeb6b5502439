"""How a cited place is said, in the answer's sources, the CLI and the prompt: a PDF's page
(「第 3 頁」, "p. 3"), or a section's heading path and range (「差旅費 › 國外 ¶2–5」,
「預算 列 2–41」, "預算 rows 2–41")."""

from __future__ import annotations

from collections.abc import Callable

from knowledge import Place, Unit

_WORDS: dict[str, dict[str, str]] = {
    "zh-TW": {"page": "第 {n} 頁", "paragraph": "¶{n}", "row": "列 {n}", "rows": "列 {n}"},
    "en": {"page": "p. {n}", "paragraph": "¶ {n}", "row": "row {n}", "rows": "rows {n}"},
}


def _words(locale: str) -> dict[str, str]:
    return _WORDS["zh-TW" if locale.startswith("zh") else "en"]


def _same(heading: str) -> str:
    return heading


def place_label(
    page: int, place: Place | None, locale: str, heading: Callable[[str], str] = _same
) -> str:
    """Where a source is, in the locale's words (English for any non-Chinese locale): the
    page when it has no section place; else the heading path (through ``heading``, which
    makes it safe where it is shown) and the paragraph or row range."""
    words = _words(locale)
    if place is None or place.unit is Unit.PAGE:
        return words["page"].format(n=page)
    span = f"{place.first}–{place.last}" if place.last > place.first else str(place.first)
    if place.unit is Unit.ROW:
        where = words["rows" if place.last > place.first else "row"].format(n=span)
    else:
        where = words["paragraph"].format(n=span)
    shown = heading(place.heading).strip()
    return f"{shown} {where}" if shown else where
