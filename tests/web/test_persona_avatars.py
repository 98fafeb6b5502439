"""Persona pictures in the browser: a persona's picture shows in the persona picker, is
served only to roles offered the persona, and not at all without a login."""

from __future__ import annotations

import copy
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from PIL import Image

from chat.factory import build_persona_store
from chat.settings import Settings
from tests.personas.card_files import V2_CARD, card_png, picture
from tests.web.browsing import login
from tests.web.conftest import WebApp


def _picture(colour: tuple[int, int, int], size: tuple[int, int]) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="PNG")
    return buffer.getvalue()


GUIDE, NURSE = _picture((200, 40, 40), (64, 96)), _picture((40, 40, 200), (32, 32))


@pytest.fixture
def pictured(web_app: WebApp) -> Iterator[None]:
    """A staff persona and a clinician persona with pictures, removed afterwards."""
    store = build_persona_store(Settings(data_dir=web_app.data_dir))
    base = store.get("kb-assistant")
    guide = base.model_copy(update={"id": "avatar-guide", "name": "圖像導覽員", "version": 1})
    nurse = base.model_copy(update={"id": "avatar-nurse", "name": "圖像護理師", "version": 1,
                                    "audience": "clinician"})  # fmt: skip
    store.create(guide, author="tests", avatar=GUIDE)
    store.create(nurse, author="tests", avatar=NURSE)
    yield
    for persona_id in ("avatar-guide", "avatar-nurse"):
        store.delete(persona_id)
    store.engine.dispose()


def test_a_personas_picture_shows_in_the_picker_for_the_roles_offered_it(
    browser: Any, web_app: WebApp, pictured: None
) -> None:
    page = login(browser, web_app, "clerk.wu")
    page.click("#chat-profiles")
    shown = page.locator("img[src*='/kbchat/personas/avatar-guide/avatar.png']").first
    shown.wait_for(timeout=60_000)
    size = shown.evaluate("img => [img.naturalWidth, img.naturalHeight]")
    assert size == [64, 96]  # the picture itself, loaded
    assert page.locator("img[src*='/kbchat/personas/avatar-nurse/']").count() == 0
    served = page.request.get(f"{web_app.url}/kbchat/personas/avatar-guide/avatar.png")
    assert served.status == 200 and served.headers["content-type"] == "image/png"
    assert served.body() == GUIDE
    withheld = page.request.get(f"{web_app.url}/kbchat/personas/avatar-nurse/avatar.png")
    assert withheld.status == 404  # a clinician persona: not staff's to see
    none = page.request.get(f"{web_app.url}/kbchat/personas/kb-assistant/avatar.png")
    assert none.status == 404  # no picture
    page.context.close()
    nurse = login(browser, web_app, "nurse.lin")
    shown = nurse.request.get(f"{web_app.url}/kbchat/personas/avatar-nurse/avatar.png")
    assert shown.status == 200 and shown.body() == NURSE
    nurse.context.close()
    anonymous = httpx.get(f"{web_app.url}/kbchat/personas/avatar-guide/avatar.png", timeout=30)
    assert anonymous.status_code == 401


def test_a_png_card_imported_on_the_admin_page_shows_its_picture_in_the_picker(
    browser: Any, web_app: WebApp, tmp_path: Path
) -> None:
    card = copy.deepcopy(V2_CARD)
    card["data"]["name"] = "Mapkeeper"
    png = tmp_path / "mapkeeper.png"
    png.write_bytes(card_png(card, png=picture((48, 72))))
    admin = login(browser, web_app, "boss")
    admin.goto(f"{web_app.url}/kbchat/admin/personas")
    admin.set_input_files("input[name=files]", str(png))
    admin.get_by_role("button", name="匯入 Import", exact=True).click()
    admin.get_by_text("已匯入 Imported: mapkeeper").wait_for()
    admin.context.close()
    store = build_persona_store(Settings(data_dir=web_app.data_dir))
    try:
        stored = store.stored("mapkeeper")
        assert stored.persona.description == card["data"]["description"]  # whole
        page = login(browser, web_app, "clerk.wu")
        page.click("#chat-profiles")
        shown = page.locator("img[src*='/kbchat/personas/mapkeeper/avatar.png']").first
        shown.wait_for(timeout=60_000)
        assert shown.evaluate("img => [img.naturalWidth, img.naturalHeight]") == [48, 72]
        served = page.request.get(f"{web_app.url}/kbchat/personas/mapkeeper/avatar.png").body()
        assert b"tEXt" not in served  # the picture, without the card's text
        page.context.close()
    finally:
        store.delete("mapkeeper")
        store.engine.dispose()
