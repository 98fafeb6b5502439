"""A curated export as a run reads it: its examples with their QA ids, and the hash of its
manifest (which lists every row's lineage), recorded in the run's own manifest."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sharing.llamafactory import alpaca_entry, write_json
from sharing.training.errors import TrainingError
from sharing.training.split import Example, Split

TRAIN, HOLDOUT = "train", "holdout"
"""The names of the run's two datasets in its ``dataset_info.json``."""


@dataclass(frozen=True)
class CuratedSet:
    """The examples of one export and where they came from."""

    folder: Path
    manifest_sha256: str
    examples: list[Example]


def read_export(folder: Path) -> CuratedSet:
    """The examples of a kbchat export folder (LLaMA-Factory or alpaca format): its alpaca
    records paired, in order, with the QA ids its manifest lists."""
    manifest_path = folder / "manifest.json"
    try:
        raw = manifest_path.read_bytes()
        manifest = json.loads(raw)
        name = manifest["options"]["dataset_name"]
        qa_ids = [int(row["qa_id"]) for row in manifest["rows"]]
        records = json.loads((folder / f"{name}_alpaca.json").read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise TrainingError(
            f"{folder} is not a kbchat export with an alpaca dataset ({error}); make one with "
            "`kbchat share export --format llamafactory`"
        ) from None
    if not isinstance(records, list) or len(records) != len(qa_ids):
        raise TrainingError(f"{folder}: the alpaca file and the manifest list different rows")
    pairs = zip(qa_ids, records, strict=True)
    examples = [Example(qa_id, _checked(record, folder)) for qa_id, record in pairs]
    return CuratedSet(folder, hashlib.sha256(raw).hexdigest(), examples)


def _checked(record: Any, folder: Path) -> dict[str, Any]:
    if not isinstance(record, dict) or not record.get("instruction") or not record.get("output"):
        raise TrainingError(f"{folder}: an alpaca record lacks its instruction or output")
    return record


def write_datasets(split: Split, folder: Path) -> None:
    """The train and held-out alpaca files and their ``dataset_info.json``, in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    entries: dict[str, Any] = {}
    for name, examples in ((TRAIN, split.train), (HOLDOUT, split.holdout)):
        records = [example.record for example in examples]
        write_json(folder / f"{name}.json", records)
        entries[name] = alpaca_entry(f"{name}.json", records)
    write_json(folder / "dataset_info.json", entries, sort_keys=True)
