"""The learned router: TF-IDF over newmm words (and the kind the words say) and character n-grams,
and a logistic regression.

Trained from confirmed routings (a JSONL file of {"text", "unit"}, or the officers' confirmations
and corrections in the database) plus each unit's own description from the directory. The
regularisation is chosen at training time by repeated cross-validation on the training data
alone, so no setting is tuned by hand. Saved with a version that every decision records.
"""
import hashlib
import json
from dataclasses import dataclass, field

import joblib
import numpy as np
from threadpoolctl import threadpool_limits
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import RepeatedStratifiedKFold
from sklearn.pipeline import make_pipeline, make_union

from services.routing.exceptions import ModelError
from services.routing.kinds import decide_kind
from services.routing.text import normalise, tokens
from shared.times import utcnow

C_GRID = (0.03, 0.1, 0.3, 1.0, 3.0, 10.0)


def _words(text):
    """The text's words, and the kind its words say as one word more: a complaint about a service
    goes to other units than an inquiry with the same words (measured: see docs/routing.md)."""
    return [*tokens(text), f"#kind{decide_kind(text).kind}"]


def _pipeline(c):
    words = TfidfVectorizer(tokenizer=_words, token_pattern=None, lowercase=False, ngram_range=(1, 2),
                            sublinear_tf=True)
    chars = TfidfVectorizer(preprocessor=normalise, analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True)
    return make_pipeline(make_union(words, chars), LogisticRegression(C=c, max_iter=5000))


@dataclass
class RoutingModel:
    pipeline: object
    version: str
    units: list
    meta: dict = field(default_factory=dict)

    def rank(self, text):
        """[(unit, probability)], most likely first."""
        probabilities = self.pipeline.predict_proba([text])[0]
        order = np.argsort(probabilities)[::-1]
        classes = self.pipeline.classes_
        return [(str(classes[i]), float(probabilities[i])) for i in order]

    def save(self, path):
        joblib.dump({"pipeline": self.pipeline, "version": self.version, "units": self.units, "meta": self.meta},
                    path)

    @classmethod
    def load(cls, path):
        data = joblib.load(path)  # a file this site trained itself: trusted like its code
        return cls(data["pipeline"], data["version"], data["units"], data.get("meta", {}))


def read_examples(path):
    """[(text, unit)] from a JSONL file of {"text": ..., "unit": ...}."""
    return [(text, unit) for text, unit, _ in read_labelled(path)]


def read_labelled(path):
    """[(text, unit, kind or None)] from a JSONL file of {"text", "unit"[, "kind"]} lines."""
    examples = []
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                kind = row.get("kind")
                if kind is not None and (isinstance(kind, bool) or kind not in (1, 2, 3, 4)):
                    raise ValueError(kind)
                examples.append((str(row["text"]), str(row["unit"]), kind))
            except (ValueError, KeyError, TypeError, AttributeError) as exc:
                raise ModelError(f"{path}:{number}: not a {{\"text\", \"unit\"[, \"kind\" 1-4]}} line") from exc
    return examples


def train(examples, directory, now=None):
    """A model from confirmed routings plus the directory's description of each unit."""
    known = set(directory.units)
    unknown = {unit for _, unit in examples if unit not in known}
    if unknown:
        raise ModelError(f"units not in the directory: {', '.join(sorted(unknown))}")
    if len({unit for _, unit in examples}) < 2:
        raise ModelError("training needs confirmed routings for at least two units")
    described = [(text, unit.id) for unit in directory.units.values() for text in unit.training_texts()]
    texts = [t for t, _ in examples]
    labels = [u for _, u in examples]
    with one_thread():
        c, scores = _choose_c(texts, labels, described)
        pipeline = _pipeline(c).fit(texts + [t for t, _ in described], labels + [u for _, u in described])
    now = now or utcnow()
    digest = hashlib.sha256(json.dumps(sorted(examples), ensure_ascii=False).encode()).hexdigest()[:8]
    version = f"{now:%Y%m%d%H%M%S}-{digest}"
    return RoutingModel(pipeline, version, sorted(map(str, pipeline.classes_)), {
        "trained_at": now.isoformat(), "examples": len(examples), "C": c, "cv_accuracy": scores})


def one_thread():
    """BLAS and OpenMP on one thread while fitting: these models are small, and the threads' start-up
    cost several times the fit itself (0.12 s against 0.03 s per fit, measured on two cores)."""
    return threadpool_limits(limits=1)


def _choose_c(texts, labels, described):
    """The C with the best mean accuracy over repeated stratified 5-fold CV (ties: the smaller C)."""
    texts, labels = np.array(texts, dtype=object), np.array(labels)
    smallest_class = min(np.unique(labels, return_counts=True)[1])
    folds = min(5, int(smallest_class))
    if folds < 2:
        return 1.0, {}
    splitter = RepeatedStratifiedKFold(n_splits=folds, n_repeats=3, random_state=2026)
    splits = list(splitter.split(texts, labels))
    scores = {}
    for c in C_GRID:
        accuracy = []
        for fit, held in splits:
            model = _pipeline(c).fit(list(texts[fit]) + [t for t, _ in described],
                                     list(labels[fit]) + [u for _, u in described])
            accuracy.append(float((model.predict(list(texts[held])) == labels[held]).mean()))
        scores[c] = round(float(np.mean(accuracy)), 4)
    best = max(scores.values())
    return min(c for c, s in scores.items() if s == best), scores
