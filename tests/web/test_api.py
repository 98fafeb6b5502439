"""The REST API on a real `kbchat serve`: every key against every endpoint, documents in and
out, cited answers (also in the web app), bad input refused with nothing changed, the audit
trail, and the OpenAPI schema."""

from __future__ import annotations

import json
import time

import pytest
from openapi_spec_validator import validate

from chat.access import private_collection
from tests.datasets import DRCD
from tests.web.api_keys import Keys, kbchat
from tests.web.conftest import WebApp, app_db_rows
from tests.web.scene import Scene

KEYS = ("none", "staff", "clinician", "admin", "limited", "expired", "revoked")
OK, REFUSED = "ok", "refused"
EVERY_KEY = {"staff": OK, "clinician": OK, "admin": OK, "limited": OK}
ADMIN_ONLY = {"staff": REFUSED, "clinician": REFUSED, "admin": OK, "limited": REFUSED}
NOT_STAFF = {**EVERY_KEY, "staff": REFUSED, "limited": REFUSED}
NOT_COVERED = "請問火星基地的氧氣配給規則是什麼？"
"""A question no page of the scene covers: answered without running the model."""
ASKED = {"role": "user", "content": NOT_COVERED}
ASKS = ("/ask", "/chat/completions")
"""Paths that take one of the key's questions for the minute: asked with new keys."""

# (method, path, JSON body, expected for the valid keys; no key, expired and revoked: 401)
ROUTES: list[tuple[str, str, dict[str, object] | None, dict[str, str]]] = [
    ("GET", "/version", None, EVERY_KEY),
    ("GET", "/me", None, EVERY_KEY),
    ("GET", "/documents", None, EVERY_KEY),
    ("GET", "/documents?collection={private}", None, ADMIN_ONLY),
    ("GET", "/documents/{org_doc}", None, EVERY_KEY),
    ("GET", "/documents/{private_doc}", None, ADMIN_ONLY),
    ("POST", "/search", {"query": "維基"}, EVERY_KEY),
    ("POST", "/search", {"query": "維基", "collections": ["{private}"]}, ADMIN_ONLY),
    ("POST", "/ask", {"question": NOT_COVERED}, EVERY_KEY),
    ("POST", "/ask", {"question": NOT_COVERED, "persona": "clinical-guideline"}, NOT_STAFF),
    ("POST", "/ask", {"question": NOT_COVERED, "stream": True}, EVERY_KEY),
    ("GET", "/models", None, EVERY_KEY),
    ("POST", "/chat/completions", {"model": "kbchat", "messages": [ASKED]}, EVERY_KEY),
    ("POST", "/chat/completions", {"model": "clinical-guideline", "messages": [ASKED]},
     NOT_STAFF),
    ("GET", "/personas", None, EVERY_KEY),
    ("GET", "/personas/kb-assistant", None, EVERY_KEY),
    ("GET", "/personas/clinical-guideline", None, NOT_STAFF),
    ("GET", "/personas/kb-assistant/export", None, ADMIN_ONLY),
    ("GET", "/shared", None, ADMIN_ONLY),
    ("GET", "/shared/{qa_id}", None, ADMIN_ONLY),
]  # fmt: skip


def _means(status: int) -> str:
    return OK if status in (200, 201) else REFUSED if status in (403, 404) else str(status)


def _filled(value: object, scene: Scene) -> object:
    """A path or body with the scene's ids in place of its placeholders."""
    text = json.dumps(value, ensure_ascii=False)
    for name, found in (("org_doc", scene.org_doc), ("private_doc", scene.private_doc),
                        ("private", private_collection("clerk.wu")),
                        ("qa_id", str(scene.qa_id))):  # fmt: skip
        text = text.replace("{" + name + "}", found)
    return json.loads(text)


@pytest.mark.slow
@pytest.mark.parametrize(("method", "path", "body", "expected"), ROUTES,
                         ids=[f"{r[0]} {r[1]} {r[2] or ''}" for r in ROUTES])  # fmt: skip
def test_every_endpoint_by_key(
    scene: Scene, api_keys: Keys, method: str, path: str, body: object, expected: dict[str, str]
) -> None:
    target, sent = _filled(path, scene), _filled(body, scene)
    keys = api_keys.fresh() if path in ASKS else api_keys
    seen, codes = {}, {}
    for name in KEYS:
        with keys.client(None if name == "none" else name) as client:
            response = client.request(method, str(target), json=sent)
        if name in ("none", "expired", "revoked"):
            codes[name] = (response.status_code, response.json()["error"]["code"])
        else:
            seen[name] = _means(response.status_code)
            media = response.headers["content-type"].split(";")[0]
            assert media in ("application/json", "text/event-stream", "application/yaml",
                             "application/octet-stream"), media  # fmt: skip
    assert seen == expected
    assert codes == {"none": (401, "missing_key"), "expired": (401, "key_expired"),
                     "revoked": (401, "key_revoked")}  # fmt: skip


def test_health_needs_no_key_and_says_nothing_more(api_keys: Keys) -> None:
    with api_keys.client(None) as client:
        response = client.get("/health")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_another_users_private_document_never_shows(scene: Scene, api_keys: Keys) -> None:
    private = private_collection("clerk.wu")
    for name in ("staff", "clinician", "limited"):
        with api_keys.client(name) as client:
            listed = client.get("/documents").json()["documents"]
            hits = client.post("/search", json={"query": "的", "k": 100}).json()["hits"]
        assert scene.org_doc in [d["doc_id"] for d in listed]
        assert not [d for d in listed if d["collection"] == private]
        assert hits and scene.private_doc not in {h["doc_id"] for h in hits}
    with api_keys.client("admin") as client:
        shown = client.get(f"/documents/{scene.private_doc}").json()
    assert shown["collection"] == private


def test_a_key_limited_to_a_collection_reaches_nothing_else(scene: Scene, api_keys: Keys) -> None:
    made = kbchat(scene.data_dir, "keys", "add", "only-default", "--role", "admin",
                  "--collections", "default")  # fmt: skip
    assert made.returncode == 0, made.stderr
    keys = Keys(scene.url, {"only": made.stdout.strip()})
    with keys.client("only") as client:
        assert client.get("/me").json()["collections"] == ["default"]
        refused = client.get(f"/documents/{scene.private_doc}")  # an admin's, but not here
        hits = client.post("/search", json={"query": "的", "k": 100}).json()["hits"]
        upload = client.post("/documents", files={"file": ("x.txt", b"hello")},
                             data={"collection": private_collection("clerk.wu")})  # fmt: skip
    assert refused.status_code == 404 and refused.json()["error"]["code"] == "document_not_found"
    assert hits and {h["doc_id"] for h in hits} == {scene.org_doc}
    assert upload.status_code == 404 and upload.json()["error"]["code"] == "collection_not_found"


def test_staff_may_not_write_to_the_organization(scene: Scene, api_keys: Keys) -> None:
    with api_keys.client("staff") as client:
        upload = client.post("/documents", files={"file": ("note.txt", "院內公告".encode())},
                             data={"collection": "default"})  # fmt: skip
        removal = client.delete(f"/documents/{scene.org_doc}")
    assert (
        upload.status_code == 403
        and "may not upload to the collection 'default'" in (upload.json()["error"]["message"])
    )
    assert removal.status_code == 403
    with api_keys.client("admin") as client:
        assert client.get(f"/documents/{scene.org_doc}").status_code == 200


def test_a_document_uploaded_through_the_api_is_cited_there_and_in_the_web_app(
    scene: Scene, api_keys: Keys, browser: object
) -> None:
    from tests.web.browsing import ask, login

    pdf = DRCD / "drcd-dev-038.pdf"
    question = "哪一個城市是羅斯托夫州的首府?"
    with api_keys.client("admin") as client:
        added = client.post("/documents", files={"file": (pdf.name, pdf.read_bytes())},
                            data={"collection": "default"})  # fmt: skip
        again = client.post("/documents", files={"file": (pdf.name, pdf.read_bytes())},
                            data={"collection": "default"})  # fmt: skip
    assert added.status_code == 201, added.text
    document = added.json()["document"]
    assert (document["file"], document["collection"]) == (pdf.name, "default")
    assert again.status_code == 200 and again.json()["status"] == "unchanged"
    try:
        with api_keys.client("clinician") as client:
            answer = client.post("/ask", json={"question": question}).json()
        assert answer["covered"], answer
        assert {(c["file"], c["doc_id"]) for c in answer["citations"]} == {
            (pdf.name, document["doc_id"])
        }
        assert "頓河畔羅斯托夫" in answer["answer"]
        page = login(browser, WebApp(scene.url, scene.data_dir), "clerk.chen",
                     password="chen-password-1")  # fmt: skip
        shown = ask(page, question)
        page.context.close()
        assert pdf.name in shown
    finally:
        with api_keys.client("admin") as client:
            removed = client.delete(f"/documents/{document['doc_id']}")
            assert removed.status_code == 200
            assert client.get(f"/documents/{document['doc_id']}").status_code == 404


def _document_count(api_keys: Keys) -> int:
    with api_keys.client("admin") as client:
        return len(client.get("/documents").json()["documents"])


@pytest.mark.parametrize(
    ("path", "request_kwargs", "status", "code", "said"),
    [
        ("/documents", {"files": {"file": ("broken.pdf", b"%PDF-1.4 not really")}}, 422,
         "unreadable_file", "broken.pdf"),
        ("/documents", {"files": {"file": ("tool.exe", b"MZ\x90\x00")}}, 415,
         "unsupported_media_type", "tool.exe"),
        ("/documents", {"files": {"file": ("big.pdf", b"%PDF" + b"0" * (3 * 1024 * 1024))}},
         413, "payload_too_large", "at most 1 MB"),
        ("/documents", {"json": {"file": "a.pdf"}}, 415, "unsupported_media_type",
         "multipart/form-data"),
        ("/search", {"data": {"query": "x"}}, 415, "unsupported_media_type", "JSON"),
        ("/search", {"content": b"{not json", "headers": {"content-type": "application/json"}},
         422, "invalid_request", "JSON"),
        ("/search", {"json": {"query": "x", "k": 1000}}, 422, "invalid_request", "k:"),
        ("/ask", {"json": {"question": "   "}}, 400, "invalid_request", "empty"),
        ("/ask", {"json": {"question": "長" * 600}}, 400, "question_too_long", "600"),
        ("/ask", {"json": {"question": "x", "collections": ["nope"]}}, 404,
         "collection_not_found", "nope"),
        ("/nowhere", {"json": {}}, 404, "not_found", "no such API endpoint"),
    ],
)  # fmt: skip
def test_bad_input_is_refused_by_name_and_changes_nothing(
    api_keys: Keys,
    path: str,
    request_kwargs: dict[str, object],
    status: int,
    code: str,
    said: str,
) -> None:
    before = _document_count(api_keys)
    with api_keys.client("admin") as client:
        response = client.post(path, **request_kwargs)  # type: ignore[arg-type]
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["code"] == code and said in error["message"], error
    assert _document_count(api_keys) == before


def test_each_keyed_request_is_audited_and_wrong_keys_count_against_the_address(
    scene: Scene, api_keys: Keys
) -> None:
    failures = "SELECT failures FROM login_failure WHERE key = 'address:127.0.0.1'"
    before = app_db_rows(scene.data_dir, failures)
    with api_keys.client("clinician") as client:
        assert client.get("/documents").status_code == 200
    with api_keys.client(None, Authorization="Bearer kbc_000000000000_" + "x" * 43) as client:
        assert client.get("/me").json()["error"]["code"] == "invalid_key"
    after = app_db_rows(scene.data_dir, failures)
    assert after and after[0][0] == (before[0][0] if before else 0) + 1
    rows = app_db_rows(scene.data_dir, "SELECT username, detail_json FROM account_event "
                       "WHERE action = 'api-request' ORDER BY id DESC")  # fmt: skip
    clinician = next(json.loads(str(d)) for u, d in rows if str(u).startswith("key:clinician"))
    assert clinician == {"method": "GET", "path": "/api/v1/documents", "status": 200,
                         "address": "127.0.0.1"}  # fmt: skip
    listed = json.loads(kbchat(scene.data_dir, "keys", "list", "--json").stdout)
    assert next(k for k in listed if k["name"] == "clinician-key")["last_used_at"]


def test_the_openapi_schema_validates_and_names_every_endpoint(api_keys: Keys) -> None:
    with api_keys.client(None) as client:
        schema = client.get("/openapi.json").json()
    validate(schema)
    assert {"/documents", "/documents/{doc_id}", "/search", "/ask", "/health"} <= set(
        schema["paths"]
    )
    assert schema["servers"] == [{"url": "/api/v1"}]
    assert {"HTTPBearer", "APIKeyHeader"} <= set(schema["components"]["securitySchemes"])


def test_long_names_two_files_and_two_keys_are_answered_not_crashed(api_keys: Keys) -> None:
    title = "感染管制" * 22 + "作業手冊.md"  # 269 bytes: over what a file system names
    with api_keys.client("staff") as client:
        long = client.post("/documents", files={"file": (title, "# 手洗\n\n洗手五時機。".encode())})
        assert long.status_code == 201, long.text
        assert long.json()["document"]["file"] == title
        two = client.post(
            "/documents", files=[("file", ("a.md", b"# a")), ("file", ("b.md", b"# b"))]
        )
        assert two.status_code == 422 and "one file per upload" in two.json()["error"]["message"]
        gone = client.delete(f"/documents/{long.json()['document']['doc_id']}")
        assert gone.status_code in (200, 409)
    both = {"X-API-Key": api_keys.keys["admin"]}
    with api_keys.client("staff", **both) as client:
        refused = client.get("/me")
    assert (
        refused.status_code == 400 and "more than one API key" in refused.json()["error"]["message"]
    )


def test_the_same_upload_again_at_once_is_unchanged_and_a_busy_removal_says_when(
    api_keys: Keys,
) -> None:
    text = "# Visiting hours\n\n" + "Visitors may come to the ward between 10:00 and 20:00. " * 40
    with api_keys.client("clinician") as client:
        first = client.post("/documents", files={"file": ("visiting.md", text.encode())})
        again = client.post("/documents", files={"file": ("visiting.md", text.encode())})
        assert (first.status_code, again.status_code) == (201, 200), again.text
        assert again.json()["status"] == "unchanged"
        doc_id = first.json()["document"]["doc_id"]
        for _ in range(30):  # its vectors may still be being made: try when told
            removed = client.delete(f"/documents/{doc_id}")
            if removed.status_code != 409:
                break
            assert removed.json()["error"]["code"] == "busy"
            time.sleep(int(removed.headers["Retry-After"]))
        assert removed.status_code == 200, removed.text


def test_an_admin_key_makes_a_collection_only_when_told(scene: Scene, api_keys: Keys) -> None:
    note = ("guide.md", "# 院內指引\n\n門診時間為上午八點。".encode())
    with api_keys.client("admin") as client:
        typo = client.post("/documents", files={"file": note}, data={"collection": "guidlines"})
        assert typo.status_code == 404 and "create=true" in typo.json()["error"]["message"]
        made = client.post("/documents", files={"file": note},
                           data={"collection": "api-guidelines", "create": "true"})  # fmt: skip
        assert made.status_code == 201 and made.json()["document"]["collection"] == "api-guidelines"
    with api_keys.client("staff") as client:
        seen = client.get("/documents?collection=api-guidelines").json()["documents"]
        refused = client.post("/documents", files={"file": note},
                              data={"collection": "api-staff-made", "create": "true"})  # fmt: skip
    assert [d["file"] for d in seen] == ["guide.md"]
    assert refused.status_code == 404 and "create=true" not in refused.json()["error"]["message"]
    with api_keys.client("admin") as client:
        assert client.delete(f"/documents/{made.json()['document']['doc_id']}").status_code in (
            200, 409,
        )  # fmt: skip


def test_a_revoked_keys_attempts_are_audited(scene: Scene, api_keys: Keys) -> None:
    with api_keys.client("revoked") as client:
        assert client.get("/documents").status_code == 401
    rows = app_db_rows(scene.data_dir, "SELECT username, detail_json FROM account_event "
                       "WHERE action = 'api-request' ORDER BY id DESC")  # fmt: skip
    said = next(json.loads(str(d)) for u, d in rows if str(u).startswith("key:revoked-key:"))
    assert (said["path"], said["status"]) == ("/api/v1/documents", 401)
