"""The reason a document is refused, checked to be one line that names the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge.errors import IngestError
from knowledge.formats.kinds import ParseLimits
from knowledge.formats.parse import parse_document


def refusal(path: Path, limits: ParseLimits | None = None) -> str:
    """Parse a file that must be refused; the reason given, after checking that the message
    is one line naming the file."""
    with pytest.raises(IngestError) as caught:
        parse_document(path, limits)
    assert caught.value.path == path
    assert str(caught.value).startswith(f"{path.name}: ") and "\n" not in str(caught.value)
    return caught.value.reason
