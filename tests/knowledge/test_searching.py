"""Search hits say where they are: a section's heading path and range for a document without
pages, read from the registry once per document; a PDF's hit keeps its page alone."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from knowledge.base import KnowledgeBase
from knowledge.formats.model import Place, Unit
from knowledge.retrieval import SearchHit, placed
from knowledge.tables import DocumentSection
from tests.datasets import DRCD

BUDGET = """# 年度預算

本表列出各科室的年度預算。

## 設備

| 科室 | 項目 | 金額 |
|---|---|---|
| 放射科 | 超音波儀 | 3,200,000 元 |
| 檢驗科 | 離心機 | 450,000 元 |

## 差旅

國外出差每人每年以十二萬元為上限。

國內出差每季三萬元。
"""


def _budget(tmp_path: Path) -> Path:
    path = tmp_path / "預算.md"
    path.write_text(BUDGET, encoding="utf-8")
    return path


def test_a_markdown_hit_carries_its_sections_heading_path_and_range(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    result = kb.ingest(_budget(tmp_path))
    hits = kb.search("放射科 超音波儀 金額", k=3)
    top = hits[0]
    assert (top.file, top.doc_id, top.kind) == ("預算.md", result.doc_id, "md")
    assert "超音波儀" in top.text
    # The table is the first paragraph under 年度預算 › 設備 (section 2 of 3).
    assert top.page == 2
    assert top.place == Place(Unit.PARAGRAPH, 1, 1, "年度預算 › 設備")
    assert top.to_json()["section"] == {
        "unit": "paragraph",
        "first": 1,
        "last": 1,
        "heading": "年度預算 › 設備",
    }
    travel = kb.search("國外出差 上限", k=3)[0]
    assert travel.place == Place(Unit.PARAGRAPH, 1, 2, "年度預算 › 差旅")


def test_a_pdf_hit_has_no_section_and_its_json_is_unchanged(kb: KnowledgeBase) -> None:
    kb.ingest(DRCD / "drcd-dev-000.pdf")
    hit = kb.search("陸特和漢斯雷頓開創了哪一地區對梵語的學術研究？", k=1)[0]
    assert hit.kind == "pdf" and hit.place is None
    assert set(hit.to_json()) == {"file", "page", "score", "text", "doc_id"}


def _hit(doc_id: str, page: int, kind: str) -> SearchHit:
    return SearchHit(file="f", page=page, score=1.0, text="t", doc_id=doc_id,
                     chunk_id=f"{doc_id}-{page}", collection="default", kind=kind)  # fmt: skip


def test_places_are_read_in_one_call_per_document_and_never_for_pdfs() -> None:
    calls: list[tuple[str, list[int]]] = []

    def sections_of(doc_id: str, numbers: Iterable[int]) -> dict[int, DocumentSection]:
        calls.append((doc_id, list(numbers)))
        return {
            n: DocumentSection(
                doc_id=doc_id,
                number=n,
                unit="row",
                first=2 * n,
                last=2 * n + 1,
                heading="預算",
                blocks="[]",
            )  # fmt: skip
            for n in numbers
            if n != 9
        }

    hits = [_hit("a", 1, "xlsx"), _hit("p", 3, "pdf"), _hit("a", 4, "xlsx"), _hit("b", 9, "md")]
    out = placed(hits, sections_of)
    assert calls == [("a", [1, 4]), ("b", [9])]
    assert [h.place for h in out] == [
        Place(Unit.ROW, 2, 3, "預算"),
        None,
        Place(Unit.ROW, 8, 9, "預算"),
        None,  # a section the registry no longer has: the hit keeps its number alone
    ]
    assert "section" not in out[1].to_json()
