"""Generated QA as a library: the visible prompt, strict parsing, grounding, passages spread
over documents and pages, and pairs that wait for review citing their page. The model is a
``FakeCompletion`` here, to isolate parsing and validation; the real model writes pairs in
tests/chat/cli/test_cli_share_generate.py."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from knowledge import content_tokens
from sharing.curation import Curator
from sharing.dataset import Dataset
from sharing.errors import SharingError
from sharing.export_rows import DatasetFormat
from sharing.generation import (
    GENERATOR_USER,
    GenerationRequest,
    Outcome,
    QAGenerator,
    grounding,
    spread_passages,
)
from sharing.generation_prompt import MalformedReply, Passage, load_prompt, parse_pair
from sharing.models import QASource, QAStatus
from sharing.pii import PIIScrubber
from sharing.store import SharingStore
from tests.sharing.generating import PAGE_1, PAGE_3, FakeCompletion, pair_reply

REQUEST = GenerationRequest(collection="guide", count=1, actor="admin.chen")
HOURS_Q = "門診時間是什麼時候？"
HOURS_A = "門診時間為週一至週五上午八點至下午五點，週六上午八點至十二點，週日休診。"
FASTING_Q = "抽血檢查前要注意什麼？"
FASTING_A = "抽血檢查前需空腹八小時，可以喝少量白開水。"


def _generate(
    store: SharingStore,
    fake: FakeCompletion,
    passages: list[Passage],
    request: GenerationRequest = REQUEST,
) -> list[Outcome]:
    generator = QAGenerator(store, PIIScrubber(), fake, model="fake-model", tokens=content_tokens)
    return list(generator.generate(request, passages))


def test_a_generated_pair_waits_for_review_citing_its_page_and_model(store: SharingStore) -> None:
    fake = FakeCompletion().enqueue(pair_reply(HOURS_Q, HOURS_A))
    (outcome,) = _generate(store, fake, [PAGE_1])
    assert outcome.dropped == "" and outcome.qa is not None
    (qa,) = store.list_qa()
    assert (qa.status, qa.source, qa.user_id) == (
        QAStatus.PENDING,
        QASource.GENERATED,
        GENERATOR_USER,
    )
    assert (qa.question, qa.answer, qa.model) == (HOURS_Q, HOURS_A, "fake-model")
    assert qa.cited_pages == [{"file": "kbchat-hospital-guide.pdf", "page": 1, "doc_id": "ab" * 32}]
    assert qa.citations[0]["text"] == PAGE_1.text
    assert {"generated", "collection:guide", "task:explain"} <= set(qa.tags)
    assert qa.id is not None and store.consents(qa.id) == []  # nobody shared it
    (event,) = store.audit_trail(qa.id)
    assert (event.action, event.actor) == ("generate", "admin.chen")
    assert json.loads(event.detail_json)["model"] == "fake-model"


def test_the_prompt_is_the_visible_file_with_the_passage_and_a_seed_task(
    store: SharingStore,
) -> None:
    fake = FakeCompletion().enqueue(pair_reply(HOURS_Q, HOURS_A))
    _generate(store, fake, [PAGE_1])
    ((system, user),) = fake.calls
    prompt = load_prompt()
    assert (system["role"], user["role"]) == ("system", "user")
    assert system["content"] == prompt.system.zh_tw
    assert (
        PAGE_1.text in user["content"] and "「kbchat-hospital-guide.pdf」第 1 頁" in user["content"]
    )
    assert prompt.tasks[0].zh_tw.task in user["content"]
    assert '{"question": "問題", "answer": "回答"}' in user["content"]
    assert "{" + "persona}" not in user["content"] and "回答的口吻" not in user["content"]


def test_the_seed_tasks_ask_with_different_verbs_in_both_languages() -> None:
    tasks = load_prompt().tasks
    verbs = {task.zh_tw.task.split("：")[0] for task in tasks}
    assert {"解釋", "比較", "列出", "摘要", "何時", "為何"} <= verbs
    assert len({task.id for task in tasks}) == len(tasks) >= 6
    assert all(task.en.task.isascii() for task in tasks)


def test_english_and_a_persona_change_the_prompt(store: SharingStore) -> None:
    answer = "Fast for eight hours before a blood test; small sips of water are fine."
    page = Passage(answer + " Remove all metal before an MRI scan.", "guide.pdf", 3, "cd" * 32)
    fake = FakeCompletion().enqueue(pair_reply("What should I do before a blood test?", answer))
    request = GenerationRequest(collection="guide", count=1, actor="admin", language="en",
                                persona_id="nurse", persona_version=3,
                                persona_voice="Nurse Lin: a friendly ward nurse")  # fmt: skip
    (outcome,) = _generate(store, fake, [page], request)
    ((system, user),) = fake.calls
    assert system["content"] == load_prompt().system.en
    assert 'from "guide.pdf", page 3' in user["content"]
    assert "Answer in the voice of: Nurse Lin: a friendly ward nurse" in user["content"]
    assert outcome.qa is not None
    assert (outcome.qa.persona_id, outcome.qa.persona_version) == ("nurse", 3)
    assert "persona:nurse" in outcome.qa.tags


@pytest.mark.parametrize(
    ("reply", "reason"),
    [
        ("門診時間為上午八點。", "not JSON"),
        ('{"question": "門診幾點？"}', "not an object of exactly question and answer"),
        ('{"question": "a", "answer": "b", "note": "c"}', "not an object of exactly"),
        ('[{"question": "a", "answer": "b"}]', "got list"),
        ('{"question": "門診幾點？", "answer": ["八點"]}', "must be strings"),
        ('{"question": " ", "answer": "八點"}', "empty question or answer"),
        ('好的！{"question": "a", "answer": "b"}', "not JSON"),
        ('{"question": "a", "answer": "b"}\n{"question": "c", "answer": "d"}', "not JSON"),
        ('{"question": "a", "answer": "' + "長" * 4001 + '"}', "too long"),
    ],
)
def test_a_reply_that_is_not_the_asked_json_is_refused_with_its_reason(
    reply: str, reason: str
) -> None:
    with pytest.raises(MalformedReply, match=reason):
        parse_pair(reply)


def test_the_json_may_stand_alone_in_one_code_fence() -> None:
    fenced = '```json\n{"question": " 門診幾點？ ", "answer": "上午八點。"}\n```'
    assert parse_pair(fenced) == ("門診幾點？", "上午八點。")
    assert parse_pair('{"answer": "八點", "question": "幾點？"}') == ("幾點？", "八點")


def test_malformed_and_ungrounded_replies_are_dropped_with_their_reason(
    store: SharingStore,
) -> None:
    invented = "每月第一個星期三可以帶寵物來醫院玩。"
    fake = FakeCompletion().enqueue(
        "好的，以下是問答：門診八點開始。", pair_reply(HOURS_Q, invented)
    )
    outcomes = _generate(store, fake, [PAGE_1])  # count 1: two calls, then it stops
    assert [o.qa for o in outcomes] == [None, None]
    assert outcomes[0].dropped.startswith("malformed reply: not JSON")
    assert re.match(r"ungrounded: the answer shares \d% of its words", outcomes[1].dropped)
    assert store.list_qa() == [] and store.audit_trail() == []


@pytest.mark.parametrize(
    ("question", "answer", "reason"),
    [
        (
            "週日及國定假日休診， 急診二十四小時開放。",
            HOURS_A,
            "not a question: copied from its passage",
        ),
        ("門診幾點開始？", "門診 幾點開始？", "no answer: it repeats the question"),
    ],
)
def test_a_copied_question_or_a_repeated_one_is_dropped(
    store: SharingStore, question: str, answer: str, reason: str
) -> None:
    fake = FakeCompletion().enqueue(pair_reply(question, answer), "x")
    outcomes = _generate(store, fake, [PAGE_1])
    assert outcomes[0].dropped == reason and store.list_qa() == []


def test_duplicates_of_the_batch_and_of_the_queue_are_dropped(store: SharingStore) -> None:
    request = GenerationRequest(collection="guide", count=2, actor="admin")
    first_visit = pair_reply(
        "初診要帶什麼？", "初診病人請攜帶健保卡與身分證明文件，至一樓掛號櫃檯辦理。"
    )
    fake = FakeCompletion().enqueue(
        pair_reply(HOURS_Q, HOURS_A), pair_reply(HOURS_Q, HOURS_A), first_visit
    )
    outcomes = _generate(store, fake, [PAGE_1], request)
    assert [o.dropped for o in outcomes] == ["", "duplicate: the same as a pair of this batch", ""]
    first = store.list_qa()[0].id
    # The same pair in other widths and spacing: the content hash is the same.
    again = FakeCompletion().enqueue(pair_reply(f"  {HOURS_Q}", HOURS_A.replace("，", ",")), "x")
    outcomes = _generate(store, again, [PAGE_1])
    assert outcomes[0].dropped == f"duplicate: the same as QA {first}"
    assert outcomes[1].dropped.startswith("malformed reply")
    assert len(store.list_qa()) == 2


def test_the_model_failing_mid_batch_leaves_only_whole_pairs(store: SharingStore) -> None:
    request = GenerationRequest(collection="guide", count=3, actor="admin")
    fake = FakeCompletion().enqueue(pair_reply(HOURS_Q, HOURS_A), ConnectionError("model gone"))
    generator = QAGenerator(store, PIIScrubber(), fake, model="m", tokens=content_tokens)
    outcomes = []
    with pytest.raises(ConnectionError, match="model gone"):
        for outcome in generator.generate(request, [PAGE_1]):
            outcomes.append(outcome)
    assert len(outcomes) == 1
    (qa,) = store.list_qa()
    assert qa.question == HOURS_Q and qa.cited_pages[0]["page"] == 1
    assert [event.action for event in store.audit_trail()] == ["generate"]


def test_personal_data_in_a_generated_pair_is_masked(store: SharingStore) -> None:
    page = Passage(PAGE_1.text + "掛號專線 02-2312-3456，分機 1234。", "guide.pdf", 1, "ab" * 32)
    answer = "初診病人請攜帶健保卡與身分證明文件，至一樓掛號櫃檯辦理，掛號專線 02-2312-3456。"
    fake = FakeCompletion().enqueue(pair_reply("初診要帶什麼？", answer))
    (outcome,) = _generate(store, fake, [page])
    assert outcome.qa is not None and "02-2312-3456" not in outcome.qa.answer


@pytest.mark.parametrize(
    ("count", "language", "message"),
    [
        (0, "zh-TW", "--count must be between 1 and 500, not 0"),
        (501, "zh-TW", "--count must be between 1 and 500, not 501"),
        (1, "fr", "--language must be one of zh-TW, en, not 'fr'"),
    ],
)
def test_a_request_outside_the_limits_is_refused(
    store: SharingStore, count: int, language: str, message: str
) -> None:
    request = GenerationRequest(collection="guide", count=count, actor="a", language=language)
    with pytest.raises(SharingError, match=message):
        _generate(store, FakeCompletion(), [PAGE_1], request)


def test_a_collection_of_only_short_passages_is_refused(store: SharingStore) -> None:
    short = Passage("門診服務 Outpatient services", "guide.pdf", 1, "ab" * 32)
    with pytest.raises(SharingError, match="'guide' has no passage of at least 80 characters"):
        _generate(store, FakeCompletion(), [short])


def _passage(doc: str, page: int, chunk: int) -> Passage:
    return Passage(f"{doc} 第 {page} 頁第 {chunk} 段：" + "內容" * 50, f"{doc}.pdf", page, doc * 32)


def test_passages_are_spread_over_documents_then_pages() -> None:
    many = [_passage("aa", page, chunk) for page in (1, 2, 3) for chunk in (1, 2, 3)]
    few = [_passage("bb", 1, 1), _passage("bb", 1, 2)]
    short = [Passage("頁碼 3", "aa.pdf", 4, "aa" * 32)]
    order = spread_passages(many + few + short, 100, seed=7)
    assert len(order) == len(many) + len(few)  # the short one is left out
    assert {order[0].doc_id, order[1].doc_id} == {"aa" * 32, "bb" * 32}
    first_pages = [p.page for p in order if p.doc_id == "aa" * 32][:3]
    assert sorted(first_pages) == [1, 2, 3]
    assert spread_passages(many + few, 4, seed=7) == order[:4]
    assert spread_passages(many + few, 100, seed=8) != order


def test_grounding_is_the_share_of_the_answer_s_words_in_its_passage() -> None:
    assert grounding(FASTING_A, PAGE_3.text, content_tokens) == 1.0
    assert grounding("每月帶寵物來醫院玩。", PAGE_3.text, content_tokens) == 0.0
    assert grounding("。", PAGE_3.text, content_tokens) == 0.0
    half = grounding("抽血前空腹八小時，寵物可以陪同。", PAGE_3.text, content_tokens)
    assert 0.2 < half < 0.8


def test_an_approved_generated_pair_exports_without_a_consent(
    store: SharingStore, curator: Curator, dataset: Dataset, tmp_path: Path
) -> None:
    fake = FakeCompletion().enqueue(pair_reply(HOURS_Q, HOURS_A))
    (outcome,) = _generate(store, fake, [PAGE_1])
    assert outcome.qa is not None and outcome.qa.id is not None
    curator.approve(outcome.qa.id, curator="admin")
    out = tmp_path / "export"
    dataset.export(DatasetFormat.LLAMAFACTORY, out, actor="admin")
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    (row,) = manifest["rows"]
    assert (row["source"], row["consent_version"]) == ("generated", "")
    assert row["cited_pages"] == [{"file": PAGE_1.file, "page": 1, "doc_id": PAGE_1.doc_id}]
    assert manifest["consent_versions"] == []
    alpaca = json.loads((out / "kbchat_alpaca.json").read_text("utf-8"))
    assert alpaca == [{"instruction": HOURS_Q, "input": "", "output": HOURS_A}]
