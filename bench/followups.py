"""Follow-up benchmark: page recall of a second question that leans on the first.

The set (`bench/followups.jsonl`) is built from drcd-dev by `--build`: two questions about
one paragraph, the second rewritten so that its subject is a pronoun (the article's title
replaced by 它/那裡/他) or left out. Each pair is searched two ways: the follow-up alone,
and with the conversation (chat.answering.followup.retrieval_query: the previous question joins the
search when the question reads as a follow-up). Reports page R@1 and R@5 of both.

    python bench/followups.py [--build] [--data-dir DIR]
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import sys
import tempfile
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from chat.answering.followup import is_follow_up, retrieval_query  # noqa: E402
from chat.factory import build_knowledge_base  # noqa: E402
from chat.settings import Settings  # noqa: E402
from knowledge import KnowledgeBase  # noqa: E402
from tests.datasets import read_jsonl  # noqa: E402

HERE = Path(__file__).resolve().parent
DRCD = HERE.parent / "tests" / "data" / "drcd-dev"
SET = HERE / "followups.jsonl"
# The pronoun a title becomes, by what the title names (the default is 它, "it").
PLACES = ("島", "山", "市", "縣", "國", "州", "省", "河", "湖", "港", "區", "城")


def _pronoun(title: str) -> str:
    return "那裡" if title.endswith(PLACES) else "它"


def build_pairs(count: int = 40) -> list[dict[str, object]]:
    """Pairs of questions on one paragraph, the second with its subject made a pronoun."""
    rows = read_jsonl(DRCD / "qrels.jsonl")
    by_paragraph: dict[str, list[dict[str, object]]] = defaultdict(list)
    for row in rows:
        by_paragraph[str(row["paragraph_id"])].append(row)
    pairs: list[dict[str, object]] = []
    paragraphs = sorted(by_paragraph.items())
    random.Random(5).shuffle(paragraphs)
    for _, questions in paragraphs:
        title = str(questions[0]["title"])
        first = next((q for q in questions if title in str(q["question"])), None)
        second = next(
            (q for q in questions if q is not first and title in str(q["question"])), None
        )
        if first is None or second is None or len(title) < 2:
            continue
        if f"「{title}」" in str(second["question"]):  # a name quoted as a name stays
            continue
        follow_up = str(second["question"]).replace(title, _pronoun(title), 1)
        if not is_follow_up(follow_up):
            continue
        pairs.append(
            {
                "id": f"fu-{len(pairs):03d}",
                "first": first["question"],
                "follow_up": follow_up,
                "original": second["question"],
                "file": second["file"],
                "pages": second["pages"],
            }
        )
        if len(pairs) == count:
            break
    return pairs


def recall(
    kb: KnowledgeBase, pairs: list[dict[str, object]], with_history: bool
) -> dict[str, float]:
    """Page R@1 and R@5 of the follow-ups, alone or with the previous question."""
    at1 = at5 = 0
    for pair in pairs:
        history = [{"role": "user", "content": str(pair["first"])}] if with_history else []
        query = retrieval_query(str(pair["follow_up"]), history)  # type: ignore[arg-type]
        hits = kb.search(query, k=5)
        gold = {(str(pair["file"]), int(page)) for page in pair["pages"]}  # type: ignore[attr-defined]
        found = [(hit.file, hit.page) in gold for hit in hits]
        at1 += bool(found[:1] and found[0])
        at5 += any(found)
    return {"r_at_1": round(at1 / len(pairs), 3), "r_at_5": round(at5 / len(pairs), 3)}


def main() -> None:
    """Build the set if asked, ingest drcd-dev, print the table and write JSON."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--build", action="store_true", help="rebuild bench/followups.jsonl")
    parser.add_argument("--data-dir", type=Path)
    args = parser.parse_args()
    if args.build:
        pairs = build_pairs()
        SET.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in pairs))
    pairs = [json.loads(line) for line in SET.read_text().splitlines()]
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="kbchat-followups-"))
    kb = build_knowledge_base(Settings(data_dir=data_dir))
    if not kb.documents():
        for pdf in sorted(DRCD.glob("*.pdf")):
            kb.ingest(pdf)
    alone, together = recall(kb, pairs, False), recall(kb, pairs, True)
    print(f"follow-up pairs: {len(pairs)}")
    print(f"{'search':<28}{'R@1':>8}{'R@5':>8}")
    print(f"{'the follow-up alone':<28}{alone['r_at_1']:>8}{alone['r_at_5']:>8}")
    print(f"{'with the conversation':<28}{together['r_at_1']:>8}{together['r_at_5']:>8}")
    result = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {platform.processor() or 'cpu'}",
        "pairs": len(pairs),
        "alone": alone,
        "with_conversation": together,
    }
    out = HERE / "results" / "followups.json"
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
