"""The same-origin guard on a small app of its own: which pages may post, which may not."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from chat.web.origin import SameOriginGuard, parse_origin


def _client(*, https: bool = False, trusted: tuple[str, ...] = ()) -> TestClient:
    app = FastAPI()

    @app.post("/act")
    async def act() -> dict[str, bool]:
        return {"done": True}

    @app.get("/read")
    async def read() -> dict[str, bool]:
        return {"read": True}

    app.add_middleware(SameOriginGuard, trusted=lambda: trusted, https=lambda: https)
    return TestClient(app, base_url="http://kb.hospital.tw")


@pytest.mark.parametrize(
    ("headers", "status"),
    [({}, 200), ({"Origin": "http://kb.hospital.tw"}, 200),
     ({"Origin": "http://KB.hospital.tw:80"}, 200),
     ({"Referer": "http://kb.hospital.tw/kbchat/admin"}, 200),
     ({"Origin": "http://kb.hospital.tw:8080"}, 403), ({"Origin": "http://evil.tw"}, 403),
     ({"Origin": "null"}, 403), ({"Origin": "https://kb.hospital.tw"}, 403),
     ({"Referer": "http://kb.hospital.tw.evil.tw/x"}, 403),
     ({"Origin": "http://kb.hospital.tw."}, 403),
     ({"Origin": "javascript:alert(1)"}, 403)],
)  # fmt: skip
def test_a_state_change_passes_only_from_the_apps_own_pages(
    headers: dict[str, str], status: int
) -> None:
    response = _client().post("/act", headers=headers)
    assert response.status_code == status
    if status == 403:
        assert "cross-site request refused" in response.json()["detail"]


def test_reading_is_not_checked_and_https_and_trusted_origins_count_as_own() -> None:
    assert _client().get("/read", headers={"Origin": "http://evil.tw"}).status_code == 200
    https_page = {"Origin": "https://kb.hospital.tw"}
    assert _client(https=True).post("/act", headers=https_page).status_code == 200
    public = {"Origin": "https://kbchat.hospital.tw"}
    assert (
        _client(trusted=("https://kbchat.hospital.tw",)).post("/act", headers=public).status_code
        == 200
    )
    assert _client().post("/act", headers=public).status_code == 403


def test_origins_are_read_with_their_default_ports() -> None:
    assert parse_origin("https://a.tw") == ("https", "a.tw", 443)
    assert parse_origin("wss://a.tw:8443/ws") == ("https", "a.tw", 8443)
    assert parse_origin("null") is None and parse_origin("http://a.tw:99999") is None


@pytest.mark.parametrize(
    ("fetch_site", "origin", "status"),
    [("same-origin", "null", 200), ("same-origin", None, 200), ("none", None, 200),
     ("same-site", "http://kb.hospital.tw:9999", 403), ("cross-site", None, 403),
     ("cross-site", "http://kb.hospital.tw", 403)],
)  # fmt: skip
def test_the_browsers_own_sec_fetch_site_decides_where_it_is_sent(
    fetch_site: str, origin: str | None, status: int
) -> None:
    headers = {"Sec-Fetch-Site": fetch_site} | ({"Origin": origin} if origin else {})
    assert _client().post("/act", headers=headers).status_code == status
