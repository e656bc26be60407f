"""Diagnosis coding (``yizhu code --decide``): strings per second on one core and per-string latency.

Strings: the CHIP-CDN test part of yizhu's hash split (real diagnosis strings, read in place from
``../shared/data``) when present, else synthetic variants of pack names (合成). Each string is coded once
(no cache hits). Baselines in the same process: the same coder with its compiled loops off (numpy
n-gram query, LightGBM's own predict), and the ranking normaliser (``yizhu code`` without --decide).

    .venv/bin/python benchmarks/coding.py                        # rules: imports the ICD table into a temp dir
    .venv/bin/python benchmarks/coding.py --data-dir /tmp/terms/var   # a data dir with a trained normaliser → model
    .venv/bin/python benchmarks/coding.py --data-dir /tmp/terms/var --repeats 20000   # also a stream with repeats
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

ROOT = Path(__file__).resolve().parents[1]


def _shared() -> Path:
    for base in (ROOT.parent, ROOT.parent.parent):  # beside the checkout, or beside the worktrees folder
        p = base / "shared" / "data"
        if p.is_dir():
            return p
    return ROOT.parent / "shared" / "data"


def strings(n: int) -> tuple[str, list[str]]:
    cdn = _shared() / "cblue" / "CHIP-CDN_train.json"
    if cdn.is_file():
        from yizhu.knowledge.terminology.cdn import load_labelled
        from yizhu.learn.split import split_of

        _, recs = load_labelled(cdn)
        texts = list(dict.fromkeys(r.text for r in recs if split_of(r.text) == "test"))
        return "CHIP-CDN test part (real)", texts[:n]
    from yizhu.knowledge.packs import get_kb

    names = sorted({t for it in get_kb().pack("diagnosis") for t in it.terms() if len(t) >= 2})
    quals = ["", "待查", "可能", "病史", "（左侧）", "3级", "术后"]
    out = [f"{a}{quals[i % len(quals)]}，{names[(i * 7) % len(names)]}" for i, a in enumerate(names)]
    return "synthetic pack-name variants (合成)", out[:n]


def pct(xs: list[float], p: float) -> float:
    s = sorted(xs)
    return s[min(len(s) - 1, int(p / 100 * len(s)))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data-dir", type=Path, help="data directory (imported table, trained model); default: a temp "
                    "dir with the shared ICD table imported")
    ap.add_argument("-n", type=int, default=2000, help="strings")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--repeat", type=int, default=3, help="runs of each measurement; the best is reported")
    ap.add_argument("--rules", action="store_true", help="rules mode even when a trained normaliser is active")
    ap.add_argument("--repeats", type=int, default=0, help="also code a stream of this many strings drawn with "
                    "repeats (Zipf weights) through the result cache")
    a = ap.parse_args()
    from yizhu.knowledge.importers import import_file
    from yizhu.knowledge.terminology import Terminology
    from yizhu.knowledge.terminology.coding import DiagnosisCoder

    tmp = None
    data_dir = a.data_dir
    if data_dir is None:
        tmp = tempfile.TemporaryDirectory()
        data_dir = Path(tmp.name)
        icd = _shared() / "icd10" / "icd10_beijing_clinical_v601.tsv"
        if icd.is_file():
            import_file(icd, "icd", data_dir=data_dir)
    what, texts = strings(a.n)
    t = Terminology(data_dir)
    t0 = time.perf_counter()
    active = t.coder
    if a.rules:
        active = DiagnosisCoder(active.d, None)
    build = time.perf_counter() - t0
    out: dict[str, object] = {"strings": what, "n": len(texts), "dictionary": active.d.source, "mode": active.mode,
                              "build_s": round(build, 2)}

    def fresh() -> DiagnosisCoder:
        """A coder with every cache empty (results, dictionary look-ups, the model's neighbour look-ups)."""
        if active.model is not None:
            active.model.memory._memo.clear()
        return DiagnosisCoder(active.d, active.model, cache_size=0)

    # Figures per core: CPU time of this process (one thread), so a machine shared with other jobs
    # does not count their time as ours; wall-clock figures are given beside them.
    # Each measurement is repeated (--repeat, a fresh coder each time) and the best run is reported with
    # every run listed: on a shared machine other jobs only ever slow a run down.
    runs = []
    for _ in range(a.repeat):
        c = fresh()
        c.code(texts[0])
        lat, cpu_lat = [], []
        t0, c0 = time.perf_counter(), time.process_time()
        for s in texts:
            t1, c1 = time.perf_counter(), time.process_time()
            c.code(s)
            lat.append((time.perf_counter() - t1) * 1000)
            cpu_lat.append((time.process_time() - c1) * 1000)
        dt, dc = time.perf_counter() - t0, time.process_time() - c0
        runs.append({"per_s_cpu": round(len(texts) / dc), "per_s_wall": round(len(texts) / dt),
                     "p50_ms_cpu": round(statistics.median(cpu_lat), 3), "p99_ms_cpu": round(pct(cpu_lat, 99), 3),
                     "p50_ms_wall": round(statistics.median(lat), 3), "p99_ms_wall": round(pct(lat, 99), 3)})
    out["one_by_one"] = max(runs, key=lambda r: r["per_s_cpu"])
    out["one_by_one_runs_per_s_cpu"] = [r["per_s_cpu"] for r in runs]
    runs = []
    for _ in range(a.repeat):
        c = fresh()
        t0, c0 = time.perf_counter(), time.process_time()
        for i in range(0, len(texts), 256):
            c.code_many(texts[i:i + 256])
        dt, dc = time.perf_counter() - t0, time.process_time() - c0
        runs.append({"per_s_cpu": round(len(texts) / dc), "per_s_wall": round(len(texts) / dt)})
    out["batches_of_256"] = max(runs, key=lambda r: r["per_s_cpu"])
    if a.repeats:
        # a clinician's list repeats strings: a stream drawn from the same strings with Zipf weights (rank r
        # drawn ∝ 1/r^1.1, fixed seed), coded one by one by a coder with its result cache (the default
        # 50,000, kept by folded string); the figures above are without repeats
        rnd = random.Random(0)
        stream = rnd.choices(texts, weights=[1 / (r + 1) ** 1.1 for r in range(len(texts))], k=a.repeats)
        runs = []
        for _ in range(a.repeat):
            if active.model is not None:
                active.model.memory._memo.clear()
            c = DiagnosisCoder(active.d, active.model)
            cpu_lat = []
            c0 = time.process_time()
            for s in stream:
                c1 = time.process_time()
                c.code(s)
                cpu_lat.append((time.process_time() - c1) * 1000)
            dc = time.process_time() - c0
            runs.append({"per_s_cpu": round(len(stream) / dc), "p50_ms_cpu": round(statistics.median(cpu_lat), 4),
                         "p99_ms_cpu": round(pct(cpu_lat, 99), 3)})
        out["with_repeats"] = {"stream": len(stream), "distinct": len(set(stream)),
                               **max(runs, key=lambda r: r["per_s_cpu"])}
    # the same coder with the compiled loops off (numpy query, LightGBM trees): what numba buys
    indexes = [active.d.index] + ([active.model.memory.index, active.model.memory.seg_index] if active.model else [])
    saved = [ix._topk for ix in indexes], (active.model.forest if active.model else None)
    for ix in indexes:
        ix._topk = False
    if active.model is not None:
        active.model.forest = None
    best = 0.0
    for _ in range(a.repeat):
        c = fresh()
        c.code(texts[0])
        c0 = time.process_time()
        for s in texts:
            c.code(s)
        best = max(best, len(texts) / (time.process_time() - c0))
    out["same_without_compiled_loops"] = {"per_s_cpu": round(best)}
    for ix, tk in zip(indexes, saved[0], strict=True):
        ix._topk = tk
    if active.model is not None:
        active.model.forest = saved[1]
    out["ratio_to_uncompiled"] = round(out["one_by_one"]["per_s_cpu"] / out["same_without_compiled_loops"]["per_s_cpu"], 2)  # type: ignore[index]
    base = t.diagnoses
    base.normalise(texts[0])
    best = 0.0
    for _ in range(a.repeat):
        base._cache.clear()  # distinct strings each run: no result-cache hits
        c0 = time.process_time()
        for s in texts:
            base.normalise(s)
        best = max(best, len(texts) / (time.process_time() - c0))
    dc_base = len(texts) / best
    out["baseline_ranking_normaliser"] = {"per_s_cpu": round(len(texts) / dc_base)}
    out["ratio_to_baseline"] = round(out["one_by_one"]["per_s_cpu"] / out["baseline_ranking_normaliser"]["per_s_cpu"], 2)  # type: ignore[index]
    if a.json:
        print(json.dumps(out, ensure_ascii=False, indent=1))
    else:
        for k, v in out.items():
            print(f"{k}: {v}")
    if tmp is not None:
        tmp.cleanup()


if __name__ == "__main__":
    main()
