"""Errors raised by the persona package; the edges (CLI, web app) turn them into messages."""

from __future__ import annotations


class PersonaError(Exception):
    """Base class of every error the personas package raises on purpose."""


class PersonaFileError(PersonaError):
    """A persona file or card that cannot be used: names the file, the line and the field."""

    def __init__(
        self, source: str, reason: str, *, line: int | None = None, field: str | None = None
    ) -> None:
        self.source = source
        self.reason = reason
        self.line = line
        self.field = field
        where = source
        if line is not None:
            where += f", line {line}"
        if field:
            where += f", field '{field}'"
        super().__init__(f"{where}: {reason}")


class PersonaNotFound(PersonaError):
    """No persona (or no such version of one) is stored under the id."""

    def __init__(self, persona_id: str, version: int | None = None) -> None:
        self.persona_id = persona_id
        self.version = version
        what = f"persona {persona_id!r}"
        if version:
            what = f"version {version} of {what}"
        super().__init__(f"no {what}; `kbchat personas list` shows the ids")


class PersonaExists(PersonaError):
    """Creating a persona whose id is already taken."""

    def __init__(self, persona_id: str) -> None:
        self.persona_id = persona_id
        super().__init__(
            f"a persona with id {persona_id!r} already exists; edit it, or import with --update "
            "to store the file as its next version"
        )
