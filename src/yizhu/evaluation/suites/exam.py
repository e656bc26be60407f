"""Suites ``exam`` and ``exam-rag``: licensing-exam multiple choice, direct and with cited passages.

``exam`` asks the model each question (CMExam, CMB-Exam, MedQA-MCMLE, CNMLEQA layouts) and reads
``答案：X`` and ``置信度：N`` from the reply: accuracy (an abstention or unreadable reply counts as
wrong), accuracy on answered questions, abstention, a letter confusion matrix (position bias shows
up as a column) and calibration of the stated confidence.

``exam-rag`` first retrieves passages from the dataset's corpus (character-bigram BM25, so it runs
offline and deterministically), asks for an answer with ``[P1]``-style citations, and adds citation
precision (citations that point at a passage supporting the answer), the fabricated-citation rate
(ids that were never provided) and the unsupported-claim rate (reasoning sentences without a valid
citation).
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from yizhu.evaluation.dataset import Case, Dataset, parse_structured, read_text
from yizhu.evaluation.metrics import (
    MetricValue,
    calibration,
    citations_in,
    confusion_matrix,
    mean_metric,
    ratio_metric,
    unsupported_claims,
)
from yizhu.evaluation.suites.base import (
    Outcome,
    ResultView,
    RunEnv,
    Suite,
    Summary,
    breakdown,
    failures,
    render,
)

TASK = "eval.exam"
_ANSWER = re.compile(r"答案\s*[】\]]?\s*[:：]?\s*(?:是|为)?\s*[\(（【\[]?\s*([A-Ha-h](?:\s*[,，、和及/]?\s*[A-Ha-h])*)(?![A-Za-z])")
_BARE = re.compile(r"^\s*[\(（【\[]?([A-H](?:\s*[,，、]?\s*[A-H])*)[\)）】\]]?(?:[\s。.,，:：]|$)")
_CONF = re.compile(r"置信度\s*[:：]?\s*(\d{1,3}(?:\.\d+)?)\s*%?")
_ABSTAIN = re.compile(r"无法作答|无法回答|不能确定答案|资料不足")
_REASON = re.compile(r"依据\s*[:：](.*)", re.S)


def parse_answer(text: str) -> tuple[str | None, float | None, bool]:
    """(answer letters, confidence 0–1, abstained) from a model's reply."""
    conf = None
    m = _CONF.search(text or "")
    if m:
        value = float(m.group(1))
        conf = min(value / 100.0 if value > 1 else value, 1.0)
    m = _ANSWER.search(text or "")
    letters = m.group(1) if m else None
    if letters is None:
        if _ABSTAIN.search(text or ""):
            return None, conf, True
        b = _BARE.match(text or "")
        letters = b.group(1) if b else None
    if letters is None:
        return None, conf, False
    clean = "".join(sorted({ch for ch in letters.upper() if ch.isalpha()}))
    return clean or None, conf, False


def _call(env: RunEnv, prompt: Any) -> Any:
    model = env.require_model()
    return env.gateway.chat(TASK, prompt, params=env.params(), model=model)


def _score_answer(case: Case, text: str) -> tuple[dict[str, Any], dict[str, float | None], dict[str, Any], bool]:
    gold = str((case.expected or {}).get("answer", ""))
    pred, conf, abstained = parse_answer(text)
    correct = pred == gold
    output = {"answer": pred, "confidence": conf, "reply": text}
    scores: dict[str, float | None] = {"correct": 1.0 if correct else 0.0}
    data = {"gold": gold, "pred": pred, "confidence": conf, "parsed": pred is not None,
            "multi": len(gold) > 1 or case.metadata.get("question_type") == "multi"}
    return output, scores, data, abstained


def _exam_metrics(results: Sequence[ResultView], seed: int) -> dict[str, MetricValue]:
    correct = [1.0 if r.status == "ok" and r.data.get("pred") == r.data.get("gold") else 0.0 for r in results]
    answered = [r for r in results if r.status == "ok" and r.data.get("pred")]
    out = {
        "accuracy": mean_metric("accuracy", correct, seed=seed, title="accuracy (abstentions count as wrong)"),
        "accuracy_answered": mean_metric(
            "accuracy_answered", [1.0 if r.data.get("pred") == r.data.get("gold") else 0.0 for r in answered],
            seed=seed, gate=False, title="accuracy on answered questions"),
        "abstention_rate": mean_metric(
            "abstention_rate", [0.0 if r.status == "ok" and r.data.get("pred") else 1.0 for r in results],
            higher_is_better=False, gate=False, seed=seed, title="abstention / no readable answer"),
    }
    return out


def _exam_summary(results: Sequence[ResultView], seed: int) -> Summary:
    metrics = _exam_metrics(results, seed)
    single = [r for r in results if r.status == "ok" and not r.data.get("multi")]
    cm = confusion_matrix([str(r.data.get("gold")) for r in single], [r.data.get("pred") for r in single]) \
        if single else None
    scored = [r for r in results if r.status == "ok" and r.data.get("confidence") is not None and r.data.get("pred")]
    cal = calibration([float(r.data["confidence"]) for r in scored],
                      [r.data.get("pred") == r.data.get("gold") for r in scored]) if scored else None
    if cal is not None:
        metrics["ece"] = MetricValue(name="ece", value=cal.ece, n=cal.n, higher_is_better=False, gate=False,
                                     title="expected calibration error")
    notes = []
    if any(r.status == "abstained" for r in results):
        notes.append("The no-LLM path (or an unavailable model) abstains on every question: exams need a model.")
    return Summary(
        metrics=metrics,
        breakdown=breakdown(results, lambda g: {
            "accuracy": mean_metric("accuracy", [1.0 if r.status == "ok" and r.data.get("pred") == r.data.get("gold")
                                                 else 0.0 for r in g], seed=seed)}),
        confusion=cm,
        calibration=cal,
        notes=notes,
        failures=failures(results),
    )


class ExamSuite(Suite):
    """Multiple-choice licensing-exam questions answered directly by the model."""

    name = "exam"
    title = "医学考试 exam QA (direct)"
    version = "1"
    engine = "model (gateway task eval.exam)"
    uses_model = True
    formats = ("mcq",)
    default_data = "exam.cmb.sample.json"
    prompt_ids = ("eval.exam",)
    headline = ("accuracy", "accuracy_answered", "abstention_rate")

    def run_case(self, case: Case, env: RunEnv, dataset: Dataset) -> Outcome:
        multi = len(str((case.expected or {}).get("answer", ""))) > 1 or case.metadata.get("question_type") == "multi"
        prompt = render("eval.exam", question=case.inputs["question"], options=case.inputs["options"], multi=multi)
        completion = _call(env, prompt)
        output, scores, data, abstained = _score_answer(case, completion.text)
        return Outcome(status="abstained" if abstained else "ok", output=output, scores=scores, data=data,
                       model_id=completion.model_id, degraded=list(completion.degraded))

    def summarise(self, dataset: Dataset, results: Sequence[ResultView], *, seed: int = 0) -> Summary:
        return _exam_summary(results, seed)


# ── retrieval for exam-rag ───────────────────────────────────────────────────────────────


def _bigrams(text: str) -> list[str]:
    chars = [c for c in text if not c.isspace()]
    return [a + b for a, b in itertools.pairwise(chars)] or chars


class BigramBM25:
    """BM25 over character bigrams: no tokenizer, no index files, deterministic."""

    def __init__(self, docs: Sequence[str], k1: float = 1.5, b: float = 0.75) -> None:
        self.tfs = [Counter(_bigrams(d)) for d in docs]
        self.lens = [sum(tf.values()) for tf in self.tfs]
        self.avg = (sum(self.lens) / len(self.lens)) if self.lens else 0.0
        df: Counter[str] = Counter()
        for tf in self.tfs:
            df.update(tf.keys())
        n = len(docs)
        self.idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in df.items()}
        self.k1, self.b = k1, b

    def search(self, query: str, k: int) -> list[int]:
        """Indices of the best ``k`` documents (ties by position)."""
        q = Counter(_bigrams(query))
        scores = []
        for i, tf in enumerate(self.tfs):
            s = 0.0
            norm = self.k1 * (1 - self.b + self.b * self.lens[i] / (self.avg or 1))
            for t in q:
                if t in tf:
                    s += self.idf[t] * tf[t] * (self.k1 + 1) / (tf[t] + norm)
            scores.append((s, -i))
        ranked = sorted(range(len(scores)), key=lambda i: scores[i], reverse=True)
        return [i for i in ranked[:k] if scores[i][0] > 0]


def corpus_of(dataset: Dataset) -> list[dict[str, str]]:
    """The passages of an exam-rag dataset: ``extra.corpus`` inline, or a file path relative to the dataset."""
    raw = dataset.extra.get("corpus")
    if isinstance(raw, str):
        base = Path(dataset.path).parent if dataset.path else Path(".")
        p = base / raw
        raw = parse_structured(p, read_text(p))
        if isinstance(raw, dict):
            raw = raw.get("passages") or raw.get("corpus")
    if not isinstance(raw, list) or not raw:
        from yizhu.errors import InputError

        raise InputError(f"dataset {dataset.name}: exam-rag needs extra.corpus, a list of passages "
                         "{id, title, source, text} (or a file name holding them)")
    return [{"id": str(p["id"]), "title": str(p.get("title", "")), "source": str(p.get("source", "")),
             "text": str(p["text"])} for p in raw]


_INDEX_CACHE: dict[str, tuple[list[dict[str, str]], BigramBM25]] = {}


def _index(dataset: Dataset) -> tuple[list[dict[str, str]], BigramBM25]:
    key = dataset.fingerprint()
    if key not in _INDEX_CACHE:
        corpus = corpus_of(dataset)
        _INDEX_CACHE[key] = (corpus, BigramBM25([p["title"] + p["text"] for p in corpus]))
    return _INDEX_CACHE[key]


class ExamRAGSuite(Suite):
    """Exam questions answered from retrieved passages, with citations checked."""

    name = "exam-rag"
    title = "医学考试 exam QA (RAG with citations)"
    version = "1"
    engine = "model + retrieval (gateway task eval.exam)"
    uses_model = True
    formats = ("yizhu",)
    default_data = "exam_rag.sample.yaml"
    prompt_ids = ("eval.exam_rag",)
    headline = ("accuracy", "citation_precision", "unsupported_claim_rate", "fabricated_citation_rate")

    def run_case(self, case: Case, env: RunEnv, dataset: Dataset) -> Outcome:
        corpus, index = _index(dataset)
        k = int(dataset.extra.get("top_k", 3))
        opts = case.inputs["options"]
        hits = [corpus[i] for i in index.search(case.inputs["question"] + "".join(opts.values()), k)]
        retrieved = [p["id"] for p in hits]
        multi = len(str((case.expected or {}).get("answer", ""))) > 1
        prompt = render("eval.exam_rag", question=case.inputs["question"], options=opts, multi=multi, passages=hits)
        completion = _call(env, prompt)
        output, scores, data, abstained = _score_answer(case, completion.text)
        m = _REASON.search(completion.text)
        reasoning = m.group(1).strip() if m else ""
        cited = citations_in(completion.text)
        support = set((case.expected or {}).get("support") or retrieved)
        bad, total = unsupported_claims(reasoning, retrieved)
        data.update({
            "retrieved": retrieved, "cited": cited,
            "cited_supporting": sum(1 for c in cited if c in support),
            "cited_fabricated": sum(1 for c in cited if c not in retrieved),
            "claims": total, "unsupported": bad,
            "support_retrieved": len(set((case.expected or {}).get("support") or []) & set(retrieved)),
            "support_total": len((case.expected or {}).get("support") or []),
        })
        output["citations"] = cited
        return Outcome(status="abstained" if abstained else "ok", output=output, scores=scores, data=data,
                       model_id=completion.model_id, degraded=list(completion.degraded))

    def summarise(self, dataset: Dataset, results: Sequence[ResultView], *, seed: int = 0) -> Summary:
        summary = _exam_summary(results, seed)
        ok = [r for r in results if r.status == "ok"]

        def col(key: str) -> list[float]:
            return [float(r.data.get(key, 0)) for r in ok]

        n_cited = [float(len(r.data.get("cited", []))) for r in ok]
        summary.metrics.update({
            "citation_precision": ratio_metric("citation_precision", col("cited_supporting"), n_cited, seed=seed,
                                               title="citation precision"),
            "fabricated_citation_rate": ratio_metric("fabricated_citation_rate", col("cited_fabricated"), n_cited,
                                                     higher_is_better=False, seed=seed,
                                                     title="citations to passages never given"),
            "unsupported_claim_rate": ratio_metric("unsupported_claim_rate", col("unsupported"), col("claims"),
                                                   higher_is_better=False, seed=seed,
                                                   title="reasoning sentences without a valid citation"),
            "retrieval_recall": ratio_metric("retrieval_recall", col("support_retrieved"), col("support_total"),
                                             seed=seed, gate=False, title="supporting passages retrieved"),
        })
        return summary
