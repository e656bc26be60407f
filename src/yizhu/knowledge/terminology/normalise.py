"""Diagnosis and drug normalisation: free text → ranked ICD-10 candidates / the generic drug.

Diagnoses: the input is split into single diagnoses (on ，；、/ and numbering, and on 合并/伴/及 when
both halves code better apart), qualifiers are stripped into variants (疑似/待排/?, 病史, laterality,
grading such as 3级 极高危, parenthesised remarks), and each variant is looked up exactly (name,
synonym, bracketed alternative, "未特指的X" → X) and fuzzily: a character uni+bigram TF-IDF index over
every term of the curated pack and the imported ICD table gives 40 candidates, re-scored by cosine and
edit similarity. Every candidate says which term matched, how, and for which part of the input.

Drugs: exact name/synonym/brand/salt first, then the same after removing strength, package, dose form
and salt (阿托伐他汀钙片 20mg*7片 → 阿托伐他汀), then a brand in parentheses, then the longest known name
contained in the string, then a bigram fuzzy match.
"""

from __future__ import annotations

import itertools
import re
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

import ahocorasick
import numpy as np

from yizhu.knowledge.imported import FormularyEntry, IcdRow
from yizhu.knowledge.packs import KnowledgeBase, get_kb
from yizhu.knowledge.terminology.text import fold, key

# ---- diagnoses


@dataclass(frozen=True, slots=True)
class Candidate:
    """One ICD-10 candidate for (part of) a diagnosis text."""

    code: str
    name: str
    score: float
    matched: str
    via: str  # name | synonym | variant | fuzzy | code
    segment: str
    id: str | None = None
    source: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Contract keys (code, name, score) first, then what matched."""
        return {"code": self.code, "name": self.name, "score": round(self.score, 4), "matched": self.matched,
                "via": self.via, "segment": self.segment, "id": self.id}


@dataclass(frozen=True, slots=True)
class SegmentResult:
    """The candidates for one diagnosis found in the input, with the qualifiers stripped from it."""

    segment: str
    query: str
    uncertain: bool
    candidates: list[Candidate]


@dataclass(frozen=True, slots=True)
class _Code:
    code: str
    name: str
    id: str | None
    curated: bool
    source: str


_HARD_SPLIT = re.compile(r"[;；,，、/\n]|\s{2,}|(?<=\S)\s(?=\d+[.、])")
_SOFT_SPLIT = re.compile(r"合并|并发|伴有|伴|及|和|、")
_ENUM = re.compile(r"^\s*(?:\d{1,2}\s*[.、)]|[(（]\d{1,2}[)）]|[①-⑳]|[一二三四五六七八九十][、.])\s*")
_UNCERTAIN = re.compile(r"[?？]+|待排除?|待除外|待查|可能性大|可能|考虑|疑似|疑诊|不除外|不排除|拟诊|\(待[排查]\)")
_HISTORY = re.compile(r"(?<=[\u4e00-\u9fa5a-z0-9])(病史|史)$")
_PAREN = re.compile(r"[(（\[［][^()（）\[\]［］]*[)）\]］]")
_QUALIFIER = re.compile(
    r"^(?:左侧|右侧|双侧|左|右|双)|(?:极高危|很高危|高危|中危|低危|[123一二三]级|"
    r"nyha\s*[ⅰⅱⅲⅳiv1-4]+级|心功能\s*[ⅰⅱⅲⅳiv1-4]+级|[ⅰⅱⅲⅳ]期|稳定期|缓解期|活动期|术后)$"
)
_NOS_PREFIX = re.compile(r"^(?:未特指的|未特指|其他和未特指的)")
_NOS_SUFFIX = re.compile(r"[,，](?:未特指的?|其他)$|,不可归类在他处者$|，不可归类在他处者$")
_ICD_LIKE = re.compile(r"^[a-z]\d{2}(?:\.[0-9a-z]{1,4})?$")


def _features(s: str) -> list[str]:
    """Character unigrams and bigrams (bigrams prefixed so they never collide with unigrams)."""
    chars = [c for c in s if not c.isspace()]
    return chars + ["\x01" + a + b for a, b in itertools.pairwise(chars)]


class DiagnosisNormaliser:
    """Raw diagnosis text → ranked ICD-10 candidates, over the curated pack plus imported tables."""

    def __init__(self, kb: KnowledgeBase, icd_rows: Iterable[IcdRow] = (), *, cache_size: int = 50_000) -> None:
        self.codes: list[_Code] = []
        code_index: dict[str, int] = {}
        terms: dict[tuple[str, int], tuple[str, str]] = {}  # (key, code idx) → (display, via)
        rank = {"name": 0, "synonym": 1, "bracket": 1, "variant": 2}

        def add_code(code: str, name: str, item_id: str | None, curated: bool, source: str) -> int:
            idx = code_index.get(code)
            if idx is None:
                idx = code_index[code] = len(self.codes)
                self.codes.append(_Code(code, name, item_id, curated, source))
            elif curated and not self.codes[idx].curated:
                self.codes[idx] = _Code(code, name, item_id, True, source)
            return idx

        def add_term(term: str, idx: int, via: str) -> None:
            k = key(term)
            if len(k) < 1:
                return
            old = terms.get((k, idx))
            if old is None or rank[via] < rank[old[1]]:
                terms[(k, idx)] = (term, via)
            for variant in nos_variants(k):
                if (variant, idx) not in terms:
                    terms[(variant, idx)] = (term, "variant")

        for row in icd_rows:
            if row.morphology:
                continue
            idx = add_code(row.code, row.name, None, False, row.source or "imported ICD table")
            add_term(row.name, idx, "name")
            for s in row.synonyms:
                add_term(s, idx, "bracket")
        for item in kb.pack("diagnosis"):
            idx = add_code(item.code, item.name, item.id, True, item.source)
            add_term(item.name, idx, "name")
            for s in item.synonyms:
                add_term(s, idx, "synonym")
            if item.name_en:
                add_term(item.name_en, idx, "synonym")

        self.term_keys: list[str] = []
        self.term_display: list[str] = []
        self.term_via: list[str] = []
        self.term_code = np.zeros(len(terms), dtype=np.int32)
        self.exact: dict[str, list[int]] = {}
        for i, ((k, idx), (disp, via)) in enumerate(terms.items()):
            self.term_keys.append(k)
            self.term_display.append(disp)
            self.term_via.append(via)
            self.term_code[i] = idx
            self.exact.setdefault(k, []).append(i)
        self.by_code = {c.code.casefold(): i for i, c in enumerate(self.codes)}
        self._build_index()
        self._cache: OrderedDict[tuple[str, int], list[SegmentResult]] = OrderedDict()
        self._cache_size = cache_size

    @classmethod
    def from_packs(cls, kb: KnowledgeBase | None = None) -> DiagnosisNormaliser:
        """Over the curated pack only (no imported table)."""
        return cls(kb or get_kb())

    def _build_index(self) -> None:
        n = len(self.term_keys)
        feat_ids: dict[str, int] = {}
        rows: list[int] = []
        cols: list[int] = []
        for i, k in enumerate(self.term_keys):
            for f in set(_features(k)):
                j = feat_ids.setdefault(f, len(feat_ids))
                rows.append(i)
                cols.append(j)
        rows_a = np.asarray(rows, dtype=np.int32)
        cols_a = np.asarray(cols, dtype=np.int32)
        df = np.bincount(cols_a, minlength=len(feat_ids)).astype(np.float32)
        idf = np.log((n + 1) / (df + 0.5)).astype(np.float32)
        w = idf[cols_a]
        norms = np.sqrt(np.bincount(rows_a, weights=w * w, minlength=n)).astype(np.float32)
        w = w / np.maximum(norms[rows_a], 1e-6)
        order = np.argsort(cols_a, kind="stable")
        self._post_term = rows_a[order]
        self._post_w = w[order].astype(np.float32)
        self._ptr = np.zeros(len(feat_ids) + 1, dtype=np.int64)
        np.cumsum(np.bincount(cols_a, minlength=len(feat_ids)), out=self._ptr[1:])
        self._feat_ids = feat_ids
        self._idf = idf
        self._common_idf = float(np.log((n + 1) / (n / 20 + 0.5)))  # features in over 5% of terms

    @property
    def size(self) -> int:
        """Number of codes known."""
        return len(self.codes)

    # ---- public

    def normalise(self, text: str, top: int = 5) -> list[Candidate]:
        """Ranked candidates, best first; several diagnoses in one string interleave by rank."""
        segments = self.normalise_segments(text, top)
        out: list[Candidate] = []
        seen: set[str] = set()
        for r in range(top):
            for seg in segments:
                if r < len(seg.candidates) and seg.candidates[r].code not in seen:
                    out.append(seg.candidates[r])
                    seen.add(seg.candidates[r].code)
        return out[:top]

    def normalise_segments(self, text: str, top: int = 5) -> list[SegmentResult]:
        """One result per diagnosis found in the text (cached per distinct text)."""
        ck = (text, top)
        hit = self._cache.get(ck)
        if hit is not None:
            self._cache.move_to_end(ck)
            return hit
        result = [r for piece in self._split_hard(text) for r in self._segment(piece, top)]
        self._cache[ck] = result
        if len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
        return result

    # ---- internals

    @staticmethod
    def _split_hard(text: str) -> list[str]:
        t = fold(text).strip()
        pieces = [_ENUM.sub("", p).strip() for p in _HARD_SPLIT.split(t)]
        return [p for p in pieces if p and not p.isdigit()]

    def _segment(self, piece: str, top: int) -> list[SegmentResult]:
        whole = self._score_piece(piece, top)
        best = whole.candidates[0].score if whole.candidates else 0.0
        words = set(_SOFT_SPLIT.findall(piece))
        if best >= 0.97 or not words:
            return [whole]
        top_term = whole.candidates[0].matched + whole.candidates[0].name
        if best >= 0.7 and any(w[0] in top_term for w in words):
            return [whole]  # a combination code (胆囊结石伴慢性胆囊炎 → K80.1) beats two separate codes
        parts = [p for p in _SOFT_SPLIT.split(piece) if len(p.strip()) >= 2]
        if len(parts) < 2:
            return [whole]
        results = [self._score_piece(p.strip(), top) for p in parts]
        if all(r.candidates for r in results) and min(r.candidates[0].score for r in results) > best + 0.05:
            return results
        return [whole]

    def _score_piece(self, piece: str, top: int) -> SegmentResult:
        q = piece.replace(" ", "")
        uncertain = bool(_UNCERTAIN.search(q))
        base = _UNCERTAIN.sub("", q).strip()
        base = _HISTORY.sub("", base) or base
        variants: list[tuple[str, float]] = [(base, 1.0)]
        no_paren = _PAREN.sub("", base)
        if no_paren and no_paren != base:
            variants.append((no_paren, 0.97))
        stripped = no_paren or base
        for _ in range(3):
            s2 = _QUALIFIER.sub("", stripped).strip()
            if s2 == stripped or not s2:
                break
            stripped = s2
            variants.append((stripped, 0.96))
        if q != base:
            variants.append((q, 0.99))
        scores: dict[int, tuple[float, int, str]] = {}  # code idx → (score, term idx, via)
        if _ICD_LIKE.match(base):
            idx = self.by_code.get(base)
            if idx is not None:
                scores[idx] = (1.0, -1, "code")
        fuzzy_on = {base, stripped}  # the text without uncertainty words, and its most stripped form
        best_factor: dict[str, float] = {}
        for v, f in variants:
            best_factor[v] = max(f, best_factor.get(v, 0.0))
        for v, factor in best_factor.items():
            if not v:
                continue
            for ti in self.exact.get(v, ()):
                via = self.term_via[ti]
                s = {"name": 1.0, "synonym": 0.99, "bracket": 0.99, "variant": 0.985}[via] * factor
                ci = int(self.term_code[ti])
                s += 0.004 if self.codes[ci].curated else 0.0
                if ci not in scores or s > scores[ci][0]:
                    scores[ci] = (s, ti, via)
            for ti, s in self._fuzzy(v) if v in fuzzy_on else ():
                s *= factor
                ci = int(self.term_code[ti])
                if ci not in scores or s > scores[ci][0]:
                    scores[ci] = (s, ti, "fuzzy")
        ranked = sorted(scores.items(), key=lambda kv: -kv[1][0])[:top]
        cands = [
            Candidate(
                code=self.codes[ci].code, name=self.codes[ci].name, score=min(1.0, s),
                matched=self.term_display[ti] if ti >= 0 else self.codes[ci].code, via=via, segment=piece,
                id=self.codes[ci].id, source=self.codes[ci].source,
            )
            for ci, (s, ti, via) in ranked
        ]
        return SegmentResult(segment=piece, query=stripped or base, uncertain=uncertain, candidates=cands)

    def _fuzzy(self, q: str, k: int = 40, rescore: int = 12) -> list[tuple[int, float]]:
        """Cosine over uni+bigrams for k candidates; edit similarity for the ``rescore`` best of them."""
        feats = [self._feat_ids[f] for f in set(_features(q)) if f in self._feat_ids]
        if len(feats) > 4:  # very common characters (性, 病) cost the most and rank the least
            feats = [f for f in feats if self._idf[f] > self._common_idf] or feats
        if not feats:
            return []
        qw = self._idf[feats]
        qn = float(np.sqrt((qw * qw).sum())) or 1.0
        idx = np.concatenate([self._post_term[self._ptr[f]:self._ptr[f + 1]] for f in feats])
        w = np.concatenate([self._post_w[self._ptr[f]:self._ptr[f + 1]] * (qw[i] / qn) for i, f in enumerate(feats)])
        scores = np.bincount(idx, weights=w, minlength=len(self.term_keys))
        kk = min(k, len(scores))
        top = np.argpartition(-scores, kk - 1)[:kk]
        top = top[np.argsort(-scores[top])]
        out = []
        for rank, ti in enumerate(top):
            cos = float(scores[ti])
            if cos <= 0.05:
                break
            term = self.term_keys[ti]
            if rank < rescore:
                ratio = SequenceMatcher(None, q, term, autojunk=False).ratio()
            else:
                ratio = 2 * len(set(q) & set(term)) / (len(set(q)) + len(set(term)))
            s = 0.5 * cos + 0.5 * ratio
            if self.codes[int(self.term_code[ti])].curated:
                s += 0.01
            out.append((int(ti), min(s, 0.95)))
        return out


def nos_variants(k: str) -> list[str]:
    """未特指的肺炎 → 肺炎; 霍乱,未特指 → 霍乱: what clinicians write for a not-otherwise-specified code."""
    out = []
    v = _NOS_PREFIX.sub("", k)
    v = _NOS_SUFFIX.sub("", v)
    if v != k and len(v) >= 2:
        out.append(v)
    return out


# ---- drugs


@dataclass(frozen=True, slots=True)
class DrugMatch:
    """The generic drug a brand/salt/dose-form string names, and how it was recognised."""

    name: str
    matched: str
    via: str  # name | synonym | brand | salt | formulary | stripped | contained | fuzzy
    score: float
    id: str | None = None
    atc: str | None = None
    strength: str | None = None
    dose_form: str | None = None
    formulary_code: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "matched": self.matched, "via": self.via,
                "score": round(self.score, 4), "atc": self.atc, "strength": self.strength,
                "dose_form": self.dose_form, "formulary_code": self.formulary_code}


#: Dose forms, longest first so 肠溶片 is removed before 片.
DOSE_FORMS = sorted(
    ["缓释片", "控释片", "肠溶片", "分散片", "咀嚼片", "泡腾片", "口崩片", "口腔崩解片", "薄膜衣片", "含片", "舌下片", "阴道片", "片剂", "片", "肠溶胶囊", "缓释胶囊", "软胶囊", "硬胶囊", "胶囊剂", "胶囊", "颗粒剂", "颗粒", "干混悬剂", "混悬液", "混悬剂", "口服液", "口服溶液", "溶液剂", "溶液", "糖浆剂", "糖浆", "滴眼液", "滴耳液", "滴鼻液", "眼膏", "眼用凝胶", "软膏", "乳膏", "凝胶", "贴剂", "贴膏", "栓剂", "栓", "气雾剂", "吸入气雾剂", "吸入粉雾剂", "粉雾剂", "吸入剂", "吸入溶液", "喷雾剂", "鼻喷雾剂", "滴丸", "丸剂", "大蜜丸", "水丸", "浓缩丸", "丸", "散剂", "散", "注射液", "注射剂", "粉针剂", "粉针", "冻干粉针", "冻干粉", "输液", "酊剂", "搽剂", "洗剂", "合剂", "膏方", "乳剂", "口服乳剂"],
    key=len, reverse=True,
)
_FORM_PREFIX = re.compile(r"^(注射用|吸入用|外用|口服|复方)?")
SALT_PREFIXES = sorted(
    ["盐酸", "硫酸", "磷酸", "马来酸", "甲磺酸", "苯磺酸", "琥珀酸", "酒石酸", "重酒石酸", "富马酸", "枸橼酸", "醋酸", "乳酸", "门冬氨酸", "氢溴酸", "硝酸", "苯甲酸", "甲苯磺酸", "对甲苯磺酸", "丙酸", "戊酸", "双羟萘酸", "依托度酸", "二磷酸", "葡萄糖酸", "乳糖酸", "硬脂酸", "碳酸", "氯化"],
    key=len, reverse=True,
)
SALT_SUFFIXES = sorted(["钙", "钠", "钾", "镁", "锌", "铝", "二钠", "酯", "钙盐", "钠盐", "钾盐", "单钠", "水合物", "一水合物"], key=len, reverse=True)
_STRENGTH = re.compile(
    r"\d+(?:\.\d+)?\s*(?:mg|g|μg|ug|mcg|ml|l|iu|u|万u|万单位|单位|%|mmol)(?:\s*[:/]\s*\d+(?:\.\d+)?\s*(?:ml|g|mg|片|粒))?"
    r"(?:\s*[*×x]\s*\d+\s*(?:片|粒|支|袋|瓶|盒|丸|贴|板|揿|喷)?(?:\s*[*×x/]\s*\d*\s*(?:盒|板|瓶|袋|支))?)?"
)
_PACK = re.compile(r"[*×x]\s*\d+\s*(?:片|粒|支|袋|瓶|盒|丸|贴|板)(?:/(?:盒|板|瓶|袋))?|\d+\s*(?:片|粒|支|袋|瓶)/(?:盒|板|瓶|袋)")
_PARENS = re.compile(r"[(（\[［【]([^()（）\[\]［］【】]*)[)）\]］】]")


class DrugNormaliser:
    """Brand / salt / dose-form strings → the generic drug of the packs (or of the formulary)."""

    def __init__(self, kb: KnowledgeBase, formulary: Iterable[FormularyEntry] = ()) -> None:
        self.terms: dict[str, tuple[str, Any, str]] = {}  # key → (via, item or entry, display)
        for item in kb.pack("drug"):
            groups = (("name", [item.name]), ("synonym", [*item.synonyms, *([item.name_en] if item.name_en else [])]),
                      ("brand", getattr(item, "brands", [])), ("salt", getattr(item, "salts", [])))
            for via, names in groups:
                for t in names:
                    self.terms.setdefault(key(t), (via, item, t))
        self._generic_terms = len(self.terms)
        self.formulary: dict[str, FormularyEntry] = {}
        for f in formulary:
            self.formulary[key(f.name)] = f
            for t in (f.generic, f.brand):
                if t and key(t) not in self.terms:
                    self.terms[key(t)] = ("formulary", f, t)
        self._auto: Any = None
        self._bigrams: dict[str, list[str]] = {}
        if self.terms:
            self._auto = ahocorasick.Automaton()
            for k in self.terms:
                if len(k) >= 2:
                    self._auto.add_word(k, k)
                for a, b in itertools.pairwise(k):
                    self._bigrams.setdefault(a + b, []).append(k)
            self._auto.make_automaton()

    @classmethod
    def from_packs(cls, kb: KnowledgeBase | None = None) -> DrugNormaliser:
        return cls(kb or get_kb())

    @property
    def size(self) -> int:
        """Number of drug terms (names, synonyms, brands, salts, formulary names)."""
        return len(self.terms)

    def _result(self, k: str, via: str | None, score: float, strength: str | None, form: str | None,
                formulary_code: str | None = None) -> DrugMatch:
        tvia, obj, disp = self.terms[k]
        if isinstance(obj, FormularyEntry):
            linked = self.match(obj.generic) if obj.generic and key(obj.generic) != k else None
            if linked is not None and linked.id:
                return DrugMatch(linked.name, disp, via or "formulary", score, linked.id, linked.atc, strength,
                                 form or obj.dose_form, formulary_code or obj.code)
            return DrugMatch(obj.generic or disp, disp, via or "formulary", score, None, obj.atc, strength,
                             form or obj.dose_form, formulary_code or obj.code)
        return DrugMatch(obj.name, disp, via or tvia, score, obj.id, getattr(obj, "atc", None), strength, form,
                         formulary_code)

    def match(self, text: str | None) -> DrugMatch | None:
        """The generic drug named by ``text``, or None when nothing plausible is known."""
        if not text or not self.terms:
            return None
        k = key(text)
        if k in self.terms:
            return self._result(k, None, 1.0, None, None)
        entry = self.formulary.get(k)
        if entry is not None:
            inner = self.match(entry.generic) if entry.generic else None
            if inner is not None:
                return DrugMatch(inner.name, entry.name, "formulary", 0.99, inner.id, inner.atc or entry.atc,
                                 entry.spec, entry.dose_form, entry.code)
        strength_m = _STRENGTH.search(k)
        strength = strength_m.group(0) if strength_m else None
        bracketed = _PARENS.findall(k)
        core = _PARENS.sub("", k)
        core = _STRENGTH.sub("", core)
        core = _PACK.sub("", core).strip(" *×x/")
        if core in self.terms:
            return self._result(core, "stripped", 0.97, strength, None)
        form = None
        for f in DOSE_FORMS:
            if core.endswith(f) and len(core) > len(f):
                form = f
                core = core[: -len(f)]
                break
        pre = _FORM_PREFIX.match(core)
        if pre and pre.group(1) in ("注射用", "吸入用"):
            form = form or pre.group(1)
            core = core[pre.end():]
        for cand in self._salt_variants(core):
            if cand in self.terms:
                return self._result(cand, "stripped", 0.95, strength, form)
        for b in bracketed:
            bk = key(b)
            if bk in self.terms:
                return self._result(bk, None, 0.95, strength, form)
        if self._auto is not None:
            found = [v for _, v in self._auto.iter(k)]
            if found:
                best = max(found, key=len)
                if len(best) >= 2 and len(best) >= 0.4 * len(core or k):
                    return self._result(best, "contained", 0.85, strength, form)
        return self._fuzzy(core or k, strength, form)

    @staticmethod
    def _salt_variants(core: str) -> list[str]:
        out = [core]
        for p in SALT_PREFIXES:
            if core.startswith(p) and len(core) > len(p) + 1:
                out.append(core[len(p):])
                break
        for base in list(out):
            for s in SALT_SUFFIXES:
                if base.endswith(s) and len(base) > len(s) + 1:
                    out.append(base[: -len(s)])
                    break
        return out

    def _fuzzy(self, q: str, strength: str | None, form: str | None) -> DrugMatch | None:
        if len(q) < 2:
            return None
        counts: dict[str, int] = {}
        for a, b in itertools.pairwise(q):
            for t in self._bigrams.get(a + b, ()):
                counts[t] = counts.get(t, 0) + 1
        if not counts:
            return None
        nq = len(q) - 1
        best, best_s = None, 0.0
        for t, c in counts.items():
            dice = 2 * c / (nq + max(len(t) - 1, 1))
            if dice > best_s:
                best, best_s = t, dice
        if best is None or best_s < 0.6:
            return None
        score = round(0.5 + 0.4 * best_s, 4)
        return self._result(best, "fuzzy", score, strength, form)
