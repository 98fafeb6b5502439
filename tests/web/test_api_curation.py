"""Personas and shared QA over the REST API, on the scene's real `kbchat serve`: admin keys
import, curate and export; other keys are refused; every error is JSON with a stable code."""

from __future__ import annotations

import csv
import io
import json
import socket
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
import yaml
from openpyxl import Workbook  # type: ignore[import-untyped]

from chat.web.curation import PERSONA_IMPORT_FILES
from personas import MAX_CARD_FILE_BYTES
from tests.personas.card_files import V2_CARD, card_png, cards_in, picture, pixels
from tests.web.api_keys import Keys
from tests.web.scene import Scene

NURSE_YAML = """\
id: api-curation-nurse
name: API 病房護理師
locale: zh-TW
audience: clinician
description: 回答病房護理的常見問題。
greeting: 您好，我是{{char}}。
prompt:
  context: 你是病房的資深護理師，回答同仁的護理問題。
starters:
  - 管路照護要注意什麼？
"""
CARD = {
    "spec": "chara_card_v2",
    "spec_version": "2.0",
    "data": {
        "name": "Curio",
        "description": "Curio is a museum guide who loves old clocks.",
        "personality": "patient, precise",
        "scenario": "A museum hall at opening time.",
        "first_mes": "Welcome to the clock room!",
        "mes_example": "<START>\n{{user}}: Oldest clock?\n{{char}}: Right this way.",
    },
}
BROKEN_YAML = "id: api-curation-broken\nname: [unclosed\n"
HEADER = ["instruction", "input", "output"]
PAIRS = [
    ["API 匯入：急診檢傷分幾級？", "", "API 匯入：台灣急診檢傷分為五級。"],
    ["API 匯入：門診幾點開始報到？", "", "API 匯入：上午門診八點開始報到。"],
]


def _code(response: httpx.Response) -> str:
    return str(response.json()["error"]["code"])


def _message(response: httpx.Response) -> str:
    return str(response.json()["error"]["message"])


def _xlsx(rows: list[list[str]]) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in [HEADER, *rows]:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8")


def _shared_count(admin: httpx.Client) -> int:
    listed = admin.get("/shared")
    assert listed.status_code == 200, listed.text
    return len(listed.json()["shared"])


def _import_sheet(admin: httpx.Client, name: str, data: bytes, **form: str) -> httpx.Response:
    return admin.post("/shared/sheets", files={"file": (name, data)}, data=form)


def _requests(scene: Scene) -> list[tuple[str, str, dict[str, object]]]:
    """Every curation request an admin key may make, each as an admin would send it."""
    qa = scene.qa_id
    return [
        ("POST", "/personas", {"files": {"files": ("x.yaml", NURSE_YAML.encode())}}),
        ("GET", "/personas/kb-assistant/export?format=yaml", {}),
        ("POST", "/shared/sheets", {"files": {"file": ("s.csv", _csv([HEADER, *PAIRS]))}}),
        ("GET", "/shared", {}),
        ("GET", "/shared?status=pending", {}),
        ("GET", f"/shared/{qa}", {}),
        ("POST", f"/shared/{qa}/approve", {}),
        ("POST", f"/shared/{qa}/reject", {"json": {"reason": "not mine to judge"}}),
        ("PATCH", f"/shared/{qa}", {"json": {"answer": "changed"}}),
        ("GET", "/shared/export?format=llamafactory", {}),
    ]


@pytest.mark.parametrize("role", ["staff", "clinician", "limited"])
def test_other_keys_than_an_admins_are_refused_every_curation_request(
    scene: Scene, api_keys: Keys, role: str
) -> None:
    with api_keys.client("admin") as admin:
        before = admin.get(f"/shared/{scene.qa_id}").json()
        count = _shared_count(admin)
    with api_keys.client(role) as client:
        for method, path, sent in _requests(scene):
            refused = client.request(method, path, **sent)  # type: ignore[arg-type]
            assert refused.status_code == 403, (method, path, refused.text)
            assert _code(refused) == "forbidden" and "admin key" in _message(refused)
    with api_keys.client("admin") as admin:
        after = admin.get(f"/shared/{scene.qa_id}").json()
        assert _shared_count(admin) == count  # no sheet was imported
    assert after["status"] == before["status"] == "pending"
    assert after["answer"] == before["answer"] and after["edits"] == before["edits"]


def test_personas_imported_through_the_api_are_listed_shown_and_exported(
    scene: Scene, api_keys: Keys
) -> None:
    files = [
        ("files", ("nurse.yaml", NURSE_YAML.encode())),
        ("files", ("curio.json", json.dumps(CARD).encode())),
    ]
    with api_keys.client("admin") as admin:
        made = admin.post("/personas", files=files, data={"update": "true"})
        assert made.status_code == 201, made.text
        ids = {p["id"]: p["version"] for p in made.json()["imported"]}
        assert "api-curation-nurse" in ids and len(ids) == 2
        [card_id] = [i for i in ids if i != "api-curation-nurse"]
        listed = {p["id"]: p for p in admin.get("/personas").json()["personas"]}
        assert listed["api-curation-nurse"]["enabled"] is True
        assert listed["api-curation-nurse"]["audience"] == "clinician"
        assert listed[card_id]["origin"] == "import"
        shown = admin.get("/personas/api-curation-nurse").json()
        assert yaml.safe_load(shown["yaml"])["prompt"]["context"].startswith("你是病房的資深護理師")
        card = admin.get(f"/personas/{card_id}/export", params={"format": "card-v2"})
        assert card.status_code == 200
        assert f'filename="{card_id}.card.json"' in card.headers["content-disposition"]
        exported = card.json()
        assert exported["spec"] == "chara_card_v2" and exported["data"]["name"] == "Curio"
        tgw = admin.get("/personas/api-curation-nurse/export", params={"format": "tgw"})
        assert tgw.status_code == 200 and "tgw.yaml" in tgw.headers["content-disposition"]
        assert "你是病房的資深護理師" in tgw.text
        odd = admin.get("/personas/api-curation-nurse/export", params={"format": "docx"})
        assert odd.status_code == 422 and _code(odd) == "invalid_request"
        missing = admin.get("/personas/nobody-here/export")
        assert missing.status_code == 404 and _code(missing) == "persona_not_found"
        _png_cards_go_in_and_out(admin)
    with api_keys.client("staff") as staff:  # a staff persona is offered, a clinician's not
        offered = {p["id"]: p for p in staff.get("/personas").json()["personas"]}
        assert card_id in offered and "api-curation-nurse" not in offered
        assert "enabled" not in offered[card_id]
        withheld = staff.get("/personas/api-curation-nurse")
        assert withheld.status_code == 404 and _code(withheld) == "persona_not_found"
    with api_keys.client("clinician") as clinician:
        seen = clinician.get("/personas/api-curation-nurse").json()
        assert seen["starters"] == ["管路照護要注意什麼？"] and "yaml" not in seen


def test_a_persona_import_is_all_or_nothing_and_an_existing_id_needs_update(
    api_keys: Keys,
) -> None:
    good = NURSE_YAML.replace("api-curation-nurse", "api-curation-porter")
    with api_keys.client("admin") as admin:
        broken = admin.post(
            "/personas",
            files=[("files", ("porter.yaml", good.encode())), ("files", ("bad.yaml", BROKEN_YAML))],
        )
        assert broken.status_code == 422 and _code(broken) == "unreadable_file"
        assert _message(broken).startswith("bad.yaml") and "kbchat-upload" not in _message(broken)
        gone = admin.get("/personas/api-curation-porter")
        assert gone.status_code == 404 and _code(gone) == "persona_not_found"
        first = admin.post("/personas", files={"files": ("porter.yaml", good.encode())})
        assert first.status_code == 201
        assert first.json()["imported"] == [{"id": "api-curation-porter", "version": 1}]
        again = admin.post("/personas", files={"files": ("porter.yaml", good.encode())})
        assert again.status_code == 409 and _code(again) == "conflict"
        assert "api-curation-porter" in _message(again) and "already exists" in _message(again)
        assert "import with update=true" in _message(again)  # the API's way, not the CLI's
        updated = admin.post(
            "/personas", files={"files": ("porter.yaml", good.encode())}, data={"update": "true"}
        )
        assert updated.json()["imported"] == [{"id": "api-curation-porter", "version": 2}]


def test_a_sheet_is_imported_curated_and_exported_as_the_admin_page_gives_it(
    api_keys: Keys,
) -> None:
    with api_keys.client("admin") as admin:
        me = admin.get("/me").json()
        made = _import_sheet(admin, "expert.xlsx", _xlsx(PAIRS))
        assert made.status_code == 201, made.text
        body = made.json()
        assert body["imported"] == 2 and body["skipped"] == []
        assert body["message"] == "imported 2 row(s) from expert.xlsx, pending review"
        kept, dropped = body["ids"]
        pending = admin.get("/shared", params={"status": "pending", "source": "sheet"}).json()
        listed = {qa["id"]: qa for qa in pending["shared"]}
        assert listed[kept]["question"] == PAIRS[0][0] and listed[kept]["status"] == "pending"
        assert set(listed[kept]) == {
            "id", "status", "source", "question", "answer", "persona", "persona_version",
            "user", "tags", "duplicate_of", "citations", "model", "adapter", "created_at",
        }  # fmt: skip
        edited = admin.patch(f"/shared/{kept}", json={"answer": "API 匯入：共分五級（1 最急）。"})
        assert edited.status_code == 200 and edited.json()["answer"].endswith("（1 最急）。")
        approved = admin.post(f"/shared/{kept}/approve")
        assert approved.status_code == 200 and approved.json()["status"] == "approved"
        rejected = admin.post(f"/shared/{dropped}/reject", json={"reason": "duplicate of FAQ"})
        assert rejected.status_code == 200 and rejected.json()["status"] == "rejected"
        detail = admin.get(f"/shared/{kept}").json()
        assert detail["edits"][0]["answer_before"] == PAIRS[0][2]
        actors = {(event["action"], event["actor"]) for event in detail["audit"]}
        identity = f"key:{me['name']}:{me['id']}"
        assert ("approve", identity) in actors and ("edit", identity) in actors
        exported = admin.get("/shared/export", params={"format": "llamafactory"})
    assert exported.status_code == 200
    assert 'filename="kbchat-llamafactory.zip"' in exported.headers["content-disposition"]
    with zipfile.ZipFile(io.BytesIO(exported.content)) as archive:
        names = archive.namelist()
        [alpaca] = [name for name in names if name.endswith("_alpaca.json")]
        rows = json.loads(archive.read(alpaca))
    assert "manifest.json" in names and "dataset_info.json" in names
    questions = {row["instruction"]: row["output"] for row in rows}
    assert questions[PAIRS[0][0]] == "API 匯入：共分五級（1 最急）。"
    assert PAIRS[1][0] not in questions


def test_curating_an_unknown_pair_or_without_what_a_step_needs_says_so(api_keys: Keys) -> None:
    with api_keys.client("admin") as admin:
        missing = admin.post("/shared/999999/approve")
        assert missing.status_code == 404 and _code(missing) == "qa_not_found"
        assert _message(missing) == "no shared QA with id 999999; GET /api/v1/shared lists them"
        assert admin.get("/shared/999999").status_code == 404
        made = _import_sheet(admin, "one.csv", _csv([HEADER, ["API 匯入：單一問題？", "", "答"]]))
        [qa_id] = made.json()["ids"]
        blank = admin.post(f"/shared/{qa_id}/reject", json={"reason": ""})
        assert blank.status_code == 422 and 'give a reason for rejecting ("reason")' in _message(
            blank
        )
        unsaid = admin.post(f"/shared/{qa_id}/reject", json={})
        assert unsaid.status_code == 422 and "reason" in _message(unsaid)
        empty = admin.patch(f"/shared/{qa_id}", json={"answer": "  "})
        assert empty.status_code == 422 and "cannot be empty" in _message(empty)
        nothing = admin.patch(f"/shared/{qa_id}", json={})
        assert nothing.status_code == 422 and _code(nothing) == "invalid_request"
        assert admin.get(f"/shared/{qa_id}").json()["status"] == "pending"


def test_a_withdrawn_pair_cannot_be_approved(scene: Scene, api_keys: Keys) -> None:
    from chat.factory import build_sharing
    from chat.settings import Settings
    from sharing.service import QADraft
    from tests.sharing.consenting import share_with_consent

    service = build_sharing(Settings(data_dir=scene.data_dir)).service
    draft = QADraft("API 撤回測試的問題？", "API 撤回測試的回答。", "kb-assistant", 1, "qwen")
    qa_id = share_with_consent(service, draft, user="temp.lee")
    service.withdraw(qa_id, user_id="temp.lee")
    with api_keys.client("admin") as admin:
        refused = admin.post(f"/shared/{qa_id}/approve")
        assert refused.status_code == 409 and _code(refused) == "conflict"
        assert f"cannot approve shared QA {qa_id}: it is withdrawn" in _message(refused)
        edit = admin.patch(f"/shared/{qa_id}", json={"answer": "x"})
        assert edit.status_code == 409 and "withdrew consent" in _message(edit)
        assert admin.get(f"/shared/{qa_id}").json()["status"] == "withdrawn"


def test_a_sheet_of_another_shape_or_with_bad_rows_stores_nothing(api_keys: Keys) -> None:
    with api_keys.client("admin") as admin:
        count = _shared_count(admin)
        shape = _import_sheet(admin, "faq.csv", _csv([["題目", "說明"], ["掛號？", "櫃台"]]))
        assert shape.status_code == 422 and _code(shape) == "unreadable_file"
        assert _message(shape).startswith("faq.csv: not a QA sheet: missing instruction")
        bad_rows = [*PAIRS, ["API 匯入：沒有答案的問題？", "", ""]]
        rows = _import_sheet(
            admin, "rows.xlsx", _xlsx([[f"{q} (2)", i, a] for q, i, a in bad_rows])
        )
        assert rows.status_code == 422 and _code(rows) == "invalid_request"
        said = _message(rows)
        assert said.startswith("rows.xlsx: 1 problem(s) found, nothing imported")
        assert "rows.xlsx, row 4, column 'output'" in said and "kbchat-upload" not in said
        assert "skip_bad=true imports" in said and "--skip-bad" not in said
        kind = _import_sheet(admin, "faq.xls", b"\xd0\xcf\x11\xe0 old excel")
        assert kind.status_code == 415 and "save it as .xlsx" in _message(kind)
        text = _import_sheet(admin, "qa.txt", b"Q: A")
        assert text.status_code == 415 and _code(text) == "unsupported_media_type"
        assert _shared_count(admin) == count
        skipping = _import_sheet(
            admin, "rows.xlsx", _xlsx([[f"{q} (3)", i, a] for q, i, a in bad_rows]), skip_bad="true"
        )
        assert skipping.status_code == 201 and skipping.json()["imported"] == 2
        assert skipping.json()["skipped"][0].startswith("rows.xlsx, row 4, column 'output'")
        assert _shared_count(admin) == count + 2


def test_a_body_of_another_content_type_is_refused_with_415(scene: Scene, api_keys: Keys) -> None:
    with api_keys.client("admin") as admin:
        sent = [
            admin.post("/personas", json={"files": NURSE_YAML}),
            admin.post(
                "/shared/sheets",
                content=_csv([HEADER, *PAIRS]),
                headers={"Content-Type": "text/csv"},
            ),  # fmt: skip
            admin.post(f"/shared/{scene.qa_id}/reject", data={"reason": "a form"}),
            admin.patch(f"/shared/{scene.qa_id}", data={"answer": "a form"}),
        ]
        for refused in sent:
            assert refused.status_code == 415, refused.text
            assert _code(refused) == "unsupported_media_type"
        assert admin.get(f"/shared/{scene.qa_id}").json()["status"] == "pending"


def _declared_only(scene: Scene, path: str, length: int) -> bytes:
    """A request whose headers announce ``length`` bytes, and only 10 of them are sent."""
    parts = urlsplit(scene.url)
    with socket.create_connection((parts.hostname, parts.port), timeout=30) as raw:
        raw.sendall(
            f"POST {path} HTTP/1.1\r\nHost: {parts.netloc}\r\nContent-Length: {length}\r\n"
            "Content-Type: multipart/form-data; boundary=b\r\n\r\n".encode()
            + b"--b\r\n0123"
        )
        answer = b""
        while chunk := raw.recv(4096):  # the server closes once it has answered
            answer += chunk
        return answer


def test_an_upload_over_its_paths_cap_is_refused_and_one_under_it_is_read(
    scene: Scene, api_keys: Keys, tmp_path: Path
) -> None:
    # Each cap is its files' limit and 1 MB of form around them; the files' limit is said.
    cards = PERSONA_IMPORT_FILES * MAX_CARD_FILE_BYTES  # 20 cards of a picture and a text each
    for path, files in (("/api/v1/shared/sheets", 20 << 20), ("/api/v1/personas", cards)):
        answer = _declared_only(scene, path, files + (1 << 20) + 1)
        assert answer.startswith(b"HTTP/1.1 413"), answer[:80]
        assert f"at most {round(files / (1 << 20), 1):g} MB".encode() in answer
    # Over a form's cap (1 MB), under a sheet's: read, and refused for its shape alone.
    wide = _csv([["題目", "說明"], *[["掛號？", "x" * 1000]] * 1500])
    assert len(wide) > 1 << 20
    with api_keys.client("admin") as admin:
        read = _import_sheet(admin, "wide.csv", wide)
    assert read.status_code == 422 and _code(read) == "unreadable_file"


def _png_cards_go_in_and_out(admin: httpx.Client) -> None:
    """A PNG card imported whole; its export a PNG, and tgw's says what it left out."""
    png = card_png({**V2_CARD, "data": {**V2_CARD["data"], "name": "Api Aiko"}})
    made = admin.post("/personas", files=[("files", ("api-aiko.png", png))])
    assert made.status_code == 201, made.text
    exported = admin.get("/personas/api-aiko/export", params={"format": "card-png"})
    assert exported.status_code == 200 and exported.headers["content-type"] == "image/png"
    assert cards_in(exported.content)["ccv3"]["data"]["name"] == "Api Aiko"
    assert pixels(exported.content) == pixels(picture())
    tgw = admin.get("/personas/api-aiko/export", params={"format": "tgw"})
    assert "character_book" in tgw.headers["x-kbchat-left-out"]
    broken = admin.post("/personas", files=[("files", ("broken.png", picture()))])
    assert broken.status_code == 422 and "broken.png: " in _message(broken)
