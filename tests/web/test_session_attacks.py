"""Attacks on logins and on other users' things, each against a real `kbchat serve`: ended
tokens dressed up so that a second parse might read them differently, a re-created user
name, token exchange, thread sharing, other users' feedback, the forced password change."""

from __future__ import annotations

import asyncio
import hashlib
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import jwt
import pytest
import socketio
import sqlalchemy as sa

from chat.accounts.users import Role
from chat.factory import build_accounts
from chat.settings import Settings
from chat.web.form_token import FIELD
from tests.web.chat_client import LoginRefused, log_in, run_async
from tests.web.scene import CONFIRMED, PASSWORDS, Scene, client_for, form_token_of, post_form

Headers = list[tuple[str, str]]
# Ways to send a token T that Chainlit reads as T, some of which a second parser reads
# differently (the stdlib's SimpleCookie stops at a malformed cookie; a "last header wins"
# reader takes the junk one).
DRESS_UPS: dict[str, Callable[[str], Headers]] = {
    "plain cookie": lambda t: [("Cookie", f"access_token={t}")],
    "after an open quote": lambda t: [("Cookie", f'x="a; access_token={t}')],
    "after a space in a value": lambda t: [("Cookie", f"x=a b; access_token={t}")],
    "after a JSON cookie": lambda t: [("Cookie", f'x={{"a":1}}; access_token={t}')],
    "in chunks, plus a stray one": lambda t: [
        ("Cookie", f"access_token_0={t[:40]}; access_token_1={t[40:]}; access_token_5=x")
    ],
    "bearer, then basic": lambda t: [("Authorization", f"Bearer {t}"), ("Authorization", "Basic")],
    "bearer, then junk": lambda t: [("Authorization", f"Bearer {t}"), ("Authorization", "Bearer")],
}  # fmt: skip


def _kbchat(scene: Scene, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {"KBCHAT_DATA_DIR": str(scene.data_dir), "PATH": "/usr/bin:/bin"}
    command = [sys.executable, "-m", "chat", *args]
    return subprocess.run(
        command, env=env, input=stdin, capture_output=True, text=True, timeout=120
    )


def _request(scene: Scene, method: str, path: str, headers: Headers, **kwargs: object) -> int:
    with httpx.Client(base_url=scene.url, timeout=60, follow_redirects=False) as client:
        return client.request(method, path, headers=headers, **kwargs).status_code  # type: ignore[arg-type]


def _user_names(scene: Scene) -> list[str]:
    accounts = build_accounts(Settings(data_dir=scene.data_dir))
    try:
        return [user.username for user in accounts.list_users()]
    finally:
        accounts.engine.dispose()


def _new_admin(scene: Scene, name: str, password: str) -> str:
    added = _kbchat(scene, "users", "add", name, "--role", "admin", stdin=password + "\n")
    assert added.returncode == 0, added.stderr
    return run_async(log_in(scene.url, name, password))


@pytest.mark.slow
def test_an_ended_token_stays_ended_however_the_request_is_dressed(scene: Scene) -> None:
    token = _new_admin(scene, "dress.boss", "dress-password-1")
    # Each dress-up carries the token as Chainlit reads it: it works while the login lasts...
    before = {
        name: _request(scene, "GET", "/user", dress(token)) for name, dress in DRESS_UPS.items()
    }
    assert before == dict.fromkeys(DRESS_UPS, 200)
    assert _kbchat(scene, "users", "disable", "dress.boss").returncode == 0
    # ...and none of them works once it has ended, not even to add an admin.
    after = {
        name: _request(scene, "GET", "/user", dress(token)) for name, dress in DRESS_UPS.items()
    }
    assert after == dict.fromkeys(DRESS_UPS, 401)
    form = {"username": "planted.admin", "role": "admin", "password": "planted-password-1"}
    writes = {
        name: _request(scene, "POST", "/kbchat/admin/users", dress(token), data=form)
        for name, dress in DRESS_UPS.items()
    }
    assert writes == dict.fromkeys(DRESS_UPS, 401)
    assert "planted.admin" not in _user_names(scene)


@pytest.mark.slow
def test_a_re_created_user_name_inherits_no_token_and_no_role(scene: Scene) -> None:
    old = _new_admin(scene, "vboss", "vboss-password-1")
    with client_for(scene, "admin") as admin:
        removed = post_form(
            admin, "/kbchat/admin/users/vboss/remove", CONFIRMED, headers={"Origin": scene.url}
        )
    assert removed.status_code == 303
    added = _kbchat(scene, "users", "add", "vboss", "--role", "staff", stdin="vboss-password-2\n")
    assert added.returncode == 0, added.stderr
    assert _request(scene, "GET", "/user", DRESS_UPS["plain cookie"](old)) == 401
    assert _request(scene, "GET", "/kbchat/admin/users", DRESS_UPS["plain cookie"](old)) == 401
    bearer = [("Authorization", f"Bearer {old}")]
    assert _request(scene, "POST", "/auth/jwt", bearer) == 403
    new = run_async(log_in(scene.url, "vboss", "vboss-password-2"))
    with client_for(scene, cookies={"access_token": new}) as client:
        assert client.get("/user").status_code == 200
        assert client.get("/kbchat/admin/users").status_code == 403  # staff now, whatever was


@pytest.mark.slow
def test_token_exchange_is_closed_even_for_a_live_token(scene: Scene) -> None:
    with client_for(scene, headers={"Authorization": f"Bearer {scene.tokens['staff']}"}) as client:
        response = client.post("/auth/jwt")
    assert response.status_code == 403 and "token exchange is closed" in response.text
    assert "set-cookie" not in response.headers


@pytest.mark.slow
def test_every_earlier_login_ends_with_a_password_change_in_the_same_second(scene: Scene) -> None:
    name, password = "same.second", "same-second-password-1"
    added = _kbchat(scene, "users", "add", name, stdin=password + "\n")
    assert added.returncode == 0, added.stderr
    other = run_async(log_in(scene.url, name, password))
    this = run_async(log_in(scene.url, name, password))
    form = {"current": password, "password": "same-second-password-2",
            "again": "same-second-password-2"}  # fmt: skip
    with client_for(scene, cookies={"access_token": this}) as client:
        response = post_form(client, "/kbchat/account/password", form)
    assert response.status_code == 303
    renewed = response.cookies["access_token"]
    # The earlier login as if issued in the very second of the change (whole-second times
    # cannot tell it from a later one): signed with the server's own secret.
    secret = (scene.data_dir / "auth-secret").read_text().strip()
    claims = jwt.decode(other, secret, algorithms=["HS256"])
    claims["iat"] = int(time.time())
    same_second = jwt.encode(claims, secret, algorithm="HS256")
    statuses = [
        _request(scene, "GET", "/user", DRESS_UPS["plain cookie"](token))
        for token in (other, same_second, this, renewed)
    ]
    assert statuses == [401, 401, 401, 200]


@pytest.mark.slow
def test_thread_sharing_is_refused_though_chainlit_would_allow_it(scene: Scene) -> None:
    with client_for(scene, "owner") as client:
        shared = client.put(
            "/project/thread/share", json={"threadId": scene.thread_id, "isShared": True}
        )
        read = client.get(f"/project/share/{scene.thread_id}")
    assert (shared.status_code, read.status_code) == (403, 403)
    assert "sharing threads is turned off" in read.text


@pytest.mark.slow
def test_a_login_that_must_change_its_password_can_do_nothing_else(scene: Scene) -> None:
    accounts = build_accounts(Settings(data_dir=scene.data_dir))
    accounts.add("fresh.admin", "fresh-password-1", Role.ADMIN, must_change_password=True)
    accounts.engine.dispose()
    token = run_async(log_in(scene.url, "fresh.admin", "fresh-password-1"))
    form = {"username": "made.by.fresh", "role": "admin", "password": "made-password-1"}
    with client_for(scene, cookies={"access_token": token}) as client:
        page = client.get("/kbchat/admin/users")
        write = post_form(client, "/kbchat/admin/users", form)
        document = client.get(f"/kbchat/documents/{scene.org_doc}")
        password_page = client.get("/kbchat/account/password")
    assert (page.status_code, write.status_code, document.status_code) == (403, 403, 403)
    assert "change your password first" in write.text
    assert password_page.status_code == 200
    assert "made.by.fresh" not in _user_names(scene)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["nl.user\n", "tab\tuser", "cr.user\r", "bell\x07"])
def test_a_user_name_with_a_control_character_is_refused(scene: Scene, name: str) -> None:
    form = {"username": name, "role": "staff", "password": "control-password-1"}
    with client_for(scene, "admin") as client:
        response = post_form(client, "/kbchat/admin/users", form)
    assert "invalid user name" in response.text
    assert name not in _user_names(scene) and name.strip() not in _user_names(scene)
    with pytest.raises(LoginRefused):
        run_async(log_in(scene.url, name, "control-password-1"))


def _message_of(scene: Scene) -> str:
    """An answer in clerk.wu's thread, as Chainlit's data layer stores one."""
    step_id = str(uuid.uuid4())
    engine = sa.create_engine(f"sqlite:///{scene.data_dir / 'kbchat.db'}")
    with engine.begin() as connection:
        connection.execute(
            sa.text(
                'INSERT INTO steps ("id", "name", "type", "threadId", "streaming", "output") '
                "VALUES (:id, 'kbchat', 'assistant_message', :thread, FALSE, '見指引 [1]')"
            ),
            {"id": step_id, "thread": scene.thread_id},
        )
    engine.dispose()
    return step_id


def _feedback_rows(scene: Scene, message: str) -> list[tuple[str, str, int]]:
    engine = sa.create_engine(f"sqlite:///{scene.data_dir / 'kbchat.db'}")
    with engine.connect() as connection:
        query = sa.text('SELECT "forId", "threadId", "value" FROM feedbacks WHERE "forId" = :m')
        rows = [(str(a), str(b), int(c)) for a, b, c in connection.execute(query, {"m": message})]
    engine.dispose()
    return rows


@pytest.mark.slow
def test_only_the_owner_of_a_thread_rates_its_answers(scene: Scene) -> None:
    message = _message_of(scene)
    planted = {
        "feedback": {"forId": message, "value": 0, "threadId": scene.thread_id},
        "sessionId": "s",
    }
    with client_for(scene, "staff") as intruder:
        assert intruder.put("/feedback", json=planted).status_code == 404
    assert _feedback_rows(scene, message) == []
    with client_for(scene, "owner") as owner:
        mine = owner.put(
            "/feedback", json={"feedback": {"forId": message, "value": 1}, "sessionId": "s"}
        )
    assert mine.status_code == 200, mine.text
    feedback_id = mine.json()["feedbackId"]
    overwrite = {"feedback": {"id": feedback_id, "forId": message, "value": 0}, "sessionId": "s"}
    with client_for(scene, "staff") as intruder:
        assert intruder.put("/feedback", json=overwrite).status_code == 404
        assert (
            intruder.request("DELETE", "/feedback", json={"feedbackId": feedback_id}).status_code
            == 404
        )
        unknown = intruder.request("DELETE", "/feedback", json={"feedbackId": str(uuid.uuid4())})
        assert unknown.status_code == 404  # the same answer as for another's: nothing to probe
    assert _feedback_rows(scene, message) == [(message, scene.thread_id, 1)]
    with client_for(scene, "owner") as owner:
        removed = owner.request("DELETE", "/feedback", json={"feedbackId": feedback_id})
    assert removed.status_code == 200 and _feedback_rows(scene, message) == []


def _login_status(scene: Scene, name: str, password: str) -> httpx.Response:
    with httpx.Client(base_url=scene.url, timeout=60) as client:
        return client.post("/login", data={"username": name, "password": password})


@pytest.mark.slow
def test_guessing_a_password_is_slowed_then_locked_until_an_admin_unlocks(scene: Scene) -> None:
    name, password = "guess.me", "guess-me-password-1"
    assert _kbchat(scene, "users", "add", name, stdin=password + "\n").returncode == 0
    wrong = [_login_status(scene, name, f"wrong-{i}").status_code for i in range(4)]
    assert wrong == [401, 401, 401, 401]  # three free, the fourth starts a wait
    held = _login_status(scene, name, password)  # the right password, too soon
    assert held.status_code == 429 and int(held.headers["Retry-After"]) >= 1
    assert "too many failed logins" in held.json()["detail"]
    time.sleep(int(held.headers["Retry-After"]) + 0.2)
    assert _login_status(scene, name, "wrong-5").status_code == 401  # the fifth locks it
    locked = _login_status(scene, name, password)
    assert locked.status_code == 429 and "is locked" in locked.json()["detail"]
    with client_for(scene, "admin") as admin:
        assert "guess.me" in admin.get("/kbchat/admin/users").text
        assert post_form(admin, f"/kbchat/admin/users/{name}/unlock").status_code == 303
    assert _login_status(scene, name, password).status_code == 200
    accounts = build_accounts(Settings(data_dir=scene.data_dir))
    trail = [(e.actor, e.action) for e in accounts.events(name)]
    accounts.engine.dispose()
    assert trail == [("kbchat", "login-locked"), ("boss", "login-unlocked")]


EVIL = "http://127.0.0.1:9"  # a page on a sibling port: the same site to SameSite=lax


def _persona_enabled(scene: Scene, persona_id: str) -> bool:
    from chat.factory import build_persona_store

    store = build_persona_store(Settings(data_dir=scene.data_dir))
    return any(s.persona.id == persona_id for s in store.list_personas(include_disabled=False))


@pytest.mark.slow
def test_a_form_posted_from_another_origin_changes_nothing(scene: Scene) -> None:
    target = "/kbchat/admin/personas/kb-assistant/disable"
    form = {"username": "csrf.admin", "role": "admin", "password": "csrf-password-1"}
    with client_for(scene, "admin") as admin:
        statuses = [
            admin.post(target, headers={"Origin": EVIL}).status_code,
            admin.post(target, headers={"Referer": f"{EVIL}/attack.html"}).status_code,
            admin.post(target, headers={"Origin": "null"}).status_code,
            admin.post("/kbchat/admin/users", data=form, headers={"Origin": EVIL}).status_code,
        ]
        refused = admin.post(target, headers={"Origin": EVIL})
    assert statuses == [403, 403, 403, 403]
    assert "cross-site request refused" in refused.json()["detail"]
    assert _persona_enabled(scene, "kb-assistant") and "csrf.admin" not in _user_names(scene)
    with client_for(scene, "admin") as admin:  # the app's own page may
        assert post_form(admin, "/kbchat/admin/personas/kb-assistant/disable",
                         headers={"Origin": scene.url}).status_code == 303  # fmt: skip
        assert post_form(admin, "/kbchat/admin/personas/kb-assistant/enable",
                         headers={"Origin": scene.url}).status_code == 303  # fmt: skip
    assert _persona_enabled(scene, "kb-assistant")


ADMIN_PAGES = ["/kbchat/admin/personas", "/kbchat/admin/personas/kb-assistant",
               "/kbchat/admin/shared", "/kbchat/admin/users", "/kbchat/admin/documents",
               "/kbchat/account/password"]  # fmt: skip


@pytest.mark.slow
def test_every_form_of_every_page_carries_the_logins_token(scene: Scene) -> None:
    with client_for(scene, "admin") as admin:
        token = form_token_of(admin)
        pages = {path: admin.get(path).text for path in ADMIN_PAGES}
    for path, page in pages.items():
        forms = re.findall(r'<form\b[^>]*method="post"[^>]*>(.*?)</form>', page, re.S)
        assert forms, path
        carried = [re.findall(rf'name="{FIELD}" value="([^"]*)"', form) for form in forms]
        assert carried == [[token]] * len(forms), path
    with client_for(scene, "admin") as second_tab:  # the same login: the same token
        assert form_token_of(second_tab) == token


@pytest.mark.slow
def test_a_form_without_its_logins_token_changes_nothing(scene: Scene) -> None:
    target = "/kbchat/admin/users"
    form = {"username": "tokenless.admin", "role": "admin", "password": "tokenless-password-1"}
    another_login = run_async(log_in(scene.url, "boss", PASSWORDS["boss"]))
    with client_for(scene, cookies={"access_token": another_login}) as other:
        foreign = form_token_of(other)
    same_site = {"Origin": scene.url}  # past the cross-site check: only the token is missing
    with client_for(scene, "admin") as admin:
        own = form_token_of(admin)
        altered = own[:-1] + ("1" if own[-1] == "0" else "0")
        tokens = {"none": None, "empty": "", "another login's": foreign, "altered": altered,
                  "not ASCII": "é" * 64}  # fmt: skip
        statuses = {
            name: admin.post(
                target, data=form if token is None else {**form, FIELD: token}, headers=same_site
            )
            for name, token in tokens.items()
        }
    assert {name: r.status_code for name, r in statuses.items()} == dict.fromkeys(tokens, 403)
    assert "reload the page" in statuses["none"].json()["detail"]
    assert "tokenless.admin" not in _user_names(scene)
    password = PASSWORDS["clerk.chen"]
    change = {
        "current": password,
        "password": "quiet-heron-ledger-9",
        "again": "quiet-heron-ledger-9",
    }
    with client_for(scene, "staff") as staff:
        assert staff.post("/kbchat/account/password", data=change).status_code == 403
    assert _login_status(scene, "clerk.chen", password).status_code == 200  # unchanged


@pytest.mark.slow
def test_a_chat_socket_from_another_origin_is_refused(scene: Scene) -> None:
    from tests.web.chat_client import ChatClient

    polling = "/ws/socket.io/?EIO=4&transport=polling"
    with client_for(scene, "staff") as client:
        assert client.get(polling, headers={"Origin": EVIL}).status_code == 403
        assert client.get(polling, headers={"Origin": scene.url}).status_code == 200

    class FromPage(ChatClient):
        origin = ""

        @property
        def cookie(self) -> dict[str, str]:
            return {**super().cookie, "Origin": self.origin}

    async def connect(origin: str) -> bool:
        chat = FromPage(scene.url, scene.tokens["staff"])
        chat.origin = origin
        try:
            await chat.connect()
        except socketio.exceptions.ConnectionError:
            return False
        await chat.close()
        return True

    assert run_async(connect(EVIL)) is False
    assert run_async(connect(scene.url)) is True


def _declared_only(scene: Scene, length: int) -> bytes:
    """Send a request whose headers announce ``length`` bytes, and only 10 of them: a
    server that waited for the body before refusing would not answer."""
    parts = urlsplit(scene.url)
    with socket.create_connection((parts.hostname, parts.port), timeout=30) as raw:
        raw.sendall(
            f"POST /project/file?session_id=x HTTP/1.1\r\nHost: {parts.netloc}\r\n"
            f"Content-Length: {length}\r\nContent-Type: application/pdf\r\n\r\n".encode()
            + b"%PDF-1.7\n0"
        )
        return raw.recv(4096)


@pytest.mark.slow
def test_a_body_over_the_cap_is_refused_before_it_is_read(scene: Scene) -> None:
    # The scene accepts PDFs of 1 MB: the cap is 2 MB with the form's allowance.
    assert _declared_only(scene, 50 << 20).startswith(b"HTTP/1.1 413")

    def chunks() -> Iterator[bytes]:  # an upload form, sent in chunks with no length
        yield b'--b\r\nContent-Disposition: form-data; name="file"; filename="big.pdf"\r\n\r\n'
        for _ in range(5):
            yield b"%PDF-" + b"0" * (1 << 20)

    form = {"Content-Type": "multipart/form-data; boundary=b"}
    with client_for(scene, "staff") as client:
        streamed = client.post("/project/file?session_id=x", content=chunks(), headers=form)
        assert client.get("/user").status_code == 200  # the server is still there
    assert streamed.status_code == 413
    assert "at most 1 MB" in streamed.json()["detail"]  # the file's limit, as set
    # Any other request gets a form's cap, logged in or not: an anonymous JSON body of
    # 1.5 MB (an upload's cap would let it fill memory) is refused before it is read.
    big = {"session_id": "a" * (3 << 19)}
    with httpx.Client(base_url=scene.url, headers={"Origin": scene.url}) as anonymous:
        refused = anonymous.post("/set-session-cookie", json=big)
        feedback = anonymous.put("/feedback", json={"feedback": {"comment": "a" * (3 << 19)}})
    assert refused.status_code == 413 and "at most 1 MB" in refused.json()["detail"]
    assert feedback.status_code == 413
    assert "set-cookie" not in refused.headers


@pytest.mark.slow
def test_persona_files_of_any_name_are_imported_or_refused_cleanly(scene: Scene) -> None:
    card = Path("personas/library/kb-assistant.yaml").read_text(encoding="utf-8")
    renamed = re.sub(r"(?m)^id: .*$", "id: dotted-name", card)
    with client_for(scene, "admin") as admin:
        token = {FIELD: form_token_of(admin)}
        named = [("files", ("..", renamed.encode(), "text/yaml"))]
        dotted = admin.post("/kbchat/admin/persona-import", data=token, files=named)
        listed = admin.get("/kbchat/admin/personas").text
        many = [("files", (f"p{n}.yaml", b"id: x", "text/yaml")) for n in range(21)]
        too_many = admin.post("/kbchat/admin/persona-import", data=token, files=many)
    assert dotted.status_code in (200, 303) and "dotted-name" in listed  # a name, not a 500
    assert too_many.status_code == 200 and "at most 20" in too_many.text


@pytest.mark.slow
def test_a_new_password_needs_the_current_one_and_must_be_hard_to_guess(scene: Scene) -> None:
    with client_for(scene, "admin") as admin:  # an admin chooses the first password...
        form = {"username": "new.clerk", "role": "staff", "password": "admin-chose-this-1"}
        assert post_form(admin, "/kbchat/admin/users", form).status_code == 303
    token = run_async(log_in(scene.url, "new.clerk", "admin-chose-this-1"))
    attempts = {
        "wrong current": ("not-my-password-9", "new-clerk-phrase-2"),
        "weak": ("admin-chose-this-1", "aaaaaaaaaa"),
        "common": ("admin-chose-this-1", "password1234"),
        "the same": ("admin-chose-this-1", "admin-chose-this-1"),
    }
    refused = {}
    with client_for(scene, cookies={"access_token": token}) as client:
        # ...so until the user replaces it, the login reads no document
        assert client.get(f"/kbchat/documents/{scene.org_doc}").status_code == 403
        for name, (current, new) in attempts.items():
            form = {"current": current, "password": new, "again": new}
            response = post_form(client, "/kbchat/account/password", form)
            refused[name] = (response.status_code, response.text)
    assert {name: status for name, (status, _) in refused.items()} == dict.fromkeys(attempts, 400)
    assert "current password is wrong" in refused["wrong current"][1]
    assert "too easy to guess" in refused["weak"][1] and "too easy to guess" in refused["common"][1]
    assert "must differ" in refused["the same"][1]
    assert _request(scene, "GET", "/user", DRESS_UPS["plain cookie"](token)) == 200  # unchanged
    with client_for(scene, cookies={"access_token": token}) as client:
        form = {
            "current": "admin-chose-this-1",
            "password": "teal-otter-lantern",
            "again": "teal-otter-lantern",
        }
        changed = post_form(client, "/kbchat/account/password", form)
    assert changed.status_code == 303
    with client_for(scene, cookies={"access_token": changed.cookies["access_token"]}) as client:
        assert client.get(f"/kbchat/documents/{scene.org_doc}").status_code == 200


@pytest.mark.slow
def test_the_account_and_language_pages_are_linked_from_the_header(scene: Scene) -> None:
    with client_for(scene, "staff") as client:
        settings = client.get("/project/settings?language=zh-TW").json()
        icons = [client.get(link["icon_url"]) for link in settings["ui"]["header_links"]]
    links = settings["ui"].get("header_links") or []
    assert [link["url"] for link in links] == [
        "/kbchat/account/password",
        "/kbchat/account/language",
    ]
    for icon in icons:
        assert icon.status_code == 200 and icon.headers["content-type"].startswith("image/svg")


HOSTILE_TEXT = (
    "![t](http://127.0.0.1:9/x.png) <img src=x onerror=alert(1)> [go](javascript:alert(1))"
)


@pytest.mark.slow
def test_a_downloaded_persona_s_greeting_and_description_are_shown_inert(scene: Scene) -> None:
    from chat.factory import build_persona_store
    from tests.web.chat_client import ChatClient

    store = build_persona_store(Settings(data_dir=scene.data_dir))
    base = store.get("kb-assistant")
    card = base.model_copy(update={"id": "hostile-card", "name": "Hostile card",
                                   "greeting": f"Hello {HOSTILE_TEXT}",
                                   "description": f"About {HOSTILE_TEXT}"})  # fmt: skip
    store.create(card, author="test", origin="import")
    store.engine.dispose()

    class Recording(ChatClient):
        outputs: list[str] = []
        seen: list[str] = []  # every event's name and output, for a failure's message

        def _received(self, name: str, data: object) -> None:
            output = str(data.get("output", ""))[:60] if isinstance(data, dict) else ""
            kind = f"{data.get('type')}/{data.get('name')}" if isinstance(data, dict) else ""
            self.seen.append(f"{name}:{kind}:{output}")
            if name == "new_message" and isinstance(data, dict):
                self.outputs.append(str(data.get("output", "")))
            super()._received(name, data)

    async def greeting() -> list[str]:
        chat = Recording(scene.url, scene.tokens["staff"], persona="hostile-card")
        await chat.connect()
        await chat.send("hi", timeout_s=120)
        # The greeting comes from on_chat_start, a task of its own beside the reply to "hi"
        # (which may be a quick refusal: the question limit): wait for it too.
        deadline = time.monotonic() + 60
        while not any(o.startswith("Hello") for o in chat.outputs) and time.monotonic() < deadline:
            await asyncio.sleep(0.2)
        await chat.close()
        return chat.outputs

    texts = run_async(greeting())
    shown = [text for text in texts if text.startswith("Hello")]
    with client_for(scene, "staff") as client:
        settings = client.get("/project/settings?language=zh-TW").json()
    described = [
        p["markdown_description"] for p in settings["chatProfiles"] if p["name"] == "hostile-card"
    ]
    assert len(shown) == 1 and len(described) == 1, (texts, described, Recording.seen)
    for text in (shown[0], described[0]):
        # Markdown shows them as text: every < and ] of them escaped, the image as its URL
        assert re.search(r"(?<!\\)<img", text) is None, text
        assert re.search(r"(?<!\\)\]\(javascript", text) is None, text
        assert "![t](http" not in text, text


@pytest.mark.slow
def test_an_unknown_thread_answers_as_another_users_does(scene: Scene) -> None:
    with client_for(scene, "staff") as client:
        theirs = client.get(f"/project/thread/{scene.thread_id}")
        unknown = client.get(f"/project/thread/{uuid.uuid4()}")
    assert theirs.status_code == unknown.status_code == 401
    assert theirs.json() == unknown.json()


@pytest.mark.slow
def test_an_unknown_chat_session_is_a_404_not_a_server_error(scene: Scene) -> None:
    action = {"id": "x", "name": "my_shares", "payload": {}, "forId": "x"}
    with client_for(scene, "staff") as client:
        called = client.post("/project/action", json={"action": action, "sessionId": "nope"})
        removed = client.request(
            "DELETE", "/project/element", json={"element": {"id": "x"}, "sessionId": "nope"}
        )
        assert client.get("/user").status_code == 200  # the connection and server live on
    assert called.status_code == 404 and "reload the page" in called.json()["detail"]
    assert removed.status_code in (404, 422)


@pytest.mark.slow
@pytest.mark.parametrize("wildcard", ["%25", "_", "%25%25"])
def test_a_document_id_wildcard_removes_nothing(scene: Scene, wildcard: str) -> None:
    target = f"/kbchat/admin/documents/{scene.org_doc[:6]}{wildcard}/remove"
    with client_for(scene, "admin") as admin:
        removed = post_form(admin, target, CONFIRMED, headers={"Origin": scene.url})
    assert removed.status_code == 200 and "no document with id" in removed.text  # no match
    with client_for(scene, "owner") as owner:
        assert owner.get(f"/kbchat/documents/{scene.org_doc}").status_code == 200


@pytest.mark.slow
def test_a_re_created_name_inherits_no_documents_threads_or_shares(
    scene: Scene, tmp_path: Path
) -> None:
    from chat.access import private_collection
    from chat.factory import build_sharing
    from sharing.service import QADraft
    from tests.pdfs import text_pdf
    from tests.sharing.consenting import share_with_consent
    from tests.web.chat_client import ChatClient

    added = _kbchat(scene, "users", "add", "leaver", "--keep-password", stdin="leaver-phrase-77\n")
    assert added.returncode == 0, added.stderr
    pdf = text_pdf(tmp_path / "leaver-notes.pdf", [["Private handover notes of the leaver."]])

    async def upload() -> str:  # into the leaver's private collection, as the page does
        chat = ChatClient(scene.url, await log_in(scene.url, "leaver", "leaver-phrase-77"))
        await chat.connect()
        reply = await chat.send("", files=[pdf], timeout_s=300)
        await chat.close()
        return reply.text

    assert "leaver-notes.pdf" in run_async(upload())
    doc_id = hashlib.sha256(pdf.read_bytes()).hexdigest()
    with client_for(scene, "admin") as admin:
        listed = admin.get("/kbchat/admin/documents").text
    assert doc_id[:12] in listed and private_collection("leaver") in listed
    engine = sa.create_engine(f"sqlite:///{scene.data_dir / 'kbchat.db'}")
    thread = str(uuid.uuid4())
    with engine.begin() as connection:
        insert = 'INSERT INTO threads ("id", "name", "userIdentifier") VALUES (:t, :n, :u)'
        connection.execute(sa.text(insert), {"t": thread, "n": "交班", "u": "leaver"})
    engine.dispose()
    sharing = build_sharing(Settings(data_dir=scene.data_dir))
    share_with_consent(
        sharing.service, QADraft("問", "答", "kb-assistant", 1, "qwen"), user="leaver"
    )
    with client_for(scene, "admin") as admin:
        removed = post_form(
            admin, "/kbchat/admin/users/leaver/remove", CONFIRMED, headers={"Origin": scene.url}
        )
    assert removed.status_code == 303
    assert "1 private document" in urllib.parse.unquote_plus(removed.headers["location"])
    again = _kbchat(scene, "users", "add", "leaver", "--keep-password", stdin="other-person-88\n")
    assert again.returncode == 0, again.stderr
    token = run_async(log_in(scene.url, "leaver", "other-person-88"))
    with client_for(scene, cookies={"access_token": token}) as client:
        assert client.get(f"/kbchat/documents/{doc_id}").status_code == 404
        assert client.get(f"/project/thread/{thread}").status_code == 401
    assert sharing.store.list_qa(user_id="leaver") == []
    sharing.store.engine.dispose()


@pytest.mark.slow
def test_a_logged_out_login_stays_ended_however_its_token_is_spelled(scene: Scene) -> None:
    cookie_logout = run_async(log_in(scene.url, "temp.lee", PASSWORDS["temp.lee"]))
    bearer_logout = run_async(log_in(scene.url, "temp.lee", PASSWORDS["temp.lee"]))
    with client_for(scene, cookies={"access_token": cookie_logout}) as client:
        assert client.post("/logout").status_code == 200
    with client_for(scene, headers={"Authorization": f"Bearer {bearer_logout}"}) as client:
        assert client.post("/logout").status_code == 200  # a client without cookies
    spellings = [
        [("Cookie", f"access_token={token}{tail}")]
        for token in (cookie_logout, bearer_logout)
        for tail in ("", "=", "==")
    ] + [[("Authorization", f"Bearer {cookie_logout}=")]]
    assert [_request(scene, "GET", "/user", headers) for headers in spellings] == [401] * 7


@pytest.mark.slow
def test_a_burst_of_simultaneous_guesses_is_counted_one_by_one(scene: Scene) -> None:
    name, password = "burst.me", "burst-me-phrase-31"
    added = _kbchat(scene, "users", "add", name, "--keep-password", stdin=password + "\n")
    assert added.returncode == 0, added.stderr
    guesses = [f"wrong-{i}" for i in range(30)]
    with ThreadPoolExecutor(len(guesses)) as pool:
        statuses = list(pool.map(lambda g: _login_status(scene, name, g).status_code, guesses))
    # At most the scene's lockout count of passwords was tried; the rest waited (429).
    tried = statuses.count(401)
    assert tried <= 5 and statuses.count(429) == len(guesses) - tried, statuses
    # Every password tried was counted: none slipped past the count of the one before it.
    # (Whether the burst reached the lockout depends on how long it lasted: the fourth
    # failure makes the next wait a second, which a slow burst outlives.)
    assert _failures_counted(scene, name) == tried
    if tried == 5:
        assert _login_status(scene, name, password).status_code == 429


def _failures_counted(scene: Scene, name: str) -> int:
    engine = sa.create_engine(f"sqlite:///{scene.data_dir / 'kbchat.db'}")
    with engine.connect() as connection:
        query = sa.text("SELECT failures FROM login_failure WHERE key = :k")
        counted = connection.execute(query, {"k": f"account:{name}"}).scalar_one()
    engine.dispose()
    return int(counted)
