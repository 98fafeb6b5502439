"""The model server dies in the middle of an answer: the user sees what came, marked
incomplete, and an error; the app keeps serving."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.datasets import KNOWN_PDF
from tests.servers import free_port
from tests.web.chat_client import ChatClient, log_in, run_async
from tests.web.conftest import USERS, make_data_dir, serving

# A question with a long answer: Chinese text streams in pieces at each comma or full stop
# (for the Taiwan-usage conversion), and the server is killed after the third.
QUESTION = "請詳細說明本院的門診時間、掛號方式和初診要帶的證件。"


def _llama_server(model: Path, port: int, log: Path) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "llama_cpp.server", "--model", str(model),
               "--model_alias", "kbchat-test", "--host", "127.0.0.1", "--port", str(port),
               "--n_ctx", "4096", "--n_threads", "2"]  # fmt: skip
    server = subprocess.Popen(command, stdout=log.open("w"), stderr=subprocess.STDOUT)
    for _ in range(600):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/v1/models", timeout=2):
                return server
        except OSError:
            assert server.poll() is None, log.read_text()
            time.sleep(0.2)
    server.kill()
    pytest.fail("llama.cpp's server did not start")


@pytest.mark.slow
def test_a_model_server_dying_mid_answer_leaves_a_marked_partial_answer(
    bundled_model: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    data_dir = make_data_dir(tmp_path_factory.mktemp("down"), bundled_model)
    env = {**os.environ, "KBCHAT_DATA_DIR": str(data_dir)}
    ingest = [sys.executable, "-m", "chat", "ingest", str(KNOWN_PDF)]
    subprocess.run(ingest, env=env, check=True, capture_output=True, timeout=600)
    port = free_port()
    llama = _llama_server(bundled_model, port, data_dir / "llama.log")
    settings = {"KBCHAT_LLM_BACKEND": "openai", "KBCHAT_OPENAI_MODEL": "kbchat-test",
                "KBCHAT_OPENAI_BASE_URL": f"http://127.0.0.1:{port}/v1"}  # fmt: skip
    tokens: list[str] = []

    def kill_after_a_few(token: str) -> None:
        tokens.append(token)
        if len(tokens) == 3 and llama.poll() is None:
            llama.send_signal(signal.SIGKILL)

    try:
        with serving(data_dir, settings) as app:

            async def scenario() -> tuple[str, str]:
                chat = ChatClient(app.url, await log_in(app.url, "clerk.wu", USERS["clerk.wu"][0]))
                await chat.connect()
                broken = await chat.send(QUESTION, on_token=kill_after_a_few, timeout_s=300)
                after = await chat.send(QUESTION, timeout_s=300)  # the app still answers
                await chat.close()
                return broken.text, after.text

            broken, after = run_async(scenario())
    finally:
        llama.kill()
    assert llama.wait(timeout=30) == -signal.SIGKILL, "the server finished before it was killed"
    partial = broken.split("\n\n> ⚠️")[0]
    assert partial and broken.startswith(tokens[0]), "the partial answer was not kept"
    assert "回答沒有完成" in broken and "以上內容不完整" in broken
    assert "failed mid-answer" in broken
    assert "unavailable" in after or "cannot connect" in after
    engine = sa.create_engine(f"sqlite:///{data_dir / 'kbchat.db'}")
    with engine.connect() as connection:
        stored = connection.execute(sa.text("SELECT output FROM steps")).scalars().all()
    engine.dispose()
    assert any("回答沒有完成" in (output or "") for output in stored), "not marked in history"
