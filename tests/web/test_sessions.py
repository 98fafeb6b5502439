"""Sessions that really end, actions on other users' things, and element URLs that could be
turned against the server (SSRF), against a real `kbchat serve`."""

from __future__ import annotations

import http.server
import subprocess
import sys
import threading
from collections.abc import Iterator

import jwt
import pytest
import socketio

from chat.factory import build_sharing
from chat.settings import Settings
from tests.web.chat_client import ChatClient, LoginRefused, log_in, run_async
from tests.web.scene import (
    AS_USER,
    CONFIRMED,
    PASSWORDS,
    SESSION_HOURS,
    Scene,
    client_for,
    post_form,
)


def _status(scene: Scene, token: str, path: str = "/user", bearer: bool = False) -> int:
    headers = {"Authorization": f"Bearer {token}"} if bearer else {}
    cookies = {} if bearer else {"access_token": token}
    with client_for(scene, cookies=cookies, headers=headers) as client:
        return client.get(path).status_code


def _socket_refused(scene: Scene, token: str) -> bool:
    async def connect() -> bool:
        chat = ChatClient(scene.url, token)
        try:
            await chat.connect()
        except socketio.exceptions.ConnectionError:
            return True
        await chat.close()
        return False

    return run_async(connect())


def _kbchat(scene: Scene, *args: str) -> subprocess.CompletedProcess[str]:
    env = {"KBCHAT_DATA_DIR": str(scene.data_dir), "PATH": "/usr/bin:/bin"}
    return subprocess.run(
        [sys.executable, "-m", "chat", *args], env=env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.slow
def test_logging_out_ends_the_token_everywhere(scene: Scene) -> None:
    token = run_async(log_in(scene.url, "temp.lee", PASSWORDS["temp.lee"]))
    assert _status(scene, token) == 200
    with client_for(scene, cookies={"access_token": token}) as client:
        response = client.post("/logout")
    assert response.status_code == 200
    doc = f"/kbchat/documents/{scene.org_doc}"
    assert [_status(scene, token), _status(scene, token, doc)] == [401, 401]
    assert _status(scene, token, bearer=True) == 401
    assert _socket_refused(scene, token)
    fresh = run_async(log_in(scene.url, "temp.lee", PASSWORDS["temp.lee"]))
    assert _status(scene, fresh) == 200  # logging in again works


@pytest.mark.slow
def test_a_disabled_or_removed_user_is_locked_out_at_once(scene: Scene) -> None:
    token = run_async(log_in(scene.url, "temp.ho", PASSWORDS["temp.ho"]))
    assert _status(scene, token) == 200
    assert _kbchat(scene, "users", "disable", "temp.ho").returncode == 0
    assert _status(scene, token) == 401
    assert _socket_refused(scene, token)
    with pytest.raises(LoginRefused):
        run_async(log_in(scene.url, "temp.ho", PASSWORDS["temp.ho"]))
    assert _kbchat(scene, "users", "enable", "temp.ho").returncode == 0
    assert _status(scene, token) == 401, "a token from before the lockout stays ended"
    again = run_async(log_in(scene.url, "temp.ho", PASSWORDS["temp.ho"]))
    assert _status(scene, again) == 200
    # While the app runs, its own admin page removes users (the CLI cannot reach the
    # running app's embedded Chroma, and says so).
    refused = _kbchat(scene, "users", "remove", "temp.ho")
    assert refused.returncode == 1 and "remove temp.ho on the admin page" in refused.stderr
    assert _status(scene, again) == 200  # nothing was changed
    with client_for(scene, "admin") as admin:
        removed = post_form(
            admin, "/kbchat/admin/users/temp.ho/remove", CONFIRMED, headers={"Origin": scene.url}
        )
    assert removed.status_code == 303
    assert _status(scene, again) == 401


@pytest.mark.slow
def test_a_login_lasts_the_configured_hours_not_chainlits_fifteen_days(scene: Scene) -> None:
    claims = jwt.decode(scene.tokens["staff"], options={"verify_signature": False})
    assert claims["exp"] - claims["iat"] == SESSION_HOURS * 3600


@pytest.mark.slow
def test_an_open_socket_stops_answering_once_the_user_is_disabled(scene: Scene) -> None:
    async def scenario() -> str:
        token = await log_in(scene.url, "temp.lee", PASSWORDS["temp.lee"])
        chat = ChatClient(scene.url, token)
        await chat.connect()
        assert _kbchat(scene, "users", "disable", "temp.lee").returncode == 0
        try:
            reply = await chat.send("這份文件在說什麼？", timeout_s=120)
        finally:
            await chat.close()
            _kbchat(scene, "users", "enable", "temp.lee")
        return reply.text

    assert "重新登入" in run_async(scenario())


@pytest.mark.slow
def test_another_users_shared_qa_cannot_be_withdrawn_by_action(scene: Scene) -> None:
    async def scenario() -> None:
        chat = ChatClient(scene.url, scene.tokens["staff"])
        await chat.connect()
        for payload in ({"qa_id": scene.qa_id}, {"qa_id": str(scene.qa_id)}, {"qa_id": [1]}, {}):
            action = {"name": "withdraw_qa", "payload": payload, "label": "x", "id": "a1"}
            await chat.call_action(action)
        forged = {"name": "share_agree", "label": "x", "id": "a2",
                  "payload": {"draft": "guessed", "locale": "zh-TW", "version": "1",
                              "sha256": "0" * 64}}  # fmt: skip
        await chat.call_action(forged)
        await chat.close()

    run_async(scenario())
    store = build_sharing(Settings(data_dir=scene.data_dir)).store
    shared = store.list_qa()
    assert [qa.status for qa in shared if qa.id == scene.qa_id] != ["withdrawn"]
    assert AS_USER["staff"] not in {qa.user_id for qa in shared}, "a forged share was stored"


class _Recorder(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 (the stdlib's name)
        type(self).hits.append(self.path)
        if self.path.startswith("/redirect"):
            self.send_response(302)
            self.send_header("Location", "http://169.254.169.254/latest/meta-data/")
        else:
            self.send_response(200)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        return


@pytest.fixture
def recorder() -> Iterator[str]:
    """An HTTP server on loopback that records every request it gets."""
    _Recorder.hits = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.mark.slow
def test_element_urls_are_never_fetched_by_the_server(scene: Scene, recorder: str) -> None:
    urls = [f"{recorder}/secret", f"{recorder}/redirect", "http://169.254.169.254/latest/",
            "http://localhost:22/", "file:///etc/passwd"]  # fmt: skip

    async def scenario() -> list[int]:
        chat = ChatClient(scene.url, scene.tokens["staff"])
        await chat.connect()
        statuses = []
        with client_for(scene, cookies={"access_token": chat.token}) as client:
            for url in urls:
                for kind in ("custom", "image", "file"):
                    element = {"id": f"e-{kind}", "type": kind, "url": url, "name": "x",
                               "display": "inline", "forId": "m1", "threadId": None}  # fmt: skip
                    body = {"sessionId": chat.session_id, "element": element}
                    statuses.append(client.put("/project/element", json=body).status_code)
        await chat.close()
        return statuses

    statuses = run_async(scenario())
    assert all(status < 500 for status in statuses)
    assert _Recorder.hits == [], "the server fetched an element URL"
    import sqlalchemy as sa

    engine = sa.create_engine(f"sqlite:///{scene.data_dir / 'kbchat.db'}")
    with engine.connect() as connection:
        stored = connection.execute(sa.text('SELECT "url" FROM elements')).scalars().all()
    engine.dispose()
    assert not [url for url in stored if url and not url.startswith("/kbchat/")]


@pytest.mark.slow
def test_a_file_uploaded_in_one_session_is_refused_to_another_user(scene: Scene) -> None:
    from tests.web.scene import PRIVATE_PDF

    async def scenario() -> tuple[int, int, int]:
        owner = ChatClient(scene.url, scene.tokens["owner"])
        await owner.connect()
        file_id = (await owner.upload(PRIVATE_PDF))["id"]
        path = f"/project/file/{file_id}?session_id={owner.session_id}"
        statuses = []
        for role in ("owner", "staff", "admin"):
            with client_for(scene, role) as client:
                statuses.append(client.get(path).status_code)
        await owner.close()
        return statuses[0], statuses[1], statuses[2]

    mine, other, admin = run_async(scenario())
    assert mine == 200 and other in (401, 403, 404) and admin in (401, 403, 404)
