"""More than one app process: two `kbchat serve` processes on one Chroma server and one
PostgreSQL database share the knowledge base, the logins and the history."""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path

import pytest

from tests.datasets import KNOWN_PAGE, KNOWN_PDF, KNOWN_QUESTION
from tests.web.chat_client import ChatClient, log_in, run_async
from tests.web.conftest import USERS, make_data_dir, serving


@pytest.mark.slow
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_an_upload_through_one_process_is_cited_through_the_other(
    bundled_model: Path,
    tmp_path_factory: pytest.TempPathFactory,
    chroma_url: str,
    database_url: str,
) -> None:
    data_dir = make_data_dir(tmp_path_factory.mktemp("two"), bundled_model, database_url)
    shared = {"KBCHAT_CHROMA_URL": chroma_url, "KBCHAT_DATABASE_URL": database_url}
    with ExitStack() as stack:
        first = stack.enter_context(serving(data_dir, shared))
        second = stack.enter_context(serving(data_dir, shared))

        async def scenario() -> tuple[str, str]:
            token = await log_in(first.url, "nurse.lin", USERS["nurse.lin"][0])
            uploader = ChatClient(first.url, token)
            await uploader.connect()
            added = await uploader.send("", files=[KNOWN_PDF])
            await uploader.close()
            reader = ChatClient(second.url, token)  # the same login works on both
            await reader.connect()
            answer = await reader.send(KNOWN_QUESTION, timeout_s=300)
            await reader.close()
            return " ".join(added.texts), answer.text

        added, answer = run_async(scenario())
    assert "已匯入" in added
    assert f"{KNOWN_PDF.name} 第 {KNOWN_PAGE} 頁" in answer
    assert not (data_dir / "chroma").exists(), "an app process opened an embedded Chroma"


@pytest.mark.slow
def test_a_second_process_on_an_embedded_chroma_is_refused_clearly(
    bundled_model: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    import os
    import subprocess
    import sys

    data_dir = make_data_dir(tmp_path_factory.mktemp("one"), bundled_model)
    with serving(data_dir):
        env = {**os.environ, "KBCHAT_DATA_DIR": str(data_dir)}
        command = [sys.executable, "-m", "chat", "ingest", str(KNOWN_PDF)]
        result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 1
    assert "KBCHAT_CHROMA_URL" in result.stderr and "Traceback" not in result.stderr
