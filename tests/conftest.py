"""Shared fixtures: the real embedding model (loaded once), real knowledge bases in tmp dirs.

Also the skip gate: under ``CI=true`` a test that skips (a tool or data it needs is missing)
fails the run instead, unless it is marked ``@pytest.mark.gpu``, the one kind of test that may
need what a CI machine does not have.
"""

from __future__ import annotations

import os

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
# The suite runs on the small bundled model (the apps it starts inherit this); the 1.5B has
# its own tests in tests/serving/test_bundled.py.
os.environ["KBCHAT_LLM_BUNDLED_MODEL"] = "qwen2.5-coder-0.5b"

import shutil
import tempfile
from collections.abc import Callable, Generator, Iterator
from pathlib import Path
from typing import Any

import pytest
from _pytest.reports import CollectReport, TestReport

from chat.database import dispose_engines
from chat.factory import build_embedder, build_knowledge_base
from chat.settings import Settings
from knowledge import Embedder
from knowledge.base import KnowledgeBase


def _chainlit_root() -> str:
    """A throwaway app root with kbchat's .chainlit/: Chainlit reads its config from the app
    root when imported and writes what it misses there (every translation, .files/), which
    must not be the repository. Nothing imported above imports Chainlit."""
    root = Path(tempfile.mkdtemp(prefix="kbchat-test-chainlit-"))
    shutil.copytree(Path(__file__).resolve().parents[1] / ".chainlit", root / ".chainlit")
    return str(root)


os.environ.setdefault("CHAINLIT_APP_ROOT", _chainlit_root())


def _skips_fail() -> bool:
    return os.environ.get("CI", "").lower() in {"true", "1"}


def _skip_reason(report: TestReport | CollectReport) -> str:
    longrepr = report.longrepr
    return str(longrepr[2]) if isinstance(longrepr, tuple) else str(longrepr)


def _fail_the_skip(report: TestReport | CollectReport) -> None:
    report.outcome = "failed"
    report.longrepr = (
        f"skipped under CI, where only @pytest.mark.gpu tests may skip: {_skip_reason(report)}"
    )


def pytest_configure(config: pytest.Config) -> None:
    """Register the GPU marker: its tests skip on machines without CUDA, CI's included."""
    config.addinivalue_line("markers", "gpu: needs a CUDA GPU; skipped where there is none")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Skip the GPU tests, saying so, where torch sees no CUDA device."""
    gpu_tests = [item for item in items if item.get_closest_marker("gpu")]
    if not gpu_tests:
        return
    import torch

    if torch.cuda.is_available():
        return
    for item in gpu_tests:
        item.add_marker(pytest.mark.skip(reason="needs a CUDA GPU; this machine has none"))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, Any, None]:
    """Under CI, a skip for a missing tool or missing data is a failure."""
    outcome = yield
    report: TestReport = outcome.get_result()
    if (
        report.skipped
        and _skips_fail()
        and not hasattr(report, "wasxfail")
        and item.get_closest_marker("gpu") is None
    ):
        _fail_the_skip(report)


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector: pytest.Collector) -> Generator[None, Any, None]:
    """Under CI, a module that skips itself at import is a failure too."""
    outcome = yield
    report: CollectReport = outcome.get_result()
    if report.skipped and _skips_fail():
        _fail_the_skip(report)


@pytest.fixture(autouse=True)
def _engines_end_with_the_test() -> Iterator[None]:
    """Close the databases a test opened: the app keeps one engine per database for its
    process's life, and a test run is many apps' lives in one process."""
    yield
    dispose_engines()


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    """The bundled all-MiniLM-L6-v2, loaded once for the whole run."""
    return build_embedder(Settings())


@pytest.fixture
def make_kb(tmp_path: Path, embedder: Embedder) -> Callable[..., KnowledgeBase]:
    """Open a real knowledge base (SQLite, embedded Chroma, lexical index) in a temp data dir."""

    def make(data_dir: Path | None = None, **overrides: object) -> KnowledgeBase:
        settings = Settings(data_dir=data_dir or tmp_path / "data", **overrides)  # type: ignore[arg-type]
        return build_knowledge_base(settings, embedder=embedder)

    return make


@pytest.fixture
def kb(make_kb: Callable[..., KnowledgeBase]) -> KnowledgeBase:
    """An empty knowledge base."""
    return make_kb()


@pytest.fixture(scope="session")
def bundled_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled GGUF, joined from its installed part packages and hash-checked."""
    from serving.bundled import SMALL

    return SMALL.path(tmp_path_factory.mktemp("models"))


@pytest.fixture(scope="session")
def large_bundled_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The larger bundled GGUF (1.5B), joined from its 22 part packages and hash-checked."""
    from serving.bundled import LARGE

    return LARGE.path(tmp_path_factory.mktemp("models-large"))


@pytest.fixture(scope="session")
def llama_backend(bundled_model: Path) -> Any:
    """The real in-process llama.cpp backend on the bundled model, loaded once."""
    from serving.bundled import SMALL
    from serving.llamacpp import LlamaCppBackend

    backend = LlamaCppBackend(bundled_model, expected_sha256=SMALL.sha256, n_ctx=2048, n_threads=2)
    backend.load()
    return backend


@pytest.fixture(scope="session")
def finetuned(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """One real LoRA run (tests/finetuned.py), trained once for the tests that read it."""
    from tests.finetuned import CLI, finetuned_scene

    if not CLI.exists():
        pytest.skip(f"LLaMA-Factory is not installed ({CLI}; scripts/install-train)")
    yield from finetuned_scene(tmp_path_factory.mktemp("finetune"))


@pytest.fixture(scope="session")
def server_url(bundled_model: Path) -> Iterator[str]:
    """`python -m llama_cpp.server` with the bundled model, serving it as ``kbchat-test`` on a
    free loopback port (the OpenAI-compatible path, as vLLM serves it), for the session."""
    import sys

    from tests.servers import free_port, running_server

    port = free_port()
    base = f"http://127.0.0.1:{port}/v1"
    command = [sys.executable, "-m", "llama_cpp.server", "--model", str(bundled_model)]
    command += ["--model_alias", "kbchat-test", "--host", "127.0.0.1", "--port", str(port)]
    command += ["--n_ctx", "2048", "--n_threads", "2"]
    with running_server(command, f"{base}/models"):
        yield base


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A real PostgreSQL server for the run; the test is skipped, saying why, if none starts."""
    from tests.postgres import PostgresUnavailable, temporary_postgres

    try:
        with temporary_postgres() as url:
            yield url
    except PostgresUnavailable as error:
        pytest.skip(f"PostgreSQL is not available: {error}")


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database: a SQLite file, then a database on the real PostgreSQL server."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'kbchat.db'}"
        return
    import uuid

    from sqlalchemy import create_engine, text

    server_url = request.getfixturevalue("postgres_url")
    name = f"kbchat_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server_url.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def chroma_url(tmp_path: Path) -> Iterator[str]:
    """A Chroma server (`chroma run`, from the chromadb package) on a free loopback port."""
    import shutil
    import sys

    from tests.servers import free_port, running_server

    chroma = shutil.which("chroma") or str(Path(sys.executable).with_name("chroma"))
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = [chroma, "run", "--path", str(tmp_path / "chroma-server"), "--host", "127.0.0.1"]
    with running_server([*command, "--port", str(port)], f"{url}/api/v2/heartbeat", 60):
        yield url
