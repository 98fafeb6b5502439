"""An answer as Chainlit shows it: the text, a sources line, and per citation a snippet and
the PDF opened at the cited page (served by our own access-checked route)."""

from __future__ import annotations

import re
from collections.abc import Collection

import chainlit as cl

from chat.engine import Answer
from chat.web.safe_markdown import safe_markdown
from chat.web.services import services
from chat.web.texts import text

# File names come from uploaders: only characters that no Markdown syntax is made of.
_NAME_UNSAFE = re.compile(r"[^\w .\-]")


def element_name(number: int, file: str, page: int, locale: str) -> str:
    """The name an element is linked by in the message text (the file name made inert)."""
    return f"[{number}] {_NAME_UNSAFE.sub('-', file)} {text(locale, 'page', page=page)}"


def shown_markdown(model_text: str, allowed_hosts: Collection[str] | None = None) -> str:
    """Model or document text as the UI may show it: inert (see safe_markdown)."""
    if allowed_hosts is None:
        allowed_hosts = services().settings.allowed_link_hosts
    return safe_markdown(model_text, allowed_hosts)


def answer_markdown(
    answer: Answer, locale: str, allowed_hosts: Collection[str] | None = None
) -> str:
    """The answer text made inert; a refusal is set apart; cited pages listed by element name."""
    if not answer.covered:
        return f"> **{text(locale, 'not_covered')}**\n>\n> {answer.text}"
    lines = [shown_markdown(answer.text, allowed_hosts)]
    if answer.citations:
        lines += ["", f"**{text(locale, 'sources')}**"]
        for c in answer.citations:
            name = element_name(c.number, c.file, c.page, locale)
            lines.append(f"- {name} · {snippet_name(c.number, locale)}")
    if answer.searched:
        pages = "、".join(
            f"{_NAME_UNSAFE.sub('-', c.file)} {text(locale, 'page', page=c.page)}"
            for c in answer.searched
        )
        lines += ["", f"*{text(locale, 'searched')} {pages}*"]
    return "\n".join(lines)


def snippet_name(number: int, locale: str) -> str:
    """The name of a citation's snippet element."""
    return f"{text(locale, 'snippet')} {number}"


def answer_elements(answer: Answer, locale: str) -> list[cl.Text | cl.Pdf]:
    """For each citation: the PDF at its page (side viewer) and the retrieved snippet."""
    elements: list[cl.Text | cl.Pdf] = []
    for citation in answer.citations:
        name = element_name(citation.number, citation.file, citation.page, locale)
        elements.append(
            cl.Pdf(
                name=name,
                url=f"/kbchat/documents/{citation.doc_id}",
                page=citation.page,
                display="side",
            )
        )
        elements.append(
            # Served by URL, not stored as content, so a resumed thread shows it too.
            cl.Text(
                name=snippet_name(citation.number, locale),
                url=f"/kbchat/snippets/{citation.chunk_id}",
                display="side",
            )
        )
    return elements
