"""Check that Markdown renders inert: no raw HTML, no image, links only to allowed places."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from markdown_it import MarkdownIt

ALLOWED = ["intranet.hospital.tw"]
"""The allowed host the checks accept links to."""
# Tags that plain Markdown makes; anything else in the rendered page came from raw HTML.
MARKDOWN_TAGS = {
    "p", "strong", "em", "code", "pre", "ul", "ol", "li", "blockquote", "hr", "br", "a", "s",
    "h1", "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
# A worst-case renderer: CommonMark with raw HTML passed through, as an unsafe UI would.
RENDERER = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
# What a GFM renderer (the browser's) would turn into a link by itself, outside code.
_BARE = re.compile(r"(?:https?|ftp)://|www\.|[A-Za-z0-9._+-]+@[A-Za-z0-9-]+\.[A-Za-z]", re.I)


class _Page(HTMLParser):
    """The tags, attributes and the text outside code of rendered HTML."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.in_code = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self.in_code += tag == "code"

    def handle_endtag(self, tag: str) -> None:
        self.in_code -= tag == "code"

    def handle_comment(self, data: str) -> None:
        self.tags.append(("!--", {}))

    def handle_data(self, data: str) -> None:
        if not self.in_code:
            self.text.append(data)


def assert_inert(markdown: str) -> _Page:
    """Render the output as an unsafe page would, and check that it stays inert."""
    page = _Page()
    page.feed(RENDERER.render(markdown))
    for tag, attrs in page.tags:
        assert tag in MARKDOWN_TAGS, f"raw HTML survived: <{tag}> in {markdown!r}"
        assert not any(name.startswith("on") or name == "src" for name in attrs), attrs
        if tag == "a":
            href = attrs.get("href") or ""
            assert (
                href.startswith("/")
                and not href.startswith("//")
                or re.match(r"(https?://|mailto:[^@]*@)intranet\.hospital\.tw([/?#]|$)", href)
            ), f"link to a host that is not allowed: {href}"
    outside_code = "".join(page.text)
    bare = [m for m in _BARE.finditer(outside_code) if "intranet.hospital.tw" not in
            outside_code[m.start() : m.start() + 60]]  # fmt: skip
    assert not bare, f"a bare URL a GFM renderer would link: {outside_code!r}"
    return page
