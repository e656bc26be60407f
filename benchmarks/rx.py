"""Benchmark of prescription review (智能审方): latency of a 10-drug order and batch throughput, no LLM.

Each order document is synthetic (合成): ten drugs as doctors write them (brands, salts, dose forms), a
patient with allergies, diagnoses written in Chinese and a creatinine to compute eGFR from. Timings are of
``load_payload`` + ``review`` (what the API and CDS Hooks do per call, without HTTP and the audit write),
after a warm-up that loads the packs and builds the indexes once.

Wall time and CPU time (``time.thread_time``) are both reported: on a shared machine the difference is
time spent waiting for a CPU, which the engine does not control.

Scaling (issue 16 §3): one review of 10, 100, 1,000 and 10,000 orders (the engine itself, past the 500-order
limit of the API), drugs drawn with repetition so the same pairs recur; orders/s at each size and the ratio
of the time per order to that of the 10-order review (1.0 = linear; the all-pairs engine it replaced grew
with the number of orders: 1,000 orders took 78 s).

Run: ``.venv/bin/python benchmarks/rx.py [--n 2000] [--batch 5000] [--sizes 10,100,1000,10000] [--json]``
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from yizhu.clinical.rx import document_to_context, load_payload, parse_order_document, review
from yizhu.knowledge.packs import get_kb

DRUGS = [
    ("苯磺酸氨氯地平片(络活喜)", 5, "mg", "口服", "qd"), ("缬沙坦胶囊", 80, "mg", "口服", "qd"),
    ("阿托伐他汀钙片", 20, "mg", "口服", "qn"), ("阿司匹林肠溶片", 100, "mg", "口服", "qd"),
    ("盐酸二甲双胍缓释片", 0.5, "g", "口服", "bid"), ("华法林钠片", 3, "mg", "口服", "qd"),
    ("布洛芬缓释胶囊(芬必得)", 0.3, "g", "口服", "bid"), ("奥美拉唑肠溶胶囊", 20, "mg", "口服", "qd"),
    ("硫酸氢氯吡格雷片", 75, "mg", "口服", "qd"), ("克拉霉素片", 0.5, "g", "口服", "bid"),
    ("辛伐他汀片", 20, "mg", "口服", "qn"), ("注射用头孢曲松钠", 2, "g", "静滴", "qd"),
    ("左氧氟沙星片", 0.5, "g", "口服", "qd"), ("呋塞米片", 20, "mg", "口服", "qd"),
    ("螺内酯片", 20, "mg", "口服", "qd"), ("氯化钾缓释片", 1, "g", "口服", "tid"),
    ("甘精胰岛素注射液", 12, "U", "皮下注射", "qn"), ("地高辛片", 0.125, "mg", "口服", "qd"),
    ("盐酸胺碘酮片", 200, "mg", "口服", "qd"), ("对乙酰氨基酚片", 0.5, "g", "口服", "q6h prn"),
    ("格列齐特缓释片", 60, "mg", "口服", "qd"), ("美托洛尔缓释片", 47.5, "mg", "口服", "qd"),
    ("阿莫西林胶囊", 0.5, "g", "口服", "tid"), ("泮托拉唑钠肠溶片", 40, "mg", "口服", "qd"),
]


def make_order(rng: random.Random, n_drugs: int = 10) -> dict[str, Any]:
    """One synthetic order document with ``n_drugs`` different drugs."""
    picks = rng.sample(DRUGS, n_drugs)
    return {
        "synthetic": True,
        "setting": "inpatient",
        "patient": {
            "sex": rng.choice(["male", "female"]), "age_years": rng.randint(45, 88), "weight_kg": rng.randint(45, 90),
            "allergies": rng.choice([[], ["青霉素"], ["磺胺类"], ["头孢类", "海鲜"]]),
            "diagnoses": rng.choice([["高血压", "2型糖尿病"], ["冠心病", "心房颤动"], ["慢性心力衰竭"], ["社区获得性肺炎"]]),
            "labs": {"scr_umol_l": rng.randint(60, 240)}, "prescriber_level": rng.choice(["resident", "attending", "chief"]),
        },
        "orders": [{"drug": d, "dose": dose, "unit": u, "route": r, "frequency": f} for d, dose, u, r, f in picks],
    }


def run(n: int, batch: int, seed: int = 20261123, *, freeze: bool = True) -> dict[str, Any]:
    """Latency percentiles for ``n`` single reviews and throughput over a batch of ``batch`` orders."""
    kb = get_kb()
    rng = random.Random(seed)
    warm = [make_order(rng) for _ in range(50)]
    for doc in warm:  # packs, indexes, resolver cache, shared normaliser
        review(load_payload(doc), kb=kb)
    if freeze:
        # The packs are hundreds of thousands of long-lived objects; moving them out of the collector's way is
        # what a service does after start-up (gc.freeze), and it removes the full-collection pauses from p99.
        gc.collect()
        gc.freeze()
    docs = [make_order(rng) for _ in range(n)]
    times, cpu = [], []
    alerts = 0
    for doc in docs:
        t0, c0 = time.perf_counter(), time.thread_time()
        out = review(load_payload(doc), kb=kb)
        cpu.append((time.thread_time() - c0) * 1000)
        times.append((time.perf_counter() - t0) * 1000)
        alerts += len(out.alerts)
    times.sort()
    cpu.sort()
    batch_docs = [make_order(rng) for _ in range(batch)]
    t0 = time.perf_counter()
    for doc in batch_docs:
        review(load_payload(doc), kb=kb)
    elapsed = time.perf_counter() - t0
    return {
        "orders": n, "drugs_per_order": 10, "gc_frozen": freeze,
        "latency_ms": {"p50": round(times[len(times) // 2], 3), "p90": round(times[int(len(times) * 0.9)], 3),
                       "p99": round(times[int(len(times) * 0.99)], 3), "max": round(times[-1], 3),
                       "mean": round(statistics.fmean(times), 3)},
        "cpu_ms": {"p50": round(cpu[len(cpu) // 2], 3), "p99": round(cpu[int(len(cpu) * 0.99)], 3)},
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "alerts_per_order": round(alerts / n, 1),
        "batch": {"orders": batch, "seconds": round(elapsed, 2), "orders_per_second": round(batch / elapsed, 1)},
        "python": platform.python_version(), "machine": platform.machine(), "processor_count": os.cpu_count(),
        "knowledge": {"drugs": len(kb.pack("drug")), "interactions": len(kb.pack("interaction"))},
    }


def big_order(rng: random.Random, n: int, pack_names: list[str]) -> dict[str, Any]:
    """One synthetic order document of ``n`` orders: three in four from DRUGS (so interacting and duplicate
    pairs recur many times), the rest any drug of the pack (1 片 qd)."""
    orders = []
    for i in range(n):
        if rng.random() < 0.75:
            d, dose, u, r, f = rng.choice(DRUGS)
        else:
            d, dose, u, r, f = rng.choice(pack_names), 1, "片", "口服", "qd"
        orders.append({"id": f"o{i + 1}", "drug": d, "dose": dose, "unit": u, "route": r, "frequency": f})
    doc = make_order(rng)
    doc["orders"] = orders
    return doc


def scaling(sizes: list[int], seed: int = 20261207) -> list[dict[str, Any]]:
    """Orders/s of one review at each size, and the time per order relative to the smallest size."""
    kb = get_kb()
    rng = random.Random(seed)
    pack_names = sorted(d.name for d in kb.pack("drug"))
    review(load_payload(make_order(rng)), kb=kb)  # warm-up
    rows: list[dict[str, Any]] = []
    for n in sizes:
        reps = max(1, min(50, 2000 // n))
        docs = [big_order(rng, n, pack_names) for _ in range(reps)]
        ctxs = [document_to_context(parse_order_document(d)) for d in docs]  # the engine, not the API's 500 limit
        t0, c0 = time.perf_counter(), time.process_time()
        alerts = suppressed = 0
        for ctx in ctxs:
            rv = review(ctx, kb=kb)
            alerts += len(rv.alerts)
            suppressed += sum(s["omitted"] for s in rv.suppressed)
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        rows.append({"orders": n, "reviews": reps, "ms_per_review": round(wall / reps * 1000, 2),
                     "cpu_ms_per_review": round(cpu / reps * 1000, 2), "orders_per_second": round(n * reps / wall, 1),
                     "cpu_orders_per_second": round(n * reps / cpu, 1) if cpu else None,
                     "alerts_per_review": round(alerts / reps, 1), "pairs_suppressed_per_review": round(suppressed / reps)})
    base = rows[0]["cpu_ms_per_review"] / rows[0]["orders"]
    for r in rows:
        r["per_order_vs_smallest"] = round(r["cpu_ms_per_review"] / r["orders"] / base, 2) if base else None
    return rows


def _write_docs(path: Path, r: dict[str, Any]) -> None:
    """Replace the <!-- rx-bench --> block of docs/rx.md with these figures."""
    lat, cpu = r["latency_ms"], r["cpu_ms"]
    block = "\n".join([
        "<!-- rx-bench:start -->",
        "| measure | value |", "|---|---:|",
        f"| 10-drug order, wall p50 / p99 | {lat['p50']} / {lat['p99']} ms |",
        f"| 10-drug order, CPU p50 / p99 | {cpu['p50']} / {cpu['p99']} ms |",
        f"| batch throughput (one process) | {r['batch']['orders_per_second']} orders/s |",
        f"| alerts per order | {r['alerts_per_order']} |",
        "",
        f"{r['orders']} timed orders, batch of {r['batch']['orders']}; {r['knowledge']['drugs']} drugs, "
        f"{r['knowledge']['interactions']} interaction rules; Python {r['python']}, {r['machine']}, "
        f"{r['processor_count']} CPUs, load average {r['load_average']} (a shared machine: wall time includes "
        "waiting for a CPU, CPU time does not).",
    ])
    if r.get("scaling"):
        block += "\n\n" + "\n".join([
            "One review of many orders (the engine; the API takes at most 500):", "",
            "| orders | reviews | ms / review (wall) | orders/s (wall) | orders/s (CPU) | time per order vs 10 orders (CPU) |"
            " alerts / review | pairs left out (cap 3 per pair) |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|",
            *(f"| {x['orders']:,} | {x['reviews']} | {x['ms_per_review']} | {x['orders_per_second']} | "
              f"{x['cpu_orders_per_second']} | {x['per_order_vs_smallest']} | {x['alerts_per_review']} | "
              f"{x['pairs_suppressed_per_review']:,} |" for x in r["scaling"]),
        ])
    block += "\n<!-- rx-bench:end -->"
    text = path.read_text(encoding="utf-8")
    start, end = "<!-- rx-bench:start -->", "<!-- rx-bench:end -->"
    head, rest = text.split(start, 1)
    path.write_text(head + block + rest.split(end, 1)[1], encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=2000, help="single reviews timed for the percentiles")
    ap.add_argument("--batch", type=int, default=5000, help="orders in the throughput batch")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--no-freeze", action="store_true", help="leave the packs to the garbage collector")
    ap.add_argument("--write-docs", type=Path, default=None, help="update the benchmark block in this Markdown file")
    ap.add_argument("--sizes", default="10,100,1000,10000", help="orders per review for the scaling table ('' = skip)")
    args = ap.parse_args(argv)
    r = run(args.n, args.batch, freeze=not args.no_freeze)
    sizes = [int(x) for x in args.sizes.split(",") if x.strip()]
    if sizes:
        r["scaling"] = scaling(sizes)
    if args.write_docs:
        _write_docs(args.write_docs, r)
    if args.json:
        sys.stdout.write(json.dumps(r, indent=2) + "\n")
    else:
        lat = r["latency_ms"]
        sys.stdout.write(
            f"10-drug order review (no LLM), {r['orders']} orders: p50 {lat['p50']} ms, p90 {lat['p90']} ms, "
            f"p99 {lat['p99']} ms, max {lat['max']} ms; {r['alerts_per_order']} alerts/order\n"
            f"CPU time per review: p50 {r['cpu_ms']['p50']} ms, p99 {r['cpu_ms']['p99']} ms "
            f"(wall time includes waiting for the CPU: load average {r['load_average']}; "
            f"gc.freeze after warm-up: {r['gc_frozen']})\n"
            f"batch: {r['batch']['orders']} orders in {r['batch']['seconds']} s = "
            f"{r['batch']['orders_per_second']} orders/s (one process)\n"
            f"knowledge: {r['knowledge']['drugs']} drugs, {r['knowledge']['interactions']} interaction rules; "
            f"Python {r['python']} on {r['machine']} ({r['processor_count']} CPUs)\n"
        )
        for x in r.get("scaling", []):
            sys.stdout.write(
                f"{x['orders']:>6} orders in one review: {x['ms_per_review']} ms, {x['orders_per_second']} orders/s "
                f"(CPU {x['cpu_orders_per_second']}), time per order ×{x['per_order_vs_smallest']} of the "
                f"{r['scaling'][0]['orders']}-order review, {x['alerts_per_review']} alerts, "
                f"{x['pairs_suppressed_per_review']} repeated pairs left out\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
