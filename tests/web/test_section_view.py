"""A cited section of a document without pages as the viewer draws it: passages marked where
the section holds them (whole sentences, table rows, or part of a paragraph), the
document's own HTML shown as text, tables with their header row, links to its neighbours."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from chat.web.section_view import ShownTable, paragraph_pieces, shown_section
from chat.web.viewer import download_name, render_section
from knowledge import Document, Place, Section, Table, Unit
from knowledge.chunking import chunk_section
from knowledge.options import ChunkingOptions

HOSTILE = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(2)>"
SECTION = Section(
    Place(Unit.PARAGRAPH, 3, 5, f"預算 › {HOSTILE}"),
    [
        "本表列出各科室的年度預算。金額以新台幣計。",
        Table(
            ["科室", "項目", "金額"],
            [["放射科", "超音波儀", "3,200,000 元"], ["檢驗科", IMG, "450,000 元"]],
        ),  # fmt: skip
        "國外出差每人每年以十二萬元為上限。",
    ],
)
DOCUMENT = Document(doc_id="d" * 64, filename="預算<b>.md", kind="md", collection="default",
                    pages=4, size_bytes=10, uploaded_by="clerk.wu")  # fmt: skip


class _Elements(HTMLParser):
    """The elements of a page, with their attributes, as a browser would parse them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.marked: list[str] = []
        self._in_mark = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_mark += tag == "mark"

    def handle_endtag(self, tag: str) -> None:
        self._in_mark -= tag == "mark"

    def handle_data(self, data: str) -> None:
        if self._in_mark:
            self.marked.append(data)


def _parsed(html: str) -> _Elements:
    elements = _Elements()
    elements.feed(html)
    return elements


def test_a_passage_marks_the_sentences_it_holds_and_nothing_else() -> None:
    pieces = paragraph_pieces(
        "第一句不相干。國外出差每年以十二萬元為上限。第三句。", ["國外出差每年以十二萬元為上限。"]
    )
    assert pieces == [
        ("第一句不相干。", False),
        ("國外出差每年以十二萬元為上限。", True),
        ("第三句。", False),
    ]
    # A passage shorter than a sentence is marked where the paragraph holds it.
    assert ("十二萬元", True) in paragraph_pieces("國外出差每年以十二萬元為上限。", ["十二萬元"])
    assert paragraph_pieces("國外出差。", ["國內出差"]) == [("國外出差。", False)]


def test_the_chunks_own_text_marks_its_rows_and_sentences_in_the_section() -> None:
    # What a citation marks by default: the chunks' text, led by the heading and header row.
    chunks = chunk_section(SECTION, 1, ChunkingOptions())
    table_chunk = next(c.text for c in chunks if "放射科" in c.text)
    shown = shown_section(SECTION, [" ".join(table_chunk.split())])
    table = shown.blocks[1]
    assert isinstance(table, ShownTable)
    assert [marked for _, marked in table.rows] == [True, True]
    assert shown.marked
    assert not any(marked for _, marked in shown.blocks[0])  # type: ignore[misc]
    row_only = shown_section(SECTION, ["| 放射科 | 超音波儀 | 3,200,000 元 |"])
    assert [m for _, m in row_only.blocks[1].rows] == [True, False]  # type: ignore[union-attr]


def test_the_section_page_shows_the_documents_html_as_text() -> None:
    html = render_section(DOCUMENT, 2, SECTION, ["國外出差每人每年以十二萬元為上限。"])
    elements = _parsed(html)
    tags = {tag for tag, _ in elements.tags}
    assert "script" not in tags and "img" not in tags and "b" not in tags
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(2)&gt;" in html
    assert not any(key.startswith("on") for _, attrs in elements.tags for key in attrs)
    assert elements.marked == ["國外出差每人每年以十二萬元為上限。"]
    assert ("mark", {"id": "evidence"}) in elements.tags  # the link opens at the first mark
    header = re.search(r"<thead>(.*?)</thead>", html, re.S)
    assert header and re.findall(r"<th[^>]*>([^<]*)</th>", header.group(1)) == [
        "科室",
        "項目",
        "金額",
    ]
    title = re.search(r"<title>(.*?)</title>", html, re.S)
    assert title and "預算 › &lt;script&gt;alert(1)&lt;/script&gt; ¶3–5" in title.group(1)
    links = {
        attrs.get("rel"): attrs for tag, attrs in elements.tags if tag == "a" and attrs.get("rel")
    }
    assert links["prev"]["href"] == f"/kbchat/view/{DOCUMENT.doc_id}/1"
    assert links["next"]["href"] == f"/kbchat/view/{DOCUMENT.doc_id}/3"
    assert "aria-disabled" not in links["prev"] and "aria-disabled" not in links["next"]
    download = next(a for t, a in elements.tags if t == "a" and "download" in a)
    assert download["href"] == f"/kbchat/documents/{DOCUMENT.doc_id}"


def test_the_first_and_last_sections_have_no_neighbour_beyond() -> None:
    first = _parsed(render_section(DOCUMENT, 1, SECTION, []))
    last = _parsed(render_section(DOCUMENT, 4, SECTION, []))
    rel = {a.get("rel"): a for t, a in first.tags if t == "a" and a.get("rel")}
    assert rel["prev"].get("aria-disabled") == "true" and "aria-disabled" not in rel["next"]
    rel = {a.get("rel"): a for t, a in last.tags if t == "a" and a.get("rel")}
    assert rel["next"].get("aria-disabled") == "true"
    assert not first.marked and not any(t == "section" for t, _ in first.tags)  # no evidence box


def test_a_passage_not_in_the_section_is_quoted_and_said_so() -> None:
    html = render_section(DOCUMENT, 2, SECTION, ["完全無關的一段話"])
    assert "<blockquote>完全無關的一段話</blockquote>" in html
    assert "未能在這一節中定位" in html and "<mark" not in html


def test_a_download_name_keeps_no_quote_slash_or_line_break() -> None:
    hostile = Document(doc_id="e" * 64, filename='a"b/../c\r\nSet-Cookie: x.html', kind="html",
                       collection="default", pages=1, size_bytes=1, uploaded_by="x")  # fmt: skip
    name = download_name(hostile)
    assert name.endswith(".html")
    assert not set(name) & set('"/\\\r\n:;')
    assert download_name(DOCUMENT) == "預算-b-.md"
