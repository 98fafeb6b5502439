"""Which sources an answer rests on and which of its sentences none supports (lexical check)."""

from __future__ import annotations

from chat.answering.support import (
    declines,
    mark_unsupported,
    support,
    supporting_sentences,
    supporting_sources,
)

ICU = "加護病房探病時間為上午11點至11點30分，以及晚上7點至7點30分。每次限兩位訪客。"
TENNIS = "網球是一種使用球拍的運動，比賽在草地或硬地球場進行。"


def test_a_sentence_the_page_states_is_supported_and_another_page_does_not() -> None:
    sentence = "加護病房的探病時間是上午11點到11點30分[1]，晚上7點到7點30分[1]。"
    assert support(sentence, ICU) >= 0.6
    assert support(sentence, TENNIS) == 0.0  # its numbers are not on the tennis page


def test_a_changed_number_or_amount_is_not_supported() -> None:
    assert support("探病時間是上午10點。", ICU) == 0.0
    assert support("每次最多三位訪客。", ICU) == 0.0


def test_the_sources_shown_are_those_the_sentences_rest_on() -> None:
    answer = "加護病房探病時間為上午11點至11點30分。"
    assert supporting_sources(answer, [TENNIS, ICU]) == [2]
    assert supporting_sources("您好！", [TENNIS, ICU]) == []


def test_each_unsupported_claim_is_marked_in_place() -> None:
    answer = "加護病房探病時間為上午11點至11點30分[1]。停車場在地下二樓。\nVisits end at 9 pm."
    text, unsupported = mark_unsupported(answer, [ICU], "zh-TW")
    assert unsupported == ["停車場在地下二樓。", "Visits end at 9 pm."]
    assert text == (
        "加護病房探病時間為上午11點至11點30分[1]。停車場在地下二樓。〔來源未載〕\n"
        "Visits end at 9 pm.〔來源未載〕"
    )


def test_saying_the_sources_are_silent_is_not_a_claim() -> None:
    text, unsupported = mark_unsupported("資料中沒有提到週末的探病時間。", [ICU], "zh-TW")
    assert unsupported == [] and "〔" not in text


def test_a_refusal_is_recognised_in_both_languages_and_an_answer_is_not() -> None:
    assert declines("知識庫沒有涵蓋這個問題。")
    assert declines("The knowledge base does not cover this question.")
    assert not declines("加護病房探病時間為上午11點。知識庫沒有涵蓋週末的時間。")


def test_a_short_answer_still_rests_on_the_page_that_states_it() -> None:
    assert supporting_sources("11點。", [TENNIS, ICU]) == [2]
    assert supporting_sources("資料中沒有提到。", [TENNIS, ICU]) == []


def test_what_the_answer_repeats_of_the_question_needs_no_source() -> None:
    question = "阿聯航空於2014年時共通航了幾個城市?"
    page = "該公司在2014年的航點達到142個城市。"
    answer = "阿聯航空於2014年時共通航了142個城市。"
    assert support(answer, page) < 0.6  # 阿聯航空 is not on the page...
    assert support(answer, page, question) >= 0.6  # ...but it was the question's word
    assert support("阿聯航空於2014年時共通航了150個城市。", page, question) == 0.0
    _, unsupported = mark_unsupported(
        "阿聯航空於2014年時共通航了幾個城市。", [page], "zh-TW", question
    )
    assert unsupported == []  # a restated question claims nothing


def test_an_answer_made_of_the_question_s_words_shows_the_page_that_holds_it() -> None:
    question = "宋孝武帝處理中樞機要事務是用戴法興以及誰?"
    page = "並開始以中書舍人戴法興、巢尚之等人處理中樞機要事務。"
    assert supporting_sources("戴法興", [TENNIS, page], question) == [2]
    assert supporting_sources("戴法興", [TENNIS, ICU], question) == []
    _, unsupported = mark_unsupported("戴法興", [page], "zh-TW", question)
    assert unsupported == []  # it repeats the question: nothing to mark


def test_a_bare_number_no_source_states_is_marked() -> None:
    question = "於民國幾年嘉義正式升格為省轄市?"
    page = "民國七十一年7月1日，再次升格為省轄市。"
    text, unsupported = mark_unsupported("1971年", [page], "zh-TW", question)
    assert unsupported == ["1971年"] and text == "1971年〔來源未載〕"
    assert mark_unsupported("7月1日", [page], "zh-TW", question)[1] == []


def test_yes_or_no_is_the_verdict_not_a_word_the_page_must_hold() -> None:
    question = "Should we use ultrasound for suspected appendicitis in children?"
    page = "Ultrasound should be the first imaging test for suspected appendicitis."
    _, unsupported = mark_unsupported("Yes, we should use ultrasound [1].", [page], "en", question)
    assert unsupported == []
    _, unsupported = mark_unsupported("Yes, CT is safer [1].", [page], "en", question)
    assert unsupported == ["Yes, CT is safer [1]."]


def test_the_sentences_marked_on_a_page_are_those_the_claims_rest_on() -> None:
    page = "一般病房探病時間為每日上午十點至晚上八點。" + ICU + " … 發燒的訪客請勿探病。"
    answer = "上午11點至11點30分，晚上7點至7點30分[1]。發燒的訪客不要探病。"
    assert supporting_sentences(answer, page, "加護病房的探病時間？") == [
        "加護病房探病時間為上午11點至11點30分，以及晚上7點至7點30分。",
        "發燒的訪客請勿探病。",
    ]
    assert supporting_sentences("網球比賽在草地上進行。", page) == []
