"""A case's figures: what the indicators and counts need to know of it, folded from its events.

`fold(row, source, event_type, event)` takes the case's figures so far (None before its first event)
and one event, and returns the figures after it: a plain function, so the same events give the same
figures whether folded as they come or again by `rongtuk reporting rebuild`, and it is tested
without a database. Events of one case may arrive in any order across services (routing's
case_routed before intake's case_received reaches reporting, say): every field is set by the event
that knows it, first-only fields keep the first value, and counters only count.
A plain module: no framework, no database.
"""
EMPTY = {
    "site_id": None, "tracking_number": None, "channel": None, "category": None, "confidential": None,
    "has_contact": None, "linked_as": None,
    "kind": None, "kind_changes": 0,
    "first_unit_id": None, "unit_id": None, "rerouted": False, "info_requested": False,
    "received_at": None, "routed_at": None, "answered_at": None, "answered_from_kb": False,
    "answered_by_unit": False,
    "first_notice_due_at": None, "first_notice_outcome": None,
    "resolution_due_at": None, "resolution_outcome": None,
    "warnings": 0, "breaches": 0, "escalations": 0, "reopened": 0, "result_documents": 0,
    "satisfaction": None,
}


def fold(row, source, event_type, event):
    """The figures after `event` (the event as shared.events.load gives it)."""
    figures = dict(EMPTY if row is None else row)
    figures["site_id"] = figures["site_id"] or event["site_id"]
    if event.get("tracking_number") and not figures["tracking_number"]:
        figures["tracking_number"] = event["tracking_number"]
    handler = _FOLDS.get((source, event_type))
    if handler is not None:
        handler(figures, event)
    return figures


def _received(figures, event):
    figures.update(channel=event["channel"], category=event.get("category"),
                   confidential=bool(event.get("confidential")),
                   has_contact=bool(event.get("contact_channels")), received_at=event["received_at"],
                   linked_as=event.get("link_reason"))
    if figures["kind"] is None:  # the kind routing decides wins over the one the case came with
        figures["kind"] = event.get("kind")


def _routed(figures, event):
    figures["kind"] = event["kind"]
    figures["unit_id"] = figures["unit_id"] if figures["rerouted"] else event["unit_id"]
    figures["first_unit_id"] = figures["first_unit_id"] or event["unit_id"]
    figures["routed_at"] = figures["routed_at"] or event["occurred_at"]
    figures["received_at"] = figures["received_at"] or event["received_at"]


def _kind_changed(figures, event):
    figures["kind"] = event["kind"]
    figures["kind_changes"] += 1


def _rerouted(figures, event):
    figures["rerouted"] = True
    figures["unit_id"] = event["unit_id"]
    figures["first_unit_id"] = figures["first_unit_id"] or event["from_unit_id"]


def _info_requested(figures, event):
    figures["info_requested"] = True


def _answered_from_kb(figures, event):
    figures["answered_from_kb"] = True
    figures["answered_at"] = figures["answered_at"] or event["occurred_at"]


def _answered(figures, event):
    figures["answered_by_unit"] = True
    figures["result_documents"] += len(event.get("documents") or ())  # v1 answers had none
    figures["answered_at"] = figures["answered_at"] or event["occurred_at"]


def _reopened(figures, event):
    figures["reopened"] += 1


def _rated(figures, event):
    figures["satisfaction"] = event["score"]


def _clock(field):
    """An SLA event about the resolution or first-notice clock: its deadline, its outcome, its steps."""
    def apply(figures, event):
        target = event["target"]
        if target not in ("resolution", "first_notice"):
            return
        if field == "due":
            figures[f"{target}_due_at"] = event["due_at"]
        elif field == "outcome":
            figures[f"{target}_due_at"] = event["due_at"]
            figures[f"{target}_outcome"] = event["outcome"]
        elif target == "resolution":
            figures[field] += 1
    return apply


_FOLDS = {
    ("intake", "case_received"): _received,
    ("intake", "case_reopened"): _reopened,
    ("intake", "case_rated"): _rated,
    ("routing", "case_routed"): _routed,
    ("routing", "case_kind_changed"): _kind_changed,
    ("routing", "case_rerouted"): _rerouted,
    ("routing", "case_info_requested"): _info_requested,
    ("routing", "case_answered_from_kb"): _answered_from_kb,
    ("routing", "case_answered"): _answered,
    ("sla", "sla_clock_started"): _clock("due"),
    ("sla", "sla_deadline_changed"): _clock("due"),
    ("sla", "sla_clock_stopped"): _clock("outcome"),
    ("sla", "sla_warning"): _clock("warnings"),
    ("sla", "sla_breached"): _clock("breaches"),
    ("sla", "sla_escalated"): _clock("escalations"),
}
