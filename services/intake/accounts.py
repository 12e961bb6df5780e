"""Officers' accounts: made, listed, disabled and given a new password by `rongtuk user`.

Accounts live in intake's database, beside the API keys: intake is where officers' requests arrive
and the other services already ask it who a key is. An account has a username, a role (one of the
policy's people, shared/policy.py), the units it works for (unit officers and unit heads: at least one,
each a unit of the directory; other roles: none), and its site. Its password is kept only as an
argon2id hash (passwords.py). Disabling keeps the account (the audit log names it) but it cannot log
in again; disabling it or giving it a new password ends its sessions (sessions.py).
"""
import json
import re
import uuid

from sqlalchemy import func, select, update

from services.intake import passwords
from services.intake.exceptions import AccountError
from services.intake.models import accounts, sessions
from shared import policy
from shared.times import utcnow

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,63}$")
UNIT_ROLES = ("unit_officer", "unit_head")
SITE_ID = re.compile(r"^[A-Z0-9]{2,32}$")


def create(tx, username, role, units, site_id, password, known_units):
    """A new account; AccountError saying what is wrong (nothing is stored then)."""
    username = _username(username)
    if role not in policy.PEOPLE:
        raise AccountError(f"no role {role!r}; roles: {', '.join(policy.PEOPLE)}")
    units = _units(role, units, known_units)
    site_id = str(site_id or "").strip().upper()
    if not SITE_ID.match(site_id):
        raise AccountError(f"a site is 2-32 capital letters and digits, not {site_id[:40]!r}")
    weak = passwords.weakness(password, username, (site_id, *units))
    if weak:
        raise AccountError(weak)
    if tx.session.execute(select(accounts.c.id).where(accounts.c.username == username)).first():
        raise AccountError(f"there is an account {username!r} already")
    now = utcnow()
    account_id = str(uuid.uuid4())
    tx.session.execute(accounts.insert().values(
        id=account_id, username=username, password_hash=passwords.hash_password(password), role=role,
        units=json.dumps(units), site_id=site_id, created_at=now, password_changed_at=now))
    return {"id": account_id, "username": username, "role": role, "units": units, "site_id": site_id}


def listing(session):
    return [view(row) for row in session.execute(select(accounts).order_by(accounts.c.username)).all()]


def disable(tx, username):
    """Disable an account and end its sessions."""
    row = tx.session.execute(select(accounts.c.id).where(accounts.c.username == _username(username),
                                                         accounts.c.disabled_at.is_(None))).first()
    if row is None:
        raise AccountError(f"no enabled account {username!r}")
    tx.session.execute(update(accounts).where(accounts.c.id == row.id).values(disabled_at=utcnow()))
    _end_sessions(tx, row.id, "disabled")


def log_out(tx, username):
    """End every session of an account (a lost laptop, a stolen token); how many there were."""
    row = tx.session.execute(select(accounts.c.id).where(accounts.c.username == _username(username))).first()
    if row is None:
        raise AccountError(f"no account {username!r}")
    return _end_sessions(tx, row.id, "operator")


def _end_sessions(tx, account_id, why):
    """End every session of an account (services/intake/sessions.py); how many."""
    return tx.session.execute(update(sessions).where(sessions.c.account_id == account_id,
                                                     sessions.c.revoked_at.is_(None))
                              .values(revoked_at=utcnow(), revoked_why=why)).rowcount


def reset_password(tx, username, password):
    username = _username(username)
    row = tx.session.execute(select(accounts).where(accounts.c.username == username)).first()
    if row is None:
        raise AccountError(f"no account {username!r}")
    weak = passwords.weakness(password, username, (row.site_id, *json.loads(row.units)))
    if weak:
        raise AccountError(weak)
    tx.session.execute(update(accounts).where(accounts.c.id == row.id).values(
        password_hash=passwords.hash_password(password), password_changed_at=utcnow()))
    _end_sessions(tx, row.id, "password")


def check_login(tx, username, password):
    """The account for a username and password, or None: an unknown username, a disabled account and a
    wrong password alike, each taking an argon2 check. A good login with an old hash rehashes it."""
    name = str(username or "").strip().lower()
    row = tx.session.execute(select(accounts).where(accounts.c.username == name)).first() \
        if USERNAME.match(name) else None
    matches, rehash = passwords.verify(row.password_hash if row else None, password)
    if not matches or row.disabled_at is not None:
        return None
    if rehash:
        tx.session.execute(update(accounts).where(accounts.c.id == row.id).values(
            password_hash=passwords.hash_password(password)))
    return view(row)


def known_username(session, username):
    """The username if there is such an account (for the audit log of a failed login), else None."""
    name = str(username or "").strip().lower()
    if not USERNAME.match(name):
        return None
    return name if session.execute(select(accounts.c.id).where(accounts.c.username == name)).first() else None


def count(session):
    return session.execute(select(func.count()).select_from(accounts)).scalar_one()


def _username(username):
    name = str(username or "").strip().lower()
    if not USERNAME.match(name):
        raise AccountError("a username is 3-64 of a-z, 0-9, '.', '_' and '-', starting with a letter or digit")
    return name


def _units(role, units, known_units):
    units = sorted({str(u).strip() for u in units or () if str(u).strip()})
    if role in UNIT_ROLES and not units:
        raise AccountError(f"a {role} works for at least one unit (--unit)")
    if role not in UNIT_ROLES and units:
        raise AccountError(f"a {role} is not of a unit: it works site-wide (no --unit)")
    unknown = [u for u in units if u not in known_units]
    if unknown:
        raise AccountError(f"no unit {unknown[0]!r} in the directory; units: {', '.join(sorted(known_units))}")
    return units


def view(row):
    return {"id": row.id, "username": row.username, "role": row.role, "units": json.loads(row.units),
            "site_id": row.site_id, "created_at": row.created_at, "disabled_at": row.disabled_at}
