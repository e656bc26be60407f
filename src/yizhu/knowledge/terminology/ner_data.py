"""Labelled entity data for training and measuring the extractor, and the type schemes of the standards.

Layouts read (``read_ner``; ``layout`` forces one, otherwise it is recognised):

| layout   | file                                                                                   |
|----------|----------------------------------------------------------------------------------------|
| cmeee    | CMeEE v1/V2 JSON list: ``{"text", "entities": [{"start_idx", "end_idx", "type", "entity"}]}`` (end inclusive; checked against ``entity``) |
| imcs-bio | IMCS-V2 NER JSONL, one utterance a line: ``{"text", "bio": ["B-Symptom", "I-Symptom", "O", …]}`` (a space-separated string also) |
| imcs     | IMCS-V2 dialogue JSON: ``{id: {"dialogue": [{"sentence", "BIO_label"}]}}``             |
| jsonl    | yizhu's own: ``{"text", "entities": [{"start", "end", "type"}]}`` a line, ``end`` exclusive, ``type`` one of ours or of a scheme below |
| csv      | yizhu's own: columns ``text`` and ``entities`` (the same JSON list), UTF-8 with a header |

Types are read into yizhu's own (``ENTITY_TYPES``) through ``IMPORT``; for measuring against a standard
they are written out through ``EXPORT[scheme]`` (CMeEE: dis sym pro equ dru ite bod dep mic; IMCS:
Symptom Drug Drug_Category Medical_Examination Operation). Exams (imaging, ECG) are procedures in CMeEE;
lab items are CMeEE ``ite``; IMCS tags diseases as Symptom and lab items as Medical_Examination.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from yizhu.errors import InputError

#: scheme → {scheme type → yizhu type}
IMPORT: dict[str, dict[str, str]] = {
    "cmeee": {"dis": "disease", "sym": "symptom", "pro": "procedure", "equ": "device", "dru": "drug", "ite": "lab",
              "bod": "body_part", "dep": "department", "mic": "microorganism"},
    "imcs": {"Symptom": "symptom", "Drug": "drug", "Drug_Category": "drug_category",
             "Medical_Examination": "exam", "Operation": "procedure"},
}
#: scheme → {yizhu type → scheme type}; a type missing here has no counterpart in the scheme
EXPORT: dict[str, dict[str, str]] = {
    "cmeee": {"disease": "dis", "symptom": "sym", "procedure": "pro", "exam": "pro", "device": "equ", "drug": "dru",
              "drug_category": "dru", "lab": "ite", "body_part": "bod", "department": "dep",
              "microorganism": "mic"},
    "imcs": {"symptom": "Symptom", "disease": "Symptom", "drug": "Drug", "drug_category": "Drug_Category",
             "exam": "Medical_Examination", "lab": "Medical_Examination", "procedure": "Operation"},
}
OWN_TYPES = ("disease", "symptom", "drug", "drug_category", "lab", "exam", "procedure", "body_part", "device",
             "microorganism", "department")
LAYOUTS = ("cmeee", "imcs-bio", "imcs", "jsonl", "csv")


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int  # exclusive
    type: str  # a yizhu type


@dataclass(frozen=True, slots=True)
class NerRecord:
    """One labelled text; spans may nest."""

    text: str
    spans: tuple[Span, ...]


def own_type(raw: str, where: str) -> str:
    """A scheme's or our own type name → ours; unknown → InputError naming the record."""
    if raw in OWN_TYPES:
        return raw
    for table in IMPORT.values():
        if raw in table:
            return table[raw]
    known = sorted({*OWN_TYPES, *(k for t in IMPORT.values() for k in t)})
    raise InputError(f"{where}: unknown entity type '{raw}'; known: {', '.join(known)}")


def scheme_of(layout: str) -> str:
    """The type scheme a layout's gold is written in ("own" for ours)."""
    return {"cmeee": "cmeee", "imcs-bio": "imcs", "imcs": "imcs"}.get(layout, "own")


def bio_to_spans(text: str, labels: Sequence[str], where: str) -> list[tuple[int, int, str]]:
    """(start, end, raw type) from per-character BIO tags; an I- without B- opens an entity."""
    if len(labels) != len(text):
        raise InputError(f"{where}: {len(labels)} BIO labels for a text of {len(text)} characters")
    out: list[tuple[int, int, str]] = []
    start: int | None = None
    typ = ""
    for i, lab in enumerate([*labels, "O"]):
        if not isinstance(lab, str):
            raise InputError(f"{where}: BIO label {lab!r} is not a string")
        tag, _, name = lab.partition("-")
        if tag not in ("B", "I", "O", "E", "S"):
            raise InputError(f"{where}: BIO label '{lab}' is not B-/I-/O")
        if start is not None and (tag not in ("I", "E") or name != typ):
            out.append((start, i, typ))
            start = None
        if tag in ("B", "S") or (tag in ("I", "E") and start is None):
            start, typ = i, name
    return out


def _check_span(text: str, s: int, e: int, where: str) -> None:
    if not (0 <= s < e <= len(text)):
        raise InputError(f"{where}: span [{s}, {e}) is outside the text of {len(text)} characters")


def _cmeee(recs: Any, path: Path) -> list[NerRecord]:
    if not isinstance(recs, list):
        raise InputError(f"{path}: a CMeEE file is a JSON list of {{text, entities}}")
    out = []
    for i, rec in enumerate(recs, 1):
        where = f"{path}: record {i}"
        if not isinstance(rec, dict) or not isinstance(rec.get("text"), str):
            raise InputError(f"{where}: needs a 'text' string")
        text = rec["text"]
        spans = []
        for ent in rec.get("entities") or []:
            try:
                s, e = int(ent["start_idx"]), int(ent["end_idx"])
                typ = str(ent["type"])
            except (KeyError, TypeError, ValueError) as exc:
                raise InputError(f"{where}: entity {ent!r} needs start_idx, end_idx and type") from exc
            surface = ent.get("entity")
            if surface is not None and text[s:e + 1] != surface:
                if text[s:e] == surface:
                    e -= 1
                else:
                    raise InputError(f"{where}: entity '{surface}' is not at [{s}, {e}] of the text")
            _check_span(text, s, e + 1, where)
            spans.append(Span(s, e + 1, own_type(typ, where)))
        out.append(NerRecord(text, tuple(spans)))
    return out


def _bio_record(text: Any, labels: Any, where: str) -> NerRecord:
    if not isinstance(text, str):
        raise InputError(f"{where}: needs a 'text' string")
    if isinstance(labels, str):
        labels = labels.split()
    if not isinstance(labels, list):
        raise InputError(f"{where}: needs 'bio', a list of BIO labels")
    return NerRecord(text, tuple(Span(s, e, own_type(t, where)) for s, e, t in bio_to_spans(text, labels, where)))


def _own_entities(text: str, ents: Any, where: str) -> NerRecord:
    if not isinstance(ents, list):
        raise InputError(f"{where}: 'entities' must be a list of {{start, end, type}}")
    spans = []
    for ent in ents:
        try:
            s, e, typ = int(ent["start"]), int(ent["end"]), str(ent["type"])
        except (KeyError, TypeError, ValueError) as exc:
            raise InputError(f"{where}: entity {ent!r} needs start, end (exclusive) and type") from exc
        _check_span(text, s, e, where)
        spans.append(Span(s, e, own_type(typ, where)))
    return NerRecord(text, tuple(spans))


def _sniff(path: Path, raw: str) -> str:
    head = raw.lstrip()[:1]
    if path.suffix.lower() == ".csv":
        return "csv"
    if head == "[":
        return "cmeee"
    if head == "{":
        first = raw.lstrip().split("\n", 1)[0]
        try:
            rec = json.loads(first)
        except ValueError:
            return "imcs"  # one JSON object over many lines
        if isinstance(rec, dict) and "bio" in rec:
            return "imcs-bio"
        if isinstance(rec, dict) and "entities" in rec:
            return "jsonl"
        return "imcs"
    raise InputError(f"{path}: layout not recognised; expected one of {', '.join(LAYOUTS)} (see docs/terminology.md)")


def read_ner(path: Path | str, layout: str | None = None) -> tuple[str, list[NerRecord]]:
    """(layout, records) of a labelled file; bad data → InputError naming the file and record."""
    p = Path(path)
    try:
        raw = p.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{p}: cannot read ({exc})") from exc
    lay = layout or _sniff(p, raw)
    if lay not in LAYOUTS:
        raise InputError(f"unknown layout '{lay}'; known: {', '.join(LAYOUTS)}")
    recs: list[NerRecord] = []
    if lay in ("cmeee", "imcs"):
        try:
            data = json.loads(raw)
        except ValueError as exc:
            raise InputError(f"{p}: not JSON ({exc})") from exc
        if lay == "cmeee":
            recs = _cmeee(data, p)
        else:
            if not isinstance(data, dict):
                raise InputError(f"{p}: an IMCS dialogue file is a JSON object of dialogues")
            for did, dlg in data.items():
                turns = dlg.get("dialogue") if isinstance(dlg, dict) else None
                if not isinstance(turns, list):
                    raise InputError(f"{p}: dialogue {did}: needs a 'dialogue' list")
                for j, turn in enumerate(turns, 1):
                    if isinstance(turn, dict) and turn.get("sentence") and turn.get("BIO_label") is not None:
                        recs.append(_bio_record(turn["sentence"], turn["BIO_label"], f"{p}: dialogue {did} turn {j}"))
    elif lay in ("imcs-bio", "jsonl"):
        for lineno, line in enumerate(raw.splitlines(), 1):
            if not line.strip():
                continue
            where = f"{p}:{lineno}"
            try:
                rec = json.loads(line)
            except ValueError as exc:
                raise InputError(f"{where}: not JSON ({exc})") from exc
            if not isinstance(rec, dict):
                raise InputError(f"{where}: each line must be one JSON object")
            if lay == "imcs-bio":
                recs.append(_bio_record(rec.get("text"), rec.get("bio"), where))
            else:
                if not isinstance(rec.get("text"), str):
                    raise InputError(f"{where}: needs a 'text' string")
                recs.append(_own_entities(rec["text"], rec.get("entities", []), where))
    else:  # csv
        reader = csv.DictReader(io.StringIO(raw))
        if not reader.fieldnames or not {"text", "entities"} <= set(reader.fieldnames):
            raise InputError(f"{p}: a CSV needs the columns text and entities")
        for lineno, row in enumerate(reader, 2):
            where = f"{p}:{lineno}"
            try:
                ents = json.loads(row.get("entities") or "[]")
            except ValueError as exc:
                raise InputError(f"{where}: entities is not a JSON list ({exc})") from exc
            recs.append(_own_entities(row.get("text") or "", ents, where))
    if not recs:
        raise InputError(f"{p}: no labelled records found ({lay})")
    return lay, recs
