"""`kbchat ask` end to end: the real knowledge base and the real bundled model."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from chat.cli.main import app
from knowledge import Embedder
from tests.chat.kbchat_cli import KbchatRunner
from tests.datasets import HOSPITAL_GUIDE
from tests.servers import free_port

SAMPLE = HOSPITAL_GUIDE


@pytest.fixture
def cli(tmp_path: Path, embedder: Embedder, monkeypatch: pytest.MonkeyPatch) -> KbchatRunner:
    """kbchat with a temp data dir and the already-loaded embedding model."""
    monkeypatch.setenv("KBCHAT_DATA_DIR", str(tmp_path / "data"))
    runner = KbchatRunner(embedder)
    assert runner.invoke(app, ["ingest", str(SAMPLE)]).exit_code == 0
    return runner


@pytest.fixture
def with_model(cli: KbchatRunner, llama_backend: Any) -> None:
    """Use the session's loaded llama.cpp backend instead of loading it again."""
    cli.backend = llama_backend


@pytest.mark.slow
@pytest.mark.usefixtures("with_model")
def test_ask_answers_with_the_cited_page_first(cli: CliRunner) -> None:
    # The bundled 0.5B answers this one from its page (it gets the ICU hours wrong).
    result = cli.invoke(app, ["ask", "門診時間是幾點？", "--json"])
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert set(answer) == {
        "answer",
        "citations",
        "covered",
        "unsupported",
        "persona",
        "model",
        "adapter",
    }
    assert answer["covered"] is True
    assert answer["persona"] == "kb-assistant"
    assert answer["model"] == "qwen2.5-coder-0.5b-instruct-q4_k_m"
    first = answer["citations"][0]
    assert (first["file"], first["page"]) == ("kbchat-hospital-guide.pdf", 1)
    assert set(first) == {"file", "page", "text", "doc_id"}
    assert "八點" in answer["answer"] or "8" in answer["answer"]


@pytest.mark.slow
@pytest.mark.usefixtures("with_model")
def test_ask_batch_answers_each_line_and_refuses_what_is_not_covered(
    cli: CliRunner, tmp_path: Path
) -> None:
    batch = tmp_path / "questions.jsonl"
    batch.write_text(
        json.dumps({"id": "q1", "question": "How long should I fast before a blood test?"})
        + "\n"
        + json.dumps({"id": "q2", "question": "台北101大樓有多高？"})
        + "\n"
        + json.dumps({"id": "q3", "question": "  "})
        + "\n"
    )
    result = cli.invoke(app, ["ask", "--batch", str(batch)])
    assert result.exit_code == 0, result.output
    lines = {line["id"]: line for line in map(json.loads, result.stdout.splitlines())}
    assert lines["q1"]["citations"][0]["page"] == 3
    assert lines["q2"]["citations"] == []
    assert "知識庫" in lines["q2"]["answer"]
    assert lines["q3"] == {"id": "q3", "error": "the question is empty"}


def test_unknown_persona_and_empty_question_get_clear_errors(cli: CliRunner) -> None:
    unknown = cli.invoke(app, ["ask", "門診時間？", "--persona", "pirate"])
    assert unknown.exit_code == 2 and "unknown persona 'pirate'" in unknown.stderr
    empty = cli.invoke(app, ["ask", "   "])
    assert empty.exit_code == 2 and "the question is empty" in empty.stderr


def test_a_model_server_that_refuses_connections_is_named(
    cli: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"http://127.0.0.1:{free_port()}/v1"
    monkeypatch.setenv("KBCHAT_LLM_BACKEND", "openai")
    monkeypatch.setenv("KBCHAT_OPENAI_BASE_URL", url)
    monkeypatch.setenv("KBCHAT_OPENAI_MODEL", "taide-8b")
    result = cli.invoke(app, ["ask", "門診時間是幾點？"])
    assert result.exit_code == 1
    assert f"the model at {url} is unavailable" in result.stderr
    assert "Traceback" not in result.output


def test_a_missing_gguf_is_named(
    cli: CliRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("KBCHAT_LLM_MODEL_PATH", str(tmp_path / "missing.gguf"))
    result = cli.invoke(app, ["ask", "門診時間是幾點？"])
    assert result.exit_code == 1
    assert "missing.gguf: no such model file" in result.stderr
