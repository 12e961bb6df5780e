"""The routing decision: the directory's rules first, then the learned model, else a person.

Every decision says why: the rule and the words that fired, or the model's version and
probability, or why it went to triage. Kind signals may raise the kind (services/routing/kinds.py).
"""
from dataclasses import dataclass

from services.routing.kinds import decide_kind


@dataclass(frozen=True)
class Decision:
    unit: object
    method: str            # rule | model | triage
    reason: str
    kind: int
    kind_reason: str
    score: float | None = None
    model_version: str | None = None
    candidates: tuple = ()  # [(unit_id, probability)] from the model, best first

    @property
    def triage(self):
        return self.method == "triage"


def threshold_for(model, configured=None):
    """The probability a model's best unit needs: configured, else 1.25 x a uniform guess."""
    if configured is not None:
        return float(configured)
    return 1.25 / max(len(model.units), 1) if model else 1.0


def decide(subject, description, kind, directory, model=None, threshold=None):
    text = f"{subject}\n{description}"
    kind_decision = decide_kind(text, kind)
    match = directory.match(text, kind_decision.kind)
    if match:
        return Decision(match.unit, "rule", match.reason, kind_decision.kind, kind_decision.reason)
    if model is not None:
        ranking = model.rank(text)
        unit_id, probability = ranking[0]
        needed = threshold_for(model, threshold)
        candidates = tuple((u, round(p, 4)) for u, p in ranking[:3])
        if probability >= needed and unit_id in directory.units:
            return Decision(directory.units[unit_id], "model",
                            f"model {model.version}: {unit_id} p={probability:.2f}", kind_decision.kind,
                            kind_decision.reason, round(probability, 4), model.version, candidates)
        return Decision(directory.triage_unit, "triage",
                        f"triage: no rule matched; model {model.version} best {unit_id} p={probability:.2f} "
                        f"< {needed:.2f}", kind_decision.kind, kind_decision.reason, round(probability, 4),
                        model.version, candidates)
    return Decision(directory.triage_unit, "triage", "triage: no rule matched and no model",
                    kind_decision.kind, kind_decision.reason)
