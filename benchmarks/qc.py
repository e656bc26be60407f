"""QC speed: batch records/second on one core and real-time latency per document.

Records are the synthetic inpatient admissions of the QC evaluation set (入院记录, 首次病程记录, 3–6
日常病程记录, 出院记录 each). Baseline in the same process: parsing the same notes without any rule,
so the ratio shows what the rules cost on top of reading the record.

    .venv/bin/python benchmarks/qc.py [--records 200]
"""

from __future__ import annotations

import argparse
import statistics
import time

from yizhu.clinical.qc import check_document, evaluate
from yizhu.core.parsing import parse_document
from yizhu.evaluation.qc_cases import generate


def pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--records", type=int, default=200)
    args = ap.parse_args()
    cases = generate(seed=11, n_base=args.records)
    # Records as they arrive from the store or a directory: text only, parsed by the engine.
    records = [c.ctx.model_copy(update={"documents": [d.model_copy(update={"sections": []}) for d in c.ctx.documents]})
               for c in cases]
    evaluate(records[0])  # load knowledge and compile patterns once, as a running service has
    n_docs = sum(len(r.documents) for r in records)

    t0 = time.perf_counter()
    for r in records:
        for d in r.documents:
            parse_document(d.text)
    parse_s = time.perf_counter() - t0

    t0 = time.perf_counter()
    for r in records:
        evaluate(r)
    qc_s = time.perf_counter() - t0

    texts = [d.text for r in records for d in r.documents if d.doc_type == "入院记录"]
    lat = []
    for t in texts:
        t1 = time.perf_counter()
        check_document(t)
        lat.append((time.perf_counter() - t1) * 1000)

    print(f"corpus: {len(records)} synthetic inpatient records, {n_docs} notes")
    print(f"batch QC (终末质控)   : {len(records) / qc_s:8.0f} records/s  ({n_docs / qc_s:.0f} notes/s)")
    print(f"baseline parse only  : {len(records) / parse_s:8.0f} records/s")
    print(f"ratio QC / parse-only throughput: {parse_s / qc_s:.2f}x")
    print(f"real-time check of one 入院记录: p50 {statistics.median(lat):.2f} ms  p95 {pct(lat, 0.95):.2f} ms  "
          f"max {max(lat):.2f} ms  (target < 50 ms)")


if __name__ == "__main__":
    main()
