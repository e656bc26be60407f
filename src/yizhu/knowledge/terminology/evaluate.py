"""Accuracy of normalisation and extraction on labelled sets (``src/yizhu/evaluation/data/terminology/``), for tests and benchmarks.

Diagnosis cases (TSV ``text<TAB>gold<TAB>note``): gold is one entry per diagnosis in the text, split by
``|``; an entry may list acceptable alternatives split by ``/``; a code is correct when it starts with
the gold prefix. Top-1: the best candidate of some segment is correct; top-5: one of the five best of
some segment is.

Extraction cases (one note per line, ``[surface|TYPE|FLAGS]`` markup): entities match when type agrees and
spans are identical (strict) or overlap (lenient); negation and uncertainty are scored over the gold
entities that were found (lenient match), so they measure ConText and not the dictionary. The markup has
six types (D S M E P L); predicted mentions of other types (body part, device, microorganism …) are left
out, as ``yizhu eval run extraction`` leaves out types a standard's scheme lacks.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from yizhu.knowledge.terminology.extract import Entity, Extractor
from yizhu.knowledge.terminology.normalise import DiagnosisNormaliser, DrugMatch

TYPE_CODES = {"D": "disease", "S": "symptom", "M": "drug", "E": "exam", "P": "procedure", "L": "lab"}
_MARK = re.compile(r"\[([^\[\]|]+)\|([DSMEPL])(?:\|([NUHF,]+))?\]")


@dataclass(frozen=True)
class DxCase:
    text: str
    gold: list[list[str]]
    note: str = ""


@dataclass(frozen=True)
class GoldEntity:
    text: str
    type: str
    start: int
    end: int
    negated: bool
    uncertain: bool
    historical: bool
    family: bool


@dataclass(frozen=True)
class ExtractionCase:
    text: str
    entities: list[GoldEntity] = field(default_factory=list)


def load_dx_cases(path: Path | str) -> list[DxCase]:
    """Read a diagnosis TSV (comments start with #)."""
    out = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        gold = [g.split("/") for g in parts[1].split("|")]
        out.append(DxCase(parts[0], gold, parts[2] if len(parts) > 2 else ""))
    return out


def load_extraction_cases(path: Path | str) -> list[ExtractionCase]:
    """Read marked-up notes into plain text with gold entity offsets."""
    out = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        text, ents, pos, last = [], [], 0, 0
        for m in _MARK.finditer(line):
            plain = line[last:m.start()]
            text.append(plain)
            pos += len(plain)
            surface, typ, flags = m.group(1), TYPE_CODES[m.group(2)], set((m.group(3) or "").split(","))
            ents.append(GoldEntity(surface, typ, pos, pos + len(surface), "N" in flags, "U" in flags,
                                   "H" in flags, "F" in flags))
            text.append(surface)
            pos += len(surface)
            last = m.end()
        text.append(line[last:])
        out.append(ExtractionCase("".join(text), ents))
    return out


def eval_dx(norm: DiagnosisNormaliser, cases: Iterable[DxCase], top: int = 5) -> dict[str, Any]:
    """Top-1/top-5 accuracy per gold diagnosis, and the misses (for the docs and for curation)."""
    n = hit1 = hit5 = 0
    seg_ok = 0
    misses: list[dict[str, Any]] = []
    cases = list(cases)
    for case in cases:
        segs = norm.normalise_segments(case.text, top)
        if len(segs) == len(case.gold):
            seg_ok += 1
        firsts = [s.candidates[0].code for s in segs if s.candidates]
        alls = [c.code for s in segs for c in s.candidates[:top]]
        for alts in case.gold:
            n += 1
            ok1 = any(code.startswith(a) for code in firsts for a in alts)
            ok5 = any(code.startswith(a) for code in alls for a in alts)
            hit1 += ok1
            hit5 += ok5
            if not ok1:
                misses.append({"text": case.text, "gold": "/".join(alts), "got": firsts[:3], "top5": ok5})
    return {"cases": len(cases), "diagnoses": n, "top1": hit1 / max(n, 1), "top5": hit5 / max(n, 1),
            "segmentation": seg_ok / max(len(cases), 1), "misses": misses}


def _overlap(a: Entity, g: GoldEntity) -> bool:
    return a.start < g.end and g.start < a.end


def _pr(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0, "tp": tp, "fp": fp, "fn": fn}


def eval_extraction(ext: Extractor, cases: Iterable[ExtractionCase]) -> dict[str, Any]:
    """Entity P/R/F1 (strict and lenient, overall and per type) and assertion P/R on found entities."""
    strict = [0, 0, 0]
    lenient = [0, 0, 0]
    per_type: dict[str, list[int]] = {}
    flags = {f: [0, 0, 0] for f in ("negated", "uncertain", "historical", "family")}
    errors: list[str] = []
    scheme = set(TYPE_CODES.values())
    for case in cases:
        # the set labels six types: mentions of others (body parts, devices …) are neither right nor wrong here
        pred = [p for p in ext.extract(case.text) if p.type in scheme]
        used: set[int] = set()
        for g in case.entities:
            exact = next((i for i, p in enumerate(pred) if i not in used and p.type == g.type
                          and p.start == g.start and p.end == g.end), None)
            loose = exact if exact is not None else next(
                (i for i, p in enumerate(pred) if i not in used and p.type == g.type and _overlap(p, g)), None)
            t = per_type.setdefault(g.type, [0, 0, 0])
            strict[0 if exact is not None else 2] += 1
            if loose is None:
                lenient[2] += 1
                t[2] += 1
                errors.append(f"missed {g.type} '{g.text}' in: {case.text[:40]}")
                continue
            lenient[0] += 1
            t[0] += 1
            used.add(loose)
            p = pred[loose]
            for f, cnt in flags.items():
                gv, pv = getattr(g, f), getattr(p, f)
                if gv and pv:
                    cnt[0] += 1
                elif pv and not gv:
                    cnt[1] += 1
                    errors.append(f"wrong {f} on '{g.text}' in: {case.text[:40]}")
                elif gv and not pv:
                    cnt[2] += 1
                    errors.append(f"missed {f} on '{g.text}' in: {case.text[:40]}")
        for i, p in enumerate(pred):
            if i in used:
                continue
            lenient[1] += 1
            per_type.setdefault(p.type, [0, 0, 0])[1] += 1
            if not any(p.type == g.type and p.start == g.start and p.end == g.end for g in case.entities):
                strict[1] += 1
            errors.append(f"spurious {p.type} '{p.text}' in: {case.text[:40]}")
    return {
        "strict": _pr(*strict), "lenient": _pr(*lenient),
        "by_type": {t: _pr(*v) for t, v in sorted(per_type.items())},
        "assertions": {f: _pr(*v) for f, v in flags.items()},
        "errors": errors,
    }


def eval_drugs(match: Callable[[str], DrugMatch | None], cases: Iterable[tuple[str, str]]) -> dict[str, Any]:
    """Share of drug strings whose generic name is found (cases: (text, generic name))."""
    cases = list(cases)
    ok = 0
    misses = []
    for text, gold in cases:
        m = match(text)
        if m is not None and m.name == gold:
            ok += 1
        else:
            misses.append({"text": text, "gold": gold, "got": m.name if m else None})
    return {"cases": len(cases), "accuracy": ok / max(len(cases), 1), "misses": misses}
