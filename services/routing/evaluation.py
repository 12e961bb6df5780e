"""How well routing decides: per-unit precision and recall, the share of units it got right, and
the kind it reads from the words alone (as for a case that arrived without one)."""
from collections import Counter
from dataclasses import dataclass

from services.routing.decide import decide


@dataclass
class Report:
    rows: list          # (unit, precision, recall, support)
    accuracy: float
    triaged: int
    total: int
    methods: Counter
    kind_accuracy: float | None = None   # None when the test file gives no kinds
    kind_false_raises: int = 0           # decided 3 or 4 where the truth is 1 or 2
    kinds: Counter = None                # (true kind, decided kind) -> cases

    def lines(self):
        out = [f"{'unit':<22}{'precision':>10}{'recall':>8}{'support':>9}"]
        for unit, precision, recall, support in self.rows:
            out.append(f"{unit:<22}{precision:>10.2f}{recall:>8.2f}{support:>9}")
        methods = ", ".join(f"{m} {n}" for m, n in sorted(self.methods.items()))
        out.append(f"decided by: {methods}; sent to triage (counted wrong): {self.triaged} of {self.total}")
        if self.kinds:
            cells = ", ".join(f"{t}->{d} {n}" for (t, d), n in sorted(self.kinds.items()))
            out.append(f"kinds (true->decided): {cells}")
        out.append(f"accuracy {self.accuracy:.4f}")
        if self.kind_accuracy is not None:
            out.append(f"kind accuracy {self.kind_accuracy:.4f}")
            out.append(f"kind false raises {self.kind_false_raises}")
        return out


def evaluate(examples, directory, model=None, threshold=None, use_rules=True):
    """Decide each (text, unit[, kind]) as the service would for a case that came with no kind;
    triage counts as a wrong unit."""
    rules_off = directory if use_rules else _without_rules(directory)
    predicted, expected, methods, kinds = [], [], Counter(), Counter()
    for text, unit, *rest in examples:
        decision = decide(text, "", None, rules_off, model, threshold)
        methods[decision.method] += 1
        predicted.append(None if decision.triage else decision.unit.id)
        expected.append(unit)
        if rest and rest[0] is not None:
            kinds[(rest[0], decision.kind)] += 1
    rows = []
    for unit in sorted(set(expected) | {p for p in predicted if p}):
        tp = sum(1 for p, e in zip(predicted, expected) if p == e == unit)
        chosen = sum(1 for p in predicted if p == unit)
        actual = sum(1 for e in expected if e == unit)
        rows.append((unit, tp / chosen if chosen else 0.0, tp / actual if actual else 0.0, actual))
    correct = sum(1 for p, e in zip(predicted, expected) if p == e)
    labelled = sum(kinds.values())
    return Report(rows, correct / len(expected) if expected else 0.0, methods["triage"], len(expected), methods,
                  sum(n for (t, d), n in kinds.items() if t == d) / labelled if labelled else None,
                  sum(n for (t, d), n in kinds.items() if t <= 2 < d), kinds)


def _without_rules(directory):
    import copy
    bare = copy.copy(directory)
    bare.rules = []
    return bare


def cross_validate(examples, directory, train, folds=5, repeats=4, seed=2026, use_rules=True, threshold=None):
    """Unit accuracy of the whole decision (rules, then a model trained on the other folds) over
    repeated stratified k-fold splits of the training examples alone: the figure to optimise,
    since a held-out file stops being held out once choices are made by looking at it.
    Each fold's model chooses its own regularisation on its own training part, as `train` does.
    Returns (mean, standard deviation, number of folds run, kind accuracy over the same cases)."""
    import numpy as np
    from sklearn.model_selection import RepeatedStratifiedKFold

    labels = np.array([unit for _, unit, *_ in examples])
    smallest = min(np.unique(labels, return_counts=True)[1])
    folds = min(folds, int(smallest))
    scores = []
    for fit, held in RepeatedStratifiedKFold(n_splits=folds, n_repeats=repeats, random_state=seed).split(
            labels, labels):
        model = train([examples[i][:2] for i in fit], directory)
        report = evaluate([examples[i] for i in held], directory, model, threshold, use_rules)
        scores.append(report.accuracy)
    kinds = evaluate(examples, directory, None, threshold, use_rules).kind_accuracy  # the kind learns nothing
    return float(np.mean(scores)), float(np.std(scores)), len(scores), kinds
