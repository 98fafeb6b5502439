"""The shared text helpers: the language of a text, and what counts as a CJK character."""

from __future__ import annotations

import re
import unicodedata

from knowledge import CJK_LETTER_RANGES, CJK_RANGES, HAN_RANGES, detect_language
from knowledge.text import languages_in


def test_the_language_is_chinese_when_han_makes_a_third_of_the_letters() -> None:
    assert detect_language("門診時間是幾點？") == "zh-TW"
    assert detect_language("What are the clinic hours?") == "en"
    assert detect_language("MRI 檢查要多久") == "zh-TW"  # 5 Han of 8 letters
    assert detect_language("Is the MRI open on Sunday 週日") == "en"  # 2 Han of 22 letters
    assert detect_language("") == "en"


def test_the_ranges_nest_and_agree_with_unicode_names() -> None:
    han, letters, cjk = (re.compile(f"[{r}]") for r in (HAN_RANGES, CJK_LETTER_RANGES, CJK_RANGES))
    for char in "門診时间":  # Traditional and Simplified Han
        assert han.match(char) and letters.match(char) and cjk.match(char)
        assert "CJK UNIFIED IDEOGRAPH" in unicodedata.name(char)
    for char in "ひカ한":  # kana and hangul: letters, not Han
        assert letters.match(char) and cjk.match(char) and not han.match(char)
    for char in "。「」，":  # punctuation: CJK, not letters
        assert cjk.match(char) and not letters.match(char)
    for char in "aé1 ":
        assert not cjk.match(char)


def test_a_text_is_in_each_language_that_makes_a_fifth_of_its_letters() -> None:
    assert languages_in("抽血檢查前需空腹八小時。Fast for eight hours before a blood test.") == {
        "zh-TW",
        "en",
    }
    assert languages_in("磁振造影（MRI）檢查前請移除所有金屬物品。") == {"zh-TW"}
    assert languages_in("Bring your NHI card (健保卡) to every visit, please.") == {"en"}
    assert languages_in("2025-03-04 12:00") == {"en"}
