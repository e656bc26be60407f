"""Evaluation of prescription review (智能审方): precision and recall per alert type on a labelled case set.

A case (one JSON object per line in ``src/yizhu/evaluation/data/rx/cases.jsonl``, all synthetic 合成) is an order document
plus the alerts a pharmacist expects: ``{"type", "drugs" (as written), "min_severity"?}``. Problem cases
carry the designed problem; alerts the reviewers judged correct but incidental (a 高警示 flag, a renal
note) are labelled too, with ``"incidental": true``. An alert matches an expectation when the type is the
same, every expected drug is among the alert's drugs, and it is at least ``min_severity``; every other
alert is a false positive of its type. Clean cases are common chronic-disease regimens: no alert above
*minor* is allowed on them.

Run: ``.venv/bin/python -m yizhu.evaluation.rx [--holdout]`` (``--write-docs docs/rx.md`` refreshes the figures
there). ``cases.jsonl`` is the development set (rules were refined on it: optimistic); ``holdout.jsonl`` was
labelled from the clinical problem alone and never tuned on.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from yizhu.clinical.rx import ALERT_TYPES, load_payload, review
from yizhu.clinical.rx.rules import SEVERITY_RANK
from yizhu.knowledge.packs import KnowledgeBase, get_kb

DEFAULT_CASES = Path(__file__).resolve().parent / "data" / "rx" / "cases.jsonl"
def markers(label: str = "") -> tuple[str, str]:
    """The comment markers of a figures block in docs/rx.md (one pair per case set)."""
    tag = f"rx-eval{'-' + label if label else ''}"
    return f"<!-- {tag}:start -->", f"<!-- {tag}:end -->"


class Expect(BaseModel):
    """One expected alert."""

    model_config = ConfigDict(extra="forbid")
    type: str
    drugs: list[str] = Field(default_factory=list)
    min_severity: Literal["contraindicated", "major", "moderate", "minor"] | None = None
    incidental: bool = False


class Case(BaseModel):
    """One labelled, synthetic order document."""

    model_config = ConfigDict(extra="forbid")
    name: str
    synthetic: Literal[True]
    category: str
    description: str
    document: dict[str, Any]
    expected: list[Expect] = Field(default_factory=list)


def load_cases(path: Path = DEFAULT_CASES) -> list[Case]:
    """The case set (one JSON object per line)."""
    cases = []
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                cases.append(Case.model_validate_json(line))
            except ValueError as exc:
                raise SystemExit(f"{path}:{i}: invalid case: {exc}") from exc
    names = [c.name for c in cases]
    dupes = {n for n in names if names.count(n) > 1}
    if dupes:
        raise SystemExit(f"{path}: duplicate case names {sorted(dupes)}")
    return cases


def _matches(alert: dict[str, Any], exp: Expect) -> bool:
    if alert["type"] != exp.type:
        return False
    if not set(exp.drugs) <= set(alert["drugs"]):
        return False
    return exp.min_severity is None or SEVERITY_RANK[alert["severity"]] <= SEVERITY_RANK[exp.min_severity]


@dataclass
class CaseResult:
    """What the engine said about one case, matched against the labels."""

    case: Case
    alerts: list[dict[str, Any]]
    matched: list[tuple[Expect, dict[str, Any]]] = field(default_factory=list)
    missed: list[Expect] = field(default_factory=list)
    extra: list[dict[str, Any]] = field(default_factory=list)
    ms: float = 0.0

    @property
    def worst(self) -> str | None:
        return min((a["severity"] for a in self.alerts), key=lambda s: SEVERITY_RANK[s], default=None)


def run_case(case: Case, kb: KnowledgeBase) -> CaseResult:
    """Review one case and match its alerts to the labels (each alert and label used once)."""
    t0 = time.perf_counter()
    alerts = review(load_payload(case.document), kb=kb).as_json()["alerts"]
    res = CaseResult(case, alerts, ms=(time.perf_counter() - t0) * 1000)
    free = list(range(len(alerts)))
    for exp in case.expected:
        hit = next((i for i in free if _matches(alerts[i], exp)), None)
        if hit is None:
            res.missed.append(exp)
        else:
            free.remove(hit)
            res.matched.append((exp, alerts[hit]))
    res.extra = [alerts[i] for i in free]
    return res


def evaluate(cases: list[Case], kb: KnowledgeBase | None = None) -> dict[str, Any]:
    """Per-type precision/recall, the clean-regimen check, and the misses and false positives."""
    kb = kb or get_kb()
    results = [run_case(c, kb) for c in cases]
    tp: dict[str, int] = defaultdict(int)
    fp: dict[str, int] = defaultdict(int)
    fn: dict[str, int] = defaultdict(int)
    designed_tp: dict[str, int] = defaultdict(int)
    designed_fn: dict[str, int] = defaultdict(int)
    for r in results:
        for exp, _ in r.matched:
            tp[exp.type] += 1
            if not exp.incidental:
                designed_tp[exp.type] += 1
        for exp in r.missed:
            fn[exp.type] += 1
            if not exp.incidental:
                designed_fn[exp.type] += 1
        for a in r.extra:
            fp[a["type"]] += 1
    per_type = {}
    for t in ALERT_TYPES:
        n_tp, n_fp, n_fn = tp[t], fp[t], fn[t]
        per_type[t] = {
            "cases": sum(1 for c in cases if c.category == t),
            "tp": n_tp, "fp": n_fp, "fn": n_fn,
            "precision": round(n_tp / (n_tp + n_fp), 3) if n_tp + n_fp else None,
            "recall": round(n_tp / (n_tp + n_fn), 3) if n_tp + n_fn else None,
            "designed_recall": round(designed_tp[t] / (designed_tp[t] + designed_fn[t]), 3)
            if designed_tp[t] + designed_fn[t] else None,
        }
    all_tp, all_fp, all_fn = sum(tp.values()), sum(fp.values()), sum(fn.values())
    # precision over the alerts a pharmacist must act on (above minor): minor flags are reminders
    tp_major = sum(1 for r in results for _, a in r.matched if a["severity"] != "minor")
    fp_major = sum(1 for r in results for a in r.extra if a["severity"] != "minor")
    clean = [r for r in results if r.case.category == "clean"]
    clean_bad = [r for r in clean if r.worst is not None and SEVERITY_RANK[r.worst] < SEVERITY_RANK["minor"]]
    times = sorted(r.ms for r in results)
    return {
        "cases": len(cases),
        "categories": {c: sum(1 for x in cases if x.category == c) for c in sorted({x.category for x in cases})},
        "per_type": per_type,
        "overall": {
            "tp": all_tp, "fp": all_fp, "fn": all_fn,
            "precision": round(all_tp / (all_tp + all_fp), 3) if all_tp + all_fp else None,
            "recall": round(all_tp / (all_tp + all_fn), 3) if all_tp + all_fn else None,
            "precision_above_minor": round(tp_major / (tp_major + fp_major), 3) if tp_major + fp_major else None,
            "fp_minor": all_fp - fp_major,
        },
        "clean": {"cases": len(clean), "above_minor": len(clean_bad),
                  "names": [r.case.name for r in clean_bad]},
        "missed": [{"case": r.case.name, "type": e.type, "drugs": e.drugs, "min_severity": e.min_severity}
                   for r in results for e in r.missed],
        "false_positives": [{"case": r.case.name, "type": a["type"], "severity": a["severity"], "drugs": a["drugs"],
                             "rule_id": a["rule_id"], "message": a["message"]} for r in results for a in r.extra],
        "latency_ms": {"p50": round(times[len(times) // 2], 2), "max": round(times[-1], 2)} if times else {},
        "knowledge": {"drug": kb.pack("drug").version, "interaction": kb.pack("interaction").version},
    }


def markdown(report: dict[str, Any], command: str, label: str = "") -> str:
    """The figures as a Markdown block for docs/rx.md."""
    def f(x: float | None) -> str:
        return "—" if x is None else f"{x:.3f}"

    start, end = markers(label)
    lines = [
        start,
        f"Measured with `{command}` on {report['cases']} synthetic cases "
        f"(drug pack {report['knowledge']['drug']}, interaction pack {report['knowledge']['interaction']}).",
        "",
        "| alert type | cases | TP | FP | FN | precision | recall |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for t, row in report["per_type"].items():
        if row["tp"] + row["fp"] + row["fn"] == 0 and not row["cases"]:
            continue
        lines.append(f"| {t} | {row['cases']} | {row['tp']} | {row['fp']} | {row['fn']} | {f(row['precision'])} | "
                     f"{f(row['recall'])} |")
    o = report["overall"]
    lines.append(f"| **all** | {report['cases']} | {o['tp']} | {o['fp']} | {o['fn']} | **{f(o['precision'])}** | "
                 f"**{f(o['recall'])}** |")
    c = report["clean"]
    lines += [
        "",
        f"Precision over alerts above *minor* (those a pharmacist must act on): {f(o['precision_above_minor'])}; "
        f"{o['fp_minor']} of the {o['fp']} unlabelled alerts are *minor* reminders (高警示 flags, conditional Beers).",
        f"Clean chronic-disease regimens: {c['cases']} cases, {c['above_minor']} with an alert above *minor*"
        + (f" ({', '.join(c['names'])})." if c["names"] else "."),
        f"Review latency over the set: p50 {report['latency_ms'].get('p50')} ms, max {report['latency_ms'].get('max')} ms.",
        end,
    ]
    return "\n".join(lines)


def write_docs(path: Path, block: str, label: str = "") -> None:
    """Replace the marked block in a Markdown file (append it when the markers are absent)."""
    start, end = markers(label)
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if start in text and end in text:
        head, rest = text.split(start, 1)
        _, tail = rest.split(end, 1)
        text = head + block + tail
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Evaluate and print the table (``--json`` for the full report, ``--write-docs`` to update docs)."""
    ap = argparse.ArgumentParser(prog="python -m yizhu.evaluation.rx", description=__doc__.split("\n")[0])
    ap.add_argument("--cases", type=Path, default=DEFAULT_CASES, help="cases JSONL (default: evaluation/data/rx/cases.jsonl in the package)")
    ap.add_argument("--json", action="store_true", help="print the full report as JSON")
    ap.add_argument("--write-docs", type=Path, default=None, help="update the figures block in this Markdown file")
    ap.add_argument("--packs", type=Path, default=None, help="knowledge pack folder (default: the shipped packs)")
    ap.add_argument("--holdout", action="store_true", help="evaluate evaluation/data/rx/holdout.jsonl (never tuned on)")
    args = ap.parse_args(argv)
    kb = KnowledgeBase.load([args.packs]) if args.packs else get_kb()
    cases_path = DEFAULT_CASES.with_name("holdout.jsonl") if args.holdout else args.cases
    label = "holdout" if args.holdout else ""
    report = evaluate(load_cases(cases_path), kb)
    command = "python -m yizhu.evaluation.rx" + (" --holdout" if args.holdout else "")
    if args.json:
        sys.stdout.write(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(markdown(report, command, label) + "\n")
        for m in report["missed"]:
            sys.stdout.write(f"MISSED {m['case']}: {m['type']} {m['drugs']}\n")
        for x in report["false_positives"]:
            sys.stdout.write(f"FP     {x['case']}: {x['type']}/{x['severity']} {x['drugs']} {x['rule_id']}\n")
    if args.write_docs:
        write_docs(args.write_docs, markdown(report, command, label), label)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
