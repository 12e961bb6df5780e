"""The knowledge base: questions with the office's answers, and a search that finds the closest.

Similarity is the cosine of TF-IDF vectors over newmm words and character n-grams, each entry
represented by its questions; an inquiry answers at first contact when the best entry is close
enough (KNOWLEDGE.threshold).
"""
from dataclasses import dataclass

import numpy as np
import yaml
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import make_union

from services.routing.exceptions import KnowledgeError
from services.routing.text import normalise, tokens


@dataclass(frozen=True)
class Entry:
    id: str
    questions: tuple
    answer: str
    unit_id: str


def _words(text):
    return list(tokens(text))


class KnowledgeBase:
    def __init__(self, entries):
        self.entries = list(entries)
        ids = [e.id for e in self.entries]
        if len(set(ids)) != len(ids):
            raise KnowledgeError("entry ids must be unique")
        self._rows = [(i, q) for i, entry in enumerate(self.entries) for q in entry.questions]
        if self._rows:
            self._vectorizer = make_union(
                TfidfVectorizer(tokenizer=_words, token_pattern=None, lowercase=False, sublinear_tf=True),
                TfidfVectorizer(preprocessor=normalise, analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True))
            matrix = self._vectorizer.fit_transform([q for _, q in self._rows])
            self._matrix = _unit_rows(matrix)

    @classmethod
    def from_mapping(cls, data):
        if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
            raise KnowledgeError("a knowledge base is a mapping with a list of entries")
        try:
            return cls(Entry(str(e["id"]), tuple(str(q) for q in e["questions"]), str(e["answer"]).strip(),
                             str(e.get("unit", ""))) for e in data["entries"])
        except (KeyError, TypeError) as exc:
            raise KnowledgeError(f"an entry needs id, questions and answer ({exc})") from exc

    @classmethod
    def load(cls, path):
        with open(path, encoding="utf-8") as f:
            return cls.from_mapping(yaml.safe_load(f))

    def search(self, text, top=3):
        """[(entry, score)] best first, one per entry; score in 0..1."""
        if not self._rows or not text.strip():
            return []
        query = _unit_rows(self._vectorizer.transform([text]))
        scores = (self._matrix @ query.T).toarray().ravel()
        best = {}
        for (index, _), score in zip(self._rows, scores):
            best[index] = max(best.get(index, 0.0), float(score))
        ranked = sorted(best.items(), key=lambda item: item[1], reverse=True)[:top]
        return [(self.entries[i], round(s, 4)) for i, s in ranked]

    def answer_for(self, text, kind, threshold):
        """The entry that answers an inquiry at first contact, with its score; None otherwise."""
        if kind != 1:
            return None
        found = self.search(text, top=1)
        if found and found[0][1] >= threshold:
            return found[0]
        return None


def _unit_rows(matrix):
    norms = np.sqrt(matrix.multiply(matrix).sum(axis=1)).A.ravel()
    norms[norms == 0] = 1.0
    from scipy.sparse import diags
    return diags(1.0 / norms) @ matrix
