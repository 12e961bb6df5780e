"""Thai text as routing reads it: normalised, then cut into words by PyThaiNLP's newmm (offline)."""
import os
from functools import lru_cache

from shared import thai


@lru_cache(maxsize=1)
def _segmenter():
    """PyThaiNLP's word_tokenize, imported offline: newmm's dictionary ships with the package."""
    os.environ.setdefault("PYTHAINLP_OFFLINE", "1")
    from pythainlp.tokenize import word_tokenize
    return word_tokenize


normalise = thai.folded  # NFC, sara am composed, no invisible characters, lower-cased, spaces folded


@lru_cache(maxsize=4096)
def tokens(text: str) -> tuple:
    """The words of a text, without spaces and punctuation-only tokens."""
    return tuple(t for t in _segmenter()(normalise(text), engine="newmm", keep_whitespace=False)
                 if any(ch.isalnum() for ch in t))


def contains(text_tokens: tuple, phrase_tokens: tuple) -> bool:
    """Whether the phrase's words occur in the text, in order and next to each other."""
    n = len(phrase_tokens)
    if not n:
        return False
    return any(text_tokens[i:i + n] == phrase_tokens for i in range(len(text_tokens) - n + 1))


@lru_cache(maxsize=4096)
def word_boundaries(normal_text: str) -> frozenset:
    """The offsets in an already normalised text where newmm puts a word boundary."""
    offsets, at = {0}, 0
    for word in _segmenter()(normal_text, engine="newmm", keep_whitespace=True):
        at += len(word)
        offsets.add(at)
    return frozenset(offsets)
