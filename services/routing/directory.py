"""The organisation directory and its first routing rule: keywords in the text pick the unit."""
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml


class DirectoryError(ValueError):
    pass


@dataclass(frozen=True)
class Unit:
    id: str
    name_th: str
    name_en: str
    code: str = ""


@dataclass(frozen=True)
class Rule:
    id: str
    unit_id: str
    keywords: tuple
    kinds: tuple = ()

    def matches(self, text, kind):
        if self.kinds and kind not in self.kinds:
            return None
        for keyword in self.keywords:
            if keyword in text:
                return keyword
        return None


@dataclass(frozen=True)
class Assignment:
    unit: Unit
    reason: str


def _normal(text):
    return unicodedata.normalize("NFC", text).casefold()


class Directory:
    def __init__(self, units, rules, default_unit):
        self.units = units
        self.rules = rules
        if default_unit not in units:
            raise DirectoryError(f"default_unit {default_unit!r} is not a unit of the directory")
        self.default_unit = default_unit
        for rule in rules:
            if rule.unit_id not in units:
                raise DirectoryError(f"rule {rule.id!r} names unknown unit {rule.unit_id!r}")

    @classmethod
    def from_mapping(cls, data):
        if not isinstance(data, dict):
            raise DirectoryError("a directory is a mapping with units, rules and default_unit")
        for rule in data.get("rules") or []:
            keywords = rule.get("keywords") if isinstance(rule, dict) else None
            if not isinstance(keywords, list) or not all(isinstance(k, str) and k.strip() for k in keywords):
                raise DirectoryError(f"rule {rule!r}: keywords must be a list of non-empty strings")
        try:
            units = {key: Unit(id=key, name_th=u["name_th"], name_en=u.get("name_en", u["name_th"]),
                               code=u.get("code", "")) for key, u in data["units"].items()}
            rules = [Rule(id=r["id"], unit_id=r["unit"], keywords=tuple(_normal(k) for k in r["keywords"]),
                          kinds=tuple(r.get("kinds", ()))) for r in data.get("rules", [])]
            return cls(units, rules, data["default_unit"])
        except (KeyError, TypeError, AttributeError) as exc:
            raise DirectoryError(f"directory is missing or misshapes {exc}") from exc

    @classmethod
    def load(cls, path):
        with open(Path(path), encoding="utf-8") as f:
            return cls.from_mapping(yaml.safe_load(f))

    def assign(self, subject, description, kind):
        """The unit for a case, and why: the first rule whose keyword occurs in the text."""
        text = _normal(f"{subject}\n{description}")
        for rule in self.rules:
            keyword = rule.matches(text, kind)
            if keyword:
                return Assignment(self.units[rule.unit_id], f"rule {rule.id}: keyword '{keyword}'")
        return Assignment(self.units[self.default_unit], "default unit: no rule matched")
