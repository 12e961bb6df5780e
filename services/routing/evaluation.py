"""How well routing decides: per-unit precision and recall, and the share of cases it got right."""
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

    def lines(self):
        out = [f"{'unit':<22}{'precision':>10}{'recall':>8}{'support':>9}"]
        for unit, precision, recall, support in self.rows:
            out.append(f"{unit:<22}{precision:>10.2f}{recall:>8.2f}{support:>9}")
        methods = ", ".join(f"{m} {n}" for m, n in sorted(self.methods.items()))
        out.append(f"decided by: {methods}; sent to triage (counted wrong): {self.triaged} of {self.total}")
        out.append(f"accuracy {self.accuracy:.4f}")
        return out


def evaluate(examples, directory, model=None, threshold=None, use_rules=True):
    """Decide each (text, unit) as the service would; triage counts as a wrong decision."""
    rules_off = directory if use_rules else _without_rules(directory)
    predicted, expected, methods = [], [], Counter()
    for text, unit in examples:
        decision = decide(text, "", 1, rules_off, model, threshold)
        methods[decision.method] += 1
        predicted.append(None if decision.triage else decision.unit.id)
        expected.append(unit)
    rows = []
    for unit in sorted(set(expected) | {p for p in predicted if p}):
        tp = sum(1 for p, e in zip(predicted, expected) if p == e == unit)
        chosen = sum(1 for p in predicted if p == unit)
        actual = sum(1 for e in expected if e == unit)
        rows.append((unit, tp / chosen if chosen else 0.0, tp / actual if actual else 0.0, actual))
    correct = sum(1 for p, e in zip(predicted, expected) if p == e)
    return Report(rows, correct / len(expected) if expected else 0.0, methods["triage"], len(expected), methods)


def _without_rules(directory):
    import copy
    bare = copy.copy(directory)
    bare.rules = []
    return bare
