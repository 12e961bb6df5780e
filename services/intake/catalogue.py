"""The subjects a site offers complaints on: codes, Thai and English names, default kind, confidentiality,
and whether complaints on the subject are public on Open311."""
from dataclasses import dataclass, replace

import yaml

from services.intake.exceptions import CatalogueError


@dataclass(frozen=True)
class Subject:
    code: str
    name_th: str
    name_en: str
    kind: int
    confidential: bool = False
    group: str = ""
    # Private by default (PDPA): only a subject marked public (a pothole, a broken street light) has its
    # complaints' descriptions and locations shown on Open311; a complaint about a person is not.
    public: bool = False


class Catalogue:
    def __init__(self, subjects):
        self.subjects = {s.code: s for s in subjects}
        if len(self.subjects) != len(subjects):
            raise CatalogueError("subject codes must be unique")

    @classmethod
    def from_mapping(cls, data):
        if not isinstance(data, dict) or not isinstance(data.get("subjects"), list):
            raise CatalogueError("a catalogue is a mapping with a list of subjects")
        subjects = []
        for entry in data["subjects"]:
            try:
                kind = int(entry["kind"])
                if kind not in (1, 2, 3, 4):
                    raise ValueError
                subject = Subject(code=str(entry["code"]), name_th=str(entry["name_th"]),
                                  name_en=str(entry.get("name_en") or entry["name_th"]), kind=kind,
                                  confidential=bool(entry.get("confidential", False)),
                                  group=str(entry.get("group", "")))
            except (KeyError, TypeError, ValueError) as exc:
                raise CatalogueError(f"subject {entry!r} needs code, name_th and kind 1-4") from exc
            subjects.append(cls._with_publicity(subject, entry.get("public", False)))
        return cls(subjects)

    @staticmethod
    def _with_publicity(subject, public):
        # Only a real YAML boolean publishes: `public: "no"` or `public: 1` would otherwise read as
        # true, and a typo must never put complaints about people on the open web.
        if not isinstance(public, bool):
            raise CatalogueError(f"subject {subject.code}: public must be true or false, not {public!r}")
        if public and subject.confidential:
            raise CatalogueError(f"subject {subject.code}: a confidential subject cannot be public")
        return replace(subject, public=public)

    @classmethod
    def load(cls, path):
        with open(path, encoding="utf-8") as f:
            return cls.from_mapping(yaml.safe_load(f))

    def get(self, code):
        return self.subjects.get(code)

    def __iter__(self):
        return iter(self.subjects.values())
