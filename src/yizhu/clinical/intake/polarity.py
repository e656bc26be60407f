"""The polarity of each symptom word in a typed answer, read clause by clause.

A symptom word is negated when a negation cue (不, 没, 没有, 无, 未, 也不, 都不, 不会 …) comes before it in
its own clause (a contrast word such as 但/就是 ends the cue's reach), or when the clause is a
topic–comment denial whose comment is negated (嘴唇也不肿, 嘴不歪: the body word, then 也/都 不 …).
"Normal" statements (大小便都正常, 手脚有劲, 说话清楚) become the matching record negative, from
normals.yaml. Nothing here guesses: words not found are not reported either way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict

_CLAUSE = re.compile(r"[，,。.;；!！?？\n]")
_CONTRAST = ("但是", "但", "可是", "不过", "就是", "只是", "倒是", "而且", "还有", "然后")
#: the topic–comment denial: a short topic (body word), an optional 也/都/还/并, then the cue
#: a clause the patient is unsure about, or asks (有没有, 是不是, 算不算), says nothing either way
_UNSURE_CLAUSE = re.compile(r"不知道|不晓得|不清楚|记不得|记不清|不记得|忘了|说不清|说不准|不确定|搞不清|没注意|没留意|"
                            r"有没有|是不是|算不算|会不会")
_OTHERS = ("别的", "其他", "其它", "另外")  # 吐了，别的没有: the cue denies the others, not what came first
_POST_NEG = re.compile(r"(?:也|都|还|并|倒)?(?:没有|没|无)(?:了|的|啊|过|呢)?$")
_TOPIC_NEG = re.compile(r"^(?P<topic>[^不没无未]{1,4}?)(?:也|都|还|并|倒)?(?:没有|没|不会|不|未)(?P<rest>.+)$")


@dataclass(frozen=True, slots=True)
class Finding:
    name: str
    negated: bool
    start: int


class _Normal(BaseModel):
    model_config = ConfigDict(extra="forbid")
    subject: list[str]
    normal: list[str]
    negative: str


class _Normals(BaseModel):
    model_config = ConfigDict(extra="forbid")
    source: str
    normals: list[_Normal]
    single_words: dict[str, str]


@lru_cache(maxsize=1)
def _normals() -> _Normals:
    raw = yaml.safe_load((Path(__file__).with_name("normals.yaml")).read_text(encoding="utf-8"))
    return _Normals.model_validate(raw)


def clauses(text: str) -> list[tuple[int, str]]:
    out, pos = [], 0
    for part in _CLAUSE.split(text):
        if part.strip():
            out.append((pos, part))
        pos += len(part) + 1
    return out


def _cue_before(clause: str, start: int) -> bool:
    from yizhu.clinical.triage.knowledge import _NOT_NEGATION, NEG_CUES

    window = clause[:start]
    for c in _CONTRAST:
        k = window.rfind(c)
        if k >= 0:
            window = window[k + len(c):]
    for w in _NOT_NEGATION:
        window = window.replace(w, "#" * len(w))
    return any(c in window for c in NEG_CUES)


def read(text: str, terms: list[tuple[str, str]]) -> list[Finding]:
    """Every symptom (``name``) whose term occurs in ``text``, with its polarity from its own clause.

    ``terms`` is (term, name), longest first is not required. The same name told both ways keeps the
    positive mention (没发烧…现在又烧了)."""
    from yizhu.clinical.triage.knowledge import locate
    from yizhu.knowledge.terminology.text import fold

    text = fold(text)
    terms = [*terms, *_normals().single_words.items()]
    ordered = sorted({(fold(t), n) for t, n in terms if len(fold(t)) >= 1}, key=lambda r: -len(r[0]))
    from yizhu.clinical.triage.knowledge import _NOT_NEGATION

    found: dict[str, Finding] = {}
    for off, clause in clauses(text):
        if _UNSURE_CLAUSE.search(clause):  # 不知道有没有发烧: neither present nor absent
            continue
        for _n, a, b in _normal_hits(clause):  # 喘气正常 says nothing is wrong: no symptom word in it
            clause = clause[:a] + "#" * (b - a) + clause[b:]
        masked = clause
        for w in _NOT_NEGATION:
            masked = masked.replace(w, "#" * len(w))
        variants: list[tuple[str, bool | None]] = [(clause, None)]
        if _POST_NEG.search(masked) and not any(w in clause for w in _OTHERS):  # 拉肚子也没有: the cue after the symptom denies the whole clause
            variants = [(clause[:_POST_NEG.search(masked).start()], True)]  # type: ignore[union-attr]
        elif m := _TOPIC_NEG.match(masked):
            variants.append((clause[:m.end("topic")] + clause[m.start("rest"):], True))
        taken: list[tuple[int, int]] = []
        here: dict[str, Finding] = {}  # within one clause the last mention decides (吐倒是一次没吐)
        for body, forced in variants:
            hits: list[tuple[int, int, str]] = []
            for term, name in ordered:
                i, e = locate(body, term)
                while i >= 0:
                    if not any(x < e and i < y for x, y in taken):
                        hits.append((i, e, name))
                        taken.append((i, e))
                    i, e = locate(body, term, i + 1)
            if forced:
                taken = []
            for i, e, name in sorted(hits):
                neg = True if forced else (_cue_before(body, i) and not body[i:e].startswith(("不", "没", "无")))
                prev = here.get(name)
                if forced and prev is not None and not prev.negated:
                    continue
                here[name] = Finding(name, neg, off + i)
        for name, f in here.items():  # across clauses a positive mention stands (没发烧，现在又烧了)
            prev = found.get(name)
            if prev is None or (prev.negated and not f.negated):
                found[name] = f
    return sorted(found.values(), key=lambda f: f.start)


def _normal_hits(clause: str) -> list[tuple[str, int, int]]:
    """(record negative, start, end) of each 'normal' statement in one clause."""
    out: list[tuple[str, int, int]] = []
    for n in _normals().normals:
        for subj in sorted(n.subject, key=len, reverse=True):
            k = clause.find(subj)
            if k < 0 or any(a < k + len(subj) and k < b for _n, a, b in out):
                continue
            tail = clause[k + len(subj):k + len(subj) + 6]
            word = next((w for w in n.normal if w in tail and not _cue_before(tail, tail.index(w))), None)
            if word is not None and not _cue_before(clause, k):
                out.append((n.negative, k, k + len(subj) + tail.index(word) + len(word)))
                break
    return out


def normal_negatives(text: str) -> list[str]:
    """Record negatives for the 'normal' statements in ``text`` (大小便都正常 → 大小便异常)."""
    from yizhu.knowledge.terminology.text import fold

    out: list[str] = []
    for _off, clause in clauses(fold(text)):
        for neg, _a, _b in _normal_hits(clause):
            if neg not in out:
                out.append(neg)
    return out
