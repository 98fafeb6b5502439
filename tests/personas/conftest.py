"""Fixtures for the persona tests: a valid persona, files written from it, a real database."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from chat.database import open_database
from personas.formats import to_yaml
from personas.store import PersonaStore


@pytest.fixture
def fields() -> dict[str, Any]:
    """Every field of a valid zh-TW persona."""
    return {
        "id": "triage-nurse",
        "name": "檢傷護理師",
        "locale": "zh-TW",
        "audience": "patient",
        "description": "協助民眾判斷該掛哪一科",
        "greeting": "您好，我是{{char}}，請告訴我哪裡不舒服。",
        "prompt": {
            "context": "你是醫院急診的{{char}}，正在和{{user}}說話。",
            "task": "詢問症狀並建議就診科別。",
            "constraints": "不做診斷；胸痛或呼吸困難請立即就醫。",
        },
        "example_dialogue": (
            "{{user}}: 我頭很痛。\n{{char}}: 請問{{user}}頭痛多久了？\n"
            "{{user}}: 兩天。\n{{char}}: 建議掛神經內科。\n會嘔吐嗎？"
        ),
        "collections": ["guidelines"],
        "grounding": "strict",
        "starters": ["我該掛哪一科？"],
        "temperature": 0.3,
        "max_tokens": 400,
        "version": 1,
    }


@pytest.fixture
def write_yaml(tmp_path: Path) -> Callable[..., Path]:
    """Write a mapping (or raw text) as a YAML file in tmp_path."""

    def write(content: dict[str, Any] | str, name: str = "persona.yaml") -> Path:
        path = tmp_path / name
        path.write_text(content if isinstance(content, str) else to_yaml(content), "utf-8")
        return path

    return write


@pytest.fixture
def store(database_url: str) -> Iterator[PersonaStore]:
    """A persona store on a real database: SQLite, then PostgreSQL."""
    engine = open_database(database_url)
    yield PersonaStore(engine)
    engine.dispose()
