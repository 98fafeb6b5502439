from knowledge.chunking import chunk_page, estimate_tokens, split_sentences


def test_splits_on_chinese_and_english_sentence_ends() -> None:
    text = "第一句。第二句！第三句？第四；Fifth one. Sixth one!"
    assert split_sentences(text) == [
        "第一句。",
        "第二句！",
        "第三句？",
        "第四；",
        "Fifth one.",
        "Sixth one!",
    ]


def test_closing_quote_stays_with_its_sentence() -> None:
    assert split_sentences("他說：「好。」然後走了。") == ["他說：「好。」", "然後走了。"]


def test_chunks_respect_the_budget_and_overlap_by_whole_sentences() -> None:
    sentences = [f"這是第{i}個測試句子，用來檢查切塊的行為。" for i in range(40)]
    chunks = chunk_page("".join(sentences), page=3, max_tokens=60, overlap_tokens=25)
    assert len(chunks) > 5
    assert all(estimate_tokens(c.text) <= 60 for c in chunks)
    assert all(c.page == 3 for c in chunks)
    assert [c.ordinal for c in chunks] == list(range(len(chunks)))
    for previous, current in zip(chunks, chunks[1:], strict=False):
        last_sentence = split_sentences(previous.text)[-1]
        assert current.text.startswith(last_sentence)
    joined = "".join(c.text for c in chunks)
    assert all(s in joined for s in sentences)


def test_overlong_sentence_is_cut_to_fit() -> None:
    chunks = chunk_page("字" * 500, page=1, max_tokens=100, overlap_tokens=0)
    assert [len(c.text) for c in chunks] == [100] * 5


def test_english_words_are_not_glued_together() -> None:
    chunks = chunk_page("Alpha beta gamma. Delta epsilon.", page=1)
    assert chunks[0].text == "Alpha beta gamma. Delta epsilon."


def test_empty_page_has_no_chunks() -> None:
    assert chunk_page("", page=1) == []
