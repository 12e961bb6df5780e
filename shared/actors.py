"""Who is acting: the officer (or officer's script, or the site's own command) behind a call, as it
travels from the front door to every service the call reaches.

intake works out who the caller is (a session's bearer token, an API key) and puts the `Actor` in the
worker's context data; nameko copies context data into the headers of every RPC the worker makes, so
routing (or any service) reads the same actor back with `ActingOfficer` and asks the policy
(shared/policy.py) whether that actor may do what the call asks. A call with no actor is refused:
services answer officers' actions only for someone. Context data comes only from the services of the
site and the site's own command (nameko's HTTP entrypoints take none from a request), so a client
on the web cannot claim to be someone.
"""
import json
from dataclasses import asdict, dataclass, field

from nameko.extensions import DependencyProvider

from shared import policy

CONTEXT_KEY = "rongtuk_actor"
KINDS = ("person", "key", "system")


class Forbidden(PermissionError):
    """The policy denies the actor this (or there is no actor); nothing was done. Says what, not why
    in detail: the audit log has the rest."""


class ApprovalNeeded(PermissionError):
    """Allowed only once a second person approves (a confidential complainant's identity)."""


@dataclass(frozen=True)
class Actor:
    """`name` is what records show (a username, an API key's name); `role` is one of policy.ROLES;
    `units` the units a unit officer or head works for; `site_id` their site; `kind` person, key (an
    officer's or client app's API key) or system (the `rongtuk` command on the server)."""
    name: str
    role: str
    site_id: str
    units: tuple = field(default_factory=tuple)
    kind: str = "person"
    account_id: str = None

    def __post_init__(self):
        if self.role not in policy.ROLES:
            raise ValueError(f"no role {self.role!r}")
        if self.kind not in KINDS:
            raise ValueError(f"no kind of actor {self.kind!r}")
        object.__setattr__(self, "units", tuple(self.units or ()))

    def to_json(self):
        return json.dumps({**asdict(self), "units": list(self.units)}, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text):
        """The actor a header carries; None for anything that is not one (a fault: refused as no actor)."""
        try:
            data = json.loads(text)
            return cls(name=str(data["name"]), role=data["role"], site_id=str(data["site_id"]),
                       units=tuple(str(u) for u in data.get("units") or ()), kind=data.get("kind", "person"),
                       account_id=data.get("account_id"))
        except (TypeError, ValueError, KeyError, AttributeError):
            return None

    def context(self):
        """The context data that makes a call (a standalone proxy's, a worker's) act as this actor."""
        return {CONTEXT_KEY: self.to_json()}

    def relation(self, case_site, case_units, recorded_by=None):
        return policy.relation_of(case_site, case_units, recorded_by, self.site_id, self.units, self.name)

    def decide(self, action, case_site=None, case_units=(), recorded_by=None, confidential=False, kind=None):
        """The policy's answer for this actor and a case (or none, for a site-wide action)."""
        if action in policy.SITE_ACTIONS:
            return policy.decide(self.role, action)
        relation = self.relation(case_site, case_units, recorded_by)
        return policy.decide(self.role, action, relation, confidential, kind)


def system_actor(site_id, who="rongtuk"):
    """The site's own command, run on the server by its operator: an administrator."""
    return Actor(name=f"command:{who}", role="admin", site_id=site_id, kind="system")


class ActingOfficer(DependencyProvider):
    """`self.acting.actor` is the call's Actor (None without one); `self.acting.act_as(actor)` makes
    the worker's further calls carry it."""

    def get_dependency(self, worker_ctx):
        return _Acting(worker_ctx)


class _Acting:
    def __init__(self, worker_ctx):
        self._ctx = worker_ctx

    @property
    def actor(self):
        value = self._ctx.data.get(CONTEXT_KEY)
        return Actor.from_json(value) if isinstance(value, str) else None

    def required(self):
        actor = self.actor
        if actor is None:
            raise Forbidden("no one is acting: an officer's action needs the acting officer in the call")
        return actor

    def act_as(self, actor):
        self._ctx.data[CONTEXT_KEY] = actor.to_json()
