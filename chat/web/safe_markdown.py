"""Model and document text made inert for the chat UI: parsed as Markdown, written back safe.

The text is parsed with markdown-it (CommonMark with GFM tables and strikethrough, HTML
recognized so that it can be neutralized) and written back as Markdown in which:

- raw HTML (tags, comments, entities that decode to ``<``) is shown as text, never markup;
- images, inline or by reference, become their alt text and their URL as inert code, so the
  browser never fetches them (a classic way to send the conversation to an attacker);
- links survive only to the app itself (relative URLs) or to allowed hosts; any other link,
  bare URL or e-mail address becomes its text with the URL as inert code;
- ``javascript:``, ``data:``, ``vbscript:`` and every other scheme than http(s) and mailto
  never survive as links;
- code keeps its content, as code.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from urllib.parse import urlsplit

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

_PARSER = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
# Every ASCII punctuation Markdown could read as syntax, escaped so that it shows as itself.
_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#!|~&])")
# Line starts that would open a list or underline a heading (``#`` and ``>`` are escaped
# everywhere already); for "1." the dot is escaped, as a backslash before a digit shows.
_LINE_START = re.compile(r"^(\s*)(?:([+=-])|(\d{1,9})([.)])(?=\s|$))")
# What GFM (as the browser's renderer runs it) turns into a link by itself.
_BARE_LINK = re.compile(
    r"(?:(?:https?|ftp)://|www\.)[^\s<>\"'`]+|[A-Za-z0-9._+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+",
    re.IGNORECASE,
)
_TRAILING = ".,;:!?)]}'\"。，；：！？）」』"


class _Writer:
    """Writes a markdown-it syntax tree back as Markdown, neutralizing what is unsafe."""

    def __init__(self, allowed_hosts: Collection[str]) -> None:
        self.allowed = {host.strip().lower() for host in allowed_hosts if host.strip()}

    def allowed_url(self, url: str) -> bool:
        """Relative URLs of the app itself, and http(s)/mailto URLs to allowed hosts."""
        # Browsers drop these characters from URLs and read a backslash as a slash.
        cleaned = re.sub(r"[\x00-\x20\x7f]", "", url).replace("\\", "/")
        try:
            parts = urlsplit(cleaned)
        except ValueError:
            return False
        scheme = parts.scheme.lower()
        if scheme == "mailto":
            return parts.path.rpartition("@")[2].lower() in self.allowed
        if scheme in ("", "http", "https") and parts.netloc:
            return (parts.hostname or "").lower() in self.allowed
        return scheme == "" and not parts.netloc

    def blocks(self, nodes: list[SyntaxTreeNode], tight: bool = False) -> list[str]:
        """The lines of a sequence of blocks, a blank line between them unless tight."""
        lines: list[str] = []
        for node in nodes:
            if lines and not tight:
                lines.append("")
            lines += self.block(node, tight)
        return lines

    def block(self, node: SyntaxTreeNode, tight: bool) -> list[str]:
        """The lines of one block."""
        kind = node.type
        if kind == "paragraph":
            return [_guard_line_start(line) for line in self.inline(node).split("\n")]
        if kind == "heading":
            return ["#" * int(node.tag[1]) + " " + self.inline(node).replace("\n", " ")]
        if kind == "blockquote":
            return [f"> {line}".rstrip() for line in self.blocks(node.children)]
        if kind in ("bullet_list", "ordered_list"):
            return self.list_block(node)
        if kind in ("fence", "code_block"):
            return _fenced(node.content, node.info if kind == "fence" else "")
        if kind == "hr":
            return ["---"]
        if kind == "table":
            return self.table(node)
        # html_block and anything unknown: the source, shown as text.
        return [_guard_line_start(self.text_with_links(line)) for line in node.content.splitlines()]

    def list_block(self, node: SyntaxTreeNode) -> list[str]:
        """A list, each item's marker before its first line and its other lines indented."""
        start = int(str(node.attrs.get("start", 1)))
        paragraphs = [p for item in node.children for p in item.children if p.type == "paragraph"]
        tight = all(paragraph.hidden for paragraph in paragraphs)
        lines: list[str] = []
        for number, item in enumerate(node.children, start=start):
            marker = f"{number}." if node.type == "ordered_list" else "-"
            body = self.blocks(item.children, tight) or [""]
            lines.append(f"{marker} {body[0]}".rstrip())
            lines += [(" " * (len(marker) + 1) + line).rstrip() for line in body[1:]]
            if not tight and number < start + len(node.children) - 1:
                lines.append("")
        return lines

    def table(self, node: SyntaxTreeNode) -> list[str]:
        """A GFM table, its cells written inline with their pipes escaped."""
        rows = [row for section in node.children for row in section.children]
        lines = []
        for index, row in enumerate(rows):
            cells = [self.inline(cell).replace("\n", " ") for cell in row.children]
            lines.append("| " + " | ".join(cells) + " |")
            if index == 0:
                lines.append("|" + "|".join(_alignment(cell) for cell in row.children) + "|")
        return lines

    def inline(self, node: SyntaxTreeNode) -> str:
        """The inline content of a block (paragraph, heading, table cell), made safe."""
        spans: list[SyntaxTreeNode] = []
        for child in node.children:
            spans += child.children if child.type == "inline" else [child]
        return "".join(self.span(span) for span in spans)

    def span(self, node: SyntaxTreeNode) -> str:
        """One inline element."""
        kind = node.type
        if kind == "text":
            return self.text_with_links(node.content)
        if kind == "softbreak":
            return "\n"
        if kind == "hardbreak":
            return "\\\n"
        if kind == "code_inline":
            return _code(node.content)
        if kind in ("strong", "em", "s"):
            mark = {"strong": "**", "em": "*", "s": "~~"}[kind]
            return mark + "".join(self.span(child) for child in node.children) + mark
        if kind == "link":
            return self.link(node)
        if kind == "image":
            alt = escape_text(node.content)
            return f"{alt} ({_code(str(node.attrs.get('src', '')))})"
        # html_inline and anything unknown: its source as text.
        return self.text_with_links(node.content)

    def link(self, node: SyntaxTreeNode) -> str:
        """A link to an allowed place stays; any other becomes its text and inert URL."""
        url = str(node.attrs.get("href", ""))
        label = "".join(self.span(child) for child in node.children)
        if node.markup == "autolink":  # <https://...>: the label is the URL itself
            label = escape_text(url.removeprefix("mailto:"))
        if self.allowed_url(url):
            return f"[{label}](<{_link_target(url)}>)"
        return f"{label} ({_code(url)})" if node.markup != "autolink" else _code(url)

    def text_with_links(self, text: str) -> str:
        """Plain text, with bare URLs and e-mail addresses the renderer would link made
        inert unless they point at an allowed host."""
        out: list[str] = []
        last = 0
        for match in _BARE_LINK.finditer(text):
            found = match.group(0).rstrip(_TRAILING)
            end = match.start() + len(found)
            url = found if "://" in found else "https://" + found
            if "@" in found and "://" not in found and not found.lower().startswith("www."):
                url = "mailto:" + found
            out.append(escape_text(text[last : match.start()]))
            out.append(found if self.allowed_url(url) else _code(found))
            last = end
        out.append(escape_text(text[last:]))
        return "".join(out)


def escape_text(text: str) -> str:
    """Text that Markdown shows exactly as it is (every syntax character escaped)."""
    return _SPECIAL.sub(r"\\\1", text)


def _guard_line_start(line: str) -> str:
    """Escape what would start a list or a setext underline at a line's start."""

    def guard(match: re.Match[str]) -> str:
        if match.group(2):
            return match.group(1) + "\\" + match.group(2)
        return match.group(1) + match.group(3) + "\\" + match.group(4)

    return _LINE_START.sub(guard, line, count=1)


def _code(text: str) -> str:
    """An inline code span that holds ``text`` whatever backticks it contains."""
    text = text.replace("\n", " ")
    ticks = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text.strip() else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


def _fenced(content: str, info: str) -> list[str]:
    """A fenced code block longer than any backtick run inside it; content kept verbatim."""
    fence = "`" * max(3, max((len(run) for run in re.findall(r"`+", content)), default=0) + 1)
    language = re.sub(r"[^\w+.#-]", "", info.split(" ")[0])[:20]
    return [fence + language, *content.rstrip("\n").split("\n"), fence]


def _alignment(cell: SyntaxTreeNode) -> str:
    style = str(cell.attrs.get("style", ""))
    return {"text-align:left": ":---", "text-align:right": "---:"}.get(
        style, ":---:" if style == "text-align:center" else "---"
    )


def _link_target(url: str) -> str:
    """A link target inside ``<...>``: no spaces, angle brackets or line breaks."""
    return re.sub(r"[\s<>\\]", lambda m: f"%{ord(m.group(0)):02X}", url)


def safe_markdown(text: str, allowed_hosts: Collection[str] = ()) -> str:
    """Markdown that renders ``text``'s formatting but cannot load, run or link anything
    outside the app and the allowed hosts."""
    tree = SyntaxTreeNode(_PARSER.parse(text))
    return "\n".join(_Writer(allowed_hosts).blocks(tree.children)).strip("\n")
