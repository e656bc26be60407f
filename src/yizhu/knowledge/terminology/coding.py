"""Diagnosis coding that decides: a diagnosis string → the set of standard concepts it contains.

Where ``normalise.py`` ranks candidates, this module *decides*: for one string it returns each concept
with its span in the input, the dictionary's exact name and code, a score, ranked alternatives, and
nothing at all ("no standard term") when no candidate is good enough.

The dictionary is the one the hospital imported (``yizhu kb import … --kind icd``), names exactly as the
table spells them (brackets, commas and all); without an import it is the shipped pack. Morphology
codes (M8140/3 腺癌) are concepts too, beside the site code (直肠恶性肿瘤).

Pipeline for one string:

1. Split on punctuation, spaces, brackets and enumerations into segments (offsets kept; the text is
   folded full-width → half-width one character for one character).
2. Candidates per segment: every dictionary key found inside it (Aho–Corasick over names, bracketed
   alternatives, not-otherwise-specified forms, curated aliases and abbreviations from
   ``coding_rules.yaml``, and aliases a trained model learned); tumour rules (site + 癌 → site恶性肿瘤
   and the morphology 癌/腺癌/…; 转移 → 继发恶性肿瘤); and character n-gram TF-IDF neighbours of the
   segment and of what the exact matches leave uncovered, re-scored by edit similarity.
3. Each candidate gets a feature vector (how it matched, coverage, similarity, name shape, and with a
   model: neighbours among the training strings and priors). Mode ``rules`` decides with fixed rules
   (maximal exact matches and tumour rules; else the best fuzzy match above a threshold); mode
   ``model`` scores every candidate with the trained reranker and keeps those above the learned
   threshold (see ``learned.py``).
"""

from __future__ import annotations

import itertools
import re
from array import array
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

import ahocorasick
import numpy as np
import yaml
from pydantic import BaseModel, ConfigDict, Field
from rapidfuzz import fuzz, process
from rapidfuzz.distance import LCSseq

from yizhu.errors import ConfigError
from yizhu.knowledge.imported import IcdRow
from yizhu.knowledge.packs import KnowledgeBase
from yizhu.knowledge.terminology import kernels
from yizhu.knowledge.terminology.text import fold, is_word_char, key

RULES_FILE = Path(__file__).with_name("coding_rules.yaml")

# ---- results


@dataclass(frozen=True, slots=True)
class Alternative:
    code: str
    name: str
    score: float

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "name": self.name, "score": round(self.score, 4)}


@dataclass(frozen=True, slots=True)
class Concept:
    """One standard concept found in the input: span, exact dictionary name and code, score."""

    start: int
    end: int
    text: str
    code: str
    name: str
    score: float
    alternatives: tuple[Alternative, ...] = ()
    via: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text, "code": self.code, "name": self.name,
                "score": round(self.score, 4), "alternatives": [a.to_dict() for a in self.alternatives],
                "via": self.via}


@dataclass(frozen=True, slots=True)
class CodingResult:
    """The decision for one string; ``mode`` says what decided (rules, model or llm)."""

    text: str
    concepts: tuple[Concept, ...]
    mode: str
    degraded: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"concepts": [c.to_dict() for c in self.concepts], "mode": self.mode}
        if self.degraded:
            d["degraded"] = list(self.degraded)
        return d

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.concepts]


# ---- curated rules (data)


class AliasRule(BaseModel):
    model_config = ConfigDict(extra="forbid")

    alias: str
    names: list[str] = Field(min_length=1, description="Standard names, first found in the dictionary wins.")
    source: str


class MorphologyRule(BaseModel):
    model_config = ConfigDict(extra="forbid")

    pattern: str = Field(description="Regex over the folded text.")
    names: list[str] = Field(min_length=1)
    code: str | None = Field(default=None, pattern=r"^M\d{4}/\d$", description="ICD-O-3 code, used with the "
                             "first name when the dictionary (the shipped pack) has none of the names.")
    source: str


class CodingRules(BaseModel):
    """``coding_rules.yaml``: aliases, abbreviations, tumour morphology and site rules, thresholds."""

    model_config = ConfigDict(extra="forbid")

    version: str
    source: str
    aliases: list[AliasRule] = Field(default_factory=list)
    morphology: list[MorphologyRule] = Field(default_factory=list)
    malignant_suffixes: list[str] = Field(default_factory=list, description="Text ends that mean a malignant tumour of the site before them.")
    secondary_markers: list[str] = Field(default_factory=list, description="Words that mark a secondary (metastatic) site.")
    site_trim: list[str] = Field(default_factory=list, description="Prefixes tried off a tumour site (laterality).")
    benign_suffixes: list[str] = Field(default_factory=list, description="Text ends that mean a benign tumour of the site before them.")
    benign_blockers: list[str] = Field(default_factory=list, description="Words right before a benign suffix that make it no benign tumour.")
    tumour_modifiers: list[str] = Field(default_factory=list, description="Descriptors between a tumour's site and its morphology (成熟性, 囊性).")
    inner_modifiers: list[str] = Field(default_factory=list, description="Descriptors inside a diagnosis that the standard name leaves out (粉碎性).")
    qualifiers: list[str] = Field(default_factory=list, description="Words that alone are no diagnosis (待查, 可能, 左, …).")
    fuzzy_threshold: float = 0.6
    piece_threshold: float = 0.66
    fuzzy_segment_k: int = Field(default=12, ge=1, le=12, description="Dictionary keys a whole segment's fuzzy look-up keeps.")
    fuzzy_common_df: float = Field(default=0.05, gt=0, le=1, description="A fuzzy query of more than 4 n-grams "
                                   "leaves out those found in more than this share of the dictionary's keys …")
    fuzzy_common_max: float = Field(default=float("inf"), gt=0, description="… or in more than this many keys, "
                                    "when that is fewer (a large imported table).")


@lru_cache(maxsize=4)
def load_rules(path: str | None = None) -> CodingRules:
    p = Path(path) if path else RULES_FILE
    try:
        raw = yaml.safe_load(p.read_text(encoding="utf-8"))
        return CodingRules.model_validate(raw)
    except (OSError, yaml.YAMLError, ValueError) as exc:
        raise ConfigError(f"{p}: invalid coding rules ({str(exc).splitlines()[0]})") from exc


# ---- character n-gram index


def _features(s: str) -> list[str]:
    chars = [c for c in s if not c.isspace()]
    return chars + ["\x01" + a + b for a, b in itertools.pairwise(chars)]


class CharIndex:
    """TF-IDF over character unigrams and bigrams, posting lists in numpy; cosine top-k queries."""

    def __init__(self, docs: Sequence[str], common_df: float = 0.05, common_max: float = float("inf")) -> None:
        n = len(docs)
        feat_ids: dict[str, int] = {}
        rows: list[int] = []
        cols: list[int] = []
        for i, d in enumerate(docs):
            for f in dict.fromkeys(_features(d)):  # first-seen order: feature numbers (and so the
                # order in which a query sums its features) do not depend on the string-hash seed
                rows.append(i)
                cols.append(feat_ids.setdefault(f, len(feat_ids)))
        rows_a = np.asarray(rows, dtype=np.int32)
        cols_a = np.asarray(cols, dtype=np.int32)
        df = np.bincount(cols_a, minlength=len(feat_ids)).astype(np.float32)
        self.idf = np.log((n + 1) / (df + 0.5)).astype(np.float32)
        w = self.idf[cols_a]
        norms = np.sqrt(np.bincount(rows_a, weights=w * w, minlength=n)).astype(np.float32)
        w = w / np.maximum(norms[rows_a], 1e-6)
        order = np.argsort(cols_a, kind="stable")
        self.post_doc = rows_a[order]
        self.post_w = w[order].astype(np.float32)
        self.ptr = np.zeros(len(feat_ids) + 1, dtype=np.int64)
        np.cumsum(np.bincount(cols_a, minlength=len(feat_ids)), out=self.ptr[1:])
        self.feat_ids = feat_ids
        self.n = n
        # a query of more than 4 features leaves out those in more than ``common_df`` of the documents, or
        # in more than ``common_max`` documents when that is fewer
        self.common_idf = float(np.log((n + 1) / (min(n * common_df, common_max) + 0.5)))
        self._docs = docs
        # the compiled query (made on first use; False: the numpy path, e.g. without numba)
        self._topk: kernels.Query | bool | None = None

    def _compiled(self) -> kernels.Query | None:
        if self._topk is None:
            self._topk = kernels.Query(self.feat_ids, self._docs, self.idf, self.common_idf, self.n) \
                if kernels.available() else False
        return self._topk or None

    def query(self, q: str, k: int) -> list[tuple[int, float]]:
        """The k documents most similar to ``q`` (cosine > 0.05), best first, ties by document number."""
        fused = self._compiled() if self.n else None
        if fused is not None:  # straight into lists: no arrays returned from the compiled call
            top = np.empty(k, dtype=np.int64)
            score = np.empty(k, dtype=np.float64)
            m = fused.query_into(q, self.ptr, self.post_doc, self.post_w, k, 0.05, top, score)
            return list(zip(top.tolist(), score.tolist(), strict=True))[:m]
        top, scores = self.query_reference(q, k)
        return list(zip(top.tolist(), scores.tolist(), strict=True))

    def votes(self, q: str, k: int, labels: tuple[np.ndarray, np.ndarray, int]) -> tuple[list[int], list[list[float]]] | None:
        """The ``query`` hits' labels (``kernels.labels_csr`` of each document's labels) voted for with the
        hits' cosines in one compiled call: (labels in order of first appearance, [sums of squared cosines,
        sums of cosines, max cosines, shares of the hits]); None without the compiled loops (the caller's
        Python loop over ``query`` gives the same numbers)."""
        fused = self._compiled() if self.n else None
        if fused is None:
            return None
        return fused.votes(q, self.ptr, self.post_doc, self.post_w, k, 0.05, labels)

    def query_arrays(self, q: str, k: int) -> tuple[np.ndarray, np.ndarray]:
        """``query`` as (document numbers, cosines) arrays."""
        fused = self._compiled() if self.n else None
        if fused is not None:  # the same numbers from one compiled call
            return fused.query(q, self.ptr, self.post_doc, self.post_w, k, 0.05)
        return self.query_reference(q, k)

    def fuzzy(self, q: str, k_query: int, k: int) -> tuple[np.ndarray, np.ndarray]:
        """The ``k_query`` nearest documents re-scored by ``0.5·cosine + 0.005·fuzz.ratio`` (edit similarity),
        the ``k`` best: (document numbers, scores), best first, ties in query order."""
        fused = self._compiled() if self.n else None
        if fused is not None:
            return fused.fuzzy(q, self.ptr, self.post_doc, self.post_w, k_query, k, 0.05)
        return self.fuzzy_reference(q, k_query, k)

    def fuzzy_list(self, q: str, k_query: int, k: int) -> list[tuple[int, float]]:
        """``fuzzy`` as (document number, score) pairs."""
        fused = self._compiled() if self.n else None
        if fused is not None:
            top = np.empty(k, dtype=np.int64)
            score = np.empty(k, dtype=np.float64)
            m = fused.fuzzy_into(q, self.ptr, self.post_doc, self.post_w, k_query, k, 0.05, top, score)
            return list(zip(top.tolist(), score.tolist(), strict=True))[:m]
        top, scores = self.fuzzy_reference(q, k_query, k)
        return list(zip(top.tolist(), scores.tolist(), strict=True))

    def fuzzy_reference(self, q: str, k_query: int, k: int) -> tuple[np.ndarray, np.ndarray]:
        """``fuzzy`` in Python and numpy (rapidfuzz for the ratios): the reference the compiled one equals."""
        top, cos = self.query_reference(q, k_query)
        if not len(top):
            return top, cos
        docs = self._docs
        ratio = process.cdist([q], [docs[i] for i in top.tolist()], scorer=fuzz.ratio, dtype=np.float64, workers=1)[0]
        score = 0.5 * cos + 0.005 * ratio
        order = np.argsort(-score, kind="stable")[:k]
        return top[order], score[order]

    def query_reference(self, q: str, k: int) -> tuple[np.ndarray, np.ndarray]:
        """``query_arrays`` in Python and numpy: the reference the compiled query equals."""
        ids = self.feat_ids
        # features in index order, so the summed scores do not depend on the process's string-hash seed
        got = set(map(ids.get, set(_features(q))))
        got.discard(None)
        feats = sorted(got)  # type: ignore[type-var]
        if not feats or self.n == 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        fa = np.array(feats, dtype=np.int64)
        if len(fa) > 4:
            rare = fa[self.idf[fa] > self.common_idf]
            if len(rare):
                fa = rare
        qw = self.idf[fa]
        qw = qw / (float(np.sqrt((qw * qw).sum())) or 1.0)
        return kernels.topk_numpy(self.ptr, self.post_doc, self.post_w, fa, qw, k, 0.05, self.n)


# ---- dictionary


_BRACKET = re.compile(r"[\[［]([^\]］]+)[\]］]")
_NOS = [re.compile(r"^(?:未特指的|未特指|其他的|其他和未特指的)"), re.compile(r"[,，](?:未特指的?|其他|不可归类在他处者)$")]


@dataclass(slots=True)
class Entry:
    code: str
    name: str  # exactly as the dictionary spells it
    morphology: bool
    nos: bool
    key: str = ""

    def __post_init__(self) -> None:
        self.key = key(self.name)


# A key's hits: plain ``(entry, via, weight)`` tuples, via one of name | bracket | nos | alias | learned.
# Tuples of atoms inside tuples inside a dict of str: the cyclic garbage collector stops tracking all of
# them after its first pass, so ~10^5 long-lived look-up objects cost its later full passes nothing.
KeyHit = tuple[int, str, float]


class CodingDictionary:
    """The names of the hospital's dictionary with every lookup key that leads to them."""

    def __init__(self, entries: Sequence[tuple[str, str]], rules: CodingRules, *, source: str) -> None:
        self.source = source
        self.rules = rules
        self.entries: list[Entry] = []
        by_name: dict[str, int] = {}
        self.by_code: dict[str, int] = {}  # every code of the table (D27, D27.x, D27xx01) → its name's entry
        for code, name in entries:
            i = by_name.get(name)
            self.by_code.setdefault(code.lower(), len(self.entries) if i is None else i)
            if i is not None:
                if len(code) > len(self.entries[i].code) and "/" not in self.entries[i].code:
                    self.entries[i].code = code  # several codes share a name: the most specific one
                continue
            by_name[name] = len(self.entries)
            self.entries.append(Entry(code, name, "/" in code, "未特指" in name or "其他" in name))
        self.by_name = by_name
        self.by_key_name: dict[str, int] = {key(e.name): i for i, e in enumerate(self.entries)}
        self.keys: dict[str, tuple[KeyHit, ...]] = {}
        for i, e in enumerate(self.entries):
            k = key(e.name)
            self._add(k, i, "name", 1.0)
            base = _BRACKET.sub("", k)
            if base != k:
                self._add(base, i, "bracket", 0.99)
                if k.endswith(("]", "］")):  # 心房颤动[心房纤颤]: the bracket names the same thing
                    for alt in _BRACKET.findall(k):
                        for a in alt.split("/"):
                            if len(a) >= 2:
                                self._add(a, i, "bracket", 0.98)
                else:  # 肺[部分]后天性缺失: an optional part, also read inline
                    self._add(_BRACKET.sub(lambda m: m.group(1), k), i, "bracket", 0.99)
            for v in self._nos_forms(base):
                self._add(v, i, "nos", 0.97)
        for a in rules.aliases:
            target = self.find_name(a.names)
            if target is not None:
                self._add(key(a.alias), target, "alias", 0.96)
        self.key_list = list(self.keys)
        self._static: np.ndarray | None = None
        self._entry_keys: list[str] | None = None
        self._names_csr: tuple[np.ndarray, np.ndarray] | None = None
        self.index = CharIndex(self.key_list, rules.fuzzy_common_df, rules.fuzzy_common_max)
        self._build_automaton()

    def compiled_names(self) -> tuple[np.ndarray, np.ndarray] | None:
        """The names' keys as (offsets, code points) for the compiled shape features, or None when the
        compiled loops are off (no numba, ``YIZHU_NO_NUMBA``, or switched off on this dictionary's index)."""
        if self.index._compiled() is None:
            return None
        if self._names_csr is None or len(self._names_csr[0]) != len(self.entries) + 1:
            self._names_csr = kernels.strings_csr([e.key for e in self.entries])
        return self._names_csr

    @property
    def entry_keys(self) -> list[str]:
        """Each entry's lookup key (``entries[i].key``), as a list (made once)."""
        if self._entry_keys is None or len(self._entry_keys) != len(self.entries):
            self._entry_keys = [e.key for e in self.entries]
        return self._entry_keys

    @property
    def static(self) -> np.ndarray:
        """Per name: key length, morphology, not-otherwise-specified, ICD chapter letter (features)."""
        if self._static is None or len(self._static) != len(self.entries):
            self._static = np.array([(len(e.key), 1.0 if e.morphology else 0.0, 1.0 if e.nos else 0.0,
                                      float(ord(e.code[0]) - 64) if e.code else 0.0) for e in self.entries],
                                    dtype=np.float32).reshape(-1, 4)
        return self._static

    def _nos_forms(self, k: str) -> list[str]:
        out = []
        v = k
        for rx in _NOS:
            v = rx.sub("", v)
        if v != k and len(v) >= 2:
            out.append(v)
        return out

    def _add(self, k: str, entry: int, via: str, weight: float) -> None:
        if not k:
            return
        hits = self.keys.get(k, ())
        for j, (e, _, w) in enumerate(hits):
            if e == entry:
                if weight > w:
                    self.keys[k] = (*hits[:j], (entry, via, weight), *hits[j + 1:])
                return
        self.keys[k] = (*hits, (entry, via, weight))

    def add_aliases(self, pairs: Iterable[tuple[str, str]], via: str = "learned", weight: float = 0.95) -> int:
        """Add alias → exact name pairs (names not in the dictionary are skipped); rebuilds the matcher."""
        n = 0
        for alias, name in pairs:
            i = self.by_name.get(name)
            k = key(alias)
            if i is not None and len(k) >= 2:
                self._add(k, i, via, weight)
                n += 1
        self._build_automaton()
        return n

    def _build_automaton(self) -> None:
        self.auto = ahocorasick.Automaton()
        for k, hits in self.keys.items():
            # short morphology names (癌, 腺癌, 肉瘤) are decided by the morphology rules, not found inside
            # organ names (乳腺癌 is breast + 癌, not 腺癌)
            if len(k) >= 2 and not (len(k) <= 3 and all(self.entries[h[0]].morphology for h in hits)):
                self.auto.add_word(k, k)
        self.auto.make_automaton()

    def find_name(self, names: Sequence[str]) -> int | None:
        """The first of ``names`` the dictionary has (exact, then by folded key)."""
        for n in names:
            i = self.by_name.get(n)
            if i is None:
                i = self.by_key_name.get(key(n))
            if i is None:
                hits = self.keys.get(key(n))
                i = hits[0][0] if hits else None
            if i is not None:
                return i
        return None

    @classmethod
    def build(cls, kb: KnowledgeBase, icd_rows: Sequence[IcdRow], rules: CodingRules | None = None) -> CodingDictionary:
        """Over the imported ICD tables when there are any, else over the shipped pack."""
        rules = rules or load_rules()
        if icd_rows:
            entries = [(r.code, getattr(r, "display", "") or r.name) for r in icd_rows]
            sources = sorted({r.source for r in icd_rows if r.source})
            d = cls(entries, rules, source="imported: " + ", ".join(sources) if sources else "imported ICD table")
        else:
            items = list(kb.pack("diagnosis"))
            entries = [(it.code, it.name) for it in items]
            # the pack has no morphology names: the rules' ICD-O-3 codes stand in (畸胎瘤 M9080/0 beside D27)
            known = {n for _, n in entries}
            for m in rules.morphology:
                if m.code and not any(n in known for n in m.names):
                    entries.append((m.code, m.names[0]))
                    known.add(m.names[0])
            d = cls(entries, rules, source="shipped pack (no ICD table imported)")
        # the pack's curated synonyms and abbreviations, through the pack name or code
        pairs = []
        codes = {e.code: i for i, e in enumerate(d.entries)}
        for it in kb.pack("diagnosis"):
            target = d.by_key_name.get(key(it.name))
            if target is None:
                target = codes.get(it.code)
            if target is None:
                continue
            for s in it.synonyms:
                pairs.append((s, d.entries[target].name))
        d.add_aliases(pairs, via="alias", weight=0.96)
        return d


# ---- candidates and features

FEATURES = (
    "exact", "exact_maximal", "match_frac", "via_alias", "via_learned", "tumour_rule", "fuzzy_seg", "fuzzy_seg_rank",
    "fuzzy_piece", "cos_text", "cov_name", "cov_seg", "lcs_name", "name_len", "is_morph", "is_nos", "chapter",
    "n_segments", "text_len", "n_exact_in_seg", "knn_vote", "knn_max", "knn_frac", "prior_log", "prior_prec",
    "name_in_text", "seg_len", "uncertain",
)
F = {n: i for i, n in enumerate(FEATURES)}

_FUZZY_K = 12  # fuzzy look-ups keep the 12 best keys; callers take the first k of them
_MORPH_NOS = np.array([F["is_morph"], F["is_nos"]])
(_EXACT, _EXACT_MAXIMAL, _MATCH_FRAC, _VIA_ALIAS, _VIA_LEARNED, _TUMOUR_RULE, _FUZZY_SEG, _FUZZY_SEG_RANK, _FUZZY_PIECE,
 _N_EXACT_IN_SEG, _KNN_VOTE, _KNN_MAX, _KNN_FRAC) = (
    F[n] for n in ("exact", "exact_maximal", "match_frac", "via_alias", "via_learned", "tumour_rule", "fuzzy_seg",
                   "fuzzy_seg_rank", "fuzzy_piece", "n_exact_in_seg", "knn_vote", "knn_max", "knn_frac"))
_ROW = array("f", [50.0 if n == "fuzzy_seg_rank" else 0.0 for n in FEATURES])  # a new candidate's features
_STATIC = slice(F["name_len"], F["chapter"] + 1)  # name_len, is_morph, is_nos, chapter: adjacent columns
_PER_TEXT = np.array([F[n] for n in ("n_segments", "text_len", "uncertain")])
_PER_CAND = np.array([F[n] for n in ("cov_name", "name_in_text", "seg_len", "cov_seg", "lcs_name")])
_PRIOR = slice(F["prior_log"], F["prior_prec"] + 1)
assert [F[n] for n in ("name_len", "is_morph", "is_nos", "chapter")] == list(range(_STATIC.start, _STATIC.stop))
# the columns ``kernels.candidate_rows_into`` fills: shape (5), first static, per text (3), first prior
_ROW_COLS = np.array([*_PER_CAND, _STATIC.start, *_PER_TEXT, _PRIOR.start], dtype=np.int64)
assert [F[n] for n in ("prior_log", "prior_prec")] == list(range(_PRIOR.start, _PRIOR.stop))

_SEP = re.compile(r"[;；,，、/\n。:：!！?？\s()\[\]【】{}<>《》\"'“”‘’]+|(?<!\d)\.(?!\d)|(?<![a-z\d])\d{1,2}[.、)](?!\d)")
_CONNECT = re.compile(r"合并|并发|伴有|伴|并|及|和|与")
_UNCERTAIN = re.compile(r"待查|待排|可能|考虑|疑似|不除外|\?")
_CODE_SEG = re.compile(r"[a-z]\d{2}(?:\.[0-9a-z]{1,6})?[+*]?")  # an ICD-10 code written as a segment (folded)


@dataclass(slots=True)
class Cand:
    entry: int
    feats: np.ndarray
    start: int
    end: int
    segment: int
    via: str
    rule_score: float = 0.0
    rule_pick: bool = False


def _any_of(words: Sequence[str]) -> re.Pattern[str] | None:
    return re.compile("|".join(re.escape(w) for w in words)) if words else None


def _lcs(a: str, b: str) -> int:
    """Length of the longest common subsequence (C speed)."""
    return int(LCSseq.similarity(a, b))


class Neighbours(Protocol):
    """What a trained model adds to candidate generation (see ``learned.py``)."""

    def candidates(self, text: str) -> dict[str, tuple[float, float, float]]:
        """name → (vote, max similarity, share of neighbours) from similar training strings."""
        ...

    def prior(self, name: str) -> tuple[float, float]:
        """(log frequency in training, precision as a candidate in training)."""
        ...


@dataclass(frozen=True, slots=True)
class SegmentPlan:
    """Candidate generation's findings in one segment (``DiagnosisCoder._plan``), offsets in the segment."""

    weak: tuple[tuple[int, int, int, tuple[tuple[int, float], ...]], ...]  # (start, end, site start, fuzzy hits)
    matches: tuple[tuple[int, int, str, bool], ...]  # (start, end, key, in the greedy cover)
    n_chosen: int
    tumour: tuple[tuple[int, int, int, str], ...]  # (entry, start, end, via)
    fuzzy_seg: tuple[tuple[int, float], ...]
    pieces: tuple[tuple[int, int, tuple[tuple[int, float], ...]], ...]  # (start, end, fuzzy hits)
    code: int = -1  # the entry whose code the whole segment is ((S52.5) appended to a name), else -1


@dataclass
class Scored:
    cands: list[Cand]
    segments: list[tuple[int, int]]
    text: str
    folded: str
    extra: dict[str, Any] = field(default_factory=dict)
    # the candidates' features, one row each; without shape features (rules mode) ``cands[j].feats`` are its
    # rows, with them (model mode) ``cands[j].feats`` keep only what candidate generation set
    matrix: np.ndarray | None = None
    by_entry: dict[int, Cand] = field(default_factory=dict)  # the candidates by dictionary entry


class DiagnosisCoder:
    """Decides the set of concepts in diagnosis strings (rules; a trained model when one is given)."""

    def __init__(self, dictionary: CodingDictionary, model: Any | None = None, *, cache_size: int = 50_000) -> None:
        self.d = dictionary
        self.rules = dictionary.rules
        self.model = model
        self.qualifiers = {key(q) for q in self.rules.qualifiers}
        self._morph = [(re.compile(m.pattern), [i for i in (self.d.find_name([n]) for n in m.names) if i is not None])
                       for m in self.rules.morphology]
        self._morph = [(rx, ids) for rx, ids in self._morph if ids]
        # one search says whether any morphology pattern matches (most strings have none)
        self._morph_any = re.compile("|".join(f"(?:{rx.pattern})" for rx, _ in self._morph)) if self._morph else None
        self._malignant = sorted(self.rules.malignant_suffixes, key=len, reverse=True)
        self._benign = sorted(self.rules.benign_suffixes, key=len, reverse=True)
        self._tumour_mods = sorted(self.rules.tumour_modifiers, key=len, reverse=True)
        self._inner = re.compile("|".join(re.escape(m) for m in sorted(self.rules.inner_modifiers, key=len, reverse=True))) \
            if self.rules.inner_modifiers else None
        self._secondary = sorted(self.rules.secondary_markers, key=len, reverse=True)
        # whether a segment holds any tumour word at all (most do not): one search instead of a find per word
        self._tumour_any = _any_of([*self._malignant, *self._secondary])
        self._benign_any = _any_of(self._benign)
        self._cache: OrderedDict[str, CodingResult] = OrderedDict()
        self._cache_size = cache_size
        self._fuzzy_cache: dict[str, list[tuple[int, float]]] = {}
        self._plans: dict[str, SegmentPlan] = {}  # per distinct segment: what candidate generation found

    @property
    def mode(self) -> str:
        return "model" if self.model is not None else "rules"

    # ---- public

    # Results are kept (least recently used out, ``cache_size``) by the *folded* string: the decision is a
    # function of ``fold(text)`` alone (full-width and capital letters fold one character for one, so the
    # spans are the same), and only the concepts' quoted text is taken from the string as written.

    def code(self, text: str) -> CodingResult:
        k = fold(text)
        hit = self._cache.get(k)
        if hit is not None:
            self._cache.move_to_end(k)
            return hit if hit.text == text else _as_written(hit, text)
        res = self.ranked([text])[0][2]  # what code_many does for one text
        self._cache[k] = res
        if len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
        return res

    def code_many(self, texts: Sequence[str]) -> list[CodingResult]:
        """Decide several strings at once (one reranker call for all of them in model mode)."""
        out: list[CodingResult | None] = [None] * len(texts)
        todo: list[int] = []
        keys = [fold(t) for t in texts]
        for i, t in enumerate(texts):
            hit = self._cache.get(keys[i])
            if hit is not None:
                out[i] = hit if hit.text == t else _as_written(hit, t)
            else:
                todo.append(i)
        # 8 strings at a time: their candidates are dropped before the next 8 are made (holding a whole
        # batch's candidates made 256 strings at once 15-20 % slower than one by one)
        for b in range(0, len(todo), 8):
            part = todo[b:b + 8]
            for i, (_, _, r) in zip(part, self.ranked([texts[i] for i in part]), strict=True):
                out[i] = r
                self._cache[keys[i]] = r
                if len(self._cache) > self._cache_size:
                    self._cache.popitem(last=False)
        return [r for r in out if r is not None]

    def ranked(self, texts: Sequence[str]) -> list[tuple[Scored, dict[int, float], CodingResult]]:
        """For each text: its candidates, every candidate's score (entry → score) and the decision."""
        if self.model is not None:
            return self.model.ranked(self, texts)
        out = []
        for t in texts:
            sc = self.candidates(t, shapes=False)  # the rules read how candidates matched, not their shape
            res = self._decide_rules(sc)
            out.append((sc, {c.entry: c.rule_score for c in sc.cands}, res))
        return out

    # ---- candidates

    def segments(self, folded: str) -> list[tuple[int, int]]:
        segs = []
        pos = 0
        for m in itertools.chain(_SEP.finditer(folded), [None]):
            end = m.start() if m is not None else len(folded)
            if end > pos:
                s, e = pos, end
                while s < e and folded[s] in "-_=+*#~·": s += 1  # noqa: E701
                if e - s >= 1 and not folded[s:e].isdigit():
                    segs.append((s, e))
            if m is not None:
                pos = m.end()
        return segs

    def candidates(self, text: str, neighbours: Neighbours | None = None, *, shapes: bool = True) -> Scored:
        """Every candidate of ``text`` with its features; ``shapes=False`` leaves out the shape features
        (coverage, similarity, lengths: what only the reranker reads) except ``is_morph`` and ``is_nos``."""
        folded = fold(text)
        segs = self.segments(folded)
        d = self.d
        nfeat = len(FEATURES)
        found: dict[int, Cand] = {}
        n_segments = len(segs)
        tlen = len(text)
        uncertain = 1.0 if _UNCERTAIN.search(folded) else 0.0
        weak: dict[tuple[int, int], tuple[int, int]] = {}
        found_get = found.get
        keys = d.keys
        key_list = d.key_list

        def cand(entry: int, seg_i: int, start: int, end: int, via: str) -> Cand:
            c = found.get(entry)
            if c is None:
                # a float32 row that Python indexes cheaply (stores round as numpy's would); the rows become
                # one numpy matrix at the end
                c = found[entry] = Cand(entry, _ROW[:], start, end, seg_i, via)
            return c

        for si, (s, e) in enumerate(segs):
            seg = folded[s:e]
            plan = self._plans.get(seg)
            if plan is None:
                plan = self._plan(seg)
            for st, en, j, fz in plan.weak:
                weak[(s + st, s + en)] = (s + j, s + en)
                for ki, score in fz:
                    for h_entry, _, h_weight in d.keys[d.key_list[ki]]:
                        c = cand(h_entry, si, s + j, s + en, "fuzzy")
                        f = c.feats
                        old = f[_FUZZY_PIECE]
                        f[_FUZZY_PIECE] = score * h_weight
                        if f[_FUZZY_PIECE] > old:  # compared as float32, as numpy compares
                            c.start, c.end = s + j, s + en
                        else:
                            f[_FUZZY_PIECE] = old
            n_chosen = plan.n_chosen
            if plan.code >= 0:
                c = cand(plan.code, si, s, e, "code")
                f = c.feats
                if c.via in ("fuzzy", "neighbours"):  # a name that says the same keeps its own span
                    c.start, c.end, c.segment, c.via = s, e, si, "code"
                f[_EXACT] = max(f[_EXACT], 0.97)
                f[_EXACT_MAXIMAL] = max(f[_EXACT_MAXIMAL], 0.97)
                f[_MATCH_FRAC] = 1.0
            for st, en, k, maximal in plan.matches:
                for h_entry, h_via, h_weight in d.keys[k]:
                    c = cand(h_entry, si, s + st, s + en, h_via)
                    f = c.feats
                    if maximal and not f[_EXACT_MAXIMAL]:
                        c.start, c.end, c.segment, c.via = s + st, s + en, si, h_via
                    f[_EXACT] = max(f[_EXACT], h_weight)
                    f[_EXACT_MAXIMAL] = max(f[_EXACT_MAXIMAL], h_weight if maximal else 0.0)
                    f[_MATCH_FRAC] = max(f[_MATCH_FRAC], (en - st) / max(len(seg), 1))
                    if h_via == "alias":
                        f[_VIA_ALIAS] = 1.0
                    if h_via == "learned":
                        f[_VIA_LEARNED] = 1.0
                    f[_N_EXACT_IN_SEG] = n_chosen
            # tumour rules: site + 癌/恶性肿瘤 → site恶性肿瘤; 转移 → site继发恶性肿瘤
            for entry, st, en, via in plan.tumour:
                c = cand(entry, si, s + st, s + en, via)
                c.feats[_TUMOUR_RULE] = 1.0
                if c.via in ("fuzzy", "neighbours"):
                    c.start, c.end, c.segment, c.via = s + st, s + en, si, via
            # fuzzy: the whole segment and each uncovered piece (``cand`` written out: most of the candidates)
            # (a new candidate's row starts as _ROW: 0 for the scores, 50 for the rank, so max/min are its values)
            for rank, (ki, score) in enumerate(plan.fuzzy_seg):
                for h_entry, _, h_weight in keys[key_list[ki]]:
                    c = found_get(h_entry)
                    if c is None:
                        f = _ROW[:]
                        f[_FUZZY_SEG] = score * h_weight
                        f[_FUZZY_SEG_RANK] = rank
                        found[h_entry] = Cand(h_entry, f, s, e, si, "fuzzy")
                    else:
                        f = c.feats
                        f[_FUZZY_SEG] = max(f[_FUZZY_SEG], score * h_weight)
                        f[_FUZZY_SEG_RANK] = min(f[_FUZZY_SEG_RANK], rank)
            for ps, pe, fz in plan.pieces:
                for ki, score in fz:
                    for h_entry, _, h_weight in keys[key_list[ki]]:
                        c = found_get(h_entry)
                        if c is None:
                            f = _ROW[:]
                            f[_FUZZY_PIECE] = score * h_weight
                            found[h_entry] = Cand(h_entry, f, s + ps, s + pe, si, "fuzzy")
                        else:
                            f = c.feats
                            f[_FUZZY_PIECE] = max(f[_FUZZY_PIECE], score * h_weight)
        # morphology (癌, 腺癌, 鳞状细胞癌, …) from patterns over the whole text
        for rx, ids in self._morph if self._morph_any is not None and self._morph_any.search(folded) else ():
            m = rx.search(folded)
            if m:
                for i in ids:
                    si = self._seg_of(segs, m.start())
                    c = cand(i, si, m.start(), m.end(), "morphology")
                    c.feats[_TUMOUR_RULE] = 1.0
                    if c.via in ("fuzzy", "neighbours"):
                        c.start, c.end, c.segment, c.via = m.start(), m.end(), si, "morphology"
                break
        # model neighbours
        if neighbours is not None:
            by_entry = getattr(neighbours, "entry_candidates", None)
            if by_entry is not None:  # the same, keyed by this dictionary's entries (no name look-ups)
                for i, vote, mx, frac in by_entry(folded, d):
                    c = found_get(i)
                    if c is None:
                        f = _ROW[:]
                        found[i] = Cand(i, f, 0, tlen, -1, "neighbours")
                    else:
                        f = c.feats
                    f[_KNN_VOTE] = vote
                    f[_KNN_MAX] = mx
                    f[_KNN_FRAC] = frac
            else:
                for name, (vote, mx, frac) in neighbours.candidates(folded).items():
                    i = d.by_name.get(name)
                    if i is None:
                        continue
                    c = cand(i, -1, 0, tlen, "neighbours")
                    c.feats[_KNN_VOTE] = vote
                    c.feats[_KNN_MAX] = mx
                    c.feats[_KNN_FRAC] = frac
        # shape features
        cands = list(found.values())
        if not cands:
            return Scored(cands, segs, text, folded, {"weak": weak}, np.zeros((0, nfeat), dtype=np.float32), found)
        M = np.frombuffer(b"".join([c.feats.tobytes() for c in cands]), dtype=np.float32).reshape(len(cands), nfeat).copy()
        entries = np.fromiter(found, dtype=np.int64, count=len(cands))  # keys in insertion order: cands' order
        if not shapes:
            M[:, _MORPH_NOS] = d.static[entries][:, 1:3]
            for j, c in enumerate(cands):
                c.feats = M[j]
            return Scored(cands, segs, text, folded, {"weak": weak}, M, found)
        names = d.compiled_names()
        table = getattr(neighbours, "prior_table", None) if neighbours is not None else None
        if names is not None:
            # every candidate in one compiled call: shape, name and text columns and the priors, the same
            # numbers as the numpy assignments below
            segments = np.array([c.segment for c in cands], dtype=np.int64)
            kernels.candidate_rows_into(M, _ROW_COLS, folded, segs, tlen, entries, segments, names, d.static,
                                        n_segments, uncertain, table(d) if table is not None else None)
        else:
            M[:, _STATIC] = d.static.take(entries, axis=0)  # name length, morphology, NOS, chapter: per name
            M[:, _PER_TEXT] = (n_segments, tlen, uncertain)
            M[:, _PER_CAND] = self.shape_rows(folded, segs, tlen, cands)
            if table is not None:
                M[:, _PRIOR] = table(d).take(entries, axis=0)
        if neighbours is not None and table is None:
            M[:, _PRIOR] = [neighbours.prior(d.entries[c.entry].name) for c in cands]
        return Scored(cands, segs, text, folded, {"weak": weak}, M, found)

    def _plan(self, seg: str) -> SegmentPlan:
        """What candidate generation finds in one (folded) segment, in segment offsets: exact keys (with
        whether each is in the greedy longest-first cover), weak head nouns with their fuzzy site + noun
        look-ups, tumour rules, the segment's fuzzy look-up and its uncovered pieces' ones. A function of
        the segment's text alone, so it is kept per distinct segment (``_plans``)."""
        d = self.d
        matches: list[tuple[int, int, str]] = []
        for end_i, k in d.auto.iter(seg):
            st = end_i - len(k) + 1
            if len(k) == 2 and st > 0 and end_i < len(seg) - 1 and k in self.qualifiers:
                continue
            if k.isascii() and ((st > 0 and is_word_char(seg[st - 1])) or
                                (end_i + 1 < len(seg) and is_word_char(seg[end_i + 1]))):
                continue  # OA inside LOA, ALL inside SMALL: English keys only as whole words
            matches.append((st, end_i + 1, k))
        if self._inner is not None and self._inner.search(seg):
            # 左桡骨远端粉碎性骨折: keys found once the descriptors the standard name leaves out are skipped, with
            # the span over what was skipped
            pos_map: list[int] = []
            var: list[str] = []
            last = 0
            for m in self._inner.finditer(seg):
                var.append(seg[last:m.start()])
                pos_map.extend(range(last, m.start()))
                last = m.end()
            var.append(seg[last:])
            pos_map.extend(range(last, len(seg)))
            vseg = "".join(var)
            for end_i, k in d.auto.iter(vseg):
                vst = end_i - len(k) + 1
                st, en = pos_map[vst], pos_map[end_i] + 1
                if en - st == len(k) or len(k) < 3 or k in self.qualifiers:
                    continue  # nothing skipped inside it: found above
                matches.append((st, en, k))
        # greedy cover: longest first, then leftmost
        chosen: list[tuple[int, int, str]] = []
        taken = bytearray(len(seg))
        for st, en, k in sorted(matches, key=lambda m: (-(m[1] - m[0]), m[0])):
            if not any(taken[st:en]):
                chosen.append((st, en, k))
                for j in range(st, en):
                    taken[j] = 1
        chosen_set = set(chosen)
        # a generic head noun (骨折, 损伤, 出血, 感染) right after uncovered site words: the site + noun as a
        # whole is looked up fuzzily, and the rules prefer it when it is good enough
        weak = []
        for st, en, k in chosen:
            if len(k) > 2 or all(d.entries[h[0]].morphology for h in d.keys[k]):
                continue
            j = st
            while j > 0 and not taken[j - 1] and not _CONNECT.match(seg[j - 1]):
                j -= 1
            if st - j >= 2:
                weak.append((st, en, j, tuple(self._fuzzy(seg[j:en], 5))))
        code = -1
        if _CODE_SEG.fullmatch(seg):  # (S52.5) appended to the name: the code the writer chose
            code = d.by_code.get(seg.rstrip("+*"), -1)
        plan = SegmentPlan(
            tuple(weak), tuple((st, en, k, (st, en, k) in chosen_set) for st, en, k in matches), len(chosen),
            tuple(self._tumour(seg) + self._benign_tumour(seg, chosen)),
            tuple(self._fuzzy(seg, self.rules.fuzzy_segment_k)) if len(seg) >= 2 and not _CODE_SEG.fullmatch(seg) else (),
            tuple((ps, pe, tuple(self._fuzzy(seg[ps:pe], 5))) for ps, pe in self._pieces(seg, taken)), code)
        if len(self._plans) >= 100_000:
            self._plans.clear()
        self._plans[seg] = plan
        return plan

    def shape_rows(self, folded: str, segs: Sequence[tuple[int, int]], tlen: int,
                   cands: Sequence[Cand]) -> list[tuple[float, float, float, float, float]]:
        """cov_name, name_in_text, seg_len, cov_seg, lcs_name of each candidate, in Python (the reference
        of ``kernels.shape_features``)."""
        d = self.d
        seg_texts = [folded[ss:se] for ss, se in segs]
        nsegs = len(segs)
        has_char = set(folded).__contains__
        rows: list[tuple[float, float, float, float, float]] = []
        for c in cands:
            nk = d.entries[c.entry].key
            nl = len(nk) or 1
            if 0 <= c.segment < nsegs:
                seg = seg_texts[c.segment]
                # character counts by C-level membership tests (True counts 1): cov_name, cov_seg
                rows.append((sum(map(has_char, nk)) / nl, 1.0 if nk in folded else 0.0, len(seg),
                             sum(map(nk.__contains__, seg)) / (len(seg) or 1), _lcs(seg, nk) / nl))
            else:
                rows.append((sum(map(has_char, nk)) / nl, 1.0 if nk in folded else 0.0, tlen, 0.0,
                             _lcs(folded, nk) / nl))
        return rows

    @staticmethod
    def _seg_of(segs: list[tuple[int, int]], pos: int) -> int:
        for i, (s, e) in enumerate(segs):
            if s <= pos < e:
                return i
        return -1

    def _pieces(self, seg: str, taken: bytearray) -> list[tuple[int, int]]:
        """Uncovered runs of the segment, cut at connectors, without bare qualifiers."""
        out = []
        i = 0
        n = len(seg)
        while i < n:
            if taken[i]:
                i += 1
                continue
            j = i
            while j < n and not taken[j]:
                j += 1
            run = seg[i:j]
            pos = 0
            for part in _CONNECT.split(run):
                k = run.find(part, pos)
                pos = k + len(part)
                p = _UNCERTAIN.sub("", part)
                if len(p) >= 2 and key(p) not in self.qualifiers and not p.isdigit():
                    out.append((i + k, i + k + len(part)))
            i = j
        if len(out) == 1 and out[0] == (0, n):
            return []  # the whole segment: already queried
        return out

    def _fuzzy(self, q: str, k: int) -> list[tuple[int, float]]:
        """(key index, 0.5·cosine + 0.5·edit ratio) of the k (<= 12) best dictionary keys; memoised per query."""
        hit = self._fuzzy_cache.get(q)
        if hit is None:
            hit = self._fuzzy_uncached(q, _FUZZY_K)
            if len(self._fuzzy_cache) >= 200_000:
                self._fuzzy_cache.clear()
            self._fuzzy_cache[q] = hit
        return hit[:k]  # a stable order, so the best k of 12 are the best k

    def _fuzzy_uncached(self, q: str, k: int) -> list[tuple[int, float]]:
        q = _UNCERTAIN.sub("", q)
        if len(q) < 2:
            return []
        return self.d.index.fuzzy_list(q, 30, k)

    def _tumour(self, seg: str) -> list[tuple[int, int, int, str]]:
        """(entry, start, end, via) for site + malignant suffix and site + secondary marker."""
        out: list[tuple[int, int, int, str]] = []
        if self._tumour_any is None or not self._tumour_any.search(seg):
            return out
        d = self.d
        for suffix in self._malignant:
            pos = seg.find(suffix)
            while pos > 0:
                site_end = pos
                for start in range(max(0, site_end - 8), site_end - 0):
                    site = seg[start:site_end]
                    if len(site) < 1:
                        continue
                    for trimmed in self._site_forms(site):
                        i = d.by_key_name.get(trimmed + "恶性肿瘤")
                        if i is not None:
                            out.append((i, start, pos + len(suffix), "tumour"))
                            break
                    else:
                        continue
                    break
                pos = seg.find(suffix, pos + 1)
        for marker in self._secondary:
            pos = seg.find(marker)
            if pos > 0:
                for start in range(max(0, pos - 6), pos):
                    site = seg[start:pos]
                    hit = None
                    for trimmed in self._site_forms(site):
                        hit = d.by_key_name.get(trimmed + "继发恶性肿瘤")
                        if hit is not None:
                            break
                    if hit is not None:
                        out.append((hit, start, pos + len(marker), "tumour"))
                        break
        return out

    def _benign_tumour(self, seg: str, chosen: Sequence[tuple[int, int, str]]) -> list[tuple[int, int, int, str]]:
        """(entry, start, end, via) for site + benign morphology → site良性肿瘤 (右卵巢成熟性囊性畸胎瘤 → 卵巢良性肿瘤),
        unless a dictionary name other than a morphology already covers the morphology word (子宫平滑肌瘤)."""
        out: list[tuple[int, int, int, str]] = []
        if self._benign_any is None or not self._benign_any.search(seg):
            return out
        d = self.d
        for suffix in self._benign:
            pos = seg.find(suffix)
            while pos > 0:
                end = pos + len(suffix)
                blocked = any(seg[:pos].endswith(b) for b in self.rules.benign_blockers) or any(
                    st <= pos and end <= en and not all(d.entries[h[0]].morphology for h in d.keys[k])
                    for st, en, k in chosen)
                site_end = pos
                stripped = True
                while stripped and not blocked:
                    stripped = False
                    for m in self._tumour_mods:
                        if seg[:site_end].endswith(m) and site_end > len(m):
                            site_end -= len(m)
                            stripped = True
                            break
                for start in range(max(0, site_end - 8), site_end) if not blocked else ():
                    hit = None
                    for trimmed in self._site_forms(seg[start:site_end]):
                        hit = d.by_key_name.get(trimmed + "良性肿瘤")
                        if hit is not None:
                            break
                    if hit is not None:
                        out.append((hit, start, end, "tumour"))
                        break
                pos = seg.find(suffix, pos + 1)
        return out

    def _site_forms(self, site: str) -> list[str]:
        forms = [site]
        for p in self.rules.site_trim:
            if site.startswith(p) and len(site) > len(p):
                forms.append(site[len(p):])
        return forms

    # ---- decision without a model

    def _decide_rules(self, sc: Scored) -> CodingResult:
        picks: dict[int, float] = {}
        by_seg: dict[int, list[Cand]] = {}
        for c in sc.cands:
            by_seg.setdefault(c.segment, []).append(c)
        th = self.rules.fuzzy_threshold
        pth = self.rules.piece_threshold
        for cands in by_seg.values():
            strong = [c for c in cands if c.feats[F["exact_maximal"]] > 0 or c.feats[F["tumour_rule"]] > 0]
            # within one exact span keep the best-weighted entry only (a name beats its alias)
            best_at: dict[tuple[int, int, int], Cand] = {}
            for c in strong:
                s = 0.9 + 0.1 * max(c.feats[F["exact_maximal"]], 0.95 * c.feats[F["tumour_rule"]]) - 0.05 * c.feats[F["is_nos"]]
                c.rule_score = min(1.0, s)
                kind = 2 if c.feats[F["is_morph"]] else 1 if c.feats[F["exact_maximal"]] == 0 else 0
                o = best_at.get((c.start, c.end, kind))
                if o is None or c.rule_score > o.rule_score:
                    best_at[(c.start, c.end, kind)] = c
            weak = sc.extra.get("weak", {})
            replaced: list[tuple[int, int]] = []
            for c in best_at.values():
                span = weak.get((c.start, c.end))
                if span is not None:
                    better = max((o for o in cands if (o.start, o.end) == span and o.entry != c.entry),
                                 key=lambda o: o.feats[F["fuzzy_piece"]], default=None)
                    if better is not None and better.feats[F["fuzzy_piece"]] >= th:
                        picks[better.entry] = float(better.feats[F["fuzzy_piece"]])
                        replaced.append(span)
                        continue
                picks[c.entry] = c.rule_score
            for c in cands:
                if c.entry in picks:
                    continue
                fs, fp = float(c.feats[F["fuzzy_seg"]]), float(c.feats[F["fuzzy_piece"]])
                c.rule_score = max(fs, fp)
            if not best_at:
                fz = max((c for c in cands if c.feats[F["fuzzy_seg"]] > 0), key=lambda c: c.feats[F["fuzzy_seg"]], default=None)
                if fz is not None and fz.feats[F["fuzzy_seg"]] >= th:
                    picks[fz.entry] = float(fz.feats[F["fuzzy_seg"]])
            else:
                pieces: dict[tuple[int, int], Cand] = {}
                for c in cands:
                    if c.feats[F["fuzzy_piece"]] >= pth and c.entry not in picks:
                        o = pieces.get((c.start, c.end))
                        if o is None or c.feats[F["fuzzy_piece"]] > o.feats[F["fuzzy_piece"]]:
                            pieces[(c.start, c.end)] = c
                for c in pieces.values():
                    if any(a <= c.start and c.end <= b for a, b in replaced):
                        continue
                    picks[c.entry] = float(c.feats[F["fuzzy_piece"]])
        return self.result(sc, picks, "rules")

    def result(self, sc: Scored, picks: dict[int, float], mode: str, scores: dict[int, float] | None = None) -> CodingResult:
        """Concepts for the picked entries, with alternatives from the other candidates of the same span."""
        d = self.d
        scores = scores or {c.entry: c.rule_score for c in sc.cands}
        concepts = []
        if not picks:
            return CodingResult(sc.text, (), mode)
        cands = sc.by_entry if len(sc.by_entry) == len(sc.cands) else {c.entry: c for c in sc.cands}
        # every candidate best first, once (a stable sort: filtered to one segment, it is that segment's
        # candidates sorted best first, stably — what each concept's alternatives are taken from)
        all_c = sc.cands
        get = scores.get
        neg = [-get(o.entry, 0.0) for o in all_c]
        order = sorted(range(len(all_c)), key=neg.__getitem__)
        entries = d.entries
        text = sc.text
        for entry, score in (sorted(picks.items(), key=lambda kv: (cands[kv[0]].start, -kv[1])) if len(picks) > 1
                             else picks.items()):
            c = cands[entry]
            seg = c.segment
            alts: list[Alternative] = []
            # the four best other candidates of the segment with a positive score: best first, so the
            # first one without a positive score ends the list
            for j in order:
                o = all_c[j]
                if o.segment == seg:
                    a = o.entry
                    if a != entry and a not in picks:
                        s = -neg[j]
                        if not s > 0:
                            break
                        ea = entries[a]
                        alts.append(Alternative(ea.code, ea.name, float(s)))
                        if len(alts) == 4:
                            break
            e = entries[entry]
            concepts.append(Concept(c.start, c.end, text[c.start:c.end], e.code, e.name, float(score), tuple(alts),
                                    c.via))
        return CodingResult(text, tuple(concepts), mode)


def _as_written(res: CodingResult, text: str) -> CodingResult:
    """A cached decision for another spelling of the same folded string, quoting ``text`` itself."""
    return CodingResult(text, tuple(replace(c, text=text[c.start:c.end]) for c in res.concepts), res.mode,
                        res.degraded)


def micro_f1(gold: Sequence[Iterable[str]], pred: Sequence[Iterable[str]]) -> dict[str, float]:
    """CHIP-CDN's official metric: micro precision, recall and F1 over the name set of each record."""
    tp = fp = fn = 0
    for g, p in zip(gold, pred, strict=True):
        gs, ps = set(g), set(p)
        tp += len(gs & ps)
        fp += len(ps - gs)
        fn += len(gs - ps)
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return {"precision": prec, "recall": rec, "f1": f1, "tp": float(tp), "fp": float(fp), "fn": float(fn)}


