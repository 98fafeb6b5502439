"""Renumber an answer's ``[n]`` markers as it streams, by the rule ``resolve_citations``
applies to the whole text: sources numbered in order of first mention, repeats within one
marker dropped, markers that name no source removed. A streamed answer's markers then agree
with its final citations' numbers (when the model cites by marker at all)."""

from __future__ import annotations

import re

from chat.answering.markers import MARKER, marker_numbers

_LONGEST_MARKER = 40
"""A marker's length at most (``[source 1, 2, 3, 4]`` and the like); an opening bracket
further back than this with no closing one is text, not a marker being written."""
_UNCLOSED = re.compile(rf"[\[［【][^\[\]［］【】\n]{{0,{_LONGEST_MARKER}}}$")


class StreamedMarkers:
    """Rewrites streamed text's markers for ``sources`` numbered sources (``[1]`` to
    ``[sources]``), holding back a marker cut off at a chunk's end until it is whole."""

    def __init__(self, sources: int) -> None:
        self.sources = sources
        self._held = ""
        self._renumbered: dict[int, int] = {}

    def feed(self, text: str) -> str:
        """The text that may be shown now, its markers renumbered (a marker that may still
        be going on is kept for the next piece)."""
        pending = self._held + text
        unclosed = _UNCLOSED.search(pending)
        cut = unclosed.start() if unclosed else len(pending)
        self._held = pending[cut:]
        return MARKER.sub(self._rewrite, pending[:cut])

    def finish(self) -> str:
        """What was held back, at the end (a bracket never closed is plain text)."""
        rest, self._held = self._held, ""
        return MARKER.sub(self._rewrite, rest)

    @property
    def order(self) -> list[int]:
        """The sources' original numbers, in the order they were first cited."""
        return list(self._renumbered)

    def _rewrite(self, match: re.Match[str]) -> str:
        kept = []
        for number in marker_numbers(match.group(1)):
            if 1 <= number <= self.sources:
                kept.append(self._renumbered.setdefault(number, len(self._renumbered) + 1))
        return "".join(f"[{n}]" for n in dict.fromkeys(kept))
