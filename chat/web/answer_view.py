"""An answer as Chainlit shows it: the text made inert, then its sources, each a link to the
cited page in kbchat's viewer (``viewer.py``: access-checked, the evidence marked)."""

from __future__ import annotations

import re
from collections.abc import Collection
from urllib.parse import urlencode

from chat.answering.citations import Citation
from chat.answering.engine import Answer
from chat.answering.evidence import GAP
from chat.web.safe_markdown import safe_markdown
from chat.web.services import services
from chat.web.texts import joined, text
from serving import is_bundled

# File names come from uploaders: only characters that no Markdown syntax is made of.
_NAME_UNSAFE = re.compile(r"[^\w .\-]")


def source_label(number: int, file: str, page: int, locale: str) -> str:
    """How a source is named under the answer (the file name made inert)."""
    return f"[{number}] {_NAME_UNSAFE.sub('-', file)} {text(locale, 'page', page=page)}"


def viewer_url(citation: Citation, *, marked: bool = True) -> str:
    """The page in kbchat's viewer; ``marked``, scrolled to and marking the evidence the
    answer rests on (the sentences given to the model for it, else the retrieved chunk)."""
    evidence = (citation.evidence or citation.text) if marked else ""
    passages = [p.strip() for p in evidence.split(GAP.strip()) if p.strip()]
    query = urlencode([("mark", passage) for passage in passages])
    base = f"/kbchat/view/{citation.doc_id}/{citation.page}"
    return f"{base}?{query}#evidence" if query else base


def shown_markdown(model_text: str, allowed_hosts: Collection[str] | None = None) -> str:
    """Model or document text as the UI may show it: inert (see safe_markdown)."""
    if allowed_hosts is None:
        allowed_hosts = services().settings.allowed_link_hosts
    return safe_markdown(model_text, allowed_hosts)


def answer_markdown(
    answer: Answer, locale: str, allowed_hosts: Collection[str] | None = None
) -> str:
    """The answer text made inert; a refusal is set apart; each source a link to its page
    in the viewer (opened in a new tab, the evidence marked), then the pages searched."""
    if not answer.covered:
        return f"> **{text(locale, 'not_covered')}**\n>\n> {answer.text}"
    lines = [shown_markdown(answer.text, allowed_hosts)]
    if answer.citations:
        lines += ["", f"**{text(locale, 'sources')}**"]
        lines += [f"- {_link(c, locale)}" for c in answer.citations]
    if answer.searched:
        pages = joined((_link(c, locale, numbered=False) for c in answer.searched), locale)
        lines += ["", f"*{text(locale, 'searched')} {pages}*"]
    if is_bundled(answer.model):  # a small model: say so under what it wrote
        lines += ["", f"*⚠ {text(locale, 'small_model')}*"]
    return "\n".join(lines)


def _link(citation: Citation, locale: str, *, numbered: bool = True) -> str:
    label = source_label(citation.number, citation.file, citation.page, locale)
    if not numbered:
        label = label.split("] ", 1)[1]
    label = label.replace("[", "\\[").replace("]", "\\]")
    return f"[{label}]({viewer_url(citation, marked=numbered)})"
