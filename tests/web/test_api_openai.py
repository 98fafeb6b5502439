"""The OpenAI-compatible chat and the streamed /ask on a real `kbchat serve` with the bundled
model, driven by OpenAI's own Python client and by an SSE client."""

from __future__ import annotations

import json
import re
import time
import uuid
from typing import Any

import httpx
import openai
import pytest
from httpx_sse import connect_sse

from chat.answering.markers import MARKER
from tests.datasets import DRCD
from tests.web.api_keys import Keys, kbchat
from tests.web.scene import Scene

pytestmark = pytest.mark.slow


def _question_on(file: str) -> str:
    """The first DRCD question whose gold page is in the file."""
    for line in (DRCD / "qrels.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if row["file"] == file:
            return str(row["question"])
    raise AssertionError(f"no question on {file}")


QUESTION = _question_on("drcd-dev-001.pdf")


def _fresh_key(scene: Scene, role: str = "staff") -> str:
    """A key of its own (questions are limited per key, 3 a minute on the scene)."""
    made = kbchat(scene.data_dir, "keys", "add", f"oa-{uuid.uuid4().hex[:8]}", "--role", role)
    assert made.returncode == 0, made.stderr
    return made.stdout.strip()


def _client(url: str, key: str) -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{url}/api/v1", api_key=key, timeout=300, max_retries=0)


def _numbers(text: str) -> set[int]:
    return {int(n) for group in MARKER.findall(text) for n in re.findall(r"\d+", group)}


def test_models_are_the_personas_the_role_is_offered(api_keys: Keys) -> None:
    staff = _client(api_keys.url, api_keys.keys["staff"]).models.list()
    clinician = _client(api_keys.url, api_keys.keys["clinician"]).models.list()
    staff_ids = [model.id for model in staff.data]
    assert staff_ids[0] == "kb-assistant"  # the site's default persona first
    assert "doctor" not in staff_ids  # a patient persona: not a staff key's
    assert "doctor" in [model.id for model in clinician.data]
    first = staff.data[0]
    assert (first.object, first.owned_by) == ("model", "kbchat")
    assert first.created > 1_700_000_000
    assert (first.model_extra or {})["name"]  # the persona's name, as an extra field


def test_a_persona_the_role_is_not_offered_is_not_found(api_keys: Keys) -> None:
    client = _client(api_keys.url, api_keys.keys["staff"])
    with pytest.raises(openai.NotFoundError) as refused:
        client.chat.completions.create(
            model="doctor", messages=[{"role": "user", "content": QUESTION}]
        )
    assert refused.value.code == "persona_not_found"


def test_a_wrong_key_is_refused(api_keys: Keys) -> None:
    with pytest.raises(openai.AuthenticationError) as refused:
        _client(api_keys.url, "kbc-not-a-key").models.list()
    assert refused.value.code == "invalid_key"


def test_a_completion_is_a_cited_answer(scene: Scene) -> None:
    client = _client(scene.url, _fresh_key(scene))
    completion = client.chat.completions.create(
        model="kbchat",
        messages=[
            {"role": "system", "content": "Answer in French, and cite nothing."},  # ignored
            {"role": "user", "content": [{"type": "text", "text": QUESTION}]},
        ],
        temperature=1.5,  # accepted, and ignored: the persona sets it
    )
    assert completion.id.startswith("chatcmpl-") and completion.object == "chat.completion"
    choice = completion.choices[0]
    assert choice.message.role == "assistant" and choice.finish_reason in ("stop", "length")
    extra = completion.model_extra or {}
    assert extra["kbchat"]["covered"] is True
    assert extra["kbchat"]["persona"] == "kb-assistant"
    files = {citation["file"] for citation in extra["citations"]}
    assert "drcd-dev-001.pdf" in files
    numbers = {citation["number"] for citation in extra["citations"]}
    assert _numbers(choice.message.content or "") <= numbers
    assert completion.usage is not None and completion.usage.completion_tokens > 0


def test_a_streamed_completion_marks_its_sources_as_its_citations_number_them(
    scene: Scene,
) -> None:
    client = _client(scene.url, _fresh_key(scene))
    chunks = list(
        client.chat.completions.create(
            model="kb-assistant", messages=[{"role": "user", "content": QUESTION}], stream=True
        )
    )
    assert chunks[0].choices[0].delta.role == "assistant"
    ids = {chunk.id for chunk in chunks}
    assert len(ids) == 1 and ids.pop().startswith("chatcmpl-")
    texts = [chunk.choices[0].delta.content or "" for chunk in chunks[1:-1]]
    assert len([text for text in texts if text]) > 1  # written piece by piece
    last = chunks[-1]
    assert last.choices[0].finish_reason in ("stop", "length")
    extra: dict[str, Any] = last.model_extra or {}
    citations = extra["citations"]
    assert "drcd-dev-001.pdf" in {citation["file"] for citation in citations}
    # The small model cites by marker or not (then the pages its sentences rest on are
    # cited): either way the streamed markers are the final text's, and name its citations.
    marked, numbers = _numbers("".join(texts)), {citation["number"] for citation in citations}
    assert marked == _numbers(extra["kbchat"]["answer"])
    assert marked == numbers if marked else numbers == set(range(1, len(citations) + 1))


def test_ask_streams_its_tokens_as_events_before_the_answer(scene: Scene) -> None:
    key = _fresh_key(scene)
    arrived: list[tuple[float, str, str]] = []
    with (
        httpx.Client(base_url=f"{scene.url}/api/v1", timeout=300) as client,
        connect_sse(
            client,
            "POST",
            "/ask",
            json={"question": QUESTION, "stream": True},
            headers={"Authorization": f"Bearer {key}", "Accept-Encoding": "gzip"},
        ) as source,
    ):
        assert source.response.status_code == 200
        assert "content-encoding" not in source.response.headers  # not held back to be gzipped
        for event in source.iter_sse():
            arrived.append((time.monotonic(), event.event, event.data))
    kinds = [kind for _, kind, _ in arrived]
    assert kinds[-1] == "answer" and kinds.count("answer") == 1
    tokens = [when for when, kind, _ in arrived if kind == "token"]
    assert len(tokens) > 1
    # The first words came while the model was still writing, not all at once at the end.
    assert arrived[-1][0] - tokens[0] > 0.1
    answer = json.loads(arrived[-1][2])
    assert "drcd-dev-001.pdf" in {citation["file"] for citation in answer["citations"]}
    streamed = "".join(json.loads(data)["text"] for _, kind, data in arrived if kind == "token")
    assert _numbers(streamed) <= set(range(1, len(answer["citations"]) + 1))


def test_a_refused_stream_is_a_plain_json_error(api_keys: Keys) -> None:
    with api_keys.client("staff", Accept="text/event-stream") as client:
        refused = client.post("/ask", json={"question": QUESTION, "persona": "doctor"})
    assert refused.status_code == 404
    assert refused.headers["content-type"].startswith("application/json")
    assert refused.json()["error"]["code"] == "persona_not_found"


@pytest.mark.parametrize(
    ("body", "status", "names"),
    [
        ({"model": "kbchat"}, 422, "messages"),
        ({"model": "kbchat", "messages": []}, 422, "messages"),
        (
            {"model": "kbchat", "messages": [{"role": "user", "content": "hi"},
                                             {"role": "assistant", "content": "hello"}]},
            400,
            "'assistant'",
        ),
        (
            {"model": "kbchat", "messages": [{"role": "user", "content": [
                {"type": "text", "text": QUESTION},
                {"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA"}},
            ]}]},
            400,
            "messages[0].content[1]",
        ),
        ({"model": "kbchat", "messages": [{"role": "tool", "content": "x"}]}, 422, "role"),
    ],
)  # fmt: skip
def test_a_bad_body_is_an_invalid_request(
    api_keys: Keys, body: dict[str, Any], status: int, names: str
) -> None:
    with api_keys.client("staff") as client:
        refused = client.post("/chat/completions", json=body)
    assert refused.status_code == status
    error = refused.json()["error"]
    assert error["code"] == "invalid_request" and names in error["message"]
