from knowledge.lexical.tokenize import tokenize


def test_cjk_text_becomes_unigrams_and_bigrams() -> None:
    assert tokenize("梵語研究") == ["梵", "語", "研", "究", "梵語", "語研", "研究"]


def test_english_words_are_lowercased_stemmed_and_stopwords_dropped() -> None:
    assert tokenize("The Intubations were impaired") == ["intub", "impair"]


def test_mixed_scripts_are_each_tokenized_their_own_way() -> None:
    tokens = tokenize("MRI檢查 takes 30 minutes")
    assert {"mri", "檢", "查", "檢查", "take", "30", "minut"} == set(tokens)


def test_full_width_latin_is_folded() -> None:
    assert tokenize("ＣＴ") == ["ct"]


def test_punctuation_only_gives_no_tokens() -> None:
    assert tokenize("，。！？ ... ---") == []
