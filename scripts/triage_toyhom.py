"""Triage figures on real patient questions: Toyhom Chinese-medical-dialogue-data, internal medicine part
(/work/shared/data/triage/, GB18030 CSV as distributed; read in place, never copied into the project).

Deterministic hash split (yizhu.learn.split.split_of on the question text, the same split ``yizhu train``
uses); the model is fitted on train only and every figure is on test. The hospital's department list is the
dataset's own labels (肝病科, 消化科, 神经科, 心血管科, 内分泌科), reached from the knowledge through aliases.

    .venv/bin/python scripts/triage_toyhom.py [--data FILE] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

DEFAULT = Path("/work/shared/data/triage/toyhom_internal_medicine_part.csv")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT)
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    if not a.data.is_file():
        print(f"error: {a.data}: not found (the Toyhom triage data is not on this machine)", file=sys.stderr)
        return 2
    from yizhu.clinical.triage.engine import DepartmentList, TriageEngine
    from yizhu.clinical.triage.model import fit_model, load_records, metrics
    from yizhu.learn.split import split_of

    _, recs = load_records(a.data)
    train = [r for r in recs if split_of(r.text) == "train"]
    test = [r for r in recs if split_of(r.text) == "test"]
    labels = sorted({r.department for r in recs})
    depts = DepartmentList(labels)
    gold = [r.department for r in test]
    report: dict[str, object] = {"records": len(recs), "train": len(train), "test": len(test),
                                 "test_classes": dict(Counter(gold))}
    majority = Counter(r.department for r in train).most_common(1)[0][0]
    report["majority_baseline"] = metrics(gold, [[majority] for _ in test])
    eng = TriageEngine(depts)
    outs = [eng.triage(r.text) for r in test]
    report["knowledge_only"] = metrics(gold, [[d.name for d in o.departments] for o in outs])
    # online consultations are overwhelmingly not emergencies: how often a red flag fires is an upper bound
    # on the false-alarm rate (some questions do describe emergencies)
    flagged = Counter(f["id"] for o in outs for f in o.red_flags)
    report["red_flag_rate"] = sum(1 for o in outs if o.red_flags) / len(outs)
    report["red_flags_fired"] = dict(flagged)
    model = fit_model(train)
    report["model_only"] = metrics(gold, [[model.labels[j] for j in (-row).argsort()]
                                          for row in model.proba([r.text for r in test])])
    eng_m = TriageEngine(depts, model=model)
    report["knowledge_plus_model"] = metrics(gold, [[d.name for d in eng_m.triage(r.text).departments]
                                                    for r in test])
    if a.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return 0
    print(f"{a.data.name}: {len(recs)} records; train {len(train)}, test {len(test)} {dict(Counter(gold))}")
    print(f"red flag fired on {report['red_flag_rate']:.3f} of test questions: {report['red_flags_fired']}")
    for k in ("majority_baseline", "knowledge_only", "model_only", "knowledge_plus_model"):
        m = report[k]
        assert isinstance(m, dict)
        rec = "  ".join(f"{c[7:-1]} {v:.3f}" for c, v in m.items() if c.startswith("recall["))
        print(f"{k:22} top1 {m['top1']:.3f}  top3 {m['top3']:.3f}  macro-F1 {m['macro_f1']:.3f}  recall: {rec}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
