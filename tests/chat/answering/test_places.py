"""How a cited place is said: a PDF's page as before, a section by its heading path and its
paragraph or row range, in both languages."""

from __future__ import annotations

import pytest

from chat.answering.places import place_label
from knowledge.formats.model import Place, Unit


@pytest.mark.parametrize(
    ("place", "zh", "en"),
    [
        (None, "第 3 頁", "p. 3"),
        (Place(Unit.PARAGRAPH, 2, 5, "差旅費 › 國外"), "差旅費 › 國外 ¶2–5", "差旅費 › 國外 ¶ 2–5"),
        (Place(Unit.PARAGRAPH, 4, 4, "Fees"), "Fees ¶4", "Fees ¶ 4"),
        (Place(Unit.ROW, 2, 41, "預算"), "預算 列 2–41", "預算 rows 2–41"),
        (Place(Unit.ROW, 7, 7, "預算"), "預算 列 7", "預算 row 7"),
        (Place(Unit.PARAGRAPH, 1, 3, ""), "¶1–3", "¶ 1–3"),  # a text file has no headings
    ],
)
def test_pages_and_sections_are_said_in_each_language(
    place: Place | None, zh: str, en: str
) -> None:
    assert place_label(3, place, "zh-TW") == zh
    assert place_label(3, place, "en") == en
    assert place_label(3, place, "fr") == en  # any other locale reads English


def test_the_heading_goes_through_the_given_guard_and_nothing_else_does() -> None:
    place = Place(Unit.ROW, 2, 3, "<b>預算</b>")
    assert place_label(1, place, "en", lambda h: h.replace("<", "-").replace(">", "-")) == (
        "-b-預算-/b- rows 2–3"
    )
