"""The shipped persona library: every file valid, and the personas the product promises."""

from __future__ import annotations

import re

import pytest

from personas.formats import load_persona_file
from personas.manager import LIBRARY_DIR, load_library
from personas.render import example_turns

FILES = sorted(LIBRARY_DIR.glob("*.yaml"))
# Characters that exist only in Simplified Chinese: a zh-TW persona must not use them.
SIMPLIFIED_ONLY = re.compile("[这说们为会时问题医疗药应该给让吗过还对发现关经样个来进门诊检办]")


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_every_shipped_file_is_valid(path) -> None:  # type: ignore[no-untyped-def]
    persona = load_persona_file(path)
    assert persona.id == path.stem
    if persona.example_dialogue:
        assert example_turns(persona, user="使用者")[-1]["role"] == "assistant"
    if persona.locale == "zh-TW":
        text = persona.model_dump_json()
        assert not SIMPLIFIED_ONLY.findall(text), SIMPLIFIED_ONLY.findall(text)


def test_the_library_holds_the_promised_personas() -> None:
    personas = {p.id: p for p in load_library()}
    promised = {
        "doctor", "dentist", "psychotherapist", "ip-lawyer", "financial-analyst",
        "travel-blogger", "film-critic", "zoologist", "taiwan-culture-guide",
        "philosophy-teacher", "qpl-visit-prep", "hospital-service-desk", "rehab-intake",
        "clinical-guideline", "kb-assistant",
    }  # fmt: skip
    assert promised <= personas.keys()
    assert all(personas[i].locale == "zh-TW" for i in promised)
    assert sum(p.locale == "en" for p in personas.values()) >= 3
    assert "250" in personas["travel-blogger"].prompt.constraints
    guideline = personas["clinical-guideline"]
    assert guideline.audience == "clinician" and guideline.grounding == "strict"
    assert guideline.searches_knowledge
