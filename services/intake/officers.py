"""Who an API request comes from, and intake's own officer actions under the policy.

A request names its officer by a session's bearer token (`Authorization: Bearer rts_...`, from
POST /api/v1/session) or by an API key (`X-Api-Key`). `actor_for` turns either into the Actor the
policy judges (shared/actors.py); a request with neither is a complainant's or the public's. An
officer's API key is a site-wide `officer_key`: a script's, held to the policy's row for it.
"""
from services.intake import apikeys, cases, sessions
from services.intake.exceptions import KeyNotValid, NotAuthenticated
from shared import audit, policy
from shared.actors import Actor

LOG_IN = "Log in (POST /api/v1/session) and send Authorization: Bearer <token>."


def actor_for(tx, authorization, api_key, limits, site_id, key_roles=("officer",)):
    """The Actor of a request, or None for one with no credentials. NotAuthenticated for a token that is
    not (or no longer) a session's, KeyNotValid for an API key that is not valid for this."""
    if authorization:
        scheme, _, token = authorization.strip().partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise NotAuthenticated(LOG_IN)
        actor = sessions.authenticate(tx, token.strip(), limits)
        if actor is None:
            raise NotAuthenticated("The session has ended or its token is not valid: log in again.")
        return actor
    if api_key:
        holder = apikeys.authenticate(tx.session, api_key, key_roles)
        if holder is None:
            raise KeyNotValid()
        return key_actor(holder, site_id)
    return None


def key_actor(holder, site_id):
    """An API key's holder as an actor: an officer's key is a site-wide officer_key, a client app's a client_key."""
    role = "officer_key" if holder["role"] == "officer" else "client_key"
    return Actor(name=holder["name"], role=role, site_id=site_id, kind="key", account_id=f"key:{holder['id']}")


def record(tx, actor, action, outcome, case_id=None, reason=None, detail=None):
    audit.record(tx.session, actor, action, outcome, case_id, reason, detail)


def site_action(tx, actor, action, detail=None):
    """A site-wide action with nothing more to do here (the figures reporting serves) judged and put on
    record; True if allowed."""
    allowed = actor.decide(action) == policy.ALLOW
    audit.record(tx.session, actor, action, "allowed" if allowed else "denied", detail=detail)
    return allowed


def record_case(tx, actor, data, ctx):
    """A complaint an officer records (a call, a visit, a letter): on record as theirs, in the
    transaction that records it. None, the denial on record, when their role records no complaints."""
    if actor.decide("record_case") != policy.ALLOW:
        audit.record(tx.session, actor, "record_case", "denied", detail={"channel": data.get("channel")})
        return None
    created = cases.receive_case(tx, data, ctx, recorded_by=actor.name[:128])
    audit.record(tx.session, actor, "record_case", "allowed", created["case_id"],
                 detail={"channel": data.get("channel")})
    return created


def manage_users(tx, actor, use_case, *args):
    """One of accounts' use cases (create, disable...) done by an officer on the portal, as the policy's
    manage_users allows, and put on the audit log in the same transaction; None (the denial on record)
    for a role that may not."""
    if actor.decide("manage_users") != policy.ALLOW:
        audit.record(tx.session, actor, "manage_users", "denied", detail={"command": use_case.__name__})
        return None
    done = use_case(tx, *args)
    audit.record(tx.session, actor, "manage_users", "allowed",
                 detail={"command": f"accounts.{use_case.__name__}", "subject": str(args[0])[:200]})
    return done
