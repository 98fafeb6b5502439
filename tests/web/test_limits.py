"""Each limit of the web app answers with a clear message (small limits: tests/web/scene.py)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import aiohttp
import pytest

from tests.datasets import DRCD
from tests.pdfs import text_pdf
from tests.web.chat_client import ChatClient, log_in, run_async
from tests.web.scene import PASSWORDS, Scene

OFF_TOPIC = ["火星的首都是哪裡？", "How tall is Mount Everest?", "企鵝吃什麼？", "誰發明了電話？"]


async def _chat(scene: Scene, user: str) -> ChatClient:
    chat = ChatClient(scene.url, await log_in(scene.url, user, PASSWORDS[user]))
    await chat.connect()
    return chat


@pytest.mark.slow
def test_a_long_question_is_refused_with_the_limit(scene: Scene) -> None:
    async def scenario() -> str:
        chat = await _chat(scene, "nurse.lin")
        reply = await chat.send("請問" * 300)
        await chat.close()
        return reply.text

    said = run_async(scenario())
    # In the reader's language, as a limit, not as an error
    assert "問題太長：600 個字，上限是 500 個字" in said and "發生錯誤" not in said


@pytest.mark.slow
def test_one_user_asking_too_often_is_told_to_wait(scene: Scene) -> None:
    async def scenario() -> list[str]:
        chat = await _chat(scene, "clerk.chen")
        replies = [(await chat.send(question)).text for question in OFF_TOPIC]
        await chat.close()
        return replies

    replies = run_async(scenario())
    assert not any("每分鐘最多" in reply for reply in replies[:3])
    assert "每分鐘最多 3 題" in replies[3]


@pytest.mark.slow
def test_uploads_over_the_size_or_page_limit_are_refused_by_name(
    scene: Scene, tmp_path: Path
) -> None:
    big = tmp_path / "big.pdf"
    source = (DRCD / "drcd-dev-000.pdf").read_bytes()
    big.write_bytes(source + b"\n%" + b"0" * 1_200_000 + b"\n%%EOF\n")
    long = text_pdf(tmp_path / "long.pdf", [[f"第 {n} 頁：病房規則。"] for n in range(25)])

    async def scenario() -> tuple[int, str, str]:
        chat = await _chat(scene, "boss")
        try:
            await chat.upload(big)
            status, detail = 200, ""
        except aiohttp.ClientResponseError as refused:
            status, detail = refused.status, refused.message
        reply = await chat.send("", files=[long])
        await chat.close()
        return status, detail, " ".join(reply.texts)

    status, _detail, said = run_async(scenario())
    assert status == 400
    assert "long.pdf" in said and "25 頁，超過上限 20 頁" in said  # in the persona's language


@pytest.mark.slow
def test_a_second_upload_while_one_is_indexing_is_refused(scene: Scene) -> None:
    pdfs = [DRCD / "drcd-dev-003.pdf", DRCD / "drcd-dev-004.pdf"]

    async def scenario() -> list[str]:
        chats = [await _chat(scene, "nurse.lin"), await _chat(scene, "nurse.lin")]
        replies = await asyncio.gather(
            *(c.send("", files=[p]) for c, p in zip(chats, pdfs, strict=True))
        )
        for chat in chats:
            await chat.close()
        return [" ".join(reply.texts) for reply in replies]

    said = run_async(scenario())
    assert sum("已匯入" in reply for reply in said) == 1, said
    assert sum("已有 1 份文件正在匯入" in reply for reply in said) == 1, said
