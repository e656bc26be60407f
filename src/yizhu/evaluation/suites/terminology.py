"""Suites ``normalisation`` and ``extraction``: the terminology services (``yizhu.knowledge.terminology``).

``normalisation`` (CHIP-CDN layout): raw diagnosis text → ranked ICD-10 candidates. A candidate is
right when its code is a gold code or its name is a gold standard name (compared after the packs'
own term normalisation). Top-1 and top-5 accuracy, and the share of gold terms found in the top 5
(several diagnoses in one string).

``extraction`` (CMeEE, IMCS-V2 NER dialogue JSON or BIO JSONL, or yizhu's own): strict span
precision/recall/F1 — same start, end and type — micro over all entities and macro over types, in the
gold's own scheme: predictions are written out through ``ner_data.EXPORT`` (exam and procedure → CMeEE
``pro``, lab → ``ite``; IMCS: disease → Symptom, lab → Medical_Examination), predictions of types the
scheme lacks are dropped, and types with no gold entity in the data are left out of the micro and macro
averages (listed in the notes with their false positives).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from yizhu.evaluation.dataset import Case, Dataset
from yizhu.evaluation.metrics import (
    MetricValue,
    f1_metric,
    macro_f1_counts_metric,
    mean_metric,
    ratio_metric,
    span_counts,
)
from yizhu.evaluation.suites.base import (
    Outcome,
    ResultView,
    RunEnv,
    Suite,
    Summary,
    Table,
    breakdown,
    failures,
)


def _scheme(fmt: str) -> str:
    """The type scheme gold entities of a dataset layout are written in."""
    return {"cmeee": "cmeee", "imcs-ner": "imcs", "imcs-bio": "imcs"}.get(fmt, "own")


def _unavailable() -> str | None:
    try:
        from yizhu.knowledge.terminology import extract, normalise_diagnosis  # noqa: F401
    except ImportError as exc:
        return f"engine not available: yizhu.knowledge.terminology is not installed ({exc})"
    return None


def _norm(text: str) -> str:
    from yizhu.knowledge.packs import normalize_term

    return normalize_term(text)


class NormalisationSuite(Suite):
    """Diagnosis text → ICD-10 (CHIP-CDN layout): the official micro-F1 over name sets; top-1/top-5 of the ranking."""

    name = "normalisation"
    title = "诊断标准化 diagnosis normalisation (ICD-10)"
    version = "1"
    engine = "yizhu.knowledge.terminology.normalise_diagnosis"
    formats = ("cdn",)
    default_data = "cdn.sample.json"
    headline = ("f1", "precision", "recall", "top1")

    def unavailable(self) -> str | None:
        return _unavailable()

    def run_case(self, case: Case, env: RunEnv, dataset: Dataset) -> Outcome:
        from yizhu.knowledge.terminology import code_diagnosis, normalise_diagnosis

        text = str(case.inputs["text"])
        candidates = normalise_diagnosis(text, top=5)
        decided = code_diagnosis(text)
        exp = case.expected or {}
        codes = {str(c) for c in exp.get("codes") or []}
        terms = [str(t) for t in exp.get("terms") or []]
        names = {_norm(t) for t in terms}

        def hit(c: Any) -> bool:
            return c.code in codes or _norm(c.name) in names

        ranks = [i for i, c in enumerate(candidates) if hit(c)]
        found_terms = sum(1 for t in terms if any(_norm(c.name) == _norm(t) for c in candidates))
        found_codes = sum(1 for code in codes if any(c.code == code for c in candidates))
        gold_n = max(len(terms), len(codes))
        # official CHIP-CDN metric: the decided set of names against the gold set (exact strings)
        gold_set = set(terms) if terms else set(codes)
        pred_set = {c.name for c in decided.concepts} if terms else {c.code for c in decided.concepts}
        tp, fp, fn = len(gold_set & pred_set), len(pred_set - gold_set), len(gold_set - pred_set)
        return Outcome(
            output={"decided": decided.to_dict(), "candidates": [c.to_dict() for c in candidates]},
            scores={"top1": 1.0 if ranks and ranks[0] == 0 else 0.0, "top5": 1.0 if ranks else 0.0},
            data={"tp": tp, "fp": fp, "fn": fn, "mode": decided.mode, "decided": sorted(pred_set),
                  "rank": ranks[0] + 1 if ranks else None, "gold": terms or sorted(codes),
                  "top1": candidates[0].name if candidates else None,
                  "found": max(found_terms, found_codes), "gold_n": gold_n},
        )

    def summarise(self, dataset: Dataset, results: Sequence[ResultView], *, seed: int = 0) -> Summary:
        def metrics(group: Sequence[ResultView]) -> dict[str, MetricValue]:
            return {
                "top1": mean_metric("top1", [float(r.scores.get("top1") or 0) for r in group], seed=seed,
                                    title="top-1 accuracy"),
                "top5": mean_metric("top5", [float(r.scores.get("top5") or 0) for r in group], seed=seed,
                                    title="top-5 accuracy"),
            }

        m = metrics(results)
        ok = [r for r in results if r.status == "ok"]
        tp = [float(r.data.get("tp", 0)) for r in ok]
        fp = [float(r.data.get("fp", 0)) for r in ok]
        fn = [float(r.data.get("fn", 0)) for r in ok]
        m = {
            "f1": f1_metric("f1", tp, fp, fn, seed=seed, title="micro-F1 over name sets (CHIP-CDN official)"),
            "precision": ratio_metric("precision", tp, [a + b for a, b in zip(tp, fp, strict=True)], seed=seed,
                                      title="micro precision"),
            "recall": ratio_metric("recall", tp, [a + b for a, b in zip(tp, fn, strict=True)], seed=seed,
                                   title="micro recall"),
            **m,
        }
        m["term_recall_at5"] = ratio_metric("term_recall_at5", [float(r.data.get("found", 0)) for r in results],
                                            [float(r.data.get("gold_n", 0)) for r in results], seed=seed,
                                            title="gold terms in top 5")
        modes = sorted({str(r.data.get("mode")) for r in ok})
        wrong = [[r.case_id, " ## ".join(r.data.get("gold", [])), " ## ".join(r.data.get("decided", [])) or "—"]
                 for r in ok if r.data.get("fp") or r.data.get("fn")][:50]
        misses = [[r.case_id, " ## ".join(r.data.get("gold", [])), r.data.get("top1") or "—"]
                  for r in results if r.status == "ok" and not r.scores.get("top1")][:50]
        tables = []
        if wrong:
            tables.append(Table(title="decided sets that differ from gold (first 50)", columns=["case", "gold", "decided"],
                                rows=wrong))
        if misses:
            tables.append(Table(title="top-1 misses (first 50)", columns=["case", "gold", "top-1 candidate"], rows=misses))
        return Summary(metrics=m, breakdown=breakdown(results, metrics), tables=tables,
                       notes=[f"decided by mode: {', '.join(modes)}"] if modes else [],
                       failures=failures(results))


class ExtractionSuite(Suite):
    """Clinical entity extraction: strict span P/R/F1 per type (CMeEE / IMCS-V2-NER layouts)."""

    name = "extraction"
    title = "实体抽取 clinical entity extraction"
    version = "2"
    engine = "yizhu.knowledge.terminology.extract"
    formats = ("cmeee", "imcs-ner", "imcs-bio")
    default_data = "cmeee.sample.json"
    headline = ("f1", "precision", "recall", "macro_f1")

    def unavailable(self) -> str | None:
        return _unavailable()

    def run_case(self, case: Case, env: RunEnv, dataset: Dataset) -> Outcome:

        from yizhu.knowledge.terminology import terminology
        from yizhu.knowledge.terminology.ner_data import EXPORT

        text = str(case.inputs["text"])
        scheme = _scheme(dataset.format)
        export = EXPORT.get(scheme)
        gold = [dict(e) for e in (case.expected or {}).get("entities", [])]
        dropped: Counter[str] = Counter()
        ex = terminology().extractor
        pred = []
        for e in ex.extract(text):
            typ = export.get(e.type) if export is not None else e.type
            if typ is None:
                dropped[e.type] += 1
                continue
            start, end = e.name_span  # a lab's analyte without its value, as the standards mark it
            pred.append({"start": start, "end": end, "type": typ, "text": text[start:end]})
        # the same span and type twice (exam and procedure both → CMeEE pro) counts once
        pred = list({(p["start"], p["end"], p["type"]): p for p in pred}.values())
        typed = span_counts(gold, pred, typed=True)
        untyped = span_counts(gold, pred, typed=False)["ALL"]
        return Outcome(
            output={"entities": pred},
            data={"counts": {t: dict(c) for t, c in typed.items()}, "untyped": dict(untyped), "dropped": dict(dropped),
                  "mode": ex.mode},
        )

    def summarise(self, dataset: Dataset, results: Sequence[ResultView], *, seed: int = 0) -> Summary:
        ok = [r for r in results if r.status == "ok"]

        def col(typ: str, key: str, group: Sequence[ResultView] = ok) -> list[float]:
            return [float(r.data["counts"].get(typ, {}).get(key, 0)) for r in group]

        def prf(typ: str) -> dict[str, MetricValue]:
            tp, fp, fn = col(typ, "tp"), col(typ, "fp"), col(typ, "fn")
            return {
                "precision": ratio_metric("precision", tp, [a + b for a, b in zip(tp, fp, strict=True)], seed=seed,
                                          title="strict precision"),
                "recall": ratio_metric("recall", tp, [a + b for a, b in zip(tp, fn, strict=True)], seed=seed,
                                       title="strict recall"),
                "f1": f1_metric("f1", tp, fp, fn, seed=seed, title="strict F1 (micro)"),
            }

        seen = sorted({t for r in ok for t in r.data["counts"] if t not in ("ALL", "")})
        # types with no gold entity anywhere are left out of the averages (and named in the notes)
        types = [t for t in seen if sum(col(t, "tp")) + sum(col(t, "fn")) > 0]
        no_gold = {t: int(sum(col(t, "fp"))) for t in seen if t not in types}
        for r in ok:
            c = r.data["counts"]
            r.data["counts"]["ALL"] = {k: sum(c.get(t, {}).get(k, 0) for t in types) for k in ("tp", "fp", "fn")}
        per_type = {t: prf(t) for t in types}
        metrics = prf("ALL")
        metrics["macro_f1"] = macro_f1_counts_metric(
            "macro_f1", {t: (col(t, "tp"), col(t, "fp"), col(t, "fn")) for t in types}, seed=seed,
            title="macro F1 over types")
        ut = [r.data.get("untyped", {}) for r in ok]
        metrics["untyped_f1"] = f1_metric("untyped_f1", [float(u.get("tp", 0)) for u in ut],
                                          [float(u.get("fp", 0)) for u in ut], [float(u.get("fn", 0)) for u in ut],
                                          seed=seed, gate=False, title="boundary-only F1")
        dropped: Counter[str] = Counter()
        for r in ok:
            dropped.update(r.data.get("dropped", {}))
        notes = []
        modes = sorted({str(r.data.get("mode")) for r in ok if r.data.get("mode")})
        if modes:
            notes.append(f"answered by: {', '.join(modes)}")
        if dropped:
            notes.append("Predictions of types the gold scheme has no counterpart for were left out: "
                         + ", ".join(f"{k} {v}" for k, v in sorted(dropped.items())) + ".")
        if no_gold:
            notes.append("Predicted types with no gold entity in the data, left out of the averages (false "
                         "positives): " + ", ".join(f"{k} {v}" for k, v in sorted(no_gold.items())) + ".")
        rows = [[t, int(sum(col(t, "tp"))), int(sum(col(t, "fp"))), int(sum(col(t, "fn"))), v["precision"].fmt(),
                 v["recall"].fmt(), v["f1"].fmt()] for t, v in per_type.items()]
        return Summary(metrics=metrics, breakdown=per_type, breakdown_title="entity type",
                       tables=[Table(title="per entity type", columns=["type", "TP", "FP", "FN", "precision", "recall",
                                                                        "F1"], rows=rows)] if rows else [],
                       notes=notes, failures=failures(results))
