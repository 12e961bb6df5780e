"""The subjects a site offers complaints on: codes, Thai and English names, default kind, confidentiality."""
from dataclasses import dataclass

import yaml


class CatalogueError(ValueError):
    pass


@dataclass(frozen=True)
class Subject:
    code: str
    name_th: str
    name_en: str
    kind: int
    confidential: bool = False
    group: str = ""


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
                subjects.append(Subject(code=str(entry["code"]), name_th=str(entry["name_th"]),
                                        name_en=str(entry.get("name_en") or entry["name_th"]), kind=kind,
                                        confidential=bool(entry.get("confidential", False)),
                                        group=str(entry.get("group", ""))))
            except (KeyError, TypeError, ValueError) as exc:
                raise CatalogueError(f"subject {entry!r} needs code, name_th and kind 1-4") from exc
        return cls(subjects)

    @classmethod
    def load(cls, path):
        with open(path, encoding="utf-8") as f:
            return cls.from_mapping(yaml.safe_load(f))

    def get(self, code):
        return self.subjects.get(code)

    def __iter__(self):
        return iter(self.subjects.values())
