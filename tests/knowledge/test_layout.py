"""The temporary names the writers use are the ones doctor finds: a writer that dies
mid-write leaves a real leftover, and doctor reports exactly that path."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from knowledge import DataLayout, KnowledgeBase, diagnose

# Runs a real writer in a child process that dies (os._exit) at the moment it would rename
# its staged file or folder into place: what a crash or a kill leaves behind.
_DIE_AT_RENAME = """
import os, sys
from pathlib import Path
os.replace = lambda *args, **kwargs: os._exit(0)
from knowledge import DataLayout
layout = DataLayout(Path(sys.argv[1]))
"""


def _crash_while(code: str, data_dir: Path) -> None:
    script = _DIE_AT_RENAME + textwrap.dedent(code)
    root = Path(__file__).resolve().parents[2]  # this checkout's knowledge, not another
    subprocess.run([sys.executable, "-c", script, str(data_dir)], check=True, timeout=120, cwd=root)


def test_a_pdf_copy_left_by_a_dead_writer_is_what_doctor_reports(kb: KnowledgeBase) -> None:
    source = kb.layout.root / "source.pdf"
    source.write_bytes(b"%PDF-1.4 test")
    _crash_while(
        f"""
        from knowledge.files import FileStore
        FileStore(layout).put("{"ab" * 32}", "pdf", Path({str(source)!r}))
        """,
        kb.layout.root,
    )
    leftovers = [p for p in kb.layout.files.iterdir() if p.name.startswith(".")]
    assert len(leftovers) == 1 and leftovers[0].read_bytes() == b"%PDF-1.4 test"
    found = [(p.kind, p.subject) for p in diagnose(kb).problems]
    assert found == [("staging-leftover", str(leftovers[0]))]


def test_an_index_folder_left_by_a_dead_writer_is_what_doctor_reports(
    kb: KnowledgeBase,
) -> None:
    kb.registry.generations()  # the registry knows no collection: any gen folder is stale
    _crash_while(
        """
        from knowledge.lexical.bm25 import Bm25Index
        Bm25Index.build([("c1", "text")]).save(layout.lexical_generation("default", 0))
        """,
        kb.layout.root,
    )
    folder = kb.layout.lexical_collection("default")
    leftovers = list(folder.iterdir())
    assert len(leftovers) == 1 and (leftovers[0] / "chunk_ids.json").is_file()
    found = [(p.kind, p.subject) for p in diagnose(kb).problems]
    assert found == [("staging-leftover", str(leftovers[0]))]


def test_names_that_are_not_staged_are_not_taken_for_leftovers(tmp_path: Path) -> None:
    layout = DataLayout(tmp_path)
    assert layout.staging_writer(layout.original("ab" * 32, "pdf")) is None
    assert layout.staging_writer(layout.lexical_generation("default", 4)) is None
    assert layout.generation_of(layout.lexical_generation("default", 4)) == 4
    assert layout.generation_of(DataLayout.lexical_staging(layout.lexical / "x" / "gen-4")) is None
