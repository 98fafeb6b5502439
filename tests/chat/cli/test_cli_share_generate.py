"""`kbchat share generate` on a real knowledge base (the shipped sample PDF): bad inputs end in
one clear line, the real bundled model writes pairs that wait for review, and `share list` /
`share show` mark them as generated with their source page."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from chat.cli.main import app
from chat.context import AppContext
from chat.qa_generation import collection_passages
from chat.settings import Settings
from knowledge import Embedder, content_tokens
from sharing import GENERATOR_USER, GenerationRequest, PIIScrubber, QAGenerator
from tests.chat.kbchat_cli import KbchatRunner
from tests.datasets import HOSPITAL_GUIDE
from tests.servers import free_port
from tests.sharing.generating import FakeCompletion, pair_reply


@pytest.fixture
def cli(tmp_path: Path, embedder: Embedder, monkeypatch: pytest.MonkeyPatch) -> KbchatRunner:
    """kbchat with a temp data dir, the loaded embedder, and the sample PDF in ``guide``."""
    monkeypatch.setenv("KBCHAT_DATA_DIR", str(tmp_path / "data"))
    runner = KbchatRunner(embedder)
    ingested = runner.invoke(app, ["ingest", str(HOSPITAL_GUIDE), "--collection", "guide"])
    assert ingested.exit_code == 0, ingested.output
    return runner


def _generate(cli: KbchatRunner, *args: str, code: int) -> Result:
    result = cli.invoke(app, ["share", "generate", *args])
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    return result


def _one_error(result: Result) -> str:
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("error: ")
    return line


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--count", "0"], "--count must be between 1 and 500, not 0"),
        (["--count", "501"], "--count must be between 1 and 500, not 501"),
        (["--count", "1", "--language", "fr"], "--language must be one of zh-TW, en, not 'fr'"),
        (["--count", "1", "--persona", "nobody"], "unknown persona 'nobody'"),
    ],
)
def test_a_bad_request_ends_in_one_line_before_the_model_loads(
    cli: KbchatRunner, args: list[str], message: str
) -> None:
    result = _generate(cli, "--collection", "guide", *args, code=2)
    assert message in _one_error(result)


def test_an_unknown_or_empty_collection_is_refused_by_name(cli: KbchatRunner) -> None:
    result = _generate(cli, "--collection", "nosuch", "--count", "1", code=1)
    assert "no collection named 'nosuch' (collections: guide)" in _one_error(result)
    listed = json.loads(cli.invoke(app, ["docs", "list", "--json"]).stdout)
    assert cli.invoke(app, ["docs", "remove", listed[0]["doc_id"][:8]]).exit_code == 0
    result = _generate(cli, "--collection", "guide", "--count", "1", code=1)
    assert "collection 'guide' has no ready document" in _one_error(result)
    result = _generate(cli, "--collection", "../etc", "--count", "1", code=1)
    assert "../etc" in _one_error(result)


def test_an_unreachable_model_stops_the_batch_saying_what_was_stored(
    cli: KbchatRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KBCHAT_LLM_BACKEND", "openai")
    monkeypatch.setenv("KBCHAT_OPENAI_BASE_URL", f"http://127.0.0.1:{free_port()}/v1")
    monkeypatch.setenv("KBCHAT_OPENAI_MODEL", "served-model")
    result = _generate(cli, "--collection", "guide", "--count", "2", code=1)
    assert "stored 0 of 2 pair(s)" in result.stdout
    assert "stopped: the model at" in _one_error(result)
    assert json.loads(cli.invoke(app, ["share", "list", "--json"]).stdout) == []


def _queue_one_generated_pair(embedder: Embedder) -> int:
    """A pair generated from the real knowledge base's page 1 (the model stood in for)."""
    context = AppContext(Settings(), embedder=embedder)
    passages = collection_passages(context.kb, "guide")
    page_1 = next(p for p in passages if p.page == 1)
    answer = "本院門診時間為週一至週五上午八點至下午五點，週六上午八點至十二點。"
    fake = FakeCompletion().enqueue(pair_reply("門診時間是什麼時候？", answer))
    generator = QAGenerator(
        context.sharing.store, PIIScrubber(), fake, model="fake-model", tokens=content_tokens
    )
    request = GenerationRequest(collection="guide", count=1, actor="admin")
    (outcome,) = generator.generate(request, [page_1])
    assert outcome.qa is not None and outcome.qa.id is not None
    return outcome.qa.id


def test_list_and_show_mark_generated_pairs_with_their_source_page(
    cli: KbchatRunner, embedder: Embedder
) -> None:
    qa_id = _queue_one_generated_pair(embedder)
    listed = cli.invoke(app, ["share", "list", "--source", "generated"]).stdout
    assert f"{qa_id:>5}  pending   generated" in listed
    assert "[from kbchat-hospital-guide.pdf p.1, by fake-model]" in listed
    assert cli.invoke(app, ["share", "list", "--source", "chat", "--json"]).stdout.strip() == "[]"
    shown = json.loads(cli.invoke(app, ["share", "show", str(qa_id), "--json"]).stdout)
    assert (shown["source"], shown["user"], shown["model"]) == (
        "generated",
        GENERATOR_USER,
        "fake-model",
    )
    assert shown["citations"][0]["file"] == "kbchat-hospital-guide.pdf"
    assert shown["consents"] == []


@pytest.fixture(scope="module")
def large_backend(large_bundled_model: Path) -> Any:
    """The bundled 1.5B (the app's default model) in process: the 0.5B mostly copies a
    page's heading as its question, which the generator rightly drops."""
    from serving.bundled import LARGE
    from serving.llamacpp import LlamaCppBackend

    backend = LlamaCppBackend(
        large_bundled_model, expected_sha256=LARGE.sha256, n_ctx=2048, n_threads=2
    )
    backend.load()
    return backend


@pytest.mark.slow
def test_the_bundled_model_writes_a_pair_that_waits_for_review(
    cli: KbchatRunner, large_backend: Any
) -> None:
    cli.backend = large_backend
    # Seed 2 starts on the "when" task, which the 1.5B answers from the page.
    result = _generate(
        cli, "--collection", "guide", "--count", "1", "--seed", "2", "--as", "admin", code=0
    )
    lines = result.stdout.splitlines()
    assert lines[0].startswith("writing 1 pair(s) from 3 passage(s) of 'guide'")
    assert lines[-1].startswith("stored 1 of 1 pair(s) as generated, pending review")
    assert all(" stored QA " in line or " dropped (" in line for line in lines[1:-1])
    (pair,) = json.loads(cli.invoke(app, ["share", "list", "--json"]).stdout)
    assert (pair["status"], pair["source"]) == ("pending", "generated")
    assert (pair["user"], pair["model"]) == (GENERATOR_USER, large_backend.model_name)
    (cited,) = pair["citations"]
    assert cited["file"] == "kbchat-hospital-guide.pdf" and cited["page"] in {1, 2, 3}
    assert pair["question"] not in pair["answer"] and pair["answer"].strip()
