"""The dataset side of sharing: expert QA sheets in, curated fine-tuning exports out."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import Session, col, select

from sharing.errors import SharingError, SheetError, SheetRejected
from sharing.export_rows import DatasetFormat, ExportOptions, ExportRow
from sharing.exports import write_export
from sharing.models import ConsentRecord, QAEdit, QASource, QAStatus, SharedQA
from sharing.pii import PIIScrubber
from sharing.service import content_hash
from sharing.sheets import read_sheet
from sharing.store import SharingStore


def pseudonymize(user_id: str, key: bytes) -> str:
    """A stable pseudonym that cannot be turned back into the user id without the key."""
    return "u_" + hmac.new(key, user_id.encode("utf-8"), hashlib.sha256).hexdigest()[:12]


@dataclass(frozen=True)
class SheetImport:
    """What an import stored, and the problems of the rows it skipped."""

    imported: list[SharedQA]
    skipped: list[SheetError]


@dataclass(frozen=True)
class ExportFilters:
    """Which approved pairs to export."""

    source: QASource | None = None
    persona_id: str | None = None
    tag: str | None = None

    def to_json(self) -> dict[str, object]:
        """The filters as written into the manifest."""
        return {
            "status": "approved",
            "source": self.source,
            "persona_id": self.persona_id,
            "tag": self.tag,
        }


class Dataset:
    """Imports experts' QA sheets and exports approved pairs for fine-tuning."""

    def __init__(self, store: SharingStore, scrubber: PIIScrubber, pseudonym_key: bytes) -> None:
        self.store = store
        self.scrubber = scrubber
        self.pseudonym_key = pseudonym_key

    def import_sheet(self, path: Path, *, uploader: str, skip_bad: bool = False) -> SheetImport:
        """Store a sheet's rows as pending pairs: all of them, or with ``skip_bad`` the good."""
        report = read_sheet(path)
        if report.problems and not skip_bad:
            raise SheetRejected(str(path), report.problems, len(report.rows))
        if not report.rows:
            raise SharingError(f"{path}: no row can be imported")
        scrub = self.scrubber.scrub
        imported: list[SharedQA] = []
        with self.store.transaction() as session:
            for row in report.rows:
                question, answer = scrub(row.instruction).text, scrub(row.output).text
                history = [[scrub(q).text, scrub(a).text] for q, a in row.history]
                qa = self.store.add(
                    session,
                    SharedQA(
                        question=question,
                        answer=answer,
                        context=scrub(row.input).text,
                        system=scrub(row.system).text,
                        history_json=json.dumps(history, ensure_ascii=False),
                        source=QASource.SHEET,
                        user_id=uploader,
                        content_hash=content_hash(question, answer),
                        sheet_name=path.name,
                        sheet_row=row.row,
                    ),
                )
                imported.append(qa)
            self.store.audit(
                session,
                uploader,
                "import-sheet",
                None,
                sheet=path.name,
                rows=len(imported),
                skipped=len(report.problems),
                qa_ids=[qa.id for qa in imported],
            )
        return SheetImport(imported, list(report.problems))

    def export(
        self,
        export_format: DatasetFormat,
        out_dir: Path,
        *,
        actor: str,
        options: ExportOptions | None = None,
        filters: ExportFilters | None = None,
        force: bool = False,
    ) -> list[Path]:
        """Write the approved, never-withdrawn pairs (one per duplicate group) to ``out_dir``."""
        filters = filters or ExportFilters()
        rows = self.export_rows(filters)
        paths = write_export(
            rows,
            export_format,
            out_dir,
            options=options or ExportOptions(),
            filters=filters.to_json(),
            force=force,
        )
        with self.store.transaction() as session:
            self.store.audit(
                session,
                actor,
                "export",
                None,
                format=str(export_format),
                out=str(out_dir),
                rows=len(rows),
                qa_ids=[row.qa_id for row in rows],
            )
        return paths

    def export_rows(self, filters: ExportFilters) -> list[ExportRow]:
        """The rows an export holds, pseudonymized, in id order."""
        pairs = self.store.list_qa(status=QAStatus.APPROVED, source=filters.source, tag=filters.tag)
        if filters.persona_id:
            pairs = [qa for qa in pairs if qa.persona_id == filters.persona_id]
        first_of_each: dict[str, SharedQA] = {}
        for qa in pairs:
            first_of_each.setdefault(qa.content_hash, qa)
        unique = list(first_of_each.values())
        ids = [qa.id for qa in unique if qa.id is not None]
        versions, first_answers = self._consent_versions(ids), self._first_answers(ids)
        return [
            self._row(qa, versions.get(qa.id or 0, ""), first_answers.get(qa.id or 0, ""))
            for qa in unique
        ]

    def _consent_versions(self, qa_ids: Sequence[int]) -> dict[int, str]:
        with Session(self.store.engine) as session:
            records = session.exec(
                select(ConsentRecord)
                .where(col(ConsentRecord.qa_id).in_(qa_ids))
                .where(col(ConsentRecord.withdrawn_at).is_(None))
            ).all()
        return {record.qa_id: f"{record.locale} {record.consent_version}" for record in records}

    def _first_answers(self, qa_ids: Sequence[int]) -> dict[int, str]:
        """Each edited pair's answer as first shared: the ``answer_before`` of its first edit."""
        with Session(self.store.engine) as session:
            edits = session.exec(
                select(QAEdit).where(col(QAEdit.qa_id).in_(qa_ids)).order_by(col(QAEdit.id))
            ).all()
        first: dict[int, str] = {}
        for edit in edits:
            first.setdefault(edit.qa_id, edit.answer_before)
        return first

    def _row(self, qa: SharedQA, consent_version: str, first_answer: str) -> ExportRow:
        citations = qa.citations
        assert qa.id is not None
        return ExportRow(
            qa_id=qa.id,
            question=qa.question,
            answer=qa.answer,
            context=qa.context,
            retrieved=[str(c.get("text", "")) for c in citations if c.get("text")],
            system=qa.system,
            history=qa.history,
            source=str(qa.source),
            persona_id=qa.persona_id,
            persona_version=qa.persona_version,
            citations=qa.cited_pages,
            user=pseudonymize(qa.user_id, self.pseudonym_key),
            rating=qa.rating,
            consent_version=consent_version,
            tags=qa.tags,
            rejected=first_answer if _changed(first_answer, qa.answer) else "",
        )


def _changed(before: str, after: str) -> bool:
    """Whether an edit changed an answer's words, not only its spacing: a pair that differs
    in whitespace alone teaches no preference."""
    return bool(before.strip()) and before.split() != after.split()
