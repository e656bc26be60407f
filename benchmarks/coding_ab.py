"""Diagnosis coding speed for comparing two versions under the same load: run this script from both
checkouts *at the same time* (two processes), each timing N passes over the CHIP-CDN test part.

On a machine shared with other jobs a single run moves by ±30 %; two versions run side by side see the
same load. Each pass codes the 1,191 test strings once with a fresh coder (no cache hits), then the
ranking normaliser (``yizhu code`` without --decide) over the same strings in the same process: the ratio
of the two moves much less with the load than either rate. Prints one JSON line: median and best
strings/s per core (CPU time of this one-thread process), the median ratio, and every pass.

    PYTHONPATH=/tmp/orig/src .venv/bin/python benchmarks/coding_ab.py before $OLD_DATA_DIR &
    .venv/bin/python benchmarks/coding_ab.py after $YIZHU_DATA_DIR &
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("label")
    ap.add_argument("data_dir", type=Path, help="data directory (imported ICD table; a trained normaliser → model mode)")
    ap.add_argument("--passes", type=int, default=8)
    ap.add_argument("--rules", action="store_true", help="rules mode even when a trained normaliser is active")
    ap.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[1].parent / "shared" / "data" / "cblue"
                    / "CHIP-CDN_train.json")
    a = ap.parse_args()
    from yizhu.knowledge.terminology import Terminology
    from yizhu.knowledge.terminology.cdn import load_labelled
    from yizhu.knowledge.terminology.coding import DiagnosisCoder
    from yizhu.learn.split import split_of

    data = a.data if a.data.is_file() else Path(__file__).resolve().parents[3] / "shared" / "data" / "cblue" / a.data.name
    _, recs = load_labelled(data)
    texts = list(dict.fromkeys(r.text for r in recs if split_of(r.text) == "test"))
    t = Terminology(a.data_dir)
    active = t.coder
    if a.rules:
        active = DiagnosisCoder(active.d, None)
    base = t.diagnoses
    base.normalise(texts[0])
    rates, base_rates = [], []
    for _ in range(a.passes):
        if active.model is not None:
            active.model.memory._memo.clear()
        c = DiagnosisCoder(active.d, active.model, cache_size=0)
        c.code(texts[0])
        c0 = time.process_time()
        for s in texts:
            c.code(s)
        rates.append(len(texts) / (time.process_time() - c0))
        base._cache.clear()
        c0 = time.process_time()
        for s in texts:
            base.normalise(s)
        base_rates.append(len(texts) / (time.process_time() - c0))
    ratios = [r / b for r, b in zip(rates, base_rates, strict=True)]
    print(json.dumps({"label": a.label, "mode": active.mode, "strings": len(texts),
                      "median_per_s_cpu": round(statistics.median(rates)), "best_per_s_cpu": round(max(rates)),
                      "median_ratio_to_ranking_normaliser": round(statistics.median(ratios), 3),
                      "passes_per_s_cpu": [round(r) for r in rates], "ranking_normaliser_per_s_cpu": [round(b) for b in base_rates]}))


if __name__ == "__main__":
    main()
