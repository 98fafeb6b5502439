"""The kbchat CLI contract (DESIGN.md), run in-process on a real knowledge base."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from chat.cli.main import app
from knowledge import Embedder
from tests.chat.kbchat_cli import KbchatRunner
from tests.datasets import DRCD, PUBMED


@pytest.fixture
def cli(tmp_path: Path, embedder: Embedder, monkeypatch: pytest.MonkeyPatch) -> KbchatRunner:
    """A runner whose kbchat uses a temp data dir and the already-loaded model."""
    monkeypatch.setenv("KBCHAT_DATA_DIR", str(tmp_path / "data"))
    return KbchatRunner(embedder)


def _json(cli: CliRunner, *args: str) -> object:
    result = cli.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_ingest_list_search_and_remove(cli: CliRunner) -> None:
    added = _json(
        cli, "ingest", str(DRCD / "drcd-dev-000.pdf"), str(PUBMED / "pubmed-dev-000.pdf"), "--json"
    )
    assert [(r["file"], r["status"], r["pages"]) for r in added] == [
        ("drcd-dev-000.pdf", "added", 11),
        ("pubmed-dev-000.pdf", "added", 11),
    ]
    listed = _json(cli, "docs", "list", "--json")
    assert {d["file"] for d in listed} == {"drcd-dev-000.pdf", "pubmed-dev-000.pdf"}
    assert all(d["collection"] == "default" and d["status"] == "ready" for d in listed)

    hits = _json(cli, "search", "亞洲協會在哪裡舉行？", "-k", "3", "--json")
    assert len(hits) == 3
    assert set(hits[0]) == {"file", "page", "score", "text", "doc_id"}
    assert (hits[0]["file"], hits[0]["page"]) == ("drcd-dev-000.pdf", 1)
    assert hits[0]["score"] >= hits[1]["score"] >= hits[2]["score"]

    doc_id = next(d["doc_id"] for d in listed if d["file"] == "drcd-dev-000.pdf")
    removed = cli.invoke(app, ["docs", "remove", doc_id[:8]])
    assert removed.exit_code == 0 and "removed drcd-dev-000.pdf" in removed.output
    assert [d["file"] for d in _json(cli, "docs", "list", "--json")] == ["pubmed-dev-000.pdf"]


def test_reingest_reports_unchanged(cli: CliRunner) -> None:
    _json(cli, "ingest", str(PUBMED / "pubmed-dev-001.pdf"), "--json")
    again = _json(cli, "ingest", str(PUBMED / "pubmed-dev-001.pdf"), "--json")
    assert again[0]["status"] == "unchanged"


def test_batch_search_prints_one_line_per_query(cli: CliRunner, tmp_path: Path) -> None:
    _json(cli, "ingest", str(PUBMED / "pubmed-dev-000.pdf"), "--json")
    batch = tmp_path / "queries.jsonl"
    batch.write_text(
        json.dumps({"id": "a", "query": "helicopter intubation"})
        + "\n"
        + json.dumps({"id": 7, "query": "Barthel index stroke outcome"})
        + "\n"
    )
    result = cli.invoke(app, ["search", "--batch", str(batch), "-k", "2"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["id"] for line in lines] == ["a", "7"]
    assert all(
        len(line["hits"]) == 2 and line["hits"][0]["file"] == "pubmed-dev-000.pdf" for line in lines
    )


def test_batch_file_with_bad_lines_names_them_and_runs_nothing(
    cli: CliRunner, tmp_path: Path
) -> None:
    batch = tmp_path / "queries.jsonl"
    batch.write_text('{"id": 1, "query": "ok"}\nnot json\n{"id": 2}\n')
    result = cli.invoke(app, ["search", "--batch", str(batch)])
    assert result.exit_code == 2
    assert "line 2: not JSON" in result.stderr
    assert 'line 3: expected an object with "id" and a string "query"' in result.stderr
    assert result.stdout == ""


def test_bad_pdf_fails_with_a_message_naming_it_and_keeps_the_good_ones(
    cli: CliRunner, tmp_path: Path
) -> None:
    bad = tmp_path / "scan.pdf"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    result = cli.invoke(app, ["ingest", str(bad), str(PUBMED / "pubmed-dev-002.pdf"), "--json"])
    assert result.exit_code == 1
    assert "1 of 2 file(s) could not be ingested" in result.stderr
    assert "Traceback" not in result.output
    rows = json.loads(result.stdout)
    assert rows[0] == {
        "file": "scan.pdf",
        "status": "error",
        "error": "not a PDF: the file is a PNG image",
    }
    assert rows[1]["status"] == "added"


def test_unknown_document_and_bad_collection_get_clear_errors(cli: CliRunner) -> None:
    missing = cli.invoke(app, ["docs", "remove", "deadbeef"])
    assert missing.exit_code == 1
    assert "no document with id 'deadbeef'" in missing.stderr
    bad = cli.invoke(app, ["search", "x", "--collection", "../etc"])
    assert bad.exit_code == 1
    assert "invalid collection name '../etc'" in bad.stderr


def test_search_on_an_empty_knowledge_base_says_so(cli: CliRunner) -> None:
    result = cli.invoke(app, ["search", "門診時間"])
    assert result.exit_code == 0
    assert "No matching pages or sections." in result.stdout
    listed = cli.invoke(app, ["docs", "list"])
    assert "Add documents with: kbchat ingest FILE" in listed.stdout
    assert _json(cli, "search", "門診時間", "--json") == []


def test_a_folder_ingests_every_readable_kind_and_sections_are_cited_by_heading(
    cli: CliRunner, tmp_path: Path
) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "預算.md").write_text(
        "# 預算\n\n| 科室 | 金額 |\n|---|---|\n| 放射科 | 3,200,000 元 |\n", encoding="utf-8"
    )
    (folder / "notes.txt").write_text("Night shift starts at 8 pm.\n", encoding="utf-8")
    (folder / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n")  # not a kind kbchat reads: left
    (folder / "drcd.pdf").write_bytes((DRCD / "drcd-dev-000.pdf").read_bytes())
    added = _json(cli, "ingest", str(folder), "--json")
    assert sorted(r["file"] for r in added) == ["drcd.pdf", "notes.txt", "預算.md"]
    assert all(r["status"] == "added" for r in added)

    listed = cli.invoke(app, ["docs", "list"]).stdout
    assert any(" md " in line and "1 section " in line and "預算.md" in line
               for line in listed.splitlines())  # fmt: skip
    assert any(" pdf " in line and "11 pages" in line for line in listed.splitlines())
    kinds = {d["file"]: d["kind"] for d in _json(cli, "docs", "list", "--json")}
    assert kinds == {"drcd.pdf": "pdf", "notes.txt": "txt", "預算.md": "md"}

    hits = _json(cli, "search", "放射科 金額", "-k", "1", "--json")
    assert hits[0]["section"] == {"unit": "paragraph", "first": 1, "last": 1, "heading": "預算"}
    shown = cli.invoke(app, ["search", "放射科 金額", "-k", "1"]).stdout
    assert shown.startswith("1. 預算.md 預算 ¶ 1  (")


def test_docs_list_shows_how_far_each_documents_meaning_index_is(cli: CliRunner) -> None:
    _json(
        cli, "ingest", str(DRCD / "drcd-dev-000.pdf"), str(PUBMED / "pubmed-dev-000.pdf"), "--json"
    )
    listed = {d["file"]: d for d in _json(cli, "docs", "list", "--json")}  # type: ignore[union-attr]
    assert listed["pubmed-dev-000.pdf"]["vectors"] == "done"
    assert listed["drcd-dev-000.pdf"]["vectors"] == "words-only"
    assert listed["drcd-dev-000.pdf"]["vectors_skipped"] == listed["drcd-dev-000.pdf"]["chunks"]
    shown = cli.invoke(app, ["docs", "list"])
    lines = {line.split()[-1]: line for line in shown.stdout.splitlines()}
    assert "meaning index done" in lines["pubmed-dev-000.pdf"]
    assert "words only" in lines["drcd-dev-000.pdf"]
