"""The house rules a reader relies on, checked on the source: libraries stand alone and show a
face, the app uses only that face, modules and functions stay small, and no dependency ships a
module under one of our top-level names."""

from __future__ import annotations

import ast
import importlib
import importlib.metadata
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LIBRARIES = ("knowledge", "serving", "personas", "sharing")
APP = ("chat", "bench", "scripts")
OURS = (*LIBRARIES, "chat")
HISTORICAL = {"scripts/make_release_fixture.py"}
"""Run only against the release whose database it captures, so it imports that release's
modules (see tests/data/release-2026-12-06/README.md)."""
MAX_MODULE_LINES = 300
MAX_FUNCTION_LINES = 50


def _sources(*folders: str) -> Iterator[Path]:
    for folder in folders:
        yield from sorted((ROOT / folder).rglob("*.py"))


def _imports(path: Path) -> Iterator[tuple[int, str, list[str]]]:
    """(line, module, imported names) for each absolute import in a file."""
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name, []
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.lineno, node.module, [alias.name for alias in node.names]


def _where(path: Path, line: int) -> str:
    return f"{path.relative_to(ROOT)}:{line}"


@pytest.mark.parametrize("library", LIBRARIES)
def test_a_library_imports_nothing_of_ours_and_no_chainlit(library: str) -> None:
    others = {name for name in (*OURS, "chainlit") if name != library}
    found = [
        f"{_where(path, line)} imports {module}"
        for path in _sources(library)
        for line, module, _ in _imports(path)
        if module.split(".")[0] in others
    ]
    assert not found, "\n".join(found)


@pytest.mark.parametrize("library", LIBRARIES)
def test_a_library_declares_its_face(library: str) -> None:
    face = importlib.import_module(library)
    names = getattr(face, "__all__", None)
    assert names, f"{library}/__init__.py declares no __all__"
    missing = [name for name in names if not hasattr(face, name)]
    assert not missing, f"{library}.__all__ names what it does not define: {missing}"
    assert face.__doc__ and face.__doc__.strip(), f"{library}/__init__.py has no docstring"


def test_the_app_imports_only_the_libraries_faces() -> None:
    faces = {library: set(importlib.import_module(library).__all__) for library in LIBRARIES}
    found = []
    for path in _sources(*APP):
        if str(path.relative_to(ROOT)) in HISTORICAL:
            continue
        for line, module, names in _imports(path):
            top = module.split(".")[0]
            if top not in faces:
                continue
            if module != top:
                found.append(f"{_where(path, line)} imports {module}, behind {top}'s face")
            found += [
                f"{_where(path, line)} imports {top}.{name}, not in {top}.__all__"
                for name in names
                if name not in faces[top]
            ]
    assert not found, "\n".join(found)


def _too_long(path: Path) -> Iterator[str]:
    text = path.read_text()
    lines = len(text.splitlines())
    if lines > MAX_MODULE_LINES:
        yield f"{path.relative_to(ROOT)} has {lines} lines (at most {MAX_MODULE_LINES})"
    for node in ast.walk(ast.parse(text, str(path))):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.end_lineno:
            length = node.end_lineno - node.lineno + 1
            if length > MAX_FUNCTION_LINES:
                yield f"{_where(path, node.lineno)} {node.name}() has {length} lines"


def test_modules_and_functions_stay_small() -> None:
    found = [problem for path in _sources(*OURS, "bench", "scripts") for problem in _too_long(path)]
    assert not found, "\n".join(found)


def _top_level_names(distribution: importlib.metadata.Distribution) -> set[str]:
    names = set()
    for file in distribution.files or []:
        first = file.parts[0]
        if len(file.parts) == 1 and file.suffix in {".py", ".so", ".pyd"}:
            names.add(first.split(".")[0])
        elif len(file.parts) > 1 and not first.endswith((".dist-info", ".data")):
            names.add(first)
    return names


def test_no_dependency_ships_one_of_our_top_level_names() -> None:
    """Our packages install as top-level import names; a dependency shipping the same name
    would shadow one of them (or be shadowed) depending on sys.path order."""
    clashes = [
        f"{dist.metadata['Name']} ships {sorted(_top_level_names(dist) & set(OURS))}"
        for dist in importlib.metadata.distributions()
        if dist.metadata["Name"] != "kbchat" and _top_level_names(dist) & set(OURS)
    ]
    assert not clashes, "\n".join(clashes)


def test_our_tests_package_is_the_one_imported() -> None:
    """literalai (a Chainlit dependency) ships a stray top-level ``tests`` package. It is not
    installed by kbchat, but pytest must import ours: the suite's helpers live there."""
    import tests

    assert Path(tests.__file__).resolve().parent == ROOT / "tests"
