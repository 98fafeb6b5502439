"""Who may do what: every role against every route and file of a real `kbchat serve`."""

from __future__ import annotations

import pytest

from tests.web.scene import Scene, client_for

ROLES = ("anonymous", "owner", "staff", "clinician", "admin")
AS_USER = ("owner", "staff", "clinician", "admin")

OK, REFUSED, NEED_LOGIN = "ok", "refused", "login"
ALL_USERS = dict.fromkeys(AS_USER, OK)
ADMIN_ONLY = {"owner": REFUSED, "staff": REFUSED, "clinician": REFUSED, "admin": OK}
OWNER_AND_ADMIN = {"owner": OK, "staff": REFUSED, "clinician": REFUSED, "admin": OK}
OWNER_ONLY = {"owner": OK, "staff": REFUSED, "clinician": REFUSED, "admin": REFUSED}
FORM = "form refused"  # logged in, but the empty form is invalid (422): the route was reached
ALL_USERS_FORM = dict.fromkeys(AS_USER, FORM)

# (method, path with {placeholders}, JSON body or None, expected by role; anonymous: login)
ROUTES: list[tuple[str, str, dict[str, object] | None, dict[str, str]]] = [
    ("GET", "/user", None, ALL_USERS),
    ("GET", "/kbchat/documents/{org_doc}", None, ALL_USERS),
    ("GET", "/kbchat/documents/{private_doc}", None, OWNER_AND_ADMIN),
    ("GET", "/kbchat/snippets/{org_chunk}", None, ALL_USERS),
    ("GET", "/kbchat/snippets/{private_chunk}", None, OWNER_AND_ADMIN),
    ("GET", "/kbchat/view/{org_doc}/1", None, ALL_USERS),
    ("GET", "/kbchat/view/{private_doc}/1?mark=x", None, OWNER_AND_ADMIN),
    ("GET", "/kbchat/pages/{org_doc}/1", None, ALL_USERS),
    ("GET", "/kbchat/pages/{private_doc}/1", None, OWNER_AND_ADMIN),
    ("GET", "/kbchat/account/password", None, ALL_USERS),
    ("POST", "/kbchat/account/password", {}, ALL_USERS_FORM),
    ("GET", "/kbchat/account/language", None, ALL_USERS),
    ("GET", "/kbchat/account/language.json?browser=en-US", None, ALL_USERS),
    ("GET", "/kbchat/account/links.json", None, ALL_USERS),
    ("POST", "/kbchat/account/language", {}, ALL_USERS_FORM),
    ("GET", "/kbchat/threads/{thread_id}/export", None, OWNER_ONLY),
    ("GET", "/kbchat/threads/{thread_id}", None, OWNER_ONLY),
    ("GET", "/kbchat/admin", None, ADMIN_ONLY),
    ("GET", "/kbchat/admin/personas", None, ADMIN_ONLY),
    ("GET", "/kbchat/admin/personas/kb-assistant", None, ADMIN_ONLY),
    ("GET", "/kbchat/admin/personas/kb-assistant/export?format=yaml", None, ADMIN_ONLY),
    ("GET", "/kbchat/admin/shared", None, ADMIN_ONLY),
    ("GET", "/kbchat/admin/shared/export", None, ADMIN_ONLY),
    ("GET", "/kbchat/admin/users", None, ADMIN_ONLY),
    ("GET", "/kbchat/admin/keys", None, ADMIN_ONLY),
    ("GET", "/kbchat/admin/documents", None, ADMIN_ONLY),
    ("GET", "/project/thread/{thread_id}", None, OWNER_ONLY),
    ("GET", "/project/settings?language=zh-TW", None, ALL_USERS),
]
# Writes that only an admin may make: every other role is refused and nothing changes.
ADMIN_WRITES = [
    "/kbchat/admin/shared/{qa_id}/approve",
    "/kbchat/admin/personas/kb-assistant/disable",
    "/kbchat/admin/users/clerk.wu/disable",
    "/kbchat/admin/documents/{org_doc}/remove",
    "/kbchat/admin/keys",
]


def _status_means(role: str, status: int) -> str:
    """ok for a page or a redirect within the app; refused for 401/403/404 once logged in."""
    if status in (200, 303):
        return OK
    if status == 422 and role != "anonymous":
        return FORM
    if role == "anonymous" and status == 401:
        return NEED_LOGIN
    return REFUSED if status in (401, 403, 404) else f"unexpected {status}"


@pytest.mark.slow
@pytest.mark.parametrize(("method", "path", "body", "expected"), ROUTES, ids=[r[1] for r in ROUTES])
def test_every_route_by_role(
    scene: Scene, method: str, path: str, body: dict[str, object] | None, expected: dict[str, str]
) -> None:
    target = path.format(**scene.__dict__)
    seen = {}
    for role in ROLES:
        with client_for(scene, role) as client:
            response = client.request(method, target, json=body)
        seen[role] = _status_means(role, response.status_code)
    assert seen == {"anonymous": NEED_LOGIN, **expected}, target


@pytest.mark.slow
@pytest.mark.parametrize("path", ADMIN_WRITES)
def test_admin_writes_are_refused_to_everyone_else(scene: Scene, path: str) -> None:
    target = path.format(**scene.__dict__)
    for role in ("anonymous", "owner", "staff", "clinician"):
        with client_for(scene, role) as client:
            status = client.post(target).status_code
        assert status == (401 if role == "anonymous" else 403), (role, target)
    with client_for(scene, "owner") as client:  # nothing changed: clerk.wu still reads the doc
        assert client.get(f"/kbchat/documents/{scene.org_doc}").status_code == 200


@pytest.mark.slow
def test_thread_lists_and_deletes_stay_with_their_owner(scene: Scene) -> None:
    listing = {"pagination": {"first": 20, "cursor": None}, "filter": {}}
    for role in AS_USER:
        with client_for(scene, role) as client:
            threads = client.post("/project/threads", json=listing).json()["data"]
        assert (scene.thread_id in {t["id"] for t in threads}) == (role == "owner"), role
    for role in ("staff", "clinician", "admin"):
        with client_for(scene, role) as client:
            response = client.request(
                "DELETE", "/project/thread", json={"threadId": scene.thread_id}
            )
        assert response.status_code in (401, 403, 404), role
    with client_for(scene, "owner") as client:
        assert client.get(f"/project/thread/{scene.thread_id}").status_code == 200


TRAVERSALS = [
    "/kbchat/documents/..%2F..%2Fkbchat.db",
    "/kbchat/documents/%2e%2e%2f%2e%2e%2fauth-secret",
    "/kbchat/documents/%252e%252e%252fkbchat.db",
    "/kbchat/documents/..%5C..%5Ckbchat.db",
    "/kbchat/documents/%2Fetc%2Fpasswd",
    "/kbchat/snippets/..%2F..%2Fetc%2Fpasswd",
    "/kbchat/admin/personas/..%2F..%2F..%2Fetc%2Fpasswd/export?format=yaml",
    "/public/..%2F..%2F..%2F..%2Fetc%2Fpasswd",
    "/public/%2e%2e/%2e%2e/%2e%2e/auth-secret",
    "/assets/..%2F..%2F..%2Fetc%2Fpasswd",
    "/avatars/..%2F..%2F..%2Fetc%2Fpasswd",
    "/project/file/..%2F..%2F..%2Fetc%2Fpasswd?session_id=x",
    "/kbchat/documents/../../kbchat.db",
    "/kbchat/view/..%2F..%2Fkbchat.db/1",
    "/kbchat/pages/%2e%2e%2fauth-secret/1",
]


@pytest.mark.slow
@pytest.mark.parametrize("path", TRAVERSALS)
def test_path_traversal_never_reads_a_file_outside_its_place(scene: Scene, path: str) -> None:
    secret = (scene.data_dir / "auth-secret").read_bytes().strip()
    for role in ("anonymous", "admin"):
        with client_for(scene, role) as client:
            body = client.get(path).content
        assert b"root:x:0:0" not in body
        assert b"SQLite format 3" not in body
        assert secret not in body
        assert not body.startswith(b"%PDF-")


# Chainlit routes kbchat closes: refused to everyone, logged in or not, and public assets.
CLOSED = [("POST", "/auth/jwt"), ("PUT", "/project/thread/share"),
          ("GET", "/project/share/{thread_id}")]  # fmt: skip


@pytest.mark.slow
@pytest.mark.parametrize(("method", "path"), CLOSED, ids=[path for _, path in CLOSED])
def test_closed_chainlit_routes_are_refused_to_every_identity(
    scene: Scene, method: str, path: str
) -> None:
    target = path.format(**scene.__dict__)
    statuses = {}
    for role in ROLES:
        with client_for(scene, role) as client:
            headers = (
                {"Authorization": f"Bearer {scene.tokens[role]}"} if role in scene.tokens else {}
            )
            statuses[role] = client.request(method, target, json={}, headers=headers).status_code
    assert statuses == dict.fromkeys(ROLES, 403)


@pytest.mark.slow
def test_feedback_is_refused_on_what_the_identity_does_not_own(scene: Scene) -> None:
    unknown = {"feedback": {"forId": "00000000-0000-0000-0000-000000000000", "value": 1},
               "sessionId": "s"}  # fmt: skip
    statuses = {}
    for role in ROLES:
        with client_for(scene, role) as client:
            statuses[role] = client.put("/feedback", json=unknown).status_code
    assert statuses == {"anonymous": 401, **dict.fromkeys(AS_USER, 404)}
