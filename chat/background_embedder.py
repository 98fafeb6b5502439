"""One worker thread that stores the vectors of documents already searchable by words.

An upload is searchable as soon as its words are indexed (``KnowledgeBase.ingest`` with
``embed=False``); its vectors follow here, one document after another, off the event loop and
off the upload's request. The thread is started on first use and woken whenever there may be
work: after an upload, and at ``kbchat serve``'s start-up, where it resumes what a stopped or
crashed process left pending (the registry counts each batch, so nothing is embedded twice).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from knowledge import Document, KnowledgeBase, VectorState, vector_state, vectors_share

logger = logging.getLogger(__name__)


class _Stopped(Exception):
    """Raised between two batches when the worker is asked to stop."""


class BackgroundEmbedder:
    """Embeds every ready document's pending vectors in a single daemon thread."""

    def __init__(self, knowledge_base: Callable[[], KnowledgeBase]) -> None:
        self._knowledge_base = knowledge_base
        self._wanted = threading.Event()
        self._idle = threading.Event()
        self._idle.set()
        self._stopping = False
        self._thread: threading.Thread | None = None
        self._starting = threading.Lock()

    def wake(self) -> None:
        """Ask for a pass over the pending documents; start the thread if it is not running."""
        with self._starting:
            if self._stopping:
                return
            self._idle.clear()
            self._wanted.set()
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="kbchat-embedding", daemon=True
                )
                self._thread.start()

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Wait until nothing asked for is left to do; whether it got there in time."""
        return self._idle.wait(timeout)

    def stop(self, timeout: float = 10.0) -> None:
        """Stop after the batch being embedded (the rest resumes at the next start)."""
        with self._starting:
            self._stopping = True
            self._wanted.set()
            thread = self._thread
        if thread is not None:
            thread.join(timeout)

    def _run(self) -> None:
        while True:
            self._wanted.wait()
            if self._stopping:
                return
            self._wanted.clear()
            self._embed_once()
            if not self._wanted.is_set():
                self._idle.set()

    def _embed_once(self) -> None:
        def check(_stage: str, _done: int, _total: int) -> None:
            if self._stopping:
                raise _Stopped

        try:
            completed = self._knowledge_base().embed_pending(progress=check)
        except _Stopped:
            logger.info("embedding stopped; pending documents resume at the next start")
        except Exception:  # a thread has no caller to tell: log it, retry on the next wake
            logger.exception("embedding pending documents failed; retrying on the next upload")
        else:
            if completed:
                logger.info("embedded the pending vectors of %d document(s)", completed)


_STATE_TEXT = {
    "en": {
        VectorState.DONE: "meaning index done",
        VectorState.PENDING: "meaning index queued",
        VectorState.PARTIAL: "meaning index {share:.0%}",
        VectorState.WORDS_ONLY: "words only",
    },
    "zh-TW": {
        VectorState.DONE: "語意索引完成",
        VectorState.PENDING: "語意索引排隊中",
        VectorState.PARTIAL: "語意索引 {share:.0%}",
        VectorState.WORDS_ONLY: "僅以字詞搜尋",
    },
}


def meaning_index(document: Document, language: str = "en") -> str:
    """How far a document's vectors have come, said for people ("meaning index 40%",
    "words only": its language is one the embedder does not read)."""
    texts = _STATE_TEXT["zh-TW" if language.startswith("zh") else "en"]
    return texts[vector_state(document)].format(share=vectors_share(document))
