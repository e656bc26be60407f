"""Labelled diagnosis strings for training and measuring the coder.

Layouts read (recognised from the file):

- ``cdn``: CHIP-CDN JSON, a list of ``{"text", "normalized_result"}`` with standard names joined by
  ``##`` (names the CSV export wrapped in double quotes are unwrapped).
- ``jsonl``: one object per line, ``{"text": …, "names": [...]}`` or ``{"text": …, "codes": [...]}``
  (a hospital's 病案首页 export: the free-text diagnosis and the codes its coders chose); codes are
  turned into the dictionary's names when the dictionary is known.
- ``csv``: header ``text`` plus ``names`` or ``codes`` (several joined by ``##`` or ``|``).

Bad data raises ``InputError`` naming the file and the record.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path

from yizhu.errors import InputError


@dataclass(frozen=True, slots=True)
class Labelled:
    """One diagnosis string with its gold standard names (or codes)."""

    text: str
    names: tuple[str, ...]
    codes: tuple[str, ...] = ()


def _split(v: object) -> list[str]:
    if isinstance(v, list):
        items = [str(x) for x in v]
    else:
        s = str(v or "")
        items = s.split("##") if "##" in s else s.split("|")
    out = []
    for it in items:
        it = it.strip()
        if len(it) >= 2 and it[0] == '"' and it[-1] == '"':
            it = it[1:-1].strip()
        if it:
            out.append(it)
    return out


def _record(path: Path, where: str, rec: object) -> Labelled:
    if not isinstance(rec, dict):
        raise InputError(f"{path}: {where}: expected an object with 'text' and 'normalized_result' (or names/codes)")
    text = rec.get("text")
    if not isinstance(text, str) or not text.strip():
        raise InputError(f"{path}: {where}: missing or empty 'text'")
    names = _split(rec.get("normalized_result", rec.get("names", [])))
    codes = _split(rec.get("codes", []))
    if not names and not codes:
        raise InputError(f"{path}: {where}: no standard names ('normalized_result' or 'names') and no 'codes'")
    return Labelled(text, tuple(dict.fromkeys(names)), tuple(dict.fromkeys(codes)))


def load_labelled(path: Path | str, layout: str | None = None) -> tuple[str, list[Labelled]]:
    """(layout, records) from a CHIP-CDN JSON, JSONL or CSV file."""
    path = Path(path)
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from exc
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text") from exc
    stripped = raw.lstrip()
    if layout is None:
        if stripped.startswith("["):
            layout = "cdn"
        elif stripped.startswith("{"):
            layout = "jsonl"
        else:
            layout = "csv"
    if layout == "cdn":
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}: not valid JSON (line {exc.lineno}: {exc.msg})") from exc
        if not isinstance(data, list):
            raise InputError(f"{path}: expected a JSON list of records (CHIP-CDN layout)")
        recs = [_record(path, f"record {i + 1}", r) for i, r in enumerate(data)]
    elif layout == "jsonl":
        recs = []
        for i, line in enumerate(raw.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"{path}: line {i}: not valid JSON ({exc.msg})") from exc
            recs.append(_record(path, f"line {i}", obj))
    elif layout == "csv":
        reader = csv.DictReader(io.StringIO(raw))
        if not reader.fieldnames or "text" not in reader.fieldnames:
            raise InputError(f"{path}: CSV needs a header with 'text' and 'names' or 'codes'")
        recs = [_record(path, f"line {i + 2}", dict(row)) for i, row in enumerate(reader)]
    else:
        raise InputError(f"unknown layout '{layout}'; use cdn, jsonl or csv")
    if not recs:
        raise InputError(f"{path}: no records")
    return layout, recs
