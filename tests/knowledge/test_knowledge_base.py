"""The knowledge base end to end on real PDFs, a real Chroma and the real embedding model."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from knowledge.base import KnowledgeBase
from knowledge.errors import (
    DocumentBusy,
    DocumentNotFound,
    IngestError,
    InvalidCollection,
    KnowledgeError,
)
from knowledge.tables import DocumentStatus
from tests.datasets import DRCD, PUBMED
from tests.pdfs import HOSPITAL_EN, HOSPITAL_ZH, drawings_pdf, text_pdf


def _snapshot(kb: KnowledgeBase) -> dict[str, object]:
    """Everything that makes up the knowledge base's state, for before/after comparisons."""
    return {
        "documents": sorted((d.doc_id, d.status) for d in kb.registry.documents()),
        "chunks": kb.registry.ready_chunks("default"),
        "vectors": kb.vectors.count(kb.space("default")),
        "files": sorted(p.name for p in kb.layout.files.iterdir()),
    }


def test_ingests_a_real_chinese_pdf_with_pages_chunks_and_stored_file(kb: KnowledgeBase) -> None:
    result = kb.ingest(DRCD / "drcd-dev-000.pdf")
    assert result.status == "added"
    assert result.pages == 11
    assert len(result.doc_id) == 64
    document = kb.registry.get(result.doc_id)
    assert document is not None and document.status == DocumentStatus.READY
    assert document.uploaded_by == "cli"
    # The bundled MiniLM reads English only: Chinese chunks are searched by words alone.
    assert kb.vectors.count(kb.space("default")) == 0
    assert (document.vectors_skipped, document.vectors_pending) == (result.chunks, 0)
    assert (
        kb.files.path(result.doc_id, "pdf").read_bytes() == (DRCD / "drcd-dev-000.pdf").read_bytes()
    )
    chunk_ids = [chunk_id for chunk_id, _ in kb.registry.ready_chunks("default")]
    assert f"{result.doc_id}-p1-c0" in chunk_ids


def test_finds_the_right_page_in_chinese_and_english_in_one_knowledge_base(
    kb: KnowledgeBase,
) -> None:
    kb.ingest(DRCD / "drcd-dev-000.pdf")
    kb.ingest(PUBMED / "pubmed-dev-000.pdf")
    zh = kb.search("陸特和漢斯雷頓開創了哪一地區對梵語的學術研究？", k=3)
    assert (zh[0].file, zh[0].page) == ("drcd-dev-000.pdf", 1)
    assert "陸特和漢斯雷頓" in zh[0].text
    en = kb.search(
        "Is oral endotracheal intubation efficacy impaired in the helicopter environment?", k=3
    )
    assert (en[0].file, en[0].page) == ("pubmed-dev-000.pdf", 1)
    assert zh[0].score >= zh[1].score


def test_search_returns_distinct_pages_best_first(kb: KnowledgeBase) -> None:
    kb.ingest(PUBMED / "pubmed-dev-000.pdf")
    hits = kb.search("intubation in the helicopter", k=5)
    assert len(hits) == 5
    assert len({(h.doc_id, h.page) for h in hits}) == 5
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_ingesting_the_same_bytes_twice_is_a_no_op(kb: KnowledgeBase, tmp_path: Path) -> None:
    first = kb.ingest(DRCD / "drcd-dev-000.pdf")
    before = _snapshot(kb)
    copy = tmp_path / "renamed copy.pdf"
    shutil.copy(DRCD / "drcd-dev-000.pdf", copy)
    second = kb.ingest(copy)
    assert second.status == "unchanged"
    assert second.doc_id == first.doc_id
    assert _snapshot(kb) == before


def test_removing_a_document_removes_vectors_lexical_entries_file_and_row(
    kb: KnowledgeBase,
) -> None:
    keep = kb.ingest(PUBMED / "pubmed-dev-000.pdf")
    gone = kb.ingest(DRCD / "drcd-dev-000.pdf")
    kb.remove(gone.doc_id[:10])
    assert kb.registry.get(gone.doc_id) is None
    assert not kb.files.path(gone.doc_id, "pdf").exists()
    assert kb.vectors.document_ids(kb.space("default")) == {keep.doc_id}
    assert all(not cid.startswith(gone.doc_id) for cid, _ in kb.registry.ready_chunks("default"))
    assert all(hit.doc_id == keep.doc_id for hit in kb.search("梵語的學術研究", k=5))
    with pytest.raises(DocumentNotFound):
        kb.remove(gone.doc_id)


def test_collections_keep_knowledge_bases_apart(kb: KnowledgeBase, tmp_path: Path) -> None:
    kb.ingest(text_pdf(tmp_path / "zh.pdf", HOSPITAL_ZH), collection="outpatient")
    kb.ingest(text_pdf(tmp_path / "en.pdf", HOSPITAL_EN), collection="visitors")
    assert {h.file for h in kb.search("門診時間", ["visitors"], k=5)} <= {"en.pdf"}
    hits = kb.search("門診時間", ["outpatient"], k=5)
    assert (hits[0].file, hits[0].page, hits[0].collection) == ("zh.pdf", 1, "outpatient")
    both = kb.search("parking 掛號", k=5)
    assert {h.collection for h in both} == {"outpatient", "visitors"}


def test_a_stored_document_held_for_its_vectors_is_unchanged_but_busy_to_remove(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    pdf = text_pdf(tmp_path / "hours.pdf", HOSPITAL_ZH)
    stored = kb.ingest(pdf, embed=False)
    with kb.locks.hold(stored.doc_id) as taken:  # as the background embedder holds it
        assert taken
        assert kb.ingest(pdf).status == "unchanged"
        with pytest.raises(DocumentBusy, match="being ingested right now"):
            kb.remove(stored.doc_id)
    assert kb.remove(stored.doc_id).doc_id == stored.doc_id


def test_the_same_file_in_two_collections_is_two_documents(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    pdf = text_pdf(tmp_path / "form.pdf", HOSPITAL_ZH)
    mine = kb.ingest(pdf, collection="u-amy-1")
    theirs = kb.ingest(pdf, collection="u-ben-2")
    assert theirs.status == "added" and theirs.doc_id != mine.doc_id
    assert kb.ingest(pdf, collection="u-ben-2").status == "unchanged"
    for collection in ("u-amy-1", "u-ben-2"):
        assert kb.search("門診時間", [collection], k=1)[0].collection == collection
    kb.remove(mine.doc_id)
    assert kb.search("門診時間", ["u-ben-2"], k=1)[0].doc_id == theirs.doc_id
    assert kb.ingest(pdf, collection="u-ben-2").status == "unchanged"
    assert kb.files.path(theirs.doc_id, "pdf").read_bytes() == pdf.read_bytes()


def test_moving_a_document_indexes_it_in_the_other_collection_and_only_there(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    pdf = text_pdf(tmp_path / "form.pdf", HOSPITAL_ZH)
    private = kb.ingest(pdf, collection="u-amy-1", uploaded_by="amy")
    moved = kb.move(private.doc_id, "outpatient")
    assert (moved.status, moved.collection, moved.pages) == ("moved", "outpatient", private.pages)
    assert kb.search("門診時間", ["u-amy-1"], k=5) == []
    (hit,) = kb.search("門診時間", ["outpatient"], k=1)
    assert (hit.file, hit.doc_id) == ("form.pdf", moved.doc_id)
    (document,) = kb.documents("outpatient")
    assert document.uploaded_by == "amy" and kb.files.path(moved.doc_id, "pdf").is_file()
    assert [d.doc_id for d in kb.documents("u-amy-1")] == []
    with pytest.raises(KnowledgeError, match="already in the collection outpatient"):
        kb.move(moved.doc_id, "outpatient")
    with pytest.raises(InvalidCollection):
        kb.move(moved.doc_id, "../etc")
    with pytest.raises(DocumentNotFound):
        kb.move(moved.doc_id[:8], "visitors")  # a prefix is not an id here
    assert [d.doc_id for d in kb.documents("outpatient")] == [moved.doc_id]


def test_a_moved_documents_old_ids_lead_to_where_it_is(kb: KnowledgeBase, tmp_path: Path) -> None:
    pdf = text_pdf(tmp_path / "form.pdf", HOSPITAL_ZH)
    kb.ingest(pdf, collection="u-ben-2", uploaded_by="ben")  # the same bytes elsewhere
    first = kb.ingest(pdf, collection="u-amy-1", uploaded_by="amy")
    second = kb.move(first.doc_id, "outpatient")
    third = kb.move(second.doc_id, "visitors")
    assert len({first.doc_id, second.doc_id, third.doc_id}) == 3  # each move a new id
    for old in (first.doc_id, second.doc_id):  # a citation of either still finds it
        found = kb.registry.moved_to(old)
        assert found is not None and found.doc_id == third.doc_id
    assert kb.registry.moved_to(third.doc_id) is None  # it is itself, not a move
    kb.remove(third.doc_id)
    assert kb.registry.moved_to(first.doc_id) is None  # removed: nothing to lead to


@pytest.mark.parametrize("name", ["", "Has Space", "../etc", "a" * 64, "-lead"])
def test_invalid_collection_names_are_refused(kb: KnowledgeBase, name: str) -> None:
    with pytest.raises(InvalidCollection):
        kb.ingest(DRCD / "drcd-dev-000.pdf", collection=name)


def _corrupt(path: Path) -> Path:
    path.write_bytes(b"%PDF-1.7\n" + b"\xff" * 5000 + b"\n%%EOF")
    return path


def _truncated(path: Path) -> Path:
    whole = (DRCD / "drcd-dev-002.pdf").read_bytes()
    path.write_bytes(whole[: len(whole) // 3])
    return path


def _renamed_png(path: Path) -> Path:
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    return path


def _empty(path: Path) -> Path:
    path.write_bytes(b"")
    return path


BAD_FILES: dict[str, tuple[Callable[[Path], Path], str]] = {
    "corrupt": (_corrupt, "the file is corrupt"),
    "encrypted": (lambda p: text_pdf(p, [HOSPITAL_EN[0]], encrypt="pw"), "encrypted"),
    "truncated": (_truncated, "truncated"),
    "empty": (_empty, "the file is empty"),
    "renamed png": (_renamed_png, "not a PDF: the file is a PNG image"),
    "drawings only": (drawings_pdf, "no text layer"),
    "too many pages": (lambda p: text_pdf(p, [HOSPITAL_EN[0]] * 4), "over the limit of 3"),
}


@pytest.mark.parametrize("kind", list(BAD_FILES))
def test_bad_file_leaves_the_knowledge_base_exactly_as_it_was(
    make_kb: Callable[..., KnowledgeBase], tmp_path: Path, kind: str
) -> None:
    kb = make_kb(max_pages=3)
    kb.ingest(text_pdf(tmp_path / "good.pdf", HOSPITAL_ZH))
    before = _snapshot(kb)
    build, reason = BAD_FILES[kind]
    bad = build(tmp_path / "bad.pdf")
    with pytest.raises(IngestError, match="^bad.pdf: ") as caught:
        kb.ingest(bad)
    assert reason in caught.value.reason
    assert _snapshot(kb) == before


def test_a_failure_while_storing_vectors_rolls_the_document_back(
    kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _snapshot(kb)

    def disk_full(*_args: object, **_kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(kb.vectors, "upsert", disk_full)
    with pytest.raises(IngestError, match="No space left on device"):
        kb.ingest(PUBMED / "pubmed-dev-000.pdf")  # English: the bundled model embeds it
    assert _snapshot(kb) == before


def test_an_interrupted_ingest_is_invisible_and_purged_on_reopen(
    make_kb: Callable[..., KnowledgeBase], tmp_path: Path
) -> None:
    kb = make_kb()
    result = kb.ingest(DRCD / "drcd-dev-000.pdf")
    # What a kill -9 between storing vectors and marking ready leaves behind.
    kb.registry.mark_removing(result.doc_id)
    assert kb.search("梵語的學術研究", k=3) == []
    reopened = make_kb()
    assert reopened.registry.documents() == []
    assert reopened.vectors.count(reopened.space("default")) == 0
    assert not reopened.files.path(result.doc_id, "pdf").exists()


def test_the_registry_works_on_sqlite_and_postgresql(
    make_kb: Callable[..., KnowledgeBase], database_url: str, tmp_path: Path
) -> None:
    kb = make_kb(database_url=database_url)
    document = kb.ingest(text_pdf(tmp_path / "guide-zh.pdf", HOSPITAL_ZH), collection="nursing")
    hits = kb.search("門診時間是幾點？", ["nursing"], k=2)
    assert (hits[0].file, hits[0].page) == ("guide-zh.pdf", 1)
    assert kb.ingest(tmp_path / "guide-zh.pdf", collection="nursing").doc_id == document.doc_id
    kb.remove(document.doc_id[:8])
    assert kb.documents() == [] and kb.search("門診時間是幾點？", ["nursing"]) == []
    kb.registry.engine.dispose()
