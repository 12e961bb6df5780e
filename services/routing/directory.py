"""The organisation directory of a site, and its readable routing rules.

A rule names a unit and the keywords (and, optionally, regular expressions) that send a case to
it. Keywords are matched as whole words of PyThaiNLP's newmm segmentation, in order, so a rule
for "ประชุม" does not fire inside an unrelated compound; patterns are matched on the normalised
text. The first rule that matches decides; `triage_unit` is where a person sorts the rest.
"""
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from services.routing.exceptions import DirectoryError
from services.routing.text import contains, normalise, tokens


@dataclass(frozen=True)
class Unit:
    id: str
    name_th: str
    name_en: str
    code: str = ""
    handles: str = ""          # what the unit answers, in its own words (also teaches the model)
    parent: str = ""
    contacts: tuple = ()       # who hears of the unit's cases: ({"channel": email|line|sms, "address": ...}, ...)
    # unit_head, office_director, complaint_committee -> {"title": who, "contacts": [...]}: the escalation
    # roles this unit names (for itself and the units under it)
    roles: dict = field(default_factory=dict)
    about: tuple = ()          # what the unit deals with, in the words people use: teaches the model

    def description_text(self):
        return " ".join(p for p in (self.name_th, self.handles) if p).strip()

    def training_texts(self):
        """The unit's own words for the model: its name and what it handles, then each `about`
        phrase as an example of its own (a short text the unit answers, as a complaint might say)."""
        return [t for t in (self.description_text(), *self.about) if t]


@dataclass(frozen=True)
class Site:
    """Another complaint centre this site exchanges cases with (the hub, an agency, a district)."""
    id: str
    name_th: str
    name_en: str
    kind: str = "agency"        # hub | agency | district
    personal_data: bool = False  # the complainant's identity may go with a forwarded case


SITE_KINDS = ("hub", "agency", "district")
SITE_ID = re.compile(r"^[A-Z0-9]{2,16}$")


@dataclass(frozen=True)
class Rule:
    id: str
    unit_id: str
    keywords: tuple            # each a tuple of words
    patterns: tuple = ()       # compiled regular expressions
    kinds: tuple = ()
    keyword_texts: tuple = ()

    def matches(self, text_tokens, normal_text, kind):
        """The keyword or pattern that fired (for a rule of kinds alone, the kind), or None."""
        if self.kinds and kind not in self.kinds:
            return None
        if not self.keywords and not self.patterns:
            return f"kind {kind}"
        for words, text in zip(self.keywords, self.keyword_texts):
            if contains(text_tokens, words):
                return text
        for pattern in self.patterns:
            found = pattern.search(normal_text)
            if found:
                return found.group(0)
        return None


@dataclass(frozen=True)
class RuleMatch:
    unit: Unit
    rule_id: str
    matched: str

    @property
    def reason(self):
        return f"rule {self.rule_id}: '{self.matched}'"


@dataclass(frozen=True)
class Assignment:
    unit: Unit
    reason: str


class Directory:
    def __init__(self, site, units, rules, triage_unit, sites=None, roles=None):
        self.site = site
        self.units = units
        self.rules = rules
        self.sites = sites or {}
        self.roles = roles or {}  # the site's own roles, for every unit that names no holder of its own
        if triage_unit not in units:
            raise DirectoryError(f"triage_unit {triage_unit!r} is not a unit of the directory")
        self.triage_unit = units[triage_unit]
        for rule in rules:
            if rule.unit_id not in units:
                raise DirectoryError(f"rule {rule.id!r} names unknown unit {rule.unit_id!r}")
        for unit in units.values():
            if unit.parent and unit.parent not in units:
                raise DirectoryError(f"unit {unit.id!r} names unknown parent {unit.parent!r}")
        if site and self.sites and site.upper() not in self.sites:
            raise DirectoryError(f"the directory's own site {site!r} is not among its sites")

    @classmethod
    def from_mapping(cls, data):
        if not isinstance(data, dict):
            raise DirectoryError("a directory is a mapping with units, rules and triage_unit")
        for rule in data.get("rules") or []:
            keywords = rule.get("keywords", []) if isinstance(rule, dict) else None
            if not isinstance(keywords, list) or not all(isinstance(k, str) and k.strip() for k in keywords):
                raise DirectoryError(f"rule {rule!r}: keywords must be a list of non-empty strings")
        try:
            units = {key: Unit(id=key, name_th=u["name_th"], name_en=u.get("name_en", u["name_th"]),
                               code=u.get("code", ""), handles=u.get("handles", u.get("answers_th", "")),
                               parent=u.get("parent", ""), contacts=_contacts(f"unit {key!r}", u.get("contacts")),
                               roles=_roles(f"unit {key!r}", u.get("roles")), about=_about(key, u.get("about")))
                     for key, u in data["units"].items()}
            rules = []
            for r in data.get("rules", []):
                texts = tuple(normalise(k) for k in r.get("keywords", []))
                patterns = tuple(re.compile(p) for p in r.get("patterns", []))
                if not texts and not patterns and not r.get("kinds"):
                    raise DirectoryError(f"rule {r.get('id')!r} has no keywords, patterns or kinds")
                rules.append(Rule(id=r["id"], unit_id=r["unit"], keywords=tuple(tokens(t) for t in texts),
                                  patterns=patterns, kinds=tuple(r.get("kinds", ())), keyword_texts=texts))
            triage = data.get("triage_unit", data.get("default_unit"))
            return cls(str(data.get("site", "")), units, rules, triage, _sites(data.get("sites") or {}),
                       _roles("the directory", data.get("roles")))
        except (KeyError, TypeError, AttributeError, re.error) as exc:
            raise DirectoryError(f"directory is missing or misshapes {exc}") from exc

    @classmethod
    def load(cls, path):
        with open(Path(path), encoding="utf-8") as f:
            return cls.from_mapping(yaml.safe_load(f))

    def as_mapping(self):
        """The directory as plain data (what the RPC and `rongtuk directory show` print)."""
        return {
            "site": self.site,
            "triage_unit": self.triage_unit.id,
            "roles": {name: {"title": r["title"], "contacts": list(r["contacts"])} for name, r in self.roles.items()},
            "sites": {s.id: {"name_th": s.name_th, "name_en": s.name_en, "kind": s.kind,
                             "personal_data": s.personal_data} for s in self.sites.values()},
            "units": {u.id: {"code": u.code, "name_th": u.name_th, "name_en": u.name_en, "handles": u.handles,
                             "parent": u.parent, "contacts": list(u.contacts),
                             "roles": {name: {"title": r["title"], "contacts": list(r["contacts"])}
                                       for name, r in u.roles.items()},
                             "about": list(u.about)}
                      for u in self.units.values()},
            "rules": [{"id": r.id, "unit": r.unit_id, "keywords": list(r.keyword_texts),
                       "patterns": [p.pattern for p in r.patterns], "kinds": list(r.kinds)} for r in self.rules],
        }

    def assign(self, subject, description, kind):
        """Rules only: the unit and why; the triage unit when no rule fires."""
        found = self.match(f"{subject}\n{description}", kind)
        if found:
            return Assignment(found.unit, found.reason)
        return Assignment(self.triage_unit, "triage: no rule matched")

    def match(self, text, kind):
        """The first rule that fires on the text, or None."""
        text_tokens, normal = tokens(text), normalise(text)
        for rule in self.rules:
            matched = rule.matches(text_tokens, normal, kind)
            if matched:
                return RuleMatch(self.units[rule.unit_id], rule.id, matched)
        return None


CONTACT_PREFIXES = {"line:": "line", "sms:": "sms", "tel:": "sms"}
ROLE_NAME = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
LINE_USER = re.compile(r"^U[0-9a-f]{32}$")
PHONE = re.compile(r"^\+?[0-9]{9,15}$")


def _contacts(where, value):
    """Who hears of a unit's cases (or a role's): a list of e-mail addresses, "line:<LINE user id>" and
    "sms:<phone>" (or mappings {email|line|sms: address}), as ({"channel", "address"}, ...)."""
    if value is None:
        return ()
    if not isinstance(value, list):
        raise DirectoryError(f"{where}: contacts must be a list")
    found = []
    for item in value:
        if isinstance(item, dict) and len(item) == 1:
            (channel, address), = item.items()
            channel = "sms" if channel == "phone" else channel
        elif isinstance(item, str):
            prefix = next((p for p in CONTACT_PREFIXES if item.lower().startswith(p)), None)
            channel, address = (CONTACT_PREFIXES[prefix], item[len(prefix):]) if prefix else ("email", item)
        else:
            raise DirectoryError(f"{where}: a contact is an e-mail address, line:<id> or sms:<phone>, not {item!r}")
        address = str(address).strip()
        if channel == "sms":
            address = re.sub(r"[\s-]", "", address)
            if address.startswith("0") and len(address) in (9, 10):
                address = "+66" + address[1:]
        check = {"email": EMAIL, "line": LINE_USER, "sms": PHONE}.get(channel)
        if check is None or not check.match(address):
            raise DirectoryError(f"{where}: {item!r} is not an e-mail address, line:<LINE user id> or sms:<phone>")
        contact = {"channel": channel, "address": address}
        if contact not in found:
            found.append(contact)
    return tuple(found)


def _roles(where, value):
    """Escalation roles: role -> who holds it, a title ("ผู้อำนวยการ…") or {title, contacts}."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise DirectoryError(f"{where}: roles must be a mapping of role to who holds it")
    roles = {}
    for name, holder in value.items():
        if not isinstance(name, str) or not ROLE_NAME.match(name):
            raise DirectoryError(f"{where}: role name {name!r} must be lower-case letters, digits and _")
        if isinstance(holder, str) and holder.strip():
            roles[name] = {"title": holder.strip(), "contacts": ()}
        elif isinstance(holder, dict) and str(holder.get("title") or "").strip():
            unknown = set(holder) - {"title", "contacts"}
            if unknown:
                raise DirectoryError(f"{where}: role {name!r} has unknown field(s) {', '.join(sorted(unknown))}")
            roles[name] = {"title": str(holder["title"]).strip(),
                           "contacts": _contacts(f"{where}, role {name!r}", holder.get("contacts"))}
        else:
            raise DirectoryError(f"{where}: role {name!r} needs a title (and may list contacts)")
    return roles


def _about(unit_id, about):
    if about is None:
        return ()
    if not isinstance(about, list) or not all(isinstance(a, str) and a.strip() for a in about):
        raise DirectoryError(f"unit {unit_id!r}: about must be a list of non-empty strings")
    return tuple(a.strip() for a in about)


def _sites(data):
    if not isinstance(data, dict):
        raise DirectoryError("sites must be a mapping of site id to its names")
    sites = {}
    for key, value in data.items():
        key = str(key).upper()
        if not SITE_ID.match(key):
            raise DirectoryError(f"site id {key!r} must be 2-16 capital letters or digits")
        if not isinstance(value, dict) or not value.get("name_th"):
            raise DirectoryError(f"site {key!r} needs at least name_th")
        kind = value.get("kind", "agency")
        if kind not in SITE_KINDS:
            raise DirectoryError(f"site {key!r}: kind must be one of {', '.join(SITE_KINDS)}")
        sites[key] = Site(key, str(value["name_th"]), str(value.get("name_en", value["name_th"])), kind,
                          value.get("personal_data") is True)
    return sites
