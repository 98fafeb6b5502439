"""A stand-in chat model for the generator's parsing and validation units: it returns the
replies queued with ``enqueue`` and keeps the messages it was sent."""

from __future__ import annotations

import json

from sharing.generation_prompt import Passage, PromptMessage

PAGE_1 = Passage(
    text=(
        "本院門診時間為週一至週五上午八點至下午五點，週六上午八點至十二點。"
        "週日及國定假日休診，急診二十四小時開放。"
        "初診病人請攜帶健保卡與身分證明文件，至一樓掛號櫃檯辦理。"
    ),
    file="kbchat-hospital-guide.pdf",
    page=1,
    doc_id="ab" * 32,
)
PAGE_3 = Passage(
    text=(
        "抽血檢查前需空腹八小時，可以喝少量白開水。"
        "磁振造影（MRI）檢查前請移除所有金屬物品，裝有心律調節器者請先告知醫師。"
        "領藥請至一樓藥局，慢性病連續處方箋可於藥局或社區藥局領取。"
    ),
    file="kbchat-hospital-guide.pdf",
    page=3,
    doc_id="ab" * 32,
)


def pair_reply(question: str, answer: str) -> str:
    """A reply as the prompt asks for it: one JSON object."""
    return json.dumps({"question": question, "answer": answer}, ensure_ascii=False)


class FakeCompletion:
    """Answers each call with the next queued reply; records what it was asked."""

    def __init__(self) -> None:
        self.replies: list[str | Exception] = []
        self.calls: list[list[PromptMessage]] = []

    def enqueue(self, *replies: str | Exception) -> FakeCompletion:
        """Queue replies, returned in order (an exception is raised instead)."""
        self.replies.extend(replies)
        return self

    def __call__(self, messages: list[PromptMessage]) -> str:
        self.calls.append(messages)
        if not self.replies:
            raise AssertionError("the generator called the model more often than the test expected")
        reply = self.replies.pop(0)
        if isinstance(reply, Exception):
            raise reply
        return reply
