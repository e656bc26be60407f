"""Choose span-probability decoders on the pooled out-of-fold spans of ``tune_extractor.py --folds=K --spans=FILE``.

Every candidate span (probability >= 0.05 under its layer's CRF, from a model that did not see the sentence) is
read back, and decoders are compared by strict F1 on the same pooled spans, the train part only:

- ``layer``: one threshold per layer (the shipped ``marginal=0.3/0.2``), the most probable spans first;
- ``type``: one threshold per entity type, chosen by coordinate ascent (the grid below). Its figure is *nested*:
  the thresholds used on fold f are chosen on the other folds only, so the gain is not a fit to the folds scored;
- ``rerank``: a LightGBM classifier over the candidates (probability, type, length, layer, the best competing
  span's probability, the same span's probability in the other layer, its rank among overlapping candidates)
  gives each span a score; decoded like ``type`` with per-type thresholds on that score (nested the same way).

    .venv/bin/python scripts/tune_span_decoder.py /tmp/cvspans.jsonl [--rerank | --layer-grid]

``--layer-grid`` prints every pair of layer thresholds on a small grid (pooled over the folds, not nested).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

GRID = [0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6]

Cand = tuple[int, int, str, float]


def greedy(cands: Sequence[Cand], n: int) -> list[tuple[int, int, str]]:
    """The marginal decoder's rule: most probable first, none overlapping one already taken (same layer)."""
    taken = []
    used = bytearray(n)
    for s, e, typ, _ in sorted(cands, key=lambda x: (-x[3], x[0], x[1])):
        if not any(used[s:e]):
            taken.append((s, e, typ))
            used[s:e] = b"\x01" * (e - s)
    return taken


def counts(gold: Sequence[Sequence[Any]], pred: Sequence[tuple[int, int, str]], acc: dict[str, list[int]]) -> None:
    g = {tuple(x) for x in gold}
    p = set(pred)
    for k in g:
        acc.setdefault(k[2], [0, 0, 0])[0 if k in p else 2] += 1
    for k in p - g:
        acc.setdefault(k[2], [0, 0, 0])[1] += 1


def f1_of(acc: dict[str, list[int]]) -> tuple[float, float, float]:
    tp, fp, fn = (sum(c[i] for c in acc.values()) for i in range(3))
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return (2 * p * r / (p + r) if p + r else 0.0), p, r


def decode(row: dict[str, Any], thr: Callable[[int, str], float], score: Callable[[int, Cand], float] | None = None
           ) -> list[tuple[int, int, str]]:
    n = len(row["text"])
    out: list[tuple[int, int, str]] = []
    for li, cands in enumerate(row["layers"]):
        cs = [tuple(c) for c in cands]
        if score is not None:
            cs = [(c[0], c[1], c[2], score(li, c)) for c in cs]  # type: ignore[index]
        out.extend(greedy([c for c in cs if c[3] >= thr(li, c[2])], n))  # type: ignore[arg-type,index]
    return out


def evaluate(rows: Sequence[dict[str, Any]], thr: Callable[[int, str], float],
             score: Callable[[int, Cand], float] | None = None) -> dict[str, list[int]]:
    acc: dict[str, list[int]] = {}
    for r in rows:
        counts(r["gold"], decode(r, thr, score), acc)
    return acc


def choose_types(rows: Sequence[dict[str, Any]], types: Sequence[str], start: dict[str, float],
                 score: Callable[[int, Cand], float] | None = None, grid: Sequence[float] = GRID) -> dict[str, float]:
    """Per-type thresholds by coordinate ascent (two sweeps), starting from ``start``."""
    best = dict(start)
    cur = f1_of(evaluate(rows, lambda li, t: best[t], score))[0]
    for _ in range(2):
        for t in types:
            for v in grid:
                trial = {**best, t: v}
                f = f1_of(evaluate(rows, lambda li, x, tr=trial: tr[x], score))[0]
                if f > cur + 1e-9:
                    cur, best = f, trial
    return best


PUNCT = set("，。；：、,.;:！？!?（）()[]【】 \n\t")


def span_features(row: dict[str, Any], types: Sequence[str]) -> list[tuple[tuple[int, Cand], list[float]]]:
    """One feature row per candidate (its layer, the candidate): see the module docstring."""
    text = row["text"]
    n = len(text)
    base = set()
    for li, cands in enumerate(row["layers"]):
        base |= {(li, *x) for x in greedy([tuple(c) for c in cands if c[3] >= (0.3 if li == 0 else 0.2)], n)}
    out = []
    for li, cands in enumerate(row["layers"]):
        other = [c for lj, cs in enumerate(row["layers"]) if lj != li for c in cs]
        for c in cands:
            s, e, typ, p = c
            over = [d[3] for d in cands if d is not c and d[0] < e and s < d[1]]
            same_other = max((d[3] for d in other if d[0] == s and d[1] == e), default=0.0)
            over_other = max((d[3] for d in other if d[0] < e and s < d[1]), default=0.0)
            same_span = max((d[3] for d in cands if d is not c and d[0] == s and d[1] == e), default=0.0)
            inside = [d[3] for d in other if s <= d[0] and d[1] <= e and (d[0], d[1]) != (s, e)]
            out.append(((li, tuple(c)), [
                p, li, types.index(typ), e - s, sum(1 for x in over if x > p), max(over, default=0.0),
                same_other, over_other, same_span, max(inside, default=0.0), len(inside),
                float(s == 0 or text[s - 1] in PUNCT), float(e == n or text[e] in PUNCT),
                float(any(ch in PUNCT for ch in text[s:e])), float((li, s, e, typ) in base), n,
                sum(len(x) for x in row["layers"]),
            ]))
    return out


def rerank_cv(rows: Sequence[dict[str, Any]], types: Sequence[str], folds: Sequence[int]) -> None:
    """Nested: for each outer fold, thresholds from inner out-of-fold scores of the other folds, then a model of
    all the other folds scores the held fold."""
    import lightgbm as lgb
    import numpy as np

    feats = [span_features(r, types) for r in rows]
    params = {"objective": "binary", "learning_rate": 0.05, "num_leaves": 15, "min_data_in_leaf": 20,
              "feature_fraction": 0.9, "bagging_fraction": 0.8, "bagging_freq": 1, "verbose": -1, "seed": 7,
              "num_threads": 1}

    def fit(idx: Sequence[int]) -> Any:
        x, y = [], []
        for i in idx:
            gold = {tuple(g) for g in rows[i]["gold"]}
            for (_, c), f in feats[i]:
                x.append(f)
                y.append(float((c[0], c[1], c[2]) in gold))
        ds = lgb.Dataset(np.array(x), np.array(y), categorical_feature=[1, 2], free_raw_data=False)
        return lgb.train(params, ds, num_boost_round=200)

    def scored(model: Any, idx: Sequence[int]) -> dict[int, dict[tuple[int, Cand], float]]:
        out = {}
        for i in idx:
            if not feats[i]:
                out[i] = {}
                continue
            pr = model.predict(np.array([f for _, f in feats[i]]))
            out[i] = {k: float(v) for (k, _), v in zip(feats[i], pr, strict=True)}
        return out

    def f1_at(idx: Sequence[int], sc: dict[int, dict[tuple[int, Cand], float]], thr: Sequence[float]) -> float:
        acc: dict[str, list[int]] = {}
        for i in idx:
            counts(rows[i]["gold"], decode(rows[i], lambda li, t: thr[li], lambda li, c, m=sc[i]: m[(li, c)]), acc)
        return f1_of(acc)[0]

    grid = [0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5]
    pooled: dict[str, list[int]] = {}
    for f in folds:
        rest = [i for i, r in enumerate(rows) if r["fold"] != f]
        held = [i for i, r in enumerate(rows) if r["fold"] == f]
        inner: dict[int, dict[tuple[int, Cand], float]] = {}
        for g in folds:
            if g == f:
                continue
            tr = [i for i in rest if rows[i]["fold"] != g]
            inner.update(scored(fit(tr), [i for i in rest if rows[i]["fold"] == g]))
        best = max(((a, b) for a in grid for b in grid), key=lambda th: f1_at(rest, inner, th))
        sc = scored(fit(rest), held)
        for i in held:
            counts(rows[i]["gold"], decode(rows[i], lambda li, t, b=best: b[li], lambda li, c, m=sc[i]: m[(li, c)]), pooled)
        print(json.dumps({"fold": f, "rerank_thresholds": best, "inner_f1": round(f1_at(rest, inner, best), 4)}),
              file=sys.stderr)
    f1, p, rr = f1_of(pooled)
    print(json.dumps({"decoder": "rerank (nested CV)", "f1": round(f1, 4), "precision": round(p, 4),
                      "recall": round(rr, 4),
                      **{f"f1_{t}": round(f1_of({t: c})[0], 4) for t, c in sorted(pooled.items())}}))


def main(argv: list[str]) -> int:
    path = Path(next(a for a in argv if not a.startswith("--")))
    rows = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x]
    folds = sorted({r["fold"] for r in rows})
    layer_types = [sorted({c[2] for r in rows for c in r["layers"][li]}) for li in range(len(rows[0]["layers"]))]
    layer_of = {t: li for li, ts in enumerate(layer_types) for t in ts}
    types = sorted(layer_of)
    base = {t: (0.3 if layer_of[t] == 0 else 0.2) for t in types}
    acc = evaluate(rows, lambda li, t: base[t])
    print(json.dumps({"decoder": "layer 0.3/0.2", "f1": round(f1_of(acc)[0], 4),
                      "precision": round(f1_of(acc)[1], 4), "recall": round(f1_of(acc)[2], 4)}))
    if "--rerank" in argv:
        rerank_cv(rows, types, folds)
        return 0
    if "--layer-grid" in argv:  # one threshold per layer, every pair of the grid (pooled, not nested)
        for a in (0.2, 0.25, 0.3, 0.35, 0.4):
            for b in (0.15, 0.2, 0.25, 0.3):
                f1, p, rr = f1_of(evaluate(rows, lambda li, t, th=(a, b): th[layer_of[t]]))
                print(json.dumps({"decoder": f"layer {a}/{b}", "f1": round(f1, 4), "precision": round(p, 4),
                                  "recall": round(rr, 4)}))
        return 0
    # thresholds by type, nested: chosen on the other folds, scored on this one, pooled
    pooled: dict[str, list[int]] = {}
    for f in folds:
        fit = [r for r in rows if r["fold"] != f]
        thr = choose_types(fit, types, base)
        print(json.dumps({"fold": f, "thresholds": thr}), file=sys.stderr)
        for r in rows:
            if r["fold"] == f:
                counts(r["gold"], decode(r, lambda li, t, th=thr: th[t]), pooled)
    f1, p, rr = f1_of(pooled)
    print(json.dumps({"decoder": "type thresholds (nested CV)", "f1": round(f1, 4), "precision": round(p, 4),
                      "recall": round(rr, 4),
                      **{f"f1_{t}": round(f1_of({t: c})[0], 4) for t, c in sorted(pooled.items())}}))
    if "--rerank" in argv:
        rerank_cv(rows, types, folds)
        return 0
    allthr = choose_types(rows, types, base)
    print(json.dumps({"decoder": "type thresholds (all folds, what a model would ship)", "thresholds": allthr,
                      "f1_in_sample": round(f1_of(evaluate(rows, lambda li, t: allthr[t]))[0], 4)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
