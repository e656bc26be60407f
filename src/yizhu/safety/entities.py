"""Clinical mentions in a text: symptoms, diagnoses, labs and drugs, with negation and uncertainty.

This is the thin adapter the grounding check reads entities through. It uses the knowledge packs
(``get_kb()``: names, synonyms and colloquial forms, so 发烧 and 发热 are one concept) with one
Aho–Corasick automaton, the shared ConText engine for negation/uncertainty/family, and the WHO INN
stems (``drug_stems.yaml``) to catch drug names that are in no pack (so a misspelt or swapped drug in a
draft is still seen as a drug). When the terminology engine's ``extract(text)`` lands in
``yizhu.knowledge.terminology`` its mentions are merged in (longest span wins), so improvements there
reach the grounding check without code changes here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Literal

import ahocorasick
from pydantic import BaseModel, ConfigDict, Field

from yizhu.datafile import load_yaml_model
from yizhu.knowledge.packs import KnowledgeBase, get_kb
from yizhu.knowledge.terminology.context import ConTextEngine
from yizhu.knowledge.terminology.text import fold, is_word_char

#: when a term names items of several kinds, the concept key is taken from the first kind here
KIND_PRIORITY = ("symptom", "diagnosis", "lab", "drug")
STEMS_FILE = Path(__file__).parent / "drug_stems.yaml"
#: history items a note asserts or denies (过敏史, 个人史, 既往史 headings of 《病历书写基本规范》, 2010)
#: that are in no pack: without them 否认药物过敏史 would have nothing to check
HISTORY_TERMS: dict[str, str] = {
    "过敏": "hx:allergy", "过敏史": "hx:allergy", "吸烟": "hx:smoking", "抽烟": "hx:smoking",
    "吸烟史": "hx:smoking", "饮酒": "hx:alcohol", "喝酒": "hx:alcohol", "饮酒史": "hx:alcohol",
    "手术": "hx:surgery", "手术史": "hx:surgery", "开刀": "hx:surgery", "外伤": "hx:trauma",
    "外伤史": "hx:trauma", "输血": "hx:transfusion", "输血史": "hx:transfusion",
}


#: a term followed by this character is another word (多饮水 is advice, not 多饮 the symptom)
NOT_TERMS = frozenset({"多饮水", "多尿液"})
#: organisms whose names contain a disease word (肺炎支原体 is not 肺炎): one mention of their own
#: (医学微生物学 第9版, 人民卫生出版社, 2018)
ORGANISMS: dict[str, str] = {
    "肺炎支原体": "org:mycoplasma_pneumoniae", "支原体": "org:mycoplasma", "肺炎衣原体": "org:chlamydia_pneumoniae",
    "肺炎链球菌": "org:streptococcus_pneumoniae", "肺炎克雷伯菌": "org:klebsiella_pneumoniae",
    "结核分枝杆菌": "org:mycobacterium_tuberculosis", "幽门螺杆菌": "org:helicobacter_pylori",
    "轮状病毒": "org:rotavirus", "流感病毒": "org:influenza_virus", "乙肝病毒": "org:hbv",
}
#: 不 / 也不 / 都不 directly before a finding (not 是不是, 好不好 …)
_SPOKEN_NOT = re.compile(r"(?<![是好要会能行对])(?:也|都|并|从来)?[不勿]$")  # 勿: Wu 不 (勿过敏, 勿痛)
#: a diagnosis said as ruled out, in the same clause: 不是中风, 排除了骨折, 不像是阑尾炎, 需排除肺栓塞, 并非…
_DX_OUT_BEFORE = re.compile(r"(?:不是|不像|并非|不考虑|排除|除外|不符合|不支持)(?:了|是|为|什么|得了|掉)?"
                            r"[^，,。；;！!？?\n]{0,4}$")
#: … or after it: 肺栓塞除外, 骨折已排除, 阑尾炎可能性不大, 中风不考虑
_DX_OUT_AFTER = re.compile(r"^(?:[^，,。；;！!？?\n]{0,2}?)(?:已|可以?|基本)?(?:除外|排除|可能性(?:不大|小|低)|不考虑|不像|不支持)")


def dx_ruled_out(text: str, start: int, end: int) -> bool:
    """True when the diagnosis at text[start:end] is said as ruled out or denied in its own clause."""
    k = max(text.rfind(c, 0, start) for c in "，,。；;！!？?\n") + 1
    return bool(_DX_OUT_BEFORE.search(text[k:start]) or _DX_OUT_AFTER.match(text[end:end + 12]))


#: a drug said as not to be given, in the same clause: 禁用卡马西平及奥卡西平, 避免使用NSAIDs, 停用阿司匹林, 对青霉素过敏
_RX_NOT_BEFORE = re.compile(r"禁用|禁止|忌用|避免|勿用|勿服|勿[吃用]|不宜|不能[用吃服]|不[要可][用吃服]|别[用吃服]|停用|停服|停止"
                            r"|不再[用吃服使]|慎用|过敏")
#: … or after it: 阿司匹林停用, 卡马西平禁用, 华法林暂停, 头孢类过敏
_RX_NOT_AFTER = re.compile(r"^[^，,。；;！!？?\n]{0,6}?(?:停用|停服|停药|暂停|禁用|忌用|慎用|过敏|不宜|避免)")


def drug_not_ordered(text: str, start: int, end: int) -> bool:
    """True when the drug at text[start:end] is prohibited, avoided, stopped or an allergy in its own clause:
    such a statement is not an order and must not be reviewed as one."""
    k = max(text.rfind(c, 0, start) for c in "，,。；;！!？?\n") + 1
    return bool(_RX_NOT_BEFORE.search(text[k:start]) or _RX_NOT_AFTER.match(text[end:end + 10]))


#: diseases named after their organism, which the organism word must not split (支原体肺炎 is J15.7, not 肺炎)
ORGANISM_DISEASES: dict[str, str] = {"支原体肺炎": "icd10:J15.7", "肺炎支原体肺炎": "icd10:J15.7",
                                     "衣原体肺炎": "icd10:J16.0", "肺炎链球菌肺炎": "icd10:J13"}
#: a disease word followed by one of these names a vaccine or antitoxin, not the disease (破伤风疫苗)
_PRODUCT_AFTER = re.compile(r"疫苗|抗毒素|免疫球蛋白|类毒素|针")


@dataclass(frozen=True, slots=True)
class Mention:
    """One clinical mention: where, what (a concept key), and how it is asserted."""

    start: int
    end: int
    text: str
    type: str
    concept: str
    negated: bool = False
    uncertain: bool = False
    family: bool = False


@dataclass(frozen=True)
class DrugStems:
    """INN stems, salt words and dose-form words that make a drug name recognisable and comparable."""

    stems: tuple[str, ...]
    prefixes: tuple[str, ...]
    names: tuple[str, ...]
    salts: tuple[str, ...]
    forms: tuple[str, ...]
    stop: str


class _StemMeta(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    version: str
    source: str = Field(min_length=10)


class StemFile(BaseModel):
    """``drug_stems.yaml`` as written: its provenance and the word lists."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    meta: _StemMeta = Field(alias="_meta")
    stems: tuple[str, ...] = Field(min_length=1)
    prefixes: tuple[str, ...]
    names: tuple[str, ...]
    salts: tuple[str, ...]
    forms: tuple[str, ...]
    stop_chars: str = Field(min_length=1)


def load_drug_stems(path: Path = STEMS_FILE) -> DrugStems:
    """The stem table at ``path``, longest first where matching needs it; a broken file fails naming the place."""
    data = load_yaml_model(path, StemFile, "drug stem table")
    return DrugStems(
        stems=tuple(sorted(data.stems, key=len, reverse=True)),
        prefixes=data.prefixes,
        names=data.names,
        salts=tuple(sorted(data.salts, key=len, reverse=True)),
        forms=tuple(sorted(data.forms, key=len, reverse=True)),
        stop=data.stop_chars,
    )


@lru_cache(maxsize=1)
def drug_stems() -> DrugStems:
    """The shipped stem table (``drug_stems.yaml``)."""
    return load_drug_stems()


def drug_key(name: str) -> str:
    """A drug name without salt and dose form (盐酸二甲双胍缓释片 → 二甲双胍), folded, for comparison."""
    s = drug_stems()
    k = re.sub(r"\s+", "", fold(name))
    k = re.sub(r"[（(].*?[)）]", "", k)
    changed = True
    while changed:
        changed = False
        for salt in s.salts:
            if k.startswith(salt) and len(k) > len(salt) + 1:
                k, changed = k[len(salt):], True
        for form in s.forms:
            if k.endswith(form) and len(k) > len(form) + 1:
                k, changed = k[: -len(form)], True
        for salt in s.salts:  # 阿托伐他汀钙 → 阿托伐他汀 (salt written after the base)
            if k.endswith(salt) and len(k) > len(salt) + 2:
                k, changed = k[: -len(salt)], True
    return k


class Lexicon:
    """Every pack term, folded, in one automaton; each term maps to its concept key and type."""

    def __init__(self, kb: KnowledgeBase, extra_drugs: Iterable[str] = ()) -> None:
        self.kb = kb
        self._auto = ahocorasick.Automaton()
        self._terms: dict[str, tuple[str, str]] = {}
        for kind in reversed(KIND_PRIORITY):  # higher priority kinds overwrite
            if kind not in kb.packs:
                continue
            for term, items in kb.terms(kind).items():
                t = fold(term)
                if len(t) < 2 or (t.isascii() and len(t) < 3):
                    continue  # K, Na, T: too ambiguous as bare letters
                item = items[0]
                concept = f"drug:{drug_key(item.name)}" if kind == "drug" else item.id
                self._terms[t] = (kind, concept)
        for term, concept in HISTORY_TERMS.items():
            self._terms.setdefault(fold(term), ("history", concept))
        for term, concept in ORGANISMS.items():
            self._terms[fold(term)] = ("organism", concept)
        for term, concept in ORGANISM_DISEASES.items():
            self._terms[fold(term)] = ("diagnosis", concept)
        for name in (*drug_stems().names, *extra_drugs):
            t = fold(name)
            if len(t) >= 2 and t not in self._terms:
                self._terms[t] = ("drug", f"drug:{drug_key(name)}")
        for t, value in self._terms.items():
            self._auto.add_word(t, (len(t), value))
        if self._terms:
            self._auto.make_automaton()

    def find(self, folded: str) -> list[tuple[int, int, str, str]]:
        """Longest-leftmost non-overlapping (start, end, type, concept) in folded text."""
        if not self._terms:
            return []
        found = []
        for end, (length, (kind, concept)) in self._auto.iter(folded):
            start = end - length + 1
            if folded[start : end + 2] in NOT_TERMS:
                continue
            if folded[start].isascii() and (
                (start > 0 and is_word_char(folded[start - 1]))
                or (end + 1 < len(folded) and is_word_char(folded[end + 1]))
            ):
                continue
            found.append((start, end + 1, kind, concept))
        found.sort(key=lambda x: (x[0], -(x[1] - x[0])))
        out: list[tuple[int, int, str, str]] = []
        last = 0
        for f in found:
            if f[0] >= last:
                out.append(f)
                last = f[1]
        return out


@lru_cache(maxsize=1)
def default_lexicon() -> Lexicon:
    """The lexicon of the built-in packs (cached for the process)."""
    return Lexicon(get_kb())


@lru_cache(maxsize=1)
def _stem_regexes() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    s = drug_stems()
    stems = "|".join(re.escape(x) for x in s.stems)
    prefixes = "|".join(re.escape(x) for x in s.prefixes)
    forms = "|".join(re.escape(x) for x in s.forms)
    suffix = re.compile(rf"(?P<pre>[\u4e00-\u9fff]{{0,6}}?)(?:{stems})(?:{forms})?")
    prefix = re.compile(rf"(?:{prefixes})")
    form = re.compile(rf"(?:{forms})")
    return suffix, prefix, form


def drug_spans(text: str) -> list[tuple[int, int]]:
    """Spans that look like drug names by their INN stem (…普利, …沙坦, 头孢…), trimmed of verbs before them."""
    suffix, prefix, form = _stem_regexes()
    stop = drug_stems().stop
    out = []
    for m in suffix.finditer(text):
        a, b = m.start(), m.end()
        # The lazy run before the stem may swallow a verb (予, 服用, 改为 …): cut at the last stop char.
        cut = max((i for i in range(a, m.end("pre")) if text[i] in stop), default=a - 1)
        a = max(a, cut + 1)
        if b - a >= 2:
            out.append((a, b))
    for m in prefix.finditer(text):  # 头孢曲松钠, 格列美脲: the name runs on after the prefix
        b = m.end()
        while b < len(text) and b - m.end() < 5 and "\u4e00" <= text[b] <= "\u9fff" and text[b] not in stop:
            f = form.match(text, b)
            if f:
                b = f.end()
                break
            b += 1
        if b - m.end() >= 1 and not any(x <= m.start() < y for x, y in out):
            out.append((m.start(), b))
    return sorted(out)


def _merge(primary: list[Mention], extra: Iterable[Mention]) -> list[Mention]:
    extra = list(extra)
    taken = bytearray(max([m.end for m in primary] + [m.end for m in extra] + [0]) + 1)
    out = list(primary)
    for m in primary:
        taken[m.start : m.end] = b"\x01" * (m.end - m.start)
    for m in sorted(extra, key=lambda m: (m.start, -(m.end - m.start))):
        if taken.find(1, m.start, m.end) == -1:
            out.append(m)
            taken[m.start : m.end] = b"\x01" * (m.end - m.start)
    return sorted(out, key=lambda m: m.start)


_TYPE_MAP = {"disease": "diagnosis", "symptom": "symptom", "drug": "drug", "lab": "lab", "exam": "exam",
             "procedure": "procedure"}
#: entity types of the terminology engine that locate or qualify a finding rather than state one
_NOT_CLAIMS = frozenset({"body_part", "department", "device", "microorganism", "drug_category"})


def _terminology_mentions(text: str) -> list[Mention]:
    """Mentions from the terminology engine (``yizhu.knowledge.terminology.extract``), keyed like ours."""
    try:
        from yizhu.knowledge import terminology
    except ImportError:  # pragma: no cover - optional: the grounding check works on the packs alone
        return []
    fn = getattr(terminology, "extract", None)
    if not callable(fn):
        return []
    try:
        entities = fn(text)
    except Exception:  # a half-configured data dir must not break the check; our own lexicon still runs
        return []
    out = []
    for e in entities:
        start, end = getattr(e, "start", None), getattr(e, "end", None)
        if not isinstance(start, int) or not isinstance(end, int) or end <= start:
            continue
        etype = str(getattr(e, "type", ""))
        if etype in _NOT_CLAIMS:
            continue  # a body part, department or device named is not a finding the source must state
        kind = _TYPE_MAP.get(etype, "concept")
        item_id = getattr(e, "id", None)
        code = getattr(e, "code", None)
        words = text[start:end]
        if kind == "lab" and getattr(e, "value", None) is not None:
            # 钾 3.73mmol/L: keep the name only, the value is a quantity fact of its own
            name = re.split(r"[\s\d:：=<>≤≥]", words, maxsplit=1)[0]
            if not name:
                continue
            end = start + len(name)
            words = name
        if kind == "drug":
            concept = f"drug:{drug_key(getattr(e, 'name', None) or words)}"
        elif item_id:
            concept = str(item_id)
        elif code and kind == "diagnosis":
            concept = f"icd10:{code}"
        else:
            concept = f"{kind}:{fold(getattr(e, 'name', None) or words)}"
        out.append(
            Mention(start, end, words, kind, concept, bool(getattr(e, "negated", False)),
                    bool(getattr(e, "uncertain", False)), bool(getattr(e, "family", False)))
        )
    return out


def extract(text: str, *, lexicon: Lexicon | None = None, context: ConTextEngine | None = None) -> list[Mention]:
    """Every clinical mention in ``text``, in order, asserted by ConText (negated, uncertain, family)."""
    lex = lexicon or default_lexicon()
    folded = fold(text)
    raw = lex.find(folded)
    spans = [(a, b) for a, b, _, _ in raw]
    kinds = [k for _, _, k, _ in raw]
    taken = bytearray(len(text) + 1)
    for a, b in spans:
        taken[a:b] = b"\x01" * (b - a)
    for a, b in drug_spans(text):
        if taken.find(1, a, b) == -1:
            raw.append((a, b, "drug", f"drug:{drug_key(text[a:b])}"))
            spans.append((a, b))
            kinds.append("drug")
    order = sorted(range(len(raw)), key=lambda i: raw[i][0])
    raw = [raw[i] for i in order]
    spans = [spans[i] for i in order]
    kinds = [kinds[i] for i in order]
    engine = context or ConTextEngine.default()
    assessed = engine.assess(folded, spans, kinds, folded=True) if spans else []
    mentions = [
        Mention(a, b, text[a:b], k, c, s.negated, s.uncertain, s.family)
        for (a, b, k, c), s in zip(raw, assessed, strict=True)
    ]
    extra = _terminology_mentions(text)
    merged = _merge(mentions, extra) if extra else mentions
    out = []
    for m in merged:
        if text[m.start : m.end + 1] in NOT_TERMS or (m.type in ("diagnosis", "concept") and _PRODUCT_AFTER.match(text, m.end)):
            continue
        if (not m.negated and (m.type in ("symptom", "diagnosis") or m.concept == "hx:allergy")
                and _SPOKEN_NOT.search(text, max(0, m.start - 3), m.start)):
            m = replace(m, negated=True)  # 不头晕，也不胸闷, 都不过敏: spoken 不 right before a finding denies it
        if not m.negated and m.type == "diagnosis" and dx_ruled_out(text, m.start, m.end):
            m = replace(m, negated=True)  # 不是中风 / 排除骨折 / 不像阑尾炎 / 肺栓塞除外: X is not the diagnosis
        out.append(m)
    return out


# ── lay phrases said in two parts (下面有一点点褐色的血 = 阴道流血) ─────────────────────────────────

GAPPED_FILE = Path(__file__).parent / "lay_gapped.yaml"
_CLAUSE_BREAK = re.compile(r"[，,。；;！!？?\n]")


class _GappedEntry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    head: tuple[str, ...] = Field(min_length=1)
    tail: tuple[str, ...] = Field(min_length=1)
    standard: str = Field(min_length=2)
    max_gap: int = Field(ge=1, le=16)
    #: a tail followed by one of these is another word (尿 … 血压, 大便 … 血糖)
    not_after_tail: tuple[str, ...] = ()
    #: words between head and tail that name another place (脚…趾…肿 is the toe, not the leg)
    not_between: tuple[str, ...] = ()
    #: the span the finding is read at: the whole phrase, or the head only when the words between carry a value of
    #: their own (月经过了七个礼拜没来: the 7周 is the missed period's duration, not part of its name)
    mark: Literal["whole", "head"] = "whole"


class LayGapped(BaseModel):
    """The split lay phrase table (``lay_gapped.yaml``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    source: str = Field(min_length=10)
    entries: tuple[_GappedEntry, ...]


@lru_cache(maxsize=1)
def lay_gapped() -> LayGapped:
    """The shipped split lay phrase table."""
    return load_yaml_model(GAPPED_FILE, LayGapped, "split lay phrase table")


def gapped_mentions(text: str, mentions: list[Mention], *, lexicon: Lexicon | None = None) -> list[Mention]:
    """Findings said in two parts with words between (下面有一点点褐色的血 → 阴道流血, 肚子一阵一阵地疼 → 腹痛),
    one clause at most ``max_gap`` characters apart, that no mention already covers. Negation and
    uncertainty are those of the standard term said in the head's place (没觉得下面有血 is denied)."""
    out: list[Mention] = []
    for e in lay_gapped().entries:
        for h in e.head:
            for hm in re.finditer(re.escape(h), text):
                a = hm.end()
                stop = _CLAUSE_BREAK.search(text, a)
                limit = min(a + e.max_gap + max(len(t) for t in e.tail), stop.start() if stop else len(text))
                best = None
                for t in e.tail:
                    k = text.find(t, a, limit)
                    while k != -1 and text.startswith(e.not_after_tail, k + len(t)):
                        k = text.find(t, k + 1, limit)
                    if k != -1 and k + len(t) <= limit and (best is None or k < best[0]):
                        best = (k, k + len(t))
                if best is None or any(w in text[a:best[0]] for w in e.not_between):
                    continue
                s, end = hm.start(), (best[1] if e.mark == "whole" else hm.end())
                clause = max(text.rfind(c, 0, s) for c in "，,。；;！!？?\n") + 1
                probe = text[clause:s] + e.standard
                said = [m for m in extract(probe, lexicon=lexicon) if m.start >= s - clause and m.type != "drug"]
                if not said:
                    continue
                m0 = said[0]
                if any(m.concept == m0.concept and m.start < end and s < m.end for m in [*mentions, *out]):
                    continue  # already read as said (肚子疼 by the colloquial lexicon)
                out.append(Mention(s, end, text[s:end], m0.type, m0.concept, m0.negated, m0.uncertain, m0.family))
    return sorted(out, key=lambda m: m.start)
