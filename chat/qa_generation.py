"""Wiring of generated QA (``kbchat share generate``): the knowledge base's passages and the
configured chat model, handed to the sharing library's generator as plain data and a
callable."""

from __future__ import annotations

from collections.abc import Callable

from chat.factory import Sharing
from knowledge import KnowledgeBase, check_collection, content_tokens
from serving import ChatBackend, GenerationOptions
from sharing import Passage, PromptMessage, QAGenerator, SharingError

GENERATION = GenerationOptions(max_tokens=400, temperature=0.3)
"""One pair is a question and an answer of a few sentences; a little warmth varies them."""


def collection_passages(kb: KnowledgeBase, collection: str) -> list[Passage]:
    """Every chunk of the collection's ready documents, with the file, page and document id a
    citation needs; an unknown or empty collection is refused, saying which exist."""
    check_collection(collection)
    documents = kb.documents(collection)
    if not documents:
        if collection in kb.registry.generations():
            raise SharingError(
                f"collection {collection!r} has no ready document; "
                f"`kbchat ingest --collection {collection} FILE` adds one"
            )
        known = ", ".join(kb.registry.collections()) or "none yet"
        raise SharingError(f"no collection named {collection!r} (collections: {known})")
    return [
        Passage(text=chunk.text, file=document.filename, page=chunk.page, doc_id=document.doc_id)
        for document in documents
        for chunk in kb.registry.chunks_of(document.doc_id)
    ]


def backend_completion(
    backend: ChatBackend, options: GenerationOptions = GENERATION
) -> Callable[[list[PromptMessage]], str]:
    """The generator's completion: the messages sent to the backend, its reply joined."""

    def complete(messages: list[PromptMessage]) -> str:
        return "".join(piece.text for piece in backend.stream(messages, options))

    return complete


def build_generator(sharing: Sharing, backend: ChatBackend) -> QAGenerator:
    """The QA generator on the shared-QA store, the configured model and the knowledge
    base's own tokenizer (for the grounding check)."""
    return QAGenerator(
        sharing.store,
        sharing.curator.scrubber,
        backend_completion(backend),
        model=backend.model_name,
        tokens=content_tokens,
    )
