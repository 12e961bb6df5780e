"""Keeping the knowledge base: what makes an entry valid, and the officers' changes to it.

The entries live in routing's database (`knowledge_entries`); every change names the officer who
made it, on the entry and in `knowledge_changes`. An entry is never deleted, only marked removed,
so that a change is always visible in `revision`: the number of rows and the sum of their
versions, which every write raises by one. Each routing worker compares it with the revision of
its search index and rebuilds the index when they differ (services/routing/dependencies.py).

The file format of import and export is that of deploy/knowledge.yml:

    entries:
      - id: office-hours
        unit: admin-rules          # optional: the triage unit takes the case otherwise
        questions: [สำนักงานเปิดทำการกี่โมง]
        answer: สำนักงานเปิดทำการวันจันทร์ถึงวันศุกร์ ...
"""
import json
import re
from pathlib import Path

import yaml
from sqlalchemy import func, select, update

from services.routing.exceptions import KnowledgeError
from services.routing.knowledge import Entry, KnowledgeBase
from services.routing.models import knowledge_changes, knowledge_entries
from shared.config import PROJECT_ROOT
from shared.times import utcnow

ID_PATTERN = re.compile(r"[a-z0-9._-]{1,64}")
MAX_QUESTIONS = 50
MAX_QUESTION_CHARS = 500
MAX_ANSWER_CHARS = 5000
OFFICER_CHARS = 128
FIELDS = ("id", "questions", "answer", "unit")
LISTED = ("unit_id", "updated_at", "updated_by", "deleted_at")  # what `listing` adds; ignored when given back


# --- rules ------------------------------------------------------------------------------------

def check(entry, units):
    """The Entry that `entry` (a mapping: id, questions, answer, unit) describes, or KnowledgeError
    saying what is wrong with it. `units`: the unit ids of the directory (e.g. Directory.units)."""
    if not isinstance(entry, dict):
        raise KnowledgeError("an entry is a mapping with id, questions, answer and, optionally, unit")
    unknown = sorted(str(k) for k in entry if k not in FIELDS and k not in LISTED)
    if unknown:
        raise KnowledgeError(f"unknown field(s) {', '.join(unknown)}: an entry has id, questions, answer and unit")
    return Entry(check_id(entry.get("id")), _questions(entry.get("questions")), _answer(entry.get("answer")),
                 _unit(entry.get("unit", entry.get("unit_id")), units))


def check_id(entry_id):
    if isinstance(entry_id, int) and not isinstance(entry_id, bool):
        entry_id = str(entry_id)  # `id: 12` in a YAML file
    if not isinstance(entry_id, str) or not ID_PATTERN.fullmatch(entry_id):
        raise KnowledgeError(f"id {entry_id!r}: give 1-64 characters of a-z, 0-9, '-', '_' and '.'")
    return entry_id


def _questions(questions):
    if isinstance(questions, str) or not isinstance(questions, (list, tuple)):
        raise KnowledgeError("questions: give a list of questions, one string each")
    if not questions:
        raise KnowledgeError("questions: give at least one question")
    kept = []
    for number, question in enumerate(questions, 1):
        if not isinstance(question, str) or not question.strip():
            raise KnowledgeError(f"question {number} is empty: each question is a non-empty text")
        if len(question.strip()) > MAX_QUESTION_CHARS:
            raise KnowledgeError(f"question {number} has {len(question.strip())} characters; "
                                 f"at most {MAX_QUESTION_CHARS}")
        if question.strip() not in kept:  # the same question twice counts once
            kept.append(question.strip())
    if len(kept) > MAX_QUESTIONS:
        raise KnowledgeError(f"questions: at most {MAX_QUESTIONS}, not {len(kept)}")
    return tuple(kept)


def _answer(answer):
    if not isinstance(answer, str) or not answer.strip():
        raise KnowledgeError("answer: give the text the complainant receives")
    if len(answer.strip()) > MAX_ANSWER_CHARS:
        raise KnowledgeError(f"answer has {len(answer.strip())} characters; at most {MAX_ANSWER_CHARS}")
    return answer.strip()


def _unit(unit, units):
    if unit is None:
        return ""
    if not isinstance(unit, str):
        raise KnowledgeError(f"unit {unit!r}: give a unit id of the directory, or nothing")
    unit = unit.strip()
    if unit and unit not in units:
        raise KnowledgeError(f"unit {unit!r} is not a unit of the directory ({', '.join(sorted(units))})")
    return unit


def check_officer(officer):
    if not isinstance(officer, str) or not officer.strip():
        raise KnowledgeError("say which officer makes the change: it is recorded")
    return officer.strip()[:OFFICER_CHARS]


def entries_of(data):
    """The list of entries of a knowledge-base file's mapping (not yet checked)."""
    if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
        raise KnowledgeError("a knowledge-base file is a mapping with a list of entries")
    return data["entries"]


def check_all(items, units):
    """Every entry checked; KnowledgeError names the first bad one by its place and its id."""
    checked, seen = [], set()
    for number, item in enumerate(items, 1):
        try:
            entry = check(item, units)
        except KnowledgeError as exc:
            name = f" ({item.get('id')})" if isinstance(item, dict) and item.get("id") is not None else ""
            raise KnowledgeError(f"entry {number}{name}: {exc}") from None
        if entry.id in seen:
            raise KnowledgeError(f"entry {number}: id {entry.id!r} appears twice")
        seen.add(entry.id)
        checked.append(entry)
    return checked


def read_file(path):
    """The mapping in a knowledge-base YAML file."""
    try:
        with open(path, encoding="utf-8") as f:
            return yaml.safe_load(f)
    except OSError as exc:
        raise KnowledgeError(f"cannot read {path}: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        raise KnowledgeError(f"{path} is not YAML: {exc}") from None


def _shown(path):
    try:
        return str(Path(path).resolve().relative_to(PROJECT_ROOT))
    except ValueError:  # outside the project
        return str(path)


def to_yaml(data):
    return ("# The knowledge base, as `rongtuk kb export` wrote it; `rongtuk kb import` reads it back.\n"
            + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100))


# --- use cases ------------------------------------------------------------------------------------

def put(tx, entry, officer, units, must_be_new=False):
    """Add an entry, or replace the one with its id (a removed one comes back).
    {"id", "status": added | replaced | unchanged}; nothing is written when it is unchanged."""
    checked = check(entry, units)
    status = _write(tx.session, checked, check_officer(officer), utcnow(), must_be_new)
    return {"id": checked.id, "status": status}


def remove(tx, entry_id, officer):
    """Take an entry out of the knowledge base: inquiries are no longer answered from it."""
    officer = check_officer(officer)
    if not isinstance(entry_id, str) or not _remove(tx.session, entry_id, officer, utcnow()):
        raise KnowledgeError(f"no entry {entry_id!r} in the knowledge base")
    return {"id": entry_id, "status": "removed"}


def import_entries(tx, data, officer, units, remove_missing=False):
    """Put every entry of a knowledge-base file's mapping, all or none; with `remove_missing`, also
    remove the entries the file does not have. Counts of added, replaced, unchanged, removed."""
    checked = check_all(entries_of(data), units)
    officer, now = check_officer(officer), utcnow()
    counts = {"added": 0, "replaced": 0, "unchanged": 0, "removed": 0}
    for entry in checked:
        counts[_write(tx.session, entry, officer, now)] += 1
    if remove_missing:
        wanted = {e.id for e in checked}
        for entry_id in tx.session.execute(select(knowledge_entries.c.id)
                                           .where(knowledge_entries.c.deleted_at.is_(None))).scalars().all():
            if entry_id not in wanted:
                counts["removed"] += _remove(tx.session, entry_id, officer, now)
    return counts


def seed(tx, path, units):
    """Import the file at `path` if the knowledge base has never had an entry (removed ones count):
    a new site answers as its file says; from then on the database is what counts.
    The counts of import_entries, or None when there was nothing to do."""
    if tx.session.execute(select(func.count()).select_from(knowledge_entries)).scalar_one():
        return None
    return import_entries(tx, read_file(path), f"seed from {_shown(path)}"[-OFFICER_CHARS:], units)


def listing(session, include_removed=False):
    """Every entry (by id) as a mapping put accepts back, with who changed it last and when."""
    query = select(knowledge_entries).order_by(knowledge_entries.c.id)
    if not include_removed:
        query = query.where(knowledge_entries.c.deleted_at.is_(None))
    return [{"id": r.id, "questions": json.loads(r.questions), "answer": r.answer, "unit": r.unit_id,
             "updated_at": r.updated_at.isoformat(), "updated_by": r.updated_by,
             "deleted_at": r.deleted_at.isoformat() if r.deleted_at else None}
            for r in session.execute(query)]


def history(session, entry_id=None):
    """Who changed what, oldest first."""
    query = select(knowledge_changes).order_by(knowledge_changes.c.id)
    if entry_id:
        query = query.where(knowledge_changes.c.entry_id == entry_id)
    return [{"entry_id": r.entry_id, "action": r.action, "officer": r.officer, "at": r.at.isoformat(),
             "detail": json.loads(r.detail) if r.detail else None} for r in session.execute(query)]


def export(session):
    """The live entries as the mapping of a knowledge-base file."""
    return {"entries": [{"id": e["id"], **({"unit": e["unit"]} if e["unit"] else {}),
                         "questions": e["questions"], "answer": e["answer"]} for e in listing(session)]}


def revision(session):
    """Changes whenever an entry is added, replaced or removed."""
    count, versions = session.execute(select(func.count(), func.coalesce(func.sum(knowledge_entries.c.version), 0))
                                      .select_from(knowledge_entries)).one()
    return int(count), int(versions)


def load(session):
    """The search index over the live entries."""
    rows = session.execute(select(knowledge_entries).where(knowledge_entries.c.deleted_at.is_(None))
                           .order_by(knowledge_entries.c.id))
    return KnowledgeBase(Entry(r.id, tuple(json.loads(r.questions)), r.answer, r.unit_id) for r in rows)


# --- storage ----------------------------------------------------------------------------------------

def _write(session, entry, officer, now, must_be_new=False):
    table = knowledge_entries
    row = session.execute(select(table).where(table.c.id == entry.id)).first()
    live = row is not None and row.deleted_at is None
    if live and must_be_new:
        raise KnowledgeError(f"entry {entry.id!r} already exists (a put replaces it)")
    if live and (json.loads(row.questions), row.answer, row.unit_id) == (list(entry.questions), entry.answer,
                                                                          entry.unit_id):
        return "unchanged"
    values = {"questions": json.dumps(list(entry.questions), ensure_ascii=False), "answer": entry.answer,
              "unit_id": entry.unit_id, "updated_at": now, "updated_by": officer, "deleted_at": None}
    if row is None:
        session.execute(table.insert().values(id=entry.id, version=1, **values))
    else:
        session.execute(update(table).where(table.c.id == entry.id).values(version=table.c.version + 1, **values))
    status = "replaced" if live else "added"
    _log(session, entry.id, status, officer, now, {"questions": list(entry.questions), "answer": entry.answer,
                                                   "unit": entry.unit_id})
    return status


def _remove(session, entry_id, officer, now):
    table = knowledge_entries
    done = session.execute(update(table).where(table.c.id == entry_id, table.c.deleted_at.is_(None)).values(
        deleted_at=now, updated_at=now, updated_by=officer, version=table.c.version + 1)).rowcount
    if done:
        _log(session, entry_id, "removed", officer, now, None)
    return done


def _log(session, entry_id, action, officer, now, detail):
    session.execute(knowledge_changes.insert().values(
        entry_id=entry_id, action=action, officer=officer, at=now,
        detail=json.dumps(detail, ensure_ascii=False) if detail is not None else None))
