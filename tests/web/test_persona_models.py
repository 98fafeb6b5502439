"""In the running app, a persona naming a model that is not configured: the chat says so,
naming the model, and nothing answers in its place; the admin's persona page marks it, and
the shared-QA queue shows the model and adapter a pair came from."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from chat.factory import build_persona_store, build_sharing
from chat.settings import Settings
from sharing import QADraft
from tests.sharing.consenting import share_with_consent
from tests.web.chat_client import ChatClient, log_in, run_async
from tests.web.conftest import USERS, make_data_dir, serving


@pytest.mark.slow
def test_a_persona_whose_model_is_missing_says_so_and_is_marked(
    bundled_model: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    data_dir = make_data_dir(tmp_path_factory.mktemp("models"), bundled_model)
    store = build_persona_store(Settings(data_dir=data_dir))
    wang = store.get("kb-assistant").model_copy(
        update={"id": "dr-wang", "name": "王醫師", "model": "dr-wang-gi", "version": 1}
    )
    store.create(wang, author="test")
    sharing = build_sharing(Settings(data_dir=data_dir))
    draft = QADraft("胃痛要看哪一科？", "腸胃科。", "dr-wang", 1, "dr-wang-gi", adapter="run-7")
    share_with_consent(sharing.service, draft, user="clerk.wu")
    with serving(data_dir) as app:

        async def scenario() -> tuple[str, str]:
            token = await log_in(app.url, "clerk.wu", USERS["clerk.wu"][0])
            chat = ChatClient(app.url, token, persona="dr-wang")
            await chat.connect()
            reply = await chat.send("胃痛要看哪一科？", timeout_s=120)
            await chat.close()
            return reply.text, await log_in(app.url, "boss", USERS["boss"][0])

        said, admin = run_async(scenario())
        cookies = {"access_token": admin}
        page = httpx.get(f"{app.url}/kbchat/admin/personas", cookies=cookies)
        queue = httpx.get(f"{app.url}/kbchat/admin/shared", cookies=cookies)
    assert "「dr-wang-gi」" in said and "沒有設定" in said and "不會改用預設模型" in said
    assert page.status_code == 200 and "⚠ dr-wang-gi：未設定 not configured" in page.text
    assert "模型 model: dr-wang-gi" in queue.text and "adapter: run-7" in queue.text
