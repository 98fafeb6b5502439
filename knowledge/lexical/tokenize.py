"""Script-aware tokens for the lexical index: stemmed words for Latin text, n-grams for CJK.

Whitespace tokenizers see a Chinese sentence as one token, and character n-grams ruin
English ranking (DESIGN.md measures both), so each script gets its own treatment.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import Stemmer
from bm25s.stopwords import STOPWORDS_EN_PLUS

from knowledge.text import CJK_LETTER_RANGES

# Han, kana and hangul: written without spaces, so indexed as unigrams and bigrams.
_CJK_RUN = f"[{CJK_LETTER_RANGES}]+"
_WORD = r"[a-z0-9\u00c0-\u024f\u0370-\u03ff\u0400-\u04ff]+(?:['’][a-z]+)?"
_TOKEN = re.compile(f"({_CJK_RUN})|({_WORD})")

# NLTK's English list as bm25s ships it, plus the two modal verbs it lacks that kbchat's own
# list had: the relevance gate weighs a question's words, and "could" or "would" says nothing
# about which page answers it. Page hit@1 of the lexical side on pubmedqa-dev's 500
# questions is 0.962 with this list and with the former 125 words alike.
ENGLISH_STOPWORDS = frozenset(STOPWORDS_EN_PLUS) | {"could", "would"}


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("english")


def _bigrams(run: str) -> list[str]:
    return [run[i : i + 2] for i in range(len(run) - 1)]


def cjk_ngrams(run: str) -> list[str]:
    """Unigrams and bigrams of a run of CJK characters."""
    return [*run, *_bigrams(run)]


def _split_by_script(text: str) -> tuple[list[str], list[str]]:
    """CJK runs, and stemmed non-stopword words, of case- and width-folded text."""
    folded = unicodedata.normalize("NFKC", text).lower()
    runs: list[str] = []
    words: list[str] = []
    for match in _TOKEN.finditer(folded):
        cjk, word = match.groups()
        if cjk:
            runs.append(cjk)
        elif (word := word.replace("’", "'")) not in ENGLISH_STOPWORDS:
            words.append(word)
    return runs, _stemmer().stemWords(words) if words else []


def tokenize(text: str) -> list[str]:
    """Split text into lexical tokens, choosing the method by script."""
    runs, stems = _split_by_script(text)
    return [token for run in runs for token in cjk_ngrams(run)] + stems


def content_tokens(text: str) -> set[str]:
    """Distinct tokens that carry meaning: CJK bigrams (lone characters as themselves) and
    stemmed non-stopword words. Single CJK characters are left out: they match anything."""
    runs, stems = _split_by_script(text)
    tokens = {gram for run in runs for gram in (_bigrams(run) if len(run) > 1 else [run])}
    return tokens | set(stems)


# Question words and sentence particles of written Chinese. They never occur in the answer's
# passage ("什麼", "是誰"), and the bigrams they form with their neighbours ("麼樣", "的種") are
# noise, so a question is cut at them before its terms are taken.
_CHINESE_QUESTION_WORDS = re.compile(
    "為什麼|什麼|甚麼|什么|哪裡|哪里|哪個|哪一|哪些|哪|為何|为何|如何|怎麼|怎样|怎樣|多少"
    "|何時|何處|何处|何者|何種|何|是否|幾|几|誰|谁|嗎|吗|呢|的|了"
)


def query_terms(question: str) -> set[str]:
    """The content tokens a passage that answers the question should contain."""
    return content_tokens(_CHINESE_QUESTION_WORDS.sub(" ", question))


# Characters every Chinese sentence has: alone they show nothing about where a text came from.
FUNCTION_HAN = frozenset("的了是在有和與及或也就都而之於為這那其此並但很要會可以能被把對")
# "How long / far / big..." asked with 多: question words too, though not in the retrieval
# list above, whose measured re-ranking they would change.
_HOW_MUCH = re.compile("多久|多長|多遠|多大|多高|多重|多快|多少")


def question_tokens(question: str) -> set[str]:
    """The question's lexical tokens as the index holds them (CJK characters and bigrams,
    English stems), without its question words and lone function characters: what the
    relevance gate weighs."""
    plain = _HOW_MUCH.sub(" ", _CHINESE_QUESTION_WORDS.sub(" ", question))
    return {token for token in tokenize(plain) if token not in FUNCTION_HAN}


def coverage(wanted: set[str], text: str) -> float:
    """Share of the ``wanted`` content tokens that occur in the text (0 when none are wanted)."""
    return len(wanted & content_tokens(text)) / len(wanted) if wanted else 0.0
