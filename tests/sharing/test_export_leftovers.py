"""What a killed export leaves is found, and put right without touching finished exports."""

from __future__ import annotations

from pathlib import Path

from sharing.export_leftovers import clean_export_leftover, find_export_leftovers


def _folder(path: Path, content: str) -> Path:
    path.mkdir(parents=True)
    (path / "manifest.json").write_text(content)
    return path


def test_a_swap_cut_short_puts_the_earlier_export_back(tmp_path: Path) -> None:
    _folder(tmp_path / ".sft.old-ab12cd34", "earlier")
    _folder(tmp_path / ".sft.partial-ef56gh78", "half")
    _folder(tmp_path / "other", "someone else's")
    _folder(tmp_path / ".other.partial-x", "not ours: wrong suffix")
    found = find_export_leftovers(tmp_path)
    assert [(item.kind, item.export_name) for item in found] == [("old", "sft"), ("partial", "sft")]
    assert "to be put back" in found[0].describe()
    done = [clean_export_leftover(item) for item in found]
    assert done[0] == f"put back the earlier export {tmp_path / 'sft'}"
    assert (tmp_path / "sft" / "manifest.json").read_text() == "earlier"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".other.partial-x", "other", "sft"]


def test_a_parked_copy_beside_a_finished_export_is_deleted(tmp_path: Path) -> None:
    _folder(tmp_path / "sft", "new")
    _folder(tmp_path / ".sft.old-ab12cd34", "earlier")
    (leftover,) = find_export_leftovers(tmp_path)
    assert leftover.describe().endswith("replaced")
    clean_export_leftover(leftover)
    assert [p.name for p in tmp_path.iterdir()] == ["sft"]
    assert (tmp_path / "sft" / "manifest.json").read_text() == "new"
    assert find_export_leftovers(tmp_path / "missing") == []
