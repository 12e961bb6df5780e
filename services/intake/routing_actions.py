"""Officers' routing actions as the HTTP API takes them: each action, the routing RPC that carries
it out, and the fields of its JSON body (required kind, required text, optional text, a required
list of ids)."""
from dataclasses import dataclass

from shared.web import InvalidRequest


@dataclass(frozen=True)
class Action:
    method: str
    required: tuple = ()
    optional: tuple = ()
    lists: tuple = ()
    kinds: tuple = ()      # required whole numbers 1-4 (a case's kind)
    files: tuple = ()      # optional lists of files, [{filename, content_type, content_base64}], routing checks


ROUTING_ACTIONS = {
    "confirm": Action("confirm"),
    "reroute": Action("reroute", ("unit_id", "reason")),
    "request-info": Action("request_info", ("question",)),
    "info-received": Action("info_received"),
    "assign-units": Action("assign_units", lists=("unit_ids",), required=("reason",)),
    "unit-status": Action("set_unit_status", ("unit_id", "status"), optional=("note",)),
    "forward": Action("forward", ("to_site", "reason")),
    "answer": Action("answer", ("answer",), optional=("unit_id",), files=("documents",)),
    "change-kind": Action("change_kind", ("reason",), kinds=("kind",)),
}
# the actions whose bodies are small; those with files have routes of their own, with larger bodies
ACTIONS_PATTERN = "any(" + ",".join(f'"{a}"' for a, spec in ROUTING_ACTIONS.items() if not spec.files) + ")"


def routing_call(action, body):
    """(rpc method name, positional args after the case id, keyword args) from the JSON body, or
    InvalidRequest naming what is missing or malformed. The officer is not an argument: the acting
    officer travels with the call (shared/actors.py)."""
    spec = ROUTING_ACTIONS[action]
    errors = {name: ["Missing data for required field."] for name in spec.required
              if not isinstance(body.get(name), str) or not body[name].strip()}
    for name in spec.lists:
        value = body.get(name)
        if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
            errors[name] = ["A non-empty list of ids is required."]
    for name in spec.kinds:
        value = body.get(name)
        if isinstance(value, bool) or value not in (1, 2, 3, 4):
            errors[name] = ["Must be 1, 2, 3 or 4."]
    for name in spec.optional:
        if body.get(name) is not None and not isinstance(body[name], str):
            errors[name] = ["Not a valid string."]
    for name in spec.files:
        if body.get(name) is not None and not isinstance(body[name], list):
            errors[name] = ["A list of files, each {filename, content_type, content_base64}."]
    if errors:
        raise InvalidRequest(errors)
    args = [body[name] for name in spec.kinds + spec.lists] + [body[name] for name in spec.required]
    return spec.method, args, {name: body[name] for name in spec.optional + spec.files if body.get(name)}
