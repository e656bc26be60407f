"""The trained diagnosis coder (``yizhu train normaliser``): what a hospital's own coding history adds.

A hospital owns years of 病案首页: free-text diagnoses paired with the names/codes its coders chose.
From them the trainer learns

- an **alias lexicon**: each segment of a training string aligned to the gold name it spells
  (character overlap), kept when seen; matched inside new strings with Aho–Corasick;
- **neighbours**: the training strings most similar to a new one (character uni+bigram TF-IDF
  cosine) vote for their gold names;
- **priors**: how often a name was coded, and how often it was right when it was a candidate;
- a **reranker**: gradient-boosted trees (LightGBM) over the candidate features of ``coding.py``
  plus the three above, trained with labels "this name is in the gold set";
- a **set decision**: thresholds on the reranker's probability chosen on out-of-fold predictions
  (keep every candidate above ``t_keep``; when none is, keep the best if above ``t_none``, else "no
  standard term").

Features of the training strings are *cross-fitted* (5 folds: aliases, neighbours and priors of a
fold come from the other folds), so the reranker learns how much to trust them on unseen strings.
Nothing is downloaded; training the CHIP-CDN train part takes about a minute on 2 cores.
"""

from __future__ import annotations

import gzip
import json
import math
import operator
import random
from collections import Counter, defaultdict
from collections.abc import Sequence
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any, ClassVar

import ahocorasick
import numpy as np

from yizhu.errors import ConfigError, InputError
from yizhu.knowledge.terminology import kernels
from yizhu.knowledge.terminology.cdn import Labelled, load_labelled
from yizhu.knowledge.terminology.coding import (
    _UNCERTAIN,
    FEATURES,
    Cand,
    CharIndex,
    CodingResult,
    DiagnosisCoder,
    F,
    Scored,
    micro_f1,
)
from yizhu.knowledge.terminology.text import fold, key
from yizhu.learn.registry import Progress, Trainer, TrainingData

MODEL_FILE = "normaliser.json.gz"
FORMAT_VERSION = 1
EXTRA = ("learned_match", "learned_count", "learned_maximal", "seg_knn_max", "seg_knn_vote")
ALL_FEATURES = (*FEATURES, *EXTRA)
_K = 10


class Memory:
    """Aliases, neighbours and priors learned from labelled strings (the Neighbours of ``coding.py``)."""

    def __init__(self, texts: Sequence[str], golds: Sequence[Sequence[str]], aliases: dict[str, dict[str, int]],
                 name_freq: dict[str, int], name_prec: dict[str, float]) -> None:
        self.texts = [fold(t) for t in texts]
        self.golds = [tuple(g) for g in golds]  # tuples of str: untracked by the cyclic collector
        self.aliases = aliases  # alias key → {name: count}
        self.name_freq = name_freq
        self.name_prec = name_prec
        self.index = CharIndex(self.texts)
        self._memo: dict[tuple[str, str], Any] = {}
        self._prior_table: tuple[Any, np.ndarray] | None = None
        # per dictionary: each training string's gold entries, each learned alias's entries (and as arrays)
        self._gold_entries: tuple[Any, list[tuple[int, ...]], tuple[np.ndarray, np.ndarray, int]] | None = None
        self._alias_entries: tuple[Any, list[tuple[int, ...]], tuple[np.ndarray, np.ndarray, int]] | None = None
        self.alias_keys = list(aliases)
        self.seg_index = CharIndex(self.alias_keys)
        self.auto = ahocorasick.Automaton()
        for k in aliases:
            if len(k) >= 2:
                self.auto.add_word(k, k)
        if len(self.auto):
            self.auto.make_automaton()

    # Neighbours protocol
    def candidates(self, folded: str) -> dict[str, tuple[float, float, float]]:
        hit = self._memo.get(("t", folded))
        if hit is None:
            hit = self._candidates(folded)
            self._remember(("t", folded), hit)
        return hit

    def _remember(self, k: tuple[str, str], v: Any) -> None:
        if len(self._memo) >= 200_000:
            self._memo.clear()
        self._memo[k] = v

    def _candidates(self, folded: str) -> dict[str, tuple[float, float, float]]:
        hits = self.index.query(folded, _K)
        if not hits:
            return {}
        votes: dict[str, list[float]] = defaultdict(list)
        for i, s in hits:
            for n in self.golds[i]:
                votes[n].append(s)
        n_hits = len(hits)
        return {n: (sum(map(operator.mul, vs, vs)), max(vs), len(vs) / n_hits) for n, vs in votes.items()}

    def entry_candidates(self, folded: str, d: Any) -> tuple[tuple[int, float, float, float], ...]:
        """``candidates`` keyed by the entries of dictionary ``d`` (names it lacks left out), in the same
        order: (entry, vote, max similarity, share of neighbours); memoised per text."""
        k = ("e", folded)
        hit = self._memo.get(k)
        if hit is None or hit[0] is not d:
            golds = self._gold_entries
            if golds is None or golds[0] is not d:
                by_name = d.by_name
                lists = [tuple(i for n in g if (i := by_name.get(n)) is not None) for g in self.golds]
                golds = self._gold_entries = (d, lists, kernels.labels_csr(lists))
            voted = self.index.votes(folded, _K, golds[2])  # the query and the votes in one compiled call
            if voted is None:
                hit = (d, self._entry_candidates(folded, golds[1]))
            else:
                ents, (sq, _, mx, frac) = voted
                hit = (d, tuple(zip(ents, sq, mx, frac, strict=True)))
            self._remember(k, hit)
        return hit[1]

    def _entry_candidates(self, folded: str, golds: list[tuple[int, ...]]) -> tuple[tuple[int, float, float, float], ...]:
        """``entry_candidates`` in Python (the compiled votes' twin): squares summed one by one in float64."""
        hits = self.index.query(folded, _K)
        if not hits:
            return ()
        votes: dict[int, list[float]] = {}
        for i, s in hits:
            for e in golds[i]:
                vs = votes.get(e)
                if vs is None:
                    votes[e] = [s]
                else:
                    vs.append(s)
        n_hits = len(hits)
        out = []
        for e, vs in votes.items():
            sq = 0.0
            for v in vs:
                sq += v * v
            out.append((e, sq, max(vs), len(vs) / n_hits))
        return tuple(out)

    def prior(self, name: str) -> tuple[float, float]:
        return math.log1p(self.name_freq.get(name, 0)), self.name_prec.get(name, -1.0)

    def prior_table(self, d: Any) -> np.ndarray:
        """``prior`` of every name of dictionary ``d``, one row per entry (computed once per dictionary)."""
        cached = self._prior_table
        if cached is None or cached[0] is not d or len(cached[1]) != len(d.entries):
            cached = self._prior_table = (d, np.array([self.prior(e.name) for e in d.entries],
                                                      dtype=np.float64).reshape(-1, 2))
        return cached[1]

    def alias_hits(self, seg: str) -> list[tuple[int, int, str, int]]:
        """(start, end, name, count) for learned aliases inside a folded segment."""
        if not len(self.auto):
            return []
        out = []
        for end_i, k in self.auto.iter(seg):
            st = end_i - len(k) + 1
            for name, cnt in self.aliases[k].items():
                out.append((st, end_i + 1, name, cnt))
        return out

    def seg_neighbours(self, seg: str, k: int = 5) -> dict[str, tuple[float, float]]:
        """name → (max cosine, summed cosine) over the training segments most like ``seg`` (memoised)."""
        hit = self._memo.get(("s", seg))
        if hit is None:
            hit = self._seg_neighbours(seg, k)
            self._remember(("s", seg), hit)
        return hit

    def _seg_neighbours(self, seg: str, k: int) -> dict[str, tuple[float, float]]:
        out: dict[str, tuple[float, float]] = {}
        for ki, cos in self.seg_index.query(seg, k):
            for name in self.aliases[self.alias_keys[ki]]:
                mx, sm = out.get(name, (0.0, 0.0))
                out[name] = (max(mx, cos), sm + cos)
        return out

    def alias_entries(self, seg: str, d: Any) -> tuple[int, tuple[tuple[int, int, int, float], ...]]:
        """``alias_hits`` of a folded segment with the names resolved to entries of dictionary ``d`` (names
        it lacks left out, in the same order) and the counts as log1p, beside the longest hit's length
        (over every hit, resolved or not); memoised per segment."""
        k = ("a", seg)
        hit = self._memo.get(k)
        if hit is None or hit[0] is not d:
            hits = self.alias_hits(seg)
            by_name = d.by_name
            hit = (d, (max((en - st for st, en, _, _ in hits), default=0),
                       tuple((st, en, i, math.log1p(cnt)) for st, en, name, cnt in hits
                             if (i := by_name.get(name)) is not None)))
            self._remember(k, hit)
        return hit[1]

    def seg_entries(self, seg: str, d: Any) -> tuple[tuple[int, float, float], ...]:
        """``seg_neighbours`` of a folded segment (without its uncertainty words; none under 2 characters)
        as (entry of dictionary ``d``, max cosine, summed cosine), names it lacks left out; memoised."""
        k = ("se", seg)
        hit = self._memo.get(k)
        if hit is None or hit[0] is not d:
            q = _UNCERTAIN.sub("", seg)
            res: tuple[tuple[int, float, float], ...] = ()
            if len(q) >= 2:
                self.alias_entry_table(d)
                voted = self.seg_index.votes(q, 5, self._alias_entries[2])  # type: ignore[index]
                if voted is None:
                    res = self._seg_entries(q, self.alias_entry_table(d))
                else:
                    ents, (_, sm, mx, _) = voted
                    res = tuple(zip(ents, mx, sm, strict=True))
            hit = (d, res)
            self._remember(k, hit)
        return hit[1]

    def _seg_entries(self, q: str, names: list[tuple[int, ...]]) -> tuple[tuple[int, float, float], ...]:
        """``seg_entries`` in Python (the compiled votes' twin)."""
        out: dict[int, tuple[float, float]] = {}
        for ki, cos in self.seg_index.query(q, 5):
            for i in names[ki]:  # a name and its entry are one to one: the same sums, by entry
                mx, sm = out.get(i, (0.0, 0.0))
                out[i] = (max(mx, cos), sm + cos)
        return tuple((i, mx, sm) for i, (mx, sm) in out.items())

    def alias_entry_table(self, d: Any) -> list[tuple[int, ...]]:
        """Per learned alias key (``alias_keys`` order), the entries of dictionary ``d`` its names are
        (names it lacks left out), in the alias's order; made once per dictionary."""
        cached = self._alias_entries
        if cached is None or cached[0] is not d:
            by_name = d.by_name
            lists = [tuple(i for n in self.aliases[a] if (i := by_name.get(n)) is not None) for a in self.alias_keys]
            cached = self._alias_entries = (d, lists, kernels.labels_csr(lists))
        return cached[1]

    def to_json(self) -> dict[str, Any]:
        return {"texts": self.texts, "golds": self.golds, "aliases": self.aliases, "name_freq": self.name_freq,
                "name_prec": self.name_prec}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Memory:
        return cls(d["texts"], d["golds"], d["aliases"], d["name_freq"], d["name_prec"])

    @classmethod
    def learn(cls, coder: DiagnosisCoder, records: Sequence[Labelled]) -> Memory:
        aliases: dict[str, dict[str, int]] = defaultdict(dict)
        freq: Counter[str] = Counter()
        for r in records:
            freq.update(r.names)
            for seg_key, name in align(coder, r):
                aliases[seg_key][name] = aliases[seg_key].get(name, 0) + 1
        # precision of names as rule candidates (how often a candidate name is right)
        cand_n: Counter[str] = Counter()
        cand_ok: Counter[str] = Counter()
        for r in records:
            sc = coder.candidates(r.text, shapes=False)
            gold = set(r.names)
            for c in sc.cands:
                n = coder.d.entries[c.entry].name
                cand_n[n] += 1
                if n in gold:
                    cand_ok[n] += 1
        prec = {n: (cand_ok[n] + 0.5) / (c + 1.0) for n, c in cand_n.items()}
        return cls([r.text for r in records], [list(r.names) for r in records], dict(aliases), dict(freq), prec)


def align(coder: DiagnosisCoder, r: Labelled) -> list[tuple[str, str]]:
    """(segment key, gold name) pairs: each segment with the gold name it overlaps most."""
    folded = fold(r.text)
    segs = [folded[s:e] for s, e in coder.segments(folded)]
    out = []
    if len(segs) == 1:  # one segment: every gold name is a concept of it (右肺腺癌 → 肺恶性肿瘤, 腺癌)
        k = key(_UNCERTAIN.sub("", segs[0]))
        if len(k) >= 2:
            out.extend((k, n) for n in r.names)
        return out
    for seg in segs:
        k = key(_UNCERTAIN.sub("", seg))
        if len(k) < 2:
            continue
        best, best_s = None, 0.0
        for n in r.names:
            s = SequenceMatcher(None, k, key(n), autojunk=False).ratio()
            if s > best_s:
                best, best_s = n, s
        if best is not None and best_s >= 0.5:
            out.append((k, best))
    return out


_NEW_ROW = np.zeros(len(FEATURES), dtype=np.float32)
_NEW_ROW[F["fuzzy_seg_rank"]] = 50.0
_STATIC = slice(F["name_len"], F["chapter"] + 1)  # name_len, is_morph, is_nos, chapter: adjacent columns
_PRIOR = slice(F["prior_log"], F["prior_prec"] + 1)
_N_SEGMENTS, _TEXT_LEN, _COV_NAME = F["n_segments"], F["text_len"], F["cov_name"]
_NF = len(FEATURES)
_MEMORY_COLS = np.array([_STATIC.start, _N_SEGMENTS, _TEXT_LEN, _COV_NAME, _PRIOR.start], dtype=np.int64)


def features(coder: DiagnosisCoder, memory: Memory | None, text: str) -> tuple[Scored, np.ndarray]:
    """Candidates of one string and their feature matrix (rows in ``sc.cands`` order).

    The memory adds its learned aliases (``alias_entries``) and its training segments' neighbours
    (``seg_entries``), both memoised per segment with their names resolved to dictionary entries; a name
    only the memory proposes becomes a new candidate (kind "learned") whose row — the dictionary
    candidates' shape columns it can have: name shape, text shape, coverage of its name, priors — is
    filled for all such candidates at once at the end."""
    sc = coder.candidates(text, memory)
    extra: dict[int, list[float]] = {}
    new: list[Cand] = []  # candidates only the memory proposed, in the order they were made
    new_cov: list[float] = []
    if memory is not None:
        d = coder.d
        by_entry = sc.by_entry  # entry → candidate; a name and its entry are one to one
        cands = sc.cands
        folded = sc.folded
        has_char = folded.__contains__
        keys = d.entry_keys
        for si, (s, e) in enumerate(sc.segments):
            seg = folded[s:e]
            longest, hits = memory.alias_entries(seg, d)
            for st, en, i, lcnt in hits:
                c = by_entry.get(i)
                if c is None:
                    nk = keys[i]
                    c = by_entry[i] = Cand(i, _NEW_ROW, s + st, s + en, si, "learned")
                    cands.append(c)
                    new.append(c)
                    new_cov.append(sum(map(has_char, nk)) / max(len(nk), 1))
                ex = extra.get(i)
                if ex is None:
                    ex = extra[i] = [0.0, 0.0, 0.0, 0.0, 0.0]
                ex[0] = max(ex[0], (en - st) / max(e - s, 1))
                ex[1] = max(ex[1], lcnt)
                ex[2] = max(ex[2], 1.0 if en - st == longest else 0.0)
                if c.via in ("fuzzy", "neighbours"):
                    c.start, c.end, c.segment, c.via = s + st, s + en, si, "learned"
            for i, mx, sm in memory.seg_entries(seg, d):
                c = by_entry.get(i)
                if c is None:
                    nk = keys[i]
                    c = by_entry[i] = Cand(i, _NEW_ROW, s, e, si, "learned")
                    cands.append(c)
                    new.append(c)
                    new_cov.append(sum(map(has_char, nk)) / max(len(nk), 1))
                ex = extra.get(i)
                if ex is None:
                    ex = extra[i] = [0.0, 0.0, 0.0, 0.0, 0.0]
                ex[3] = max(ex[3], mx)
                ex[4] += sm
                if c.via == "neighbours":
                    c.start, c.end, c.segment, c.via = s, e, si, "learned"
    n = len(sc.cands)
    X = np.zeros((n, len(ALL_FEATURES)), dtype=np.float32)
    if memory is not None and sc.matrix is not None and coder.d.compiled_names() is not None:
        # the same rows in one compiled call (a dozen small numpy assignments below)
        rows = []
        vals = []
        if extra:
            get = extra.get
            for j, c in enumerate(sc.cands):
                ex = get(c.entry)
                if ex is not None:
                    rows.append(j)
                    vals.append(ex)
        kernels.memory_rows(X, sc.matrix, _NEW_ROW, [c.entry for c in new], new_cov, coder.d.static,
                            memory.prior_table(coder.d), _MEMORY_COLS, len(sc.segments), len(sc.text), rows, vals)
        for j, c in enumerate(new, n - len(new)):
            c.feats = X[j, :_NF]
        return sc, X
    m = 0
    if sc.matrix is not None:  # the dictionary candidates' rows at once; the memory's own ones follow
        m = len(sc.matrix)
        X[:m, :_NF] = sc.matrix
    if new and memory is not None:
        k = n - len(new)
        ids = np.fromiter((c.entry for c in new), dtype=np.int64, count=len(new))
        block = X[k:, :_NF]
        block[:] = _NEW_ROW
        block[:, _STATIC] = coder.d.static.take(ids, axis=0)  # name length, morphology, NOS, chapter
        block[:, _N_SEGMENTS] = len(sc.segments)
        block[:, _TEXT_LEN] = len(sc.text)
        block[:, _COV_NAME] = new_cov
        block[:, _PRIOR] = memory.prior_table(coder.d).take(ids, axis=0)
        for j, c in enumerate(new, k):
            c.feats = X[j, :_NF]
    if extra:
        rows = []
        vals = []
        for j, c in enumerate(sc.cands):
            ex = extra.get(c.entry)
            if ex is not None:
                rows.append(j)
                vals.append(ex)
        X[rows, _NF:] = vals
    return sc, X


class NormaliserModel:
    """The runtime side: memory + reranker + thresholds; ``decide`` is called by ``DiagnosisCoder``."""

    def __init__(self, memory: Memory, booster: Any, t_keep: float, t_none: float, version: str = "") -> None:
        self.memory = memory
        self.booster = booster
        self.t_keep = t_keep
        self.t_none = t_none
        self.version = version
        # the same trees as a compiled loop (identical probabilities, several times less overhead per call);
        # LightGBM itself answers when numba is unavailable or the model has splits the loop does not read
        self.forest: kernels.Forest | None = None
        if kernels.available():
            try:
                self.forest = kernels.Forest.from_booster(booster)
            except ValueError:
                self.forest = None

    def predict(self, X: np.ndarray) -> np.ndarray:
        if len(X) == 0:
            return np.zeros(0)
        if self.forest is not None:
            return self.forest.predict(X)
        return np.asarray(self.booster.predict(X, num_threads=1))

    # a batch is scored 8 strings at a time: one predict call per 8 (measured on the CHIP-CDN test part:
    # as fast as one by one or slightly faster, where 32 or 256 at a time were 10-15 % slower — the
    # candidates of many strings no longer stay in the caches until the trees read them)
    CHUNK = 8

    def ranked(self, coder: DiagnosisCoder, texts: Sequence[str]) -> list[tuple[Scored, dict[int, float], CodingResult]]:
        """Candidates, reranker probabilities and the set decision for each text (one predict call for every
        ``CHUNK`` texts; the probabilities do not depend on what else is in the call)."""
        if len(texts) > self.CHUNK:
            return [r for i in range(0, len(texts), self.CHUNK) for r in self._ranked(coder, texts[i:i + self.CHUNK])]
        return self._ranked(coder, texts)

    def _ranked(self, coder: DiagnosisCoder, texts: Sequence[str]) -> list[tuple[Scored, dict[int, float], CodingResult]]:
        mats = []
        scs = []
        for t in texts:
            sc, X = features(coder, self.memory, t)
            scs.append(sc)
            mats.append(X)
        P = self.predict(mats[0] if len(mats) == 1 else np.vstack(mats)) if mats and sum(len(m) for m in mats) \
            else np.zeros(0)
        out = []
        pos = 0
        for sc, X in zip(scs, mats, strict=True):
            p = P[pos:pos + len(X)]
            pos += len(X)
            # by_entry lists the candidates in their order (``features`` appends to both alike)
            order = sc.by_entry if len(sc.by_entry) == len(sc.cands) else [c.entry for c in sc.cands]
            scores = dict(zip(order, p.tolist(), strict=True))
            out.append((sc, scores, self.pick(coder, sc, scores)))
        return out

    def pick(self, coder: DiagnosisCoder, sc: Scored, scores: dict[int, float]) -> CodingResult:
        picks = {e: s for e, s in scores.items() if s >= self.t_keep}
        if not picks and scores:
            best = max(scores, key=lambda e: scores[e])
            if scores[best] >= self.t_none:
                picks[best] = scores[best]
        return coder.result(sc, picks, "model", scores)

    # ---- files

    def save(self, directory: Path) -> list[str]:
        payload = {"format": FORMAT_VERSION, "features": list(ALL_FEATURES), "t_keep": self.t_keep,
                   "t_none": self.t_none, "memory": self.memory.to_json(), "booster": self.booster.model_to_string()}
        with gzip.open(directory / MODEL_FILE, "wt", encoding="utf-8") as fh:
            json.dump(payload, fh, ensure_ascii=False)
        return [MODEL_FILE]

    @classmethod
    def load(cls, directory: Path, version: str = "") -> NormaliserModel:
        import lightgbm as lgb

        f = directory / MODEL_FILE
        try:
            with gzip.open(f, "rt", encoding="utf-8") as fh:
                payload = json.load(fh)
        except (OSError, ValueError) as exc:
            raise ConfigError(f"{f}: cannot read the normaliser model ({exc})") from exc
        if payload.get("format") != FORMAT_VERSION or payload.get("features") != list(ALL_FEATURES):
            raise ConfigError(f"{f}: trained by another version of yizhu (features differ); retrain with "
                              "`yizhu train normaliser --data FILE`")
        booster = lgb.Booster(model_str=payload["booster"])
        return cls(Memory.from_json(payload["memory"]), booster, float(payload["t_keep"]), float(payload["t_none"]),
                   version)


def _best_thresholds(groups: Sequence[tuple[list[str], list[str], np.ndarray]]) -> tuple[float, float, float]:
    """(t_keep, t_none, f1) maximising micro-F1 over out-of-fold predictions."""
    best = (0.5, 0.3, -1.0)
    for t_keep in np.arange(0.15, 0.75, 0.025):
        for t_none in np.arange(0.02, float(t_keep) + 1e-9, 0.04):
            tp = fp = fn = 0
            for gold, names, p in groups:
                chosen = {n for n, pi in zip(names, p, strict=True) if pi >= t_keep}
                if not chosen and len(p):
                    j = int(np.argmax(p))
                    if p[j] >= t_none:
                        chosen = {names[j]}
                g = set(gold)
                tp += len(g & chosen)
                fp += len(chosen - g)
                fn += len(g - chosen)
            f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
            if f1 > best[2]:
                best = (float(t_keep), float(t_none), f1)
    return best


class NormaliserTrainer(Trainer):
    """Trains the diagnosis coder's reranker and set decision from labelled diagnosis strings."""

    kind = "normaliser"
    method = ("candidates from the dictionary (exact keys, aliases, tumour rules, char n-gram TF-IDF) and the "
              "training strings (learned aliases, nearest neighbours); LightGBM reranker; thresholds for the "
              "set decision tuned on 5-fold out-of-fold predictions")
    layouts = ("cdn", "jsonl", "csv")

    # 150 rounds at 0.1 decide as well as 300 at 0.05 (CHIP-CDN test part 0.629 vs 0.628) in half the trees
    DEFAULTS: ClassVar[dict[str, Any]] = {"folds": 5, "num_leaves": 31, "learning_rate": 0.1, "rounds": 150,
                                "min_data_in_leaf": 20, "feature_fraction": 0.9, "bagging_fraction": 0.9,
                                "num_threads": 1}

    def __init__(self, **params: Any) -> None:
        unknown = sorted(set(params) - set(self.DEFAULTS))
        if unknown:
            raise InputError(f"unknown normaliser parameter(s) {', '.join(unknown)}; known: {', '.join(self.DEFAULTS)}")
        super().__init__(**{**self.DEFAULTS, **params})
        self._coder: DiagnosisCoder | None = None

    def coder(self, data_dir: Path | None) -> DiagnosisCoder:
        if self._coder is None:
            from yizhu.knowledge.terminology import terminology

            self._coder = DiagnosisCoder(terminology(data_dir).coding_dictionary)
        return self._coder

    def load(self, path: Path, layout: str | None = None) -> TrainingData:
        lay, recs = load_labelled(path, layout)
        notes = []
        return TrainingData(path, lay, recs, notes=notes)

    def text_of(self, record: Labelled) -> str:
        return record.text

    def _resolve(self, coder: DiagnosisCoder, recs: Sequence[Labelled]) -> list[Labelled]:
        """Codes → the dictionary's names (for 病案首页 exports that carry codes only)."""
        by_code: dict[str, str] = {}
        for e in coder.d.entries:
            by_code.setdefault(e.code.upper(), e.name)
        out = []
        for r in recs:
            if r.names:
                out.append(r)
                continue
            names = tuple(by_code[c.upper()] for c in r.codes if c.upper() in by_code)
            if names:
                out.append(Labelled(r.text, names, r.codes))
        return out

    def fit(self, train: Sequence[Labelled], *, data_dir: Path | None, seed: int, progress: Progress) -> NormaliserModel:
        import lightgbm as lgb

        coder = self.coder(data_dir)
        train = self._resolve(coder, train)
        if len(train) < 10:
            raise InputError(f"{len(train)} usable training record(s); at least 10 are needed")
        progress(f"dictionary: {len(coder.d.entries)} names ({coder.d.source})")
        folds = max(2, min(int(self.params["folds"]), len(train) // 5))
        order = list(range(len(train)))
        random.Random(seed).shuffle(order)
        fold_of = {idx: i % folds for i, idx in enumerate(order)}
        mats: list[np.ndarray] = []
        labels: list[np.ndarray] = []
        groups: list[tuple[list[str], list[str], int]] = []
        for k in range(folds):
            inner = [r for i, r in enumerate(train) if fold_of[i] != k]
            outer = [(i, r) for i, r in enumerate(train) if fold_of[i] == k]
            mem = Memory.learn(coder, inner)
            for _, r in outer:
                sc, X = features(coder, mem, r.text)
                names = [coder.d.entries[c.entry].name for c in sc.cands]
                gold = set(r.names)
                mats.append(X)
                labels.append(np.array([1.0 if n in gold else 0.0 for n in names], dtype=np.float32))
                groups.append((list(r.names), names, len(X)))
            progress(f"fold {k + 1}/{folds}: features for {len(outer)} strings")
        X_all = np.vstack(mats)
        y_all = np.concatenate(labels)
        recall = sum(int(lab.sum()) for lab in labels) / max(sum(len(g[0]) for g in groups), 1)
        progress(f"{len(X_all)} candidate rows; gold names among candidates: {recall:.3f}")
        params = {"objective": "binary", "num_leaves": self.params["num_leaves"],
                  "learning_rate": self.params["learning_rate"], "min_data_in_leaf": self.params["min_data_in_leaf"],
                  "feature_fraction": self.params["feature_fraction"], "bagging_fraction": self.params["bagging_fraction"],
                  "bagging_freq": 1, "num_threads": self.params["num_threads"], "seed": seed, "verbose": -1,
                  "deterministic": True}
        # out-of-fold probabilities for the thresholds: a reranker per fold over the cross-fitted rows
        row_fold = np.concatenate([np.full(len(m), fold_of[i], dtype=np.int32)
                                   for (i, m) in zip(sorted(range(len(train)), key=lambda i: (fold_of[i], i)), mats,
                                                     strict=True)])
        oof = np.zeros(len(X_all))
        for k in range(folds):
            tr = row_fold != k
            b = lgb.train(params, lgb.Dataset(X_all[tr], y_all[tr], feature_name=list(ALL_FEATURES)),
                          num_boost_round=int(self.params["rounds"]))
            oof[~tr] = b.predict(X_all[~tr], num_threads=int(self.params["num_threads"]))
        pos = 0
        tgroups = []
        for gold, names, n in groups:
            tgroups.append((gold, names, oof[pos:pos + n]))
            pos += n
        t_keep, t_none, f1 = _best_thresholds(tgroups)
        progress(f"thresholds: keep ≥ {t_keep:.3f}, else best ≥ {t_none:.3f} (out-of-fold micro-F1 {f1:.4f})")
        self.params["t_keep"], self.params["t_none"], self.params["oof_f1"] = t_keep, t_none, round(f1, 4)
        self.params["candidate_recall"] = round(recall, 4)
        # candidate generation's settings the reranker was fitted to (coding_rules.yaml), for the card
        self.params["fuzzy_segment_k"] = coder.rules.fuzzy_segment_k
        self.params["fuzzy_common_df"] = coder.rules.fuzzy_common_df
        self.params["fuzzy_common_max"] = coder.rules.fuzzy_common_max
        booster = lgb.train(params, lgb.Dataset(X_all, y_all, feature_name=list(ALL_FEATURES)),
                            num_boost_round=int(self.params["rounds"]))
        memory = Memory.learn(coder, train)
        return NormaliserModel(memory, booster, t_keep, t_none)

    def evaluate(self, model: NormaliserModel, held_back: Sequence[Labelled], *, data_dir: Path | None) -> dict[str, float]:
        coder = self.coder(data_dir)
        held = self._resolve(coder, held_back)
        rules = DiagnosisCoder(coder.d)
        learned = DiagnosisCoder(coder.d, model)
        texts = [r.text for r in held]
        golds = [r.names for r in held]
        m = micro_f1(golds, [r.names for r in learned.code_many(texts)])
        r0 = micro_f1(golds, [r.names for r in rules.code_many(texts)])
        return {"micro_f1": m["f1"], "precision": m["precision"], "recall": m["recall"], "rules_micro_f1": r0["f1"],
                "records": float(len(held))}

    def save(self, model: NormaliserModel, directory: Path) -> list[str]:
        return model.save(directory)

    def metrics_note(self) -> str:
        return ("CHIP-CDN official metric: micro precision/recall/F1 over the set of standard names per record, on "
                "the held-back part (never used for fitting or thresholds). rules_micro_f1 is the same coder "
                "without the model.")
