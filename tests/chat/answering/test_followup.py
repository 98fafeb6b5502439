"""Follow-up questions search with the question before them; standalone questions do not."""

from __future__ import annotations

import pytest

from chat.answering.followup import is_follow_up, retrieval_query
from serving.backend import Message

HISTORY: list[Message] = [
    {"role": "user", "content": "加護病房的探病時間是幾點？"},
    {"role": "assistant", "content": "上午十一點 [1]。"},
]


@pytest.mark.parametrize(
    "question",
    ["那晚上呢？", "它的作者是誰？", "這個要多少錢？", "Who wrote it?", "And at night?", "費用？"],
)
def test_questions_that_point_back_are_follow_ups(question: str) -> None:
    assert is_follow_up(question)
    assert retrieval_query(question, HISTORY) == f"加護病房的探病時間是幾點？ {question}"


@pytest.mark.parametrize(
    "question",
    [
        "梵語的學術研究由誰開創？",
        "其他國家的鐵路路徽是在哪一份報紙上頒布的？",  # 其他 names no earlier subject
        "What is the boiling point of lead at sea level?",
        "此外還有哪些島嶼屬於連江縣管轄範圍？",
    ],
)
def test_questions_that_stand_alone_search_alone(question: str) -> None:
    assert not is_follow_up(question)
    assert retrieval_query(question, HISTORY) == question


def test_without_an_earlier_question_a_follow_up_searches_alone() -> None:
    only_answers: list[Message] = [{"role": "assistant", "content": "您好，請問有什麼需要？"}]
    assert retrieval_query("那晚上呢？", only_answers) == "那晚上呢？"
    assert retrieval_query("那晚上呢？", []) == "那晚上呢？"
