"""The trainable triage model (``yizhu train triage --data FILE``): character n-gram TF-IDF features and a
multinomial logistic regression fitted with numpy (full-batch gradient descent, L2), saved as JSON + npz
(no pickle). The engine blends its probabilities with the knowledge path when a model is active.

Training data: JSONL ``{"text": "...", "department": "..."}`` per line, or CSV with a ``department``
column and ``text`` (or ``title`` + ``ask``, as in public consultation dumps). CSV may be UTF-8 or
GB18030; the encoding is detected, not assumed.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from yizhu.errors import InputError
from yizhu.knowledge.terminology.text import fold
from yizhu.learn.registry import Progress, Trainer, TrainingData

MODEL_FILE = "triage_model.json"
WEIGHTS_FILE = "triage_weights.npz"
MAX_RECORD_TEXT = 4000


@dataclass(frozen=True, slots=True)
class Labelled:
    text: str
    department: str


def _grams(text: str, n_max: int) -> list[str]:
    t = "".join(fold(text).split())
    out = []
    for n in range(1, n_max + 1):
        out.extend(t[i:i + n] for i in range(len(t) - n + 1))
    return out


class TriageModel:
    """Char n-gram TF-IDF + multinomial logistic regression."""

    def __init__(self, vocab: dict[str, int], idf: np.ndarray, weights: np.ndarray, bias: np.ndarray,
                 labels: list[str], n_max: int, version: str = "unsaved") -> None:
        self.vocab, self.idf, self.weights, self.bias = vocab, idf, weights, bias
        self.labels, self.n_max, self.version = labels, n_max, version

    def features(self, texts: Sequence[str]) -> Any:
        """Sparse (CSR) L2-normalised TF-IDF rows."""
        from scipy.sparse import csr_matrix

        rows, cols, vals = [], [], []
        for i, t in enumerate(texts):
            pairs = [(self.vocab[g], (1.0 + math.log(c)) * float(self.idf[self.vocab[g]]))
                     for g, c in Counter(_grams(t, self.n_max)).items() if g in self.vocab]
            norm = math.sqrt(sum(v * v for _, v in pairs)) or 1.0
            for j, v in pairs:
                rows.append(i)
                cols.append(j)
                vals.append(v / norm)
        return csr_matrix((np.asarray(vals, np.float32), (rows, cols)), shape=(len(texts), len(self.vocab)))

    def proba(self, texts: Sequence[str]) -> np.ndarray:
        z = np.asarray(self.features(texts) @ self.weights) + self.bias
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)

    def predict(self, text: str) -> dict[str, float]:
        p = self.proba([text])[0]
        return {lab: float(v) for lab, v in zip(self.labels, p, strict=True)}

    def save(self, directory: Path) -> list[str]:
        (directory / MODEL_FILE).write_text(json.dumps(
            {"labels": self.labels, "n_max": self.n_max, "vocab": self.vocab}, ensure_ascii=False), encoding="utf-8")
        np.savez_compressed(directory / WEIGHTS_FILE, idf=self.idf, weights=self.weights, bias=self.bias)
        return [MODEL_FILE, WEIGHTS_FILE]

    @classmethod
    def load(cls, directory: Path, version: str) -> TriageModel:
        meta = json.loads((directory / MODEL_FILE).read_text(encoding="utf-8"))
        with np.load(directory / WEIGHTS_FILE, allow_pickle=False) as z:
            return cls(meta["vocab"], z["idf"], z["weights"], z["bias"], meta["labels"], int(meta["n_max"]), version)


def fit_model(records: Sequence[Labelled], *, n_max: int = 2, min_df: int = 2, max_features: int = 20000,
              l2: float = 1e-4, epochs: int = 300, lr: float = 2.0, seed: int = 0) -> TriageModel:
    """Fit on ``records`` (the train part only)."""
    labels = sorted({r.department for r in records})
    if len(labels) < 2:
        raise InputError(f"training needs at least two departments; found {labels}")
    df: Counter[str] = Counter()
    for r in records:
        df.update(set(_grams(r.text, n_max)))
    kept = [g for g, c in df.most_common() if c >= min_df][:max_features]
    vocab = {g: i for i, g in enumerate(sorted(kept))}
    n = len(records)
    idf = np.array([math.log((1 + n) / (1 + df[g])) + 1.0 for g in sorted(kept)], dtype=np.float32)
    model = TriageModel(vocab, idf, np.zeros((len(vocab), len(labels)), np.float32),
                        np.zeros(len(labels), np.float32), labels, n_max)
    x = model.features([r.text for r in records])
    y = np.zeros((n, len(labels)), np.float32)
    idx = {lab: i for i, lab in enumerate(labels)}
    for i, r in enumerate(records):
        y[i, idx[r.department]] = 1.0
    # class weights: balanced, so a small department is not drowned by a large one
    counts = y.sum(axis=0)
    cw = (n / (len(labels) * np.maximum(counts, 1.0))).astype(np.float32)
    sw = (y * cw).sum(axis=1, keepdims=True)
    rng = np.random.default_rng(seed)
    w = (rng.standard_normal((x.shape[1], len(labels))) * 0.001).astype(np.float32)
    b = np.zeros(len(labels), np.float32)
    for _ in range(epochs):
        z = np.asarray(x @ w) + b
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        g = (p - y) * sw / n
        w -= lr * (np.asarray(x.T @ g) + l2 * w)
        b -= lr * g.sum(axis=0)
    model.weights, model.bias = w, b
    return model


def _decode(path: Path) -> str:
    data = path.read_bytes()
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise InputError(f"{path}: neither UTF-8 nor GB18030 text")


def load_records(path: Path, layout: str | None = None) -> tuple[str, list[Labelled]]:
    """Read labelled questions (JSONL or CSV); a bad record is an InputError naming the line."""
    lay = layout or ("csv" if path.suffix.lower() == ".csv" else "jsonl")
    text = _decode(path)
    out: list[Labelled] = []
    if lay == "jsonl":
        for i, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"{path}:{i}: not JSON ({exc.msg})") from exc
            if not isinstance(obj, dict) or not isinstance(obj.get("text"), str) or not isinstance(
                    obj.get("department"), str):
                raise InputError(f"{path}:{i}: each line needs string fields 'text' and 'department'")
            out.append(Labelled(obj["text"][:MAX_RECORD_TEXT], obj["department"].strip()))
    elif lay == "csv":
        reader = csv.DictReader(io.StringIO(text))
        cols = set(reader.fieldnames or [])
        if "department" not in cols or not ({"text"} <= cols or {"ask"} <= cols):
            raise InputError(f"{path}: a CSV needs a 'department' column and 'text' (or 'title' + 'ask'); "
                             f"found {sorted(cols)}")
        for i, row in enumerate(reader, 2):
            t = row.get("text") or "，".join(x for x in (row.get("title"), row.get("ask")) if x)
            d = (row.get("department") or "").strip()
            if not t or not d:
                raise InputError(f"{path}:{i}: empty text or department")
            out.append(Labelled(t[:MAX_RECORD_TEXT], d))
    else:
        raise InputError(f"unknown layout '{lay}'; known: jsonl, csv")
    if not out:
        raise InputError(f"{path}: no records")
    return lay, out


def metrics(gold: Sequence[str], ranked: Sequence[Sequence[str]]) -> dict[str, float]:
    """top-1, top-3 accuracy and macro-F1 (over the gold departments)."""
    n = len(gold) or 1
    top1 = [r[0] if r else "" for r in ranked]
    out = {"top1": sum(g == p for g, p in zip(gold, top1, strict=True)) / n,
           "top3": sum(g in r[:3] for g, r in zip(gold, ranked, strict=True)) / n}
    f1s = []
    for c in sorted(set(gold)):
        tp = sum(g == c and p == c for g, p in zip(gold, top1, strict=True))
        fp = sum(g != c and p == c for g, p in zip(gold, top1, strict=True))
        fn = sum(g == c and p != c for g, p in zip(gold, top1, strict=True))
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        f1s.append(2 * prec * rec / (prec + rec) if prec + rec else 0.0)
        out[f"recall[{c}]"] = rec
    out["macro_f1"] = sum(f1s) / len(f1s) if f1s else 0.0
    return out


class TriageTrainer(Trainer):
    kind = "triage"
    method = ("character 1–2-gram TF-IDF, multinomial logistic regression (balanced class weights, L2, numpy "
              "gradient descent); blended 50/50 with the knowledge path's normalised scores at run time")
    layouts = ("jsonl", "csv")
    DEFAULTS: ClassVar[dict[str, Any]] = {"n_max": 2, "min_df": 2, "max_features": 20000, "l2": 1e-4,
                                          "epochs": 300, "lr": 2.0}

    def __init__(self, **params: Any) -> None:
        unknown = sorted(set(params) - set(self.DEFAULTS))
        if unknown:
            raise InputError(f"unknown triage parameter(s) {', '.join(unknown)}; known: {', '.join(self.DEFAULTS)}")
        super().__init__(**{**self.DEFAULTS, **params})

    def load(self, path: Path, layout: str | None = None) -> TrainingData:
        lay, recs = load_records(path, layout)
        return TrainingData(path, lay, recs)

    def text_of(self, record: Labelled) -> str:
        return record.text

    def fit(self, train: Sequence[Labelled], *, data_dir: Path | None, seed: int, progress: Progress) -> TriageModel:
        progress(f"{len(train)} questions, {len({r.department for r in train})} departments")
        return fit_model(train, seed=seed, **self.params)

    def evaluate(self, model: TriageModel, held_back: Sequence[Labelled], *, data_dir: Path | None) -> dict[str, float]:
        p = model.proba([r.text for r in held_back])
        ranked = [[model.labels[j] for j in np.argsort(-row)] for row in p]
        return {k: round(v, 4) for k, v in metrics([r.department for r in held_back], ranked).items()}

    def save(self, model: TriageModel, directory: Path) -> list[str]:
        return model.save(directory)

    def metrics_note(self) -> str:
        return "model alone (no knowledge blend) on the held-back part of the hash split: top-1, top-3, macro-F1"
