"""Evaluate the QC engine on synthetic records with planted defects: precision and recall per category.

    .venv/bin/python -m yizhu.evaluation.qc [--seed 7] [--base 20] [--write docs/qc.md]
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict
from dataclasses import dataclass, field

from yizhu.clinical.qc import default_rules, evaluate
from yizhu.evaluation.qc_cases import Case, generate


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    missed: list[str] = field(default_factory=list)
    spurious: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def run(cases: list[Case]) -> dict[str, Tally]:
    """Per-category tallies (plus 'all')."""
    category = {r.id: r.category for r in default_rules().rules}
    found: dict[str, set[str]] = {c.id: {f.rule_id for f in evaluate(c.ctx).findings} for c in cases}
    tallies: dict[str, Tally] = defaultdict(Tally)
    for c in cases:
        got = found[c.id]
        baseline = found.get(c.base_id, set()) if c.base_id else set()
        for rid in c.expected_rules:
            t = tallies[category[rid]]
            if rid in got:
                t.tp += 1
            else:
                t.fn += 1
                t.missed.append(f"{c.id} ({c.defect}) → {rid}")
        for rid in got - c.expected_rules - baseline:
            t = tallies[category.get(rid, "semantic")]
            t.fp += 1
            t.spurious.append(f"{c.id} ({c.defect or 'clean'}) → {rid}")
    total = Tally()
    for t in list(tallies.values()):
        total.tp += t.tp
        total.fp += t.fp
        total.fn += t.fn
    tallies["all"] = total
    return dict(tallies)


def render(tallies: dict[str, Tally], n_cases: int, seconds: float, seed: int) -> str:
    lines = [
        "| category | planted | found (TP) | missed (FN) | false alarms (FP) | precision | recall |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for cat in [*sorted(k for k in tallies if k != "all"), "all"]:
        t = tallies[cat]
        lines.append(f"| {cat} | {t.tp + t.fn} | {t.tp} | {t.fn} | {t.fp} | {t.precision:.3f} | {t.recall:.3f} |")
    lines.append("")
    lines.append(f"{n_cases} synthetic records (seed {seed}), evaluated in {seconds:.2f} s.")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description="QC engine precision/recall on synthetic planted defects")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--base", type=int, default=20, help="clean base records")
    args = ap.parse_args()
    cases = generate(seed=args.seed, n_base=args.base)
    t0 = time.perf_counter()
    tallies = run(cases)
    print(render(tallies, len(cases), time.perf_counter() - t0, args.seed))
    for t in tallies.values():
        for m in t.missed:
            print("missed:", m)
        for s in t.spurious:
            print("false alarm:", s)


if __name__ == "__main__":
    main()
