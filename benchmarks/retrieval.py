"""Retrieval: index build time, memory, and query latency p50/p95 over a synthetic 100,000-passage corpus.

Passages (合成) are generated from pack terms with sentence templates (~120 characters each), so the
vocabulary is clinical but nothing is real guideline text. Queries mix keywords and questions. Latency
is measured per query, end to end (segmentation, BM25, query embedding, dense scan, fusion), on one
process; the USE model runs with one BLAS thread.

    .venv/bin/python benchmarks/retrieval.py [--passages 100000] [--queries 300] [--embedder use|none]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

TEMPLATES = [
    "{dx}患者出现{sym}时，应首先评估{lab}，必要时完善{exam}；治疗可选{drug}，{n}周后随访复查。",
    "对于合并{dx2}的{dx}，{drug}需要根据{lab}调整剂量，出现{sym}应及时就诊。",
    "{dx}的诊断依据包括{sym}、{sym2}及{lab}异常，{exam}有助于鉴别{dx2}。",
    "使用{drug}期间应监测{lab}，若出现{sym}或{sym2}，考虑停药并评估{dx2}。",
    "{dx}稳定期管理：生活方式干预，规律服用{drug}，每{n}个月复查{lab}和{exam}。",
]


def make_corpus(n: int, seed: int = 3) -> tuple[list[object], list[str]]:
    from yizhu.knowledge.packs import get_kb
    from yizhu.knowledge.retrieval import Passage

    kb = get_kb()
    rnd = random.Random(seed)
    dx = [i.synonyms[0] if i.synonyms else i.name for i in kb.pack("diagnosis")]
    sym = [i.name for i in kb.pack("symptom")]
    lab = [i.name for i in kb.pack("lab")]
    drug = [i.name for i in kb.pack("drug")] or ["阿司匹林", "二甲双胍", "氨氯地平"]
    exam = ["胸部CT", "心电图", "腹部超声", "头颅MRI", "胃镜", "超声心动图", "肺功能检查"]
    passages = []
    for i in range(n):
        t = rnd.choice(TEMPLATES).format(dx=rnd.choice(dx), dx2=rnd.choice(dx), sym=rnd.choice(sym),
                                         sym2=rnd.choice(sym), lab=rnd.choice(lab), exam=rnd.choice(exam),
                                         drug=rnd.choice(drug), n=rnd.randint(2, 12))
        passages.append(Passage(id=f"doc:synthetic#{i}", doc_id="synthetic", title=f"合成指南 {i // 50}",
                                section=f"第{i % 50 + 1}节", text=t, source="合成语料 (synthetic), 2026",
                                locator=f"§ {i % 50 + 1}"))
    queries = []
    for _ in range(300):
        kind = rnd.random()
        if kind < 0.4:
            queries.append(f"{rnd.choice(dx)} {rnd.choice(drug)}")
        elif kind < 0.7:
            queries.append(f"{rnd.choice(dx)}出现{rnd.choice(sym)}怎么办")
        else:
            queries.append(f"使用{rnd.choice(drug)}需要监测什么")
    return passages, queries


def pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))]


def rss_mb() -> float:
    try:
        import psutil

        return psutil.Process().memory_info().rss / 1e6
    except ImportError:  # pragma: no cover
        return float("nan")


def dir_mb(p: Path) -> float:
    return sum(f.stat().st_size for f in p.rglob("*") if f.is_file()) / 1e6


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--passages", type=int, default=100_000)
    ap.add_argument("--queries", type=int, default=300)
    ap.add_argument("--embedder", choices=["use", "none"], default="use")
    ap.add_argument("--keep", type=Path, default=None,
                    help="build the index here and keep it (a second run with the same path re-uses it)")
    args = ap.parse_args()
    os.environ.setdefault("OMP_NUM_THREADS", "1")

    from yizhu.knowledge.retrieval.embed import UseEmbedder
    from yizhu.knowledge.retrieval.index import HybridIndex
    from yizhu.knowledge.terminology.text import Segmenter

    passages, queries = make_corpus(args.passages)
    queries = queries[: args.queries]
    root = args.keep or Path(tempfile.mkdtemp(prefix="yizhu-retrieval-"))
    out: dict[str, object] = {"passages": len(passages), "queries": len(queries), "embedder": args.embedder,
                              "chars": sum(len(p.text) for p in passages)}  # type: ignore[attr-defined]
    try:
        from yizhu.knowledge.packs import get_kb
        from yizhu.knowledge.retrieval import _segmenter_words

        seg = Segmenter(_segmenter_words(get_kb()))
        emb = UseEmbedder(threads=1) if args.embedder == "use" else None
        base = rss_mb()
        t0 = time.perf_counter()
        idx = HybridIndex(root / "index", seg, emb)
        rep = idx.sync(passages)  # type: ignore[arg-type]
        out["build_s"] = round(time.perf_counter() - t0, 1)
        out["build_added"] = rep.added
        out["index_disk_mb"] = round(dir_mb(root / "index"), 1)
        out["rss_after_build_mb"] = round(rss_mb() - base, 1)
        del idx
        t0 = time.perf_counter()
        idx = HybridIndex(root / "index", seg, emb)
        out["reopen_s"] = round(time.perf_counter() - t0, 2)
        assert len(idx) == rep.total
        idx.search("预热", 5)
        for name, fn in (("hybrid", lambda q: idx.search(q, 5)), ("bm25", lambda q: idx.bm25(q, 50)),
                         ("dense", lambda q: idx.dense(q, 50))):
            if name != "bm25" and emb is None:
                continue
            lat = []
            for q in queries:
                t0 = time.perf_counter()
                fn(q)
                lat.append((time.perf_counter() - t0) * 1000)
            out[f"{name}_ms"] = {"p50": round(statistics.median(lat), 2), "p95": round(pct(lat, 0.95), 2),
                                 "p99": round(pct(lat, 0.99), 2)}
        if emb is not None:
            t0 = time.perf_counter()
            for q in queries[:100]:
                emb.embed([q])
            out["query_embedding_ms"] = round((time.perf_counter() - t0) * 10, 2)
            full = np.asarray(idx._vectors, dtype=np.float32)  # exact scan, to measure what the IVF misses
            rec = []
            for q in queries[:100]:
                exact = set(np.argsort(-(full @ emb.embed([q])[0]))[:10].tolist())
                rec.append(len(exact & {r for r, _ in idx.dense(q, 10)}) / 10)
            out["dense_recall_at_10_vs_exact"] = round(float(np.mean(rec)), 3)
            del full
        extra = make_corpus(100, seed=99)[0]
        for i, p in enumerate(extra):
            object.__setattr__(p, "id", f"doc:extra#{i}")
        t0 = time.perf_counter()
        rep = idx.sync([*passages, *extra])  # type: ignore[list-item]
        out["incremental_add_100_s"] = round(time.perf_counter() - t0, 2)
        out["rss_total_mb"] = round(rss_mb(), 1)
        hits = idx.search(queries[0], 3).hits
        out["example"] = {"query": queries[0], "top": [(h.id, h.citation.locator, round(h.score, 4)) for h in hits]}
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)
    print(json.dumps(out, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
