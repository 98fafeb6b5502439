"""OpenCC's s2twp on a streamed answer: phrases never cut, sources' own text kept."""

from __future__ import annotations

import opencc
import pytest

from chat.answering.taiwan_usage import TaiwanUsageStream, to_taiwan_usage


def _streamed(pieces: list[str], keep: str = "") -> str:
    stream = TaiwanUsageStream(keep)
    return "".join(stream.feed(piece) for piece in pieces) + stream.flush()


@pytest.mark.parametrize(
    "pieces",
    [
        ["软件", "和", "内存"],
        ["软", "件和内", "存"],
        ["软", "件", "和", "内", "存"],
    ],
)
def test_a_phrase_split_across_pieces_converts_as_a_whole(pieces: list[str]) -> None:
    # Converted piece by piece, 内 and 存 would give 內存 (Traditional, but not Taiwan usage).
    assert opencc.OpenCC("s2twp").convert("内") + opencc.OpenCC("s2twp").convert("存") == "內存"
    assert _streamed(pieces) == "軟體和記憶體"


def test_the_stream_gives_what_converting_the_whole_answer_gives() -> None:
    answer = "加护病房的探病时间是上午11点，以及晚上7点。抽血前要空腹8小时 [1]。位于马祖列岛。"
    pieces = [answer[i : i + 3] for i in range(0, len(answer), 3)]
    assert _streamed(pieces) == opencc.OpenCC("s2twp").convert(answer)
    expected = "加護病房的探病時間是上午11點，以及晚上7點。抽血前要空腹8小時 [1]。位於馬祖列島。"
    assert _streamed(pieces) == expected


def test_text_is_shown_at_each_boundary_not_held_to_the_end() -> None:
    stream = TaiwanUsageStream()
    assert stream.feed("探病时间") == ""
    assert stream.feed("是11点。然后") == "探病時間是11點。"
    assert stream.flush() == "然後"


def test_traditional_text_is_shown_before_its_clause_ends_but_for_a_phrases_length() -> None:
    stream = TaiwanUsageStream()
    assert stream.feed("恐怖") == ""
    assert stream.feed("主義的敵人") == "恐怖主"  # 4 held: a phrase may still need them
    assert stream.feed("們把桌子擦干") == "義的敵人們把"
    assert stream.feed("净。") + stream.flush() == "桌子擦乾淨。"  # 干 + 净 converted together


def test_a_long_run_without_punctuation_still_streams() -> None:
    stream = TaiwanUsageStream()
    shown = "".join(stream.feed(char) for char in "时" * 30)
    assert shown and set(shown) == {"時"}


def test_phrases_the_sources_write_are_kept_as_written() -> None:
    sources = "本院使用的系統名為「内存管家」，由信息中心維護。"
    assert to_taiwan_usage("请打开「内存管家」释放内存", sources) == "請開啟「内存管家」釋放記憶體"
    assert to_taiwan_usage("由信息中心維護", sources) == "由信息中心維護"
    assert to_taiwan_usage("由信息中心维护") == "由資訊中心維護"


def test_english_and_traditional_text_pass_unchanged() -> None:
    text = "Visiting hours end at 8 pm [1]. 探病時間到晚上八點。"
    assert _streamed([text[:10], text[10:]]) == text


def test_text_already_traditional_is_left_as_written_where_opencc_would_change_it() -> None:
    # OpenCC alone reads 多只 as 多隻 ("many [animals]"): a Traditional answer must not get it.
    assert opencc.OpenCC("s2twp").convert("最多只能連任一次") == "最多隻能連任一次"
    assert _streamed(["一任市長最多", "只能連任一次。"]) == "一任市長最多只能連任一次。"
    assert _streamed(["台灣的", "干擾"]) == "台灣的干擾"
    assert _streamed(["然后", "再说"]) == "然後再說"
