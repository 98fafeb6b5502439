"""Security headers and the Content-Security-Policy, on a small app of its own."""

from __future__ import annotations

import base64
import hashlib

from fastapi import FastAPI
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse
from fastapi.testclient import TestClient

from chat.web.headers import install_security_headers

SCRIPT = "\n      const global = globalThis;\n    "
PAGE = (
    f"<html><head><script>{SCRIPT}</script>"
    '<script type="module" src="/assets/index.js"></script></head>'
    "<body>" + "padding " * 200 + "</body></html>"
)


def _client(*, gzipped: bool = False, https: bool = False) -> TestClient:
    app = FastAPI()

    @app.get("/")
    async def page() -> HTMLResponse:
        return HTMLResponse(PAGE)

    @app.get("/snippet")
    async def snippet() -> PlainTextResponse:
        return PlainTextResponse("<script>alert(1)</script>")

    @app.get("/api")
    async def api() -> JSONResponse:
        return JSONResponse({"ok": True}, headers={"X-Frame-Options": "ALLOWALL"})

    @app.post("/login")
    async def login() -> JSONResponse:
        response = JSONResponse({"ok": True})
        response.set_cookie("access_token", "t", httponly=True, samesite="lax")
        return response

    if gzipped:
        app.add_middleware(GZipMiddleware, minimum_size=100)
    install_security_headers(app, https=lambda: https)
    return TestClient(app, base_url="http://kb.hospital.tw:8000")


def _policy(header: str) -> dict[str, list[str]]:
    directives = [part.strip().split() for part in header.split(";")]
    return {name: values for name, *values in directives}


def test_every_response_gets_the_headers() -> None:
    client = _client()
    for path in ("/", "/snippet", "/api", "/missing"):
        headers = client.get(path).headers
        assert headers["x-content-type-options"] == "nosniff", path
        assert headers["referrer-policy"] == "same-origin", path
        assert headers["x-frame-options"] == "SAMEORIGIN", path  # replaces the app's own
        policy = _policy(headers["content-security-policy"])
        assert policy["img-src"] == ["'self'", "data:", "blob:"]
        assert policy["connect-src"] == [
            "'self'",
            "ws://kb.hospital.tw:8000",
            "wss://kb.hospital.tw:8000",
        ]
        assert policy["object-src"] == ["'none'"] and policy["base-uri"] == ["'none'"]
        assert policy["frame-src"] == ["'self'"] and policy["form-action"] == ["'self'"]
        assert policy["frame-ancestors"] == ["'self'"]


def test_the_pages_inline_scripts_are_allowed_by_hash_and_nothing_else_inline() -> None:
    digest = base64.b64encode(hashlib.sha256(SCRIPT.encode()).digest()).decode()
    for client in (_client(), _client(gzipped=True)):
        response = client.get("/", headers={"accept-encoding": "gzip"})
        assert response.text == PAGE  # the body passes unchanged (decoded by the client)
        scripts = _policy(response.headers["content-security-policy"])["script-src"]
        assert scripts == ["'self'", f"'sha256-{digest}'"]
        assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts


def test_a_gzipped_page_keeps_its_encoding() -> None:
    response = _client(gzipped=True).get("/", headers={"accept-encoding": "gzip"})
    assert response.headers["content-encoding"] == "gzip"
    assert int(response.headers["content-length"]) < len(PAGE) // 4  # still compressed


def test_a_forged_host_header_adds_no_source() -> None:
    response = _client().get("/api", headers={"host": "evil.example; script-src *"})
    policy = _policy(response.headers["content-security-policy"])
    assert policy["connect-src"] == ["'self'"] and policy["script-src"] == ["'self'"]


def test_behind_https_cookies_are_secure_and_hsts_is_sent() -> None:
    plain, secured = _client().post("/login"), _client(https=True).post("/login")
    assert "secure" not in plain.headers["set-cookie"].lower()
    assert "strict-transport-security" not in plain.headers
    assert secured.headers["set-cookie"].endswith("; Secure")
    assert secured.headers["strict-transport-security"] == "max-age=31536000"
