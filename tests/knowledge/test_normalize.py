from knowledge.normalize import normalize_page_text


def test_removes_nul_and_control_characters() -> None:
    assert normalize_page_text("醫\x00院\x07門診\x1b") == "醫院門診"


def test_removes_spaces_between_cjk_characters_but_not_between_words() -> None:
    assert normalize_page_text("本 院 門 診 open at 8 am") == "本院門診 open at 8 am"


def test_joins_lines_broken_mid_sentence() -> None:
    raw = "本院門診時間為週一至\r\n週五上午八點。\r\nVisitors are welcome\r\nevery day."
    assert (
        normalize_page_text(raw)
        == "本院門診時間為週一至週五上午八點。\nVisitors are welcome every day."
    )


def test_rejoins_hyphenated_english_words() -> None:
    assert (
        normalize_page_text("endotracheal intu-\nbation works.") == "endotracheal intubation works."
    )


def test_short_heading_line_is_not_glued_to_the_paragraph() -> None:
    raw = (
        "門診服務 Outpatient services\n"
        "本院門診時間為週一至週五上午八點至下午五點，週六上午八點至十二點，週日及國定假日\n"
        "休診，急診二十四小時開放。"
    )
    assert normalize_page_text(raw) == (
        "門診服務 Outpatient services\n"
        "本院門診時間為週一至週五上午八點至下午五點，週六上午八點至十二點，週日及國定假日休診，"
        "急診二十四小時開放。"
    )


def test_keeps_paragraph_break_on_blank_line() -> None:
    assert normalize_page_text("First part\n\nSecond part") == "First part\nSecond part"
