"""The persona database: versions, disable, delete, seeding and all-or-nothing imports."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from personas.errors import PersonaExists, PersonaFileError, PersonaNotFound
from personas.manager import import_files
from personas.schema import Persona
from personas.store import PersonaStore


def _persona(fields: dict[str, Any], **changes: Any) -> Persona:
    return Persona.model_validate({**fields, **changes})


def test_an_edit_adds_a_version_and_keeps_the_old_one(
    store: PersonaStore, fields: dict[str, Any]
) -> None:
    store.create(_persona(fields), author="admin")
    edited = store.update(_persona(fields, greeting="新的問候"), author="admin2")
    assert edited.version == 2
    assert store.get("triage-nurse").greeting == "新的問候"
    assert store.get("triage-nurse", version=1).greeting.startswith("您好")  # past QA unchanged
    assert [(v, a) for v, a, _ in store.history("triage-nurse")] == [(1, "admin"), (2, "admin2")]


def test_creating_a_taken_id_is_refused(store: PersonaStore, fields: dict[str, Any]) -> None:
    store.create(_persona(fields), author="admin")
    with pytest.raises(PersonaExists, match="triage-nurse"):
        store.create(_persona(fields, name="Another"), author="admin")
    assert store.get("triage-nurse").name == "檢傷護理師"


def test_disable_hides_from_users_and_delete_keeps_history(
    store: PersonaStore, fields: dict[str, Any]
) -> None:
    store.create(_persona(fields), author="admin")
    store.create(_persona(fields, id="other"), author="admin")
    store.set_enabled("other", False)
    assert [s.persona.id for s in store.list_personas(include_disabled=False)] == ["triage-nurse"]
    assert len(store.list_personas()) == 2
    store.delete("triage-nurse")
    assert [s.persona.id for s in store.list_personas()] == ["other"]
    with pytest.raises(PersonaNotFound):
        store.get("triage-nurse")
    assert store.get("triage-nurse", version=1).id == "triage-nurse"  # still there for QA
    with pytest.raises(PersonaNotFound, match="version 9"):
        store.get("other", version=9)


def test_a_deleted_id_can_be_created_again_with_a_new_version(
    store: PersonaStore, fields: dict[str, Any]
) -> None:
    store.create(_persona(fields), author="admin")
    store.delete("triage-nurse")
    again = store.create(_persona(fields, name="重新建立"), author="admin")
    assert again.version == 2 and store.get("triage-nurse", version=1).name == "檢傷護理師"


def test_seeding_adds_missing_and_upgrades_only_untouched_personas(
    store: PersonaStore, fields: dict[str, Any]
) -> None:
    assert store.seed([_persona(fields), _persona(fields, id="desk")]) == ["triage-nurse", "desk"]
    assert store.seed([_persona(fields)]) == []  # same version: nothing to do
    store.update(_persona(fields, id="desk", name="改過的"), author="admin")
    written = store.seed(
        [_persona(fields, version=5, name="新版"), _persona(fields, id="desk", version=5)]
    )
    assert written == ["triage-nurse"]
    assert store.get("triage-nurse").name == "新版" and store.get("desk").name == "改過的"


def test_an_import_with_one_bad_file_stores_nothing(
    store: PersonaStore, fields: dict[str, Any], write_yaml: Callable[..., Path]
) -> None:
    good = write_yaml(fields, "good.yaml")
    bad = write_yaml({**fields, "id": "bad", "audience": "aliens"}, "bad.yaml")
    with pytest.raises(PersonaFileError, match="bad.yaml"):
        import_files(store, [good, bad], author="admin")
    assert store.list_personas() == []


def test_an_import_that_hits_a_taken_id_stores_nothing(
    store: PersonaStore, fields: dict[str, Any], write_yaml: Callable[..., Path]
) -> None:
    store.create(_persona(fields, id="desk"), author="admin")
    new, taken = write_yaml(fields, "new.yaml"), write_yaml({**fields, "id": "desk"}, "desk.yaml")
    with pytest.raises(PersonaExists):
        import_files(store, [new, taken], author="admin")
    assert [s.persona.id for s in store.list_personas()] == ["desk"]
    imported = import_files(store, [new, taken], author="admin", update=True)
    assert [p.version for p in imported] == [1, 2]
