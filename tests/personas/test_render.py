"""Prompt assembly: placeholders, the labelled framework, example dialogue as few-shot turns."""

from __future__ import annotations

from typing import Any

from personas.render import example_turns, substitute, system_text
from personas.schema import Persona


def test_placeholders_are_filled_in_both_styles() -> None:
    text = "{{char}} greets {{USER}}; <BOT> waves at <user>."
    assert substitute(text, user="Ann", char="Desk") == "Desk greets Ann; Desk waves at Ann."


def test_system_text_labels_task_and_constraints_in_the_persona_language(
    fields: dict[str, Any],
) -> None:
    text = system_text(Persona.model_validate(fields), user="王小明")
    assert text.startswith("你是醫院急診的檢傷護理師，正在和王小明說話。")
    assert "\n\n任務：詢問症狀" in text and "\n\n限制：不做診斷" in text
    english = Persona.model_validate(
        {**fields, "locale": "en", "prompt": {"context": "You help.", "task": "Triage."}}
    )
    assert system_text(english, user="Ann") == "You help.\n\nTask: Triage."


def test_example_dialogue_becomes_alternating_turns(fields: dict[str, Any]) -> None:
    turns = example_turns(Persona.model_validate(fields), user="王小明")
    assert [turn["role"] for turn in turns] == ["user", "assistant", "user", "assistant"]
    assert turns[1]["content"] == "請問王小明頭痛多久了？"
    assert turns[3]["content"] == "建議掛神經內科。\n會嘔吐嗎？"  # continuation line joined


def test_card_separators_are_dropped_and_a_trailing_user_line_is_not_kept(
    fields: dict[str, Any],
) -> None:
    dialogue = "<START>\n{{user}}: 嗨\n{{char}}: 您好\n<START>\n{{user}}: 再見"
    turns = example_turns(
        Persona.model_validate({**fields, "example_dialogue": dialogue}), user="A"
    )
    assert turns == [
        {"role": "user", "content": "嗨"},
        {"role": "assistant", "content": "您好"},
    ]
