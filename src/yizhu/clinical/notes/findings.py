"""Dictated examination findings and results: where a doctor's clause goes (``findings.yaml``).

A doctor reads out what he sees or measures (鼓膜完整, 音叉试验韦伯偏左, 纯音测听听阈75分贝, 射血分数35%, T值-1.8,
GAD-7评分15分, 溃疡2×1.5cm 探针触骨阳性). Such a clause is a finding for 体格检查 (bedside: seen, heard, felt,
elicited; vital signs; bedside scales such as NIHSS) or a result for 辅助检查 (labs, imaging, ECG, echo,
audiometry, allergen tests, bone density, rating scales). The shared knowledge decides first — a lab, an
examination or a body part named by the terminology engine — and ``findings.yaml`` adds the bedside tests,
scales and small structures it does not name. A clause that tells the patient what to do is an order even
when it names a value or a sign (超过38.5℃吃1片; 改胰岛素泵控制血糖). What a note has no section for, or what
cannot be placed, is listed as left out (``unplaced_note``), never dropped silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from yizhu.datafile import load_yaml_model

FINDINGS_FILE = Path(__file__).parent / "findings.yaml"

EXAM = "体格检查"
AUX = "辅助检查"


class FindingRules(BaseModel):
    """``findings.yaml``: the words that place a dictated clause."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    source: str = Field(min_length=10)
    tests: tuple[str, ...] = Field(min_length=1)
    scales: tuple[str, ...] = ()
    bedside_scales: tuple[str, ...] = ()
    vital_signs: tuple[str, ...] = ()
    manoeuvres: tuple[str, ...] = ()
    structures: tuple[str, ...] = ()
    finding_words: tuple[str, ...] = Field(min_length=1)
    instruction_if: tuple[str, ...] = ()
    intake: tuple[str, ...] = ()
    instruction_then: tuple[str, ...] = ()
    order_openers: tuple[str, ...] = ()
    results_back: tuple[str, ...] = ()
    report_opening: str = "(?!)"

    @field_validator("results_back")
    @classmethod
    def _compiles(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        for p in v:
            re.compile(p)
        return v


@lru_cache(maxsize=1)
def finding_rules() -> FindingRules:
    return load_yaml_model(FINDINGS_FILE, FindingRules, "examination finding rules")


def _alt(words: tuple[str, ...]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) or "(?!)"


@dataclass(frozen=True)
class _Rx:
    tests: re.Pattern[str]
    scales: re.Pattern[str]
    bedside: re.Pattern[str]
    manoeuvres: re.Pattern[str]
    structures: re.Pattern[str]
    finding: re.Pattern[str]
    condition: re.Pattern[str]
    intake: re.Pattern[str]
    then: re.Pattern[str]
    opener: re.Pattern[str]
    back: re.Pattern[str]


@lru_cache(maxsize=1)
def _rx() -> _Rx:
    r = finding_rules()
    return _Rx(
        tests=re.compile(_alt(r.tests), re.I),
        # a scale is a scale only as a word of its own (SAS is not part of 'SASA'), with a score after it
        scales=re.compile(rf"(?<![A-Za-z])(?:{_alt(r.scales)})(?![A-Za-z])", re.I),
        bedside=re.compile(rf"(?<![A-Za-z])(?:{_alt(r.bedside_scales + r.vital_signs)})(?![A-Za-z])", re.I),
        manoeuvres=re.compile(_alt(r.manoeuvres), re.I),
        structures=re.compile(_alt(r.structures)),
        finding=re.compile(_alt(r.finding_words)),
        condition=re.compile(_alt(r.instruction_if)),
        intake=re.compile(rf"(?:{_alt(r.intake)})(?:[一二两三半\d.]+|点|下)?\s*(?:片|粒|袋|支|包|喷|滴|次|毫克|克|mg|g|ml|毫升)?"),
        then=re.compile(_alt(r.instruction_then)),
        opener=re.compile(rf"\s*(?:先|再|然后|明天|今天|马上|立即)?(?:{_alt(r.order_openers)})"),
        back=re.compile("|".join(f"(?:{p})" for p in r.results_back) or "(?!)"),
    )


_VALUE = re.compile(r"\d")
_RESULT_WORD = re.compile(r"阳性|阴性|正常|异常|示|提示|可见|未见|没有看到|没看到|[A-Z]型|\d+\s*级|\d+\s*分|升高|降低|偏高|偏低"
                          r"|没(?:有|什么)?(?:大)?问题")


@lru_cache(maxsize=4096)
def _terms(clause: str) -> frozenset[str]:
    """The types the terminology engine names in a clause (lab, exam, body_part, symptom …)."""
    from yizhu.knowledge import terminology

    try:
        return frozenset(str(e.type) for e in terminology.extract(clause))
    except Exception:  # a half-configured data dir: the lists of findings.yaml still place the clause
        return frozenset()


@lru_cache(maxsize=1)
def _lab_prefixes() -> frozenset[str]:
    """Every name and synonym of the labs pack (≥ 2 characters, lower case) and each of their starts."""
    from yizhu.knowledge.packs import get_kb

    terms = {t.lower() for item in get_kb().pack("lab") for t in item.terms() if len(t) >= 2}
    return frozenset(t[:i] for t in terms for i in range(2, len(t) + 1))


_NAMED_VALUE = re.compile(r"\s*(?P<name>[\u4e00-\u9fffA-Za-z][\u4e00-\u9fffA-Za-z0-9\-]*?)\s*[:：]?\s*(?:是|为)?\s*[<>≤≥]?\d")


def lab_value(clause: str) -> bool:
    """中性粒细胞82%, 中性89%, NT-proBNP 9860: a name of the labs pack (or the start of one) followed by a value."""
    m = _NAMED_VALUE.match(clause)
    if not m or len(m.group("name")) < 2:
        return False
    return m.group("name").lower() in _lab_prefixes()


def is_order_clause(clause: str) -> bool:
    """A clause that tells the patient what to do, though it names a value or a sign: 超过38.5℃吃1片0.5克
    (a condition and an intake), 改胰岛素泵控制血糖 (a change of treatment opening the clause)."""
    rx = _rx()
    if rx.opener.match(clause):
        return True
    return bool(rx.condition.search(clause) and (rx.intake.search(clause) or rx.then.search(clause)))


def results_back(clause: str) -> bool:
    """化验回来了：NT-proBNP 9860 — a result read out, not a return visit (回来); 电子喉镜结果：左声带息肉,
    曲面断层片示… — a test (named by the shared knowledge or ``tests``) opening the clause with its report."""
    if _rx().back.search(clause) and (_VALUE.search(clause) or _RESULT_WORD.search(clause)):
        return True
    m = re.match(finding_rules().report_opening, clause.strip())
    if not m:
        return False
    head = m.group(0)
    return bool(_rx().tests.search(head) or _terms(head) & {"lab", "exam"})


_BARE_RESULT = re.compile(r"\s*(?:[左右双]侧?|其[他余]|余|另一侧|对侧)?[\u4e00-\u9fff]{0,2}?(?:阳性|阴性|正常|未见异常|无异常)[。；;]?\s*$")


def bare_result(sentence: str) -> bool:
    """左侧阴性 / 其余正常: a result that only continues the finding said before it."""
    return bool(_BARE_RESULT.match(sentence))


def has_content(sentence: str) -> bool:
    """A statement worth listing when it cannot be placed: it carries a value, or names a lab, an examination,
    a drug, a body part or a listed test."""
    if _VALUE.search(sentence) or finding_section(sentence) is not None:
        return True
    return bool(_terms(sentence) & {"lab", "exam", "drug", "procedure", "body_part"})


def finding_section(clause: str, *, listed_only: bool = False) -> str | None:
    """体格检查 or 辅助检查 for a clause that reports a finding or a result; None otherwise. With
    ``listed_only`` only the bedside tests, scales and tests of ``findings.yaml`` place a clause (they are
    specific enough to be read before the other rules: GAD-7评分15分 is a score, not the diagnosis GAD)."""
    rx = _rx()
    if re.search(r"[?？吗]|有没有|是不是", clause) or is_order_clause(clause) or _rx().condition.search(clause):
        return None  # a question, an order, or what to do if something happens (要是说话不清…) is no finding
    said = bool(_VALUE.search(clause) or _RESULT_WORD.search(clause) or rx.finding.search(clause))
    if not said:
        return None
    if rx.bedside.search(clause):
        return EXAM
    if rx.scales.search(clause) or rx.tests.search(clause):
        return AUX
    if listed_only:
        # 溃疡, 结节 name a finding and a disease alike: the clause must say more than the name (a value, a result)
        m = rx.manoeuvres.search(clause)
        rest = clause[:m.start()] + "\x00" + clause[m.end():] if m else ""
        if not (m and (_VALUE.search(rest) or _RESULT_WORD.search(rest) or rx.finding.search(rest))):
            return None
        # 胃镜示十二指肠球部溃疡: a finding named in a test's report is the test's result
        return AUX if _terms(clause) & {"lab", "exam"} else EXAM
    if lab_value(clause):
        return AUX
    kinds = _terms(clause)
    if kinds & {"lab", "exam"} and (_VALUE.search(clause) or _RESULT_WORD.search(clause)):
        return AUX
    if rx.manoeuvres.search(clause) or rx.structures.search(clause) or kinds & {"body_part", "sign"}:
        return EXAM
    return None


def is_finding_clause(clause: str) -> bool:
    return finding_section(clause) is not None


__all__ = [
    "AUX",
    "EXAM",
    "FindingRules",
    "Placement",
    "bare_result",
    "finding_rules",
    "finding_section",
    "has_content",
    "is_finding_clause",
    "is_order_clause",
    "results_back",
]


class Placement:
    """Where a dialogue's statements went: the last finding placed (a bare 左侧阴性 continues it) and what could
    not be placed (listed as left out by the draft, never dropped silently)."""

    def __init__(self) -> None:
        self.last: tuple[str, list[Any]] | None = None
        self.unplaced: list[tuple[str, Any]] = []

    def at(self, name: str, items: list[Any]) -> None:
        """A sentence was placed at the end of ``items`` (section ``name``)."""
        self.last = (name, items) if name in (EXAM, AUX) else None

    def after(self, parts: list[tuple[str, Any]]) -> None:
        if parts and parts[-1][0] not in (EXAM, AUX):
            self.last = None

    def add_or_keep(self, src: Any, a: int, b: int, cleaned: Any) -> bool:
        """A statement no rule placed: joined to the finding before it when it only continues it (左侧阴性),
        kept as unplaced when it carries content; True when it was handled either way."""
        from yizhu.clinical.notes.types import ProvenanceOut, SentenceOut

        raw = src.text[a:b]
        if self.last is not None and bare_result(raw):
            _, items = self.last
            prev = items[-1]
            items[-1] = SentenceOut(text=prev.text.rstrip("。") + "；" + cleaned.text,
                                    provenance=[*prev.provenance, ProvenanceOut(kind="span", source=src.id, start=a, end=b)])
            return True
        if has_content(raw):
            self.unplaced.append(("", cleaned))
            return True
        return False


_ORDERED = re.compile(r"\s*(?:先|再|立即|马上)?(?:给|予|用|口服|静滴|肌注|加用|改用|换用|开)")
_ABNORMAL_SAID = re.compile(r"阳性|异常|升高|降低|偏高|偏低|增高|减低|减弱|消失|破坏|狭窄|[↑↓]")
_NORMAL_SAID = re.compile(r"正常|阴性|未见|没有|没看到|未触及|未闻及|无")


def result_items(S: Any) -> list[Any]:
    """Every dictated result or finding of a doctor's turn that carries a value or an abnormal result (听阈75分贝,
    射血分数35%, 探针触骨阳性) as an item of the omission check: drafted, listed as left out, or reported omitted."""
    from yizhu.safety.grounding import split_sentences
    from yizhu.safety.omission import SourceItem, clauses, drug_products_in

    out = []
    for src in S.of_kind("turn"):
        if src.speaker != "doctor":
            continue
        t = src.text
        for a, b in split_sentences(t):
            s = t[a:b]
            if re.search(r"[?？吗]|有没有", s) or re.match(r"\s*(?:初步)?诊断(?:为|是)?[:：]", s):
                continue  # a question, or a diagnosis list (诊断：…4.2型糖尿病: its item numbers are no values)
            for c0, c1 in clauses(s):
                clause = s[c0:c1].strip()
                start = a + c0 + (len(s[c0:c1]) - len(s[c0:c1].lstrip()))
                if finding_section(clause) is None:
                    continue
                if _ORDERED.match(clause) or drug_products_in(clause):
                    continue  # 先给布洛芬混悬液4毫升退烧: an order with its dose, not a result read out
                valued = re.search(r"\d", clause) and not re.fullmatch(r"[^\d]*\d+\s*(?:天|周|月|年|次)[^\d]*", clause)
                if valued or (_ABNORMAL_SAID.search(clause) and not _NORMAL_SAID.search(clause)):
                    out.append(SourceItem("result", clause, src.id, start, start + len(clause)))
    return out


# ── history topics: one answer to a question that asks several ──────────────────────────────────


def history_topics(question: str, topics: Any) -> list[str]:
    """The history topics a question asks about, in the order asked (以前身体怎么样？抽烟吗？有没有药物过敏？ →
    既往史, 个人史, 过敏史); ``topics`` is the (name, pattern) table of the history sections."""
    found: list[tuple[int, str]] = []
    for name, rx in topics:
        m = rx.search(question)
        if m:
            found.append((m.start(), name))
    return [name for _, name in sorted(found)]


def put_by_topic(put: Any, asked: list[str], topic_of: Any, default: str, items: list[Any]) -> None:
    """Each sentence of an answer to a question of several topics goes to the topic it names itself, when that
    topic was asked (吸烟20年 → 个人史, 青霉素过敏 → 过敏史); the others to ``default``."""
    for x in items:
        parts = [c for c in re.split(r"(?<=[，,；;])", x.text.rstrip("。")) if c.strip(" ，,；;")]
        topics = [topic_of(c) for c in parts]
        if len(parts) > 1 and len({t for t in topics if t in asked}) > 1:
            # 不抽烟不喝酒，家里没人得过 — one sentence answering two of the questions: each clause to its own topic
            # (a clause naming no topic goes with the one before it)
            last = default
            for c, t in zip(parts, topics, strict=True):
                last = t if t in asked else last
                put(last, [type(x)(text=c.strip(" ，,；;") + "。", provenance=x.provenance)])
            continue
        own = topic_of(x.text)
        put(own if own in asked else default, [x])
