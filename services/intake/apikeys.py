"""API keys for Open311 client apps and officers' tools: shown once, kept as a hash, revocable."""
import hashlib
import secrets
import uuid

from sqlalchemy import select, update

from services.intake.exceptions import ApiKeyError
from services.intake.models import api_keys
from shared.times import utcnow

ROLES = ("client", "officer")


def _hash(key):
    return hashlib.sha256(key.encode()).hexdigest()


def create(tx, name, role):
    if role not in ROLES:
        raise ApiKeyError(f"role must be one of {', '.join(ROLES)}")
    if not name or not name.strip():
        raise ApiKeyError("a name is required (who uses the key)")
    key = "rtk_" + secrets.token_urlsafe(24)
    key_id = str(uuid.uuid4())
    tx.session.execute(api_keys.insert().values(id=key_id, name=name.strip(), role=role, prefix=key[:10],
                                                key_hash=_hash(key), created_at=utcnow()))
    return {"id": key_id, "name": name.strip(), "role": role, "key": key}


def listing(session):
    rows = session.execute(select(api_keys).order_by(api_keys.c.created_at)).all()
    return [{"id": r.id, "name": r.name, "role": r.role, "prefix": r.prefix, "created_at": r.created_at,
             "revoked_at": r.revoked_at} for r in rows]


def revoke(tx, key_id):
    done = tx.session.execute(update(api_keys).where(api_keys.c.id == key_id, api_keys.c.revoked_at.is_(None))
                              .values(revoked_at=utcnow())).rowcount
    if not done:
        raise ApiKeyError(f"no active key {key_id}")


def authenticate(session, key, roles=ROLES):
    """The key's holder ({id, name, role}) if it is valid, active and of one of `roles`; else None."""
    if not key or not key.startswith("rtk_"):
        return None
    row = session.execute(select(api_keys).where(api_keys.c.key_hash == _hash(key))).first()
    if row is None or row.revoked_at is not None or row.role not in roles:
        return None
    return {"id": row.id, "name": row.name, "role": row.role}
