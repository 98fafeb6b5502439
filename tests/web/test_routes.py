"""The offline guard of the web app, on a small app of its own."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from fastapi.testclient import TestClient

from chat.web.routes import _offline, ui_language

PAGE = (
    '<html><head><link rel="preconnect" href="https://fonts.googleapis.com" />'
    '<link rel="stylesheet" href="https://cdn.jsdelivr.net/npm/katex.css">'
    '<link rel="icon" href="/favicon"></head><body>ok</body></html>'
)


def _client() -> TestClient:
    app = FastAPI()

    @app.get("/")
    async def page() -> HTMLResponse:
        return HTMLResponse(PAGE)

    app.middleware("http")(_offline)
    return TestClient(app)


def test_external_links_are_stripped_and_local_ones_kept() -> None:
    body = _client().get("/").text
    assert "googleapis" not in body and "jsdelivr" not in body
    assert 'href="/favicon"' in body and "ok" in body


def test_api_docs_are_closed() -> None:
    client = _client()
    assert [client.get(path).status_code for path in ("/docs", "/redoc", "/openapi.json")] == [
        404,
        404,
        404,
    ]


def test_zh_tw_is_the_default_language_and_english_stays_available() -> None:
    asked = {lang: ui_language(lang) for lang in ("ja", "fr-FR", "", "en-US", "zh-TW", "zh-CN")}
    assert asked == {"ja": "zh-TW", "fr-FR": "zh-TW", "": "zh-TW", "en-US": "en-US",
                     "zh-TW": "zh-TW", "zh-CN": "zh-CN"}  # fmt: skip
