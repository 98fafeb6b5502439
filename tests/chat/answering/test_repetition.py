"""The loop detector: a sentence said again, or a phrase said over and over, ends the answer."""

from __future__ import annotations

import pytest

from chat.answering.repetition import loop_start


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        (
            "馬祖列島之間以船運為主，南竿與北竿之間有交通船。南竿與北竿之間有交通船。南竿",
            "馬祖列島之間以船運為主，南竿與北竿之間有交通船。",
        ),
        (
            "The ICU visiting hours are 11 am [1]. The ICU visiting hours are 11 am [2]. The",
            "The ICU visiting hours are 11 am [1].",
        ),
        ("答案是 好的好的好的好的好的好的", "答案是 好的"),
        ("Visits: yes yes yes yes yes yes yes", "Visits: yes"),
    ],
)
def test_the_answer_is_cut_where_it_starts_repeating(text: str, kept: str) -> None:
    start = loop_start(text)
    assert start is not None and text[:start].rstrip() == kept


@pytest.mark.parametrize(
    "text",
    [
        "門診時間為週一至週五上午八點至下午五點。週六上午僅開放家醫科與小兒科門診。",
        "是的。是的。",  # short sentences may repeat
        "| 時段 | 門診 |\n|---|---|---|---|---|\n| 上午 | 八點 |",
        "一、門診。二、住院。三、急診。",
        "Dial 0000000 for the operator, then 1 1 1.",
        "上午11點到11點30分，晚上7點到7點30分。",
    ],
)
def test_text_that_does_not_loop_is_left_alone(text: str) -> None:
    assert loop_start(text) is None
