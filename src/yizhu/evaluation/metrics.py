"""Metrics with bootstrap 95% confidence intervals: what every suite reports.

Every headline number is a ``MetricValue``: the value, a percentile bootstrap interval over cases
(seeded numpy RNG, so a rerun gives the same interval), how many cases it rests on, and which way
is better (the regression gate needs to know whether a rise is a drop). Corpus-level metrics
(micro/macro F1) are recomputed on each resample of cases, never averaged per case.
"""

from __future__ import annotations

import math
import re
import warnings
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

#: Default bootstrap resamples: enough for a stable 95% interval on a few hundred cases.
RESAMPLES = 1000


class MetricValue(BaseModel):
    """One number with its 95% interval and how it should move."""

    model_config = ConfigDict(extra="forbid")

    name: str
    value: float | None
    ci_low: float | None = None
    ci_high: float | None = None
    n: int = 0
    higher_is_better: bool = True
    gate: bool = Field(default=True, description="part of the regression gate (compare)")
    title: str = ""

    def fmt(self, digits: int = 3) -> str:
        """``0.912 [0.88, 0.94]`` or ``—``."""
        if self.value is None:
            return "—"
        if self.ci_low is None or self.ci_high is None:
            return f"{self.value:.{digits}f}"
        return f"{self.value:.{digits}f} [{self.ci_low:.{digits}f}, {self.ci_high:.{digits}f}]"


class ConfusionMatrix(BaseModel):
    """Rows are gold labels, columns predicted labels."""

    model_config = ConfigDict(extra="forbid")
    labels: list[str]
    matrix: list[list[int]]


class CalibrationBin(BaseModel):
    """Cases whose stated confidence falls in [lo, hi)."""

    model_config = ConfigDict(extra="forbid")
    lo: float
    hi: float
    n: int
    confidence: float | None
    accuracy: float | None


class Calibration(BaseModel):
    """Reliability bins and the expected calibration error (ECE)."""

    model_config = ConfigDict(extra="forbid")
    bins: list[CalibrationBin]
    ece: float
    n: int


# ── bootstrap ────────────────────────────────────────────────────────────────────────────


def _indices(n: int, resamples: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return rng.integers(0, n, size=(resamples, n))


def bootstrap(
    statistic: Callable[[np.ndarray], float | None], n: int, *, resamples: int = RESAMPLES, seed: int = 0,
    alpha: float = 0.05,
) -> tuple[float | None, float | None]:
    """Percentile interval of ``statistic(indices)`` over resamples of ``n`` cases."""
    if n == 0:
        return None, None
    values = []
    for idx in _indices(n, resamples, seed):
        v = statistic(idx)
        if v is not None and not math.isnan(v):
            values.append(v)
    if not values:
        return None, None
    lo, hi = np.percentile(values, [100 * alpha / 2, 100 * (1 - alpha / 2)])
    return float(lo), float(hi)


def ratio_bootstrap(
    num: Sequence[float], den: Sequence[float], *, resamples: int = RESAMPLES, seed: int = 0, alpha: float = 0.05
) -> tuple[float | None, float | None]:
    """Interval of sum(num)/sum(den) over resampled cases (vectorised: fast for thousands of cases)."""
    n = len(num)
    if n == 0:
        return None, None
    a, b = np.asarray(num, dtype=float), np.asarray(den, dtype=float)
    idx = _indices(n, resamples, seed)
    sn, sd = a[idx].sum(axis=1), b[idx].sum(axis=1)
    ok = sd > 0
    if not ok.any():
        return None, None
    lo, hi = np.percentile(sn[ok] / sd[ok], [100 * alpha / 2, 100 * (1 - alpha / 2)])
    return float(lo), float(hi)


def _f1_arrays(tp: np.ndarray, fp: np.ndarray, fn: np.ndarray) -> np.ndarray:
    denom = 2 * tp + fp + fn
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(denom > 0, 2 * tp / np.where(denom > 0, denom, 1), np.nan)


# ── metric builders (value + interval) ───────────────────────────────────────────────────


def mean_metric(name: str, values: Sequence[float], *, higher_is_better: bool = True, gate: bool = True,
                title: str = "", seed: int = 0) -> MetricValue:
    """The mean of per-case values (accuracy, ROUGE-L, rubric score, a rate) with its interval."""
    vals = [float(v) for v in values]
    if not vals:
        return MetricValue(name=name, value=None, n=0, higher_is_better=higher_is_better, gate=gate, title=title)
    lo, hi = ratio_bootstrap(vals, [1.0] * len(vals), seed=seed)
    return MetricValue(name=name, value=float(np.mean(vals)), ci_low=lo, ci_high=hi, n=len(vals),
                       higher_is_better=higher_is_better, gate=gate, title=title)


def ratio_metric(name: str, num: Sequence[float], den: Sequence[float], *, higher_is_better: bool = True,
                 gate: bool = True, title: str = "", seed: int = 0, empty: float | None = None) -> MetricValue:
    """sum(num)/sum(den) over cases (precision, recall, citation precision) with its interval.

    ``n`` counts the cases that contribute (a non-zero denominator).
    """
    total = float(sum(den))
    value = float(sum(num)) / total if total else empty
    lo, hi = ratio_bootstrap(num, den, seed=seed) if total else (None, None)
    return MetricValue(name=name, value=value, ci_low=lo, ci_high=hi, n=sum(1 for d in den if d > 0),
                       higher_is_better=higher_is_better, gate=gate, title=title)


def f1_metric(name: str, tp: Sequence[float], fp: Sequence[float], fn: Sequence[float], *, gate: bool = True,
              title: str = "", seed: int = 0) -> MetricValue:
    """Micro F1 from per-case tp/fp/fn counts, with a resampled interval."""
    t, p, f = (np.asarray(x, dtype=float) for x in (tp, fp, fn))
    n = len(t)
    if n == 0:
        return MetricValue(name=name, value=None, gate=gate, title=title)
    value = float(_f1_arrays(t.sum(keepdims=True), p.sum(keepdims=True), f.sum(keepdims=True))[0])
    idx = _indices(n, RESAMPLES, seed)
    boots = _f1_arrays(t[idx].sum(1), p[idx].sum(1), f[idx].sum(1))
    boots = boots[~np.isnan(boots)]
    lo, hi = (float(x) for x in np.percentile(boots, [2.5, 97.5])) if boots.size else (None, None)
    return MetricValue(name=name, value=None if math.isnan(value) else value, ci_low=lo, ci_high=hi, n=n,
                       gate=gate, title=title)


def macro_f1_counts_metric(name: str, counts: dict[str, tuple[Sequence[float], Sequence[float], Sequence[float]]], *,
                           gate: bool = True, title: str = "", seed: int = 0) -> MetricValue:
    """Macro F1 over types from per-case (tp, fp, fn) counts of each type, with a resampled interval."""
    types = list(counts)
    if not types:
        return MetricValue(name=name, value=None, gate=gate, title=title)
    tp, fp, fn = (np.array([counts[t][k] for t in types], dtype=float) for k in range(3))  # types × cases
    n = tp.shape[1]
    if n == 0:
        return MetricValue(name=name, value=None, gate=gate, title=title)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        value = float(np.nanmean(_f1_arrays(tp.sum(1), fp.sum(1), fn.sum(1))))
    idx = _indices(n, RESAMPLES, seed)
    weights = np.zeros((RESAMPLES, n))
    np.add.at(weights, (np.arange(RESAMPLES)[:, None], idx), 1.0)  # how often each case is drawn
    f1 = _f1_arrays(tp @ weights.T, fp @ weights.T, fn @ weights.T)  # types × resamples
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a resample without any span of a type
        boots = np.nanmean(f1, axis=0)
    boots = boots[~np.isnan(boots)]
    lo, hi = (float(x) for x in np.percentile(boots, [2.5, 97.5])) if boots.size else (None, None)
    return MetricValue(name=name, value=None if math.isnan(value) else value, ci_low=lo, ci_high=hi, n=n, gate=gate,
                       title=title)


def macro_f1(gold: Sequence[str], pred: Sequence[str | None], labels: Sequence[str] | None = None) -> float | None:
    """Unweighted mean of per-label F1 over the labels that occur in gold (or ``labels``)."""
    labs = list(labels) if labels is not None else sorted(set(gold))
    if not labs:
        return None
    scores = []
    for lab in labs:
        tp = sum(1 for g, p in zip(gold, pred, strict=True) if g == lab and p == lab)
        fp = sum(1 for g, p in zip(gold, pred, strict=True) if g != lab and p == lab)
        fn = sum(1 for g, p in zip(gold, pred, strict=True) if g == lab and p != lab)
        scores.append(2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0)
    return float(np.mean(scores))


def macro_f1_metric(name: str, gold: Sequence[str], pred: Sequence[str | None], *, gate: bool = True,
                    title: str = "", seed: int = 0) -> MetricValue:
    """Macro-F1 over the gold labels, with a resampled interval (labels fixed to the full set)."""
    labels = sorted(set(gold))
    value = macro_f1(gold, pred, labels)
    g, p = list(gold), list(pred)
    lo, hi = bootstrap(lambda idx: macro_f1([g[i] for i in idx], [p[i] for i in idx],
                                            sorted({g[i] for i in idx})), len(g), seed=seed, resamples=300)
    return MetricValue(name=name, value=value, ci_low=lo, ci_high=hi, n=len(g), gate=gate, title=title)


# ── plain metric functions ───────────────────────────────────────────────────────────────


def accuracy(gold: Sequence[Any], pred: Sequence[Any]) -> float | None:
    """Share of exact matches."""
    if not gold:
        return None
    return sum(1 for g, p in zip(gold, pred, strict=True) if g == p) / len(gold)


def prf(tp: float, fp: float, fn: float) -> tuple[float, float, float]:
    """Precision, recall, F1 (1.0 for an empty denominator: nothing to find, nothing claimed)."""
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


SpanKey = tuple[int, int, str]


def span_counts(gold: Iterable[dict[str, Any]], pred: Iterable[dict[str, Any]], *, typed: bool = True
                ) -> dict[str, Counter[str]]:
    """Strict span matching (same start, end and, when ``typed``, type): tp/fp/fn per type and ``ALL``."""
    def key(s: dict[str, Any]) -> SpanKey:
        return int(s["start"]), int(s["end"]), str(s.get("type", "")) if typed else ""

    g = {key(s): str(s.get("type", "")) for s in gold}
    p = {key(s): str(s.get("type", "")) for s in pred}
    out: dict[str, Counter[str]] = {"ALL": Counter()}
    for k, typ in g.items():
        c = out.setdefault(typ, Counter())
        hit = "tp" if k in p else "fn"
        c[hit] += 1
        out["ALL"][hit] += 1
    for k, typ in p.items():
        if k not in g:
            out.setdefault(typ, Counter())["fp"] += 1
            out["ALL"]["fp"] += 1
    return out


def lcs_length(a: str, b: str) -> int:
    """Length of the longest common subsequence (O(len(a)·len(b)), one row of memory)."""
    if not a or not b:
        return 0
    if len(a) < len(b):
        a, b = b, a
    prev = [0] * (len(b) + 1)
    for ch in a:
        cur = [0]
        for j, bj in enumerate(b, 1):
            cur.append(prev[j - 1] + 1 if ch == bj else max(prev[j], cur[j - 1]))
        prev = cur
    return prev[-1]


_WS = re.compile(r"\s+")


def rouge_l(candidate: str, reference: str) -> float:
    """Character-level ROUGE-L F1 (Chinese has no spaces to split on; whitespace is ignored)."""
    c, r = _WS.sub("", candidate or ""), _WS.sub("", reference or "")
    if not c and not r:
        return 1.0
    lcs = lcs_length(c, r)
    if lcs == 0:
        return 0.0
    p, rec = lcs / len(c), lcs / len(r)
    return 2 * p * rec / (p + rec)


def rouge_l_multi(candidate: str, references: Sequence[str]) -> float:
    """Best ROUGE-L against any of several references (IMCS-V2 has two annotators' reports)."""
    return max((rouge_l(candidate, r) for r in references), default=0.0)


_SENT = re.compile(r"[^。！？!?；;\n]+[。！？!?；;]?")
_CITE = re.compile(r"\[([A-Za-z0-9_.:\-]+)\]")


def sentences(text: str) -> list[str]:
    """Chinese/English sentences of a text (split on 。！？!?；; and newlines), without blanks."""
    return [s.strip() for s in _SENT.findall(text or "") if s.strip(" \t。！？!?；;")]


def citations_in(text: str) -> list[str]:
    """Citation ids written as ``[P3]`` in a text, in order of appearance."""
    return _CITE.findall(text or "")


def citation_precision(cited: Sequence[str], supporting: Iterable[str]) -> float | None:
    """Share of cited ids that are in the supporting set (``None`` when nothing was cited)."""
    if not cited:
        return None
    support = set(supporting)
    return sum(1 for c in cited if c in support) / len(cited)


def unsupported_claims(text: str, valid_ids: Iterable[str]) -> tuple[int, int]:
    """(sentences without a citation to a provided passage, all sentences) of an answer's explanation."""
    valid = set(valid_ids)
    sents = sentences(text)
    bad = sum(1 for s in sents if not any(c in valid for c in citations_in(s)))
    return bad, len(sents)


# ── confusion and calibration ────────────────────────────────────────────────────────────


def confusion_matrix(gold: Sequence[str], pred: Sequence[str | None], *, none_label: str = "(none)"
                     ) -> ConfusionMatrix:
    """Counts of (gold, predicted) label pairs; a missing prediction is its own column."""
    preds = [p if p is not None else none_label for p in pred]
    labels = sorted(set(gold) | set(preds), key=lambda x: (x == none_label, x))
    pos = {lab: i for i, lab in enumerate(labels)}
    m = [[0] * len(labels) for _ in labels]
    for g, p in zip(gold, preds, strict=True):
        m[pos[g]][pos[p]] += 1
    return ConfusionMatrix(labels=labels, matrix=m)


def calibration(confidence: Sequence[float], correct: Sequence[bool], *, bins: int = 10) -> Calibration | None:
    """Reliability bins of stated confidence (0–1) against accuracy, and ECE; ``None`` without scores."""
    pairs = [(min(max(float(c), 0.0), 1.0), bool(k)) for c, k in zip(confidence, correct, strict=True)]
    if not pairs:
        return None
    out, ece = [], 0.0
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        inside = [(c, k) for c, k in pairs if lo <= c < hi or (b == bins - 1 and c == 1.0)]
        if inside:
            conf = float(np.mean([c for c, _ in inside]))
            acc = float(np.mean([k for _, k in inside]))
            ece += len(inside) / len(pairs) * abs(conf - acc)
            out.append(CalibrationBin(lo=lo, hi=hi, n=len(inside), confidence=conf, accuracy=acc))
        else:
            out.append(CalibrationBin(lo=lo, hi=hi, n=0, confidence=None, accuracy=None))
    return Calibration(bins=out, ece=ece, n=len(pairs))
