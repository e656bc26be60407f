"""Spoken phrasing of a consultation turned into record language, by rules kept as data (``speech.yaml``).

A doctor's running commentary (我查一下, 我这边查体), address (给你…, 大叔) and spoken imperatives (别沾水) are
rewritten or dropped; a patient's questions and pleasantries (要打胰岛素吗？ 好的，结果出来找您) are not
history and are dropped.

A patient's or family member's sentence is read clause by clause (split at ，；). A clause that names a
clinical term (a finding, disease, drug or body part, through the packs and the colloquial lexicon) is a
clinical fact: it is kept and written in record language. A clause that names none is conversation when a
``conversation`` rule matches it (thanks, a bare answer word, a pointer such as 就这儿, a social
circumstance) and is dropped. A short answer that names no subject (11月2号, 两天没解了) takes the subject
of the question it answers (末次月经, 大便). What the rules do not know stays as said.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from yizhu.datafile import Regex, load_yaml_model
from yizhu.errors import ConfigError

SPEECH_FILE = Path(__file__).parent / "speech.yaml"


class _Rule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    pattern: Regex
    to: str = ""
    example: str = Field(min_length=1, description="a phrase the rule rewrites (checked on load)")


class _Conversation(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1, description="the class of conversation: pleasantry, answer word, pointer …")
    pattern: Regex
    example: str = Field(min_length=1, description="a clause the rule drops (checked on load)")


class SpeechRules(BaseModel):
    """``speech.yaml``: rewrites for the doctor's sentences, drops and rewrites for the patient's."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    source: str = Field(min_length=10)
    doctor: tuple[_Rule, ...]
    patient_drop: tuple[_Rule, ...]
    conversation: tuple[_Conversation, ...] = ()
    patient: tuple[_Rule, ...] = ()
    family: tuple[_Rule, ...] = ()
    subjects: tuple[str, ...] = ()
    dialect: tuple[_Rule, ...] = ()
    subject_phrases: tuple[_Rule, ...] = ()
    markers: tuple[_Conversation, ...] = ()


@lru_cache(maxsize=1)
def speech_rules() -> SpeechRules:
    rules = load_yaml_model(SPEECH_FILE, SpeechRules, "speech rules")
    for r in (*rules.doctor, *rules.patient_drop, *rules.conversation, *rules.patient, *rules.family,
              *rules.dialect, *rules.markers, *rules.subject_phrases):
        if not re.search(r.pattern, r.example):
            raise ConfigError(f"{SPEECH_FILE}: rule {r.pattern!r} does not match its example {r.example!r}")
    return rules


@lru_cache(maxsize=1)
def _compiled() -> tuple[list[tuple[re.Pattern[str], str]], list[re.Pattern[str]]]:
    r = speech_rules()
    return [(re.compile(x.pattern), x.to) for x in r.doctor], [re.compile(x.pattern) for x in r.patient_drop]


def doctor_to_record(text: str) -> str:
    """A doctor's sentence with commentary and address dropped and spoken forms in record wording."""
    for rx, to in _compiled()[0]:
        text = rx.sub(to, text)
    return text


def patient_says_history(text: str) -> bool:
    """False for a patient's question or pleasantry: not part of the history."""
    return not any(rx.search(text.strip()) for rx in _compiled()[1])


@lru_cache(maxsize=1)
def _patient_compiled() -> tuple[list[tuple[str, re.Pattern[str]]], list[tuple[re.Pattern[str], str]], tuple[str, ...]]:
    r = speech_rules()
    return ([(c.name, re.compile(c.pattern)) for c in r.conversation],
            [(re.compile(x.pattern), x.to) for x in r.patient],
            tuple(sorted(r.subjects, key=len, reverse=True)))


_CLAUSE = re.compile(r"([，,；;])")


def clinical_term(text: str) -> bool:
    """Whether a clause names a finding, disease, drug or body part (through the packs and the lexicon)."""
    from yizhu.knowledge.terminology.colloquial import colloquial
    from yizhu.safety.entities import extract

    lex = colloquial()
    if any(m.entry.kind in ("symptom", "sign", "disease", "body_part", "brand", "drug_category", "exam")
           for m in lex.find(text)):
        return True
    if any(s in text for s in _patient_compiled()[2]):
        return True
    if _standard_terms().search(text):  # 腹部, 下肢: a standard body word the lexicon writes is a clinical term
        return True
    return bool(extract(lex.normalise(text).text))


@lru_cache(maxsize=1)
def _standard_terms() -> re.Pattern[str]:
    from yizhu.knowledge.terminology.colloquial import colloquial

    words = {e.standard for e in colloquial().entries
             if e.kind in ("symptom", "sign", "body_part") and len(e.standard) >= 2 and not e.standard.isascii()}
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))


def conversation_class(clause: str) -> str | None:
    """The conversation class of one clause (``thanks``, ``pointer`` …), or None for a clinical fact."""
    bare = re.sub(r"[\s。！!？?，,；;]+", "", clause)
    if not bare:
        return "empty"
    hit = next((name for name, rx in _patient_compiled()[0] if rx.search(bare)), None)
    if hit is None or clinical_term(bare):
        return None
    return hit


def drop_conversation(text: str) -> str:
    """A patient's sentence without its conversation clauses (没有，就那一块 → ""; 好的，谢谢 → "")."""
    parts = _CLAUSE.split(text)
    kept: list[str] = []
    dropped = False
    for i in range(0, len(parts), 2):
        clause = parts[i]
        stop = parts[i + 1] if i + 1 < len(parts) else ""
        if conversation_class(clause) is not None:
            dropped = True
            continue
        if dropped:  # 去朋友家打牌，回来就尿频: the link back to a dropped circumstance goes with it
            clause = _LINK_BACK.sub("", clause)
        dropped = False
        kept.append(clause + stop)
    return "".join(kept).strip(" ，,；;")


#: words that tie a clause to the one before it (回来就, 之后), meaningless once that clause is dropped
_LINK_BACK = re.compile(r"^\s*(?:(?:回来|回家|那以后|之后|后来|然后)(?:以后|后)?就?|就是|就(?=[\u4e00-\u9fff]{2}))")


def patient_to_record(text: str) -> str:
    """The patient's spoken forms that the lexicon leaves (三天没解 → 3天未解, 这儿疼 → 疼) in record wording."""
    for rx, to in _patient_compiled()[1]:
        text = rx.sub(to, text)
    return _intensity().sub(lambda m: m.group(1) + ("明显" if m.group(2) else ""), text)


@lru_cache(maxsize=1)
def _intensity() -> re.Pattern[str]:
    """A symptom term followed by a spoken intensifier (心悸得很 → 心悸明显) or a reduplicated tail that only
    describes it (麻木酥酥的 → 麻木)."""
    words = "|".join(re.escape(w) for w in sorted(_symptom_terms() | {"疼痛", "麻木", "瘙痒", "昏沉"}, key=len, reverse=True))
    return re.compile(rf"({words})(?:(得(?:很|要命|不行|厉害|凶|慌))|([\u4e00-\u9fff])\3的?)(?=[，,。；;！!]|$)")


def question_subject(question: str) -> str | None:
    """What a question asks about, from the ``subjects`` list (末次月经什么时候？ → 末次月经)."""
    found = next((s for s in _patient_compiled()[2] if s in question), None)
    if found is None:
        found = next((x.to for x in speech_rules().subject_phrases if re.search(x.pattern, question)), None)
    return found


#: a short answer that states a value and names nothing: a date, a count, a duration, a colour
_VALUE_ANSWER = re.compile(r"^\s*(?:(?:也|都|还)?(?:跟|和|与)(?:平时|平常|以前|往常)(?:差不多|一样)|还行|还可以|挺好的?)[。！!]?$|^\s*(?:查出来|发现|得了?|有|大概|差不多|快|都)?(?:(?:去年|前年|上个?月|上个?(?:星期|礼拜)|上周|小时候|年轻时)(?=有过|犯过|发过|得过)|\d|[零一二两三四五六七八九十几半]+(?:个)?多?(?:[天周月年日号次回]|礼拜|星期|小时|钟头)|[黄黑红白绿褐灰]色?的)")


def needs_subject(clause: str) -> bool:
    """A sentence whose first clause answers with a value only (11月2号, 2天未解, 一个礼拜了) and names no
    clinical term."""
    first = _CLAUSE.split(clause, maxsplit=1)[0]
    return bool(_VALUE_ANSWER.match(first)) and not clinical_term(first)


@lru_cache(maxsize=1)
def _family_compiled() -> list[tuple[re.Pattern[str], str]]:
    return [(re.compile(x.pattern), x.to) for x in speech_rules().family]


def family_to_record(text: str) -> str:
    """A relative's words with the patient named as 患者/患儿 and the relative as 家属 (我妈头晕 → 患者头晕)."""
    for rx, to in _family_compiled():
        text = rx.sub(to, text)
    return text


@lru_cache(maxsize=1)
def _symptom_terms() -> frozenset[str]:
    from yizhu.knowledge.terminology.colloquial import colloquial

    return frozenset(e.standard for e in colloquial().entries if e.kind == "symptom" and 2 <= len(e.standard) <= 4)


_TWICE = re.compile(r"([\u4e00-\u9fff]{2,4})[，,]?\1(?![\u4e00-\u9fff]*\1)")


def once(text: str) -> str:
    """A symptom term said twice in a row (咳嗽咳了 → 咳嗽咳嗽 after the lexicon; 发烧，最高烧到 → 发热，发热) once."""
    return _TWICE.sub(lambda m: m.group(1) if m.group(1) in _symptom_terms() else m.group(0), text)


@lru_cache(maxsize=1)
def _dialect_compiled() -> tuple[list[tuple[re.Pattern[str], str]], list[tuple[str, re.Pattern[str]]]]:
    r = speech_rules()
    return [(re.compile(x.pattern), x.to) for x in r.dialect], [(m.name, re.compile(m.pattern)) for m in r.markers]


def dialect_to_standard(text: str) -> str:
    """Dialect function and measure words in standard Mandarin (没得血 → 没有血, 一天屙六七道 → 每日排便六七次),
    before the colloquial lexicon reads the sentence."""
    for rx, to in _dialect_compiled()[0]:
        text = rx.sub(to, text)
    return text


def spoken_marker(clause: str) -> str | None:
    """The class of spoken form (dialect word, reduplicated description …) a rewritten clause still
    carries, or None when it reads as record wording."""
    return next((name for name, rx in _dialect_compiled()[1] if rx.search(clause)), None)


#: the marker class of a lay word of the colloquial lexicon still in a drafted clause
LAY_WORD = "lay word"


@lru_cache(maxsize=1)
def _any_context() -> str:
    """Every word an ambiguous lay form's reading may wait for: with it, the lexicon finds each lay form in
    any of its readings (a clause's own ``against`` words still rule a reading out)."""
    from yizhu.knowledge.terminology.colloquial import colloquial

    return "\n".join(sorted({w for e in colloquial().entries for w in e.context}))


def lay_words_left(clause: str) -> list[Any]:
    """The lay forms of the colloquial lexicon a drafted clause still says (后晌, 抽过 with no talk of a seizure,
    卡住 with no joint named): a rewrite left them, because the lexicon lacked the reading the talk supports.
    Numbers, doses and frequencies (一天两次) are not lay words here, nor are forms written in Latin letters."""
    from yizhu.knowledge.terminology.colloquial import colloquial

    return [m for m in colloquial().find(clause, context=_any_context())
            if m.entry.kind not in ("frequency", "dose", "route", "brand", "drug_category")
            and not m.text.isascii() and m.text != m.entry.standard]


@dataclass(frozen=True)
class LeftOut:
    """A patient's clause no rule could put in record wording: listed for the clinician, never copied."""

    said: str  #: the sentence as said (to find it in the sources)
    clause: str  #: the clause after every rewrite
    marker: str  #: the class of spoken form it still carries


#: what the drafting of one note left out of the patient's words (set per draft by the engine)
LEFT_OUT: ContextVar[list[LeftOut] | None] = ContextVar("yizhu_notes_left_out", default=None)


@dataclass(frozen=True)
class Gated:
    """A patient's clause the register gate did not copy: rebuilt from its findings, or left out."""

    said: str  #: the sentence as said (to find it in the sources)
    clause: str  #: the clause after every rewrite
    written: str  #: what the record says instead ("" when left out)
    reason: str  #: why the clause was not record wording


#: the clauses of one draft the register gate rebuilt or left out (set per draft by the engine)
GATED: ContextVar[list[Gated] | None] = ContextVar("yizhu_notes_gated", default=None)
#: the grounding checker of the draft's sources: a rebuilt clause is written only when it is supported
CHECKER: ContextVar[Any] = ContextVar("yizhu_notes_checker", default=None)


def _missing(text: str) -> set[str] | None:
    """None when grounding supports ``text`` against the draft's sources; else the reasons it gives."""
    checker = CHECKER.get()
    if checker is None:
        return None
    verdict = checker.check(text)
    if verdict.status == "contradicted":
        return {"contradicted"}
    return None if verdict.status == "supported" else set(verdict.reasons)


def _no_worse(built: str, said: str) -> bool:
    """A rebuilt clause is written when grounding supports it, or when every concept it misses the clause as
    said (what a copy would have written) misses too: a rebuild never adds an unchecked finding."""
    lost = _missing(built)
    if lost is None:
        return True
    before = _missing(said)
    if before is None:
        return False
    return "contradicted" not in lost and {r for r in lost if "未提及" in r} <= {r for r in before if "未提及" in r}


def record_clauses(text: str, said: str = "", around: str = "") -> str:
    """A rewritten patient sentence through the register gate (``register.py``), clause by clause: a clause
    that reads as clinical register is kept; one that does not (a spoken marker, a lay word the lexicon left,
    a word outside the record's vocabulary) is rebuilt from the findings, sites, times, values and drugs found
    in it; when nothing clinical is found it is left out and recorded in ``LEFT_OUT`` (listed in the draft's
    omissions, with the turn it came from). ``around`` is the question and turn (the subject of a bare value)."""
    from yizhu.clinical.notes.register import (
        CONDITION,
        EITHER_ACROSS,
        GENERIC_SENTENCE,
        GENERIC_SUBJECT,
        OTHER_PERSON,
        QUALITY_ALONE,
        names_patient,
        quality_only,
        reads_as_record,
        rebuild,
        spoken_in,
        spoken_tail,
        with_subject,
    )

    parts = _CLAUSE.split(text)
    kept: list[str] = []
    gated = GATED.get()
    other = conditional = False
    # 是…，还是…: the sentence is a question; 孩子也会有…, 大部分…: it speaks of children in general
    asking = EITHER_ACROSS.search(text) is not None or GENERIC_SENTENCE.search(text) is not None
    for i in range(0, len(parts), 2):
        clause = spoken_tail(parts[i], around)
        stop = parts[i + 1] if i + 1 < len(parts) else ""
        bare = clause.strip(" 。！!？?")
        # a lay word of the lexicon that no rewrite took (后晌, 卡住 with no joint named) is a spoken form too
        marker = spoken_marker(clause) or (LAY_WORD if lay_words_left(clause) else None)
        if marker is None and bare:
            marker = "either-or question" if asking else reads_as_record(bare)
        if marker is None:
            if len(clause.strip(" 。")) >= 2 and any(k.strip(" ，,；;。").endswith(clause.strip(" 。")) for k in kept):
                continue  # 尿频，尿急，…，尿频: a finding said twice in one sentence is written once
            kept.append(clause + stop)
            continue
        written = "".join(kept)
        if GENERIC_SUBJECT.search(bare):
            other = True  # 乳糖不耐受的孩子，…，就会出现…: children of a kind, in general
        elif names_patient(bare):
            other = False
        elif OTHER_PERSON.search(bare):
            other = True  # 家里来个小朋友，一直咳嗽: what follows is the other person's until the patient is named
        conditional = conditional or CONDITION.search(bare) is not None  # 如果…，…，精神差就要…: what would be
        if other or conditional or asking:
            built = ""
        elif marker == QUALITY_ALONE:
            # a colour or consistency said after its subject (吐了口痰，有点黄): written with that subject (痰黄)
            # when the sentence so far names one, else no finding of its own: left out and listed
            quality = quality_only(bare)
            built = (with_subject(quality, written) or "") if quality is not None else ""
        else:
            built = rebuild(bare, around, written) if bare else ""
        # built from register forms only; written when grounding supports it, or when grounding could not have
        # supported the clause as said either (the rebuild is then no less checkable than a copy)
        if built and spoken_in(built) is None and _no_worse(built, bare):
            if not any(k.strip(" ，,；;。").endswith(built) for k in kept):
                kept.append(built + stop)
            if gated is not None:
                gated.append(Gated(said=said or text, clause=bare, written=built, reason=marker))
            continue
        if gated is not None and bare:
            gated.append(Gated(said=said or text, clause=bare, written="", reason=marker))
        sink = LEFT_OUT.get()
        # a lay word left as said is a fact when it names a finding, or is an ambiguous form (卡住, 走了) whose
        # reading the talk did not settle
        fact = clinical_term(bare) or (marker == LAY_WORD and any(
            m.entry.kind in ("symptom", "sign", "disease", "body_part", "exam") or m.entry.context
            for m in lay_words_left(bare)))
        content = len(re.sub(r"[^\u4e00-\u9fff\dA-Za-z]", "", bare)) >= 3
        if sink is not None and bare and (fact or content or marker == "answer without its subject"):
            sink.append(LeftOut(said=said or text, clause=bare if (fact or content) else (said or text).strip(),
                                marker=marker))
    out = "".join(kept).strip(" ，,；;")
    if out and text.rstrip()[-1:] in "。！!" and out[-1:] not in "。！!":
        out += "。"
    return out


def patient_words_left_out(sources: Iterable[Any], left: list[LeftOut]) -> list[dict[str, Any]]:
    """The patient's clauses left out of a draft, as omission entries (status ``left_out``) pointing at the
    turn they were said in: the clinician sees what was not written and why."""
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    turns = [s for s in sources if getattr(s, "kind", "") == "turn"]
    for x in left:
        if x.clause in seen:
            continue
        seen.add(x.clause)
        src = next((t for t in turns if x.said and x.said in t.text), None)
        start = src.text.find(x.said) if src is not None else 0
        out.append({"kind": "patient_words", "text": x.clause, "source": src.id if src is not None else "",
                    "start": start, "end": start + len(x.said) if src is not None else 0, "status": "left_out",
                    "reason": f"患者原话（{x.marker}）未能改写为病历用语，未写入病历：「{x.clause}」，请医师核对后补写"})
    return out


def gated_entries(sources: Iterable[Any], gated: list[Gated]) -> list[dict[str, Any]]:
    """The clauses the register gate rebuilt or left out, each with the turn (and span) it was said in."""
    out: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    turns = [s for s in sources if getattr(s, "kind", "") == "turn"]
    for x in gated:
        if (x.said, x.clause) in seen:
            continue
        seen.add((x.said, x.clause))
        src = next((t for t in turns if x.said and x.said in t.text), None)
        start = src.text.find(x.said) if src is not None else 0
        out.append({"said": x.said, "clause": x.clause, "written": x.written,
                    "verdict": "rebuilt" if x.written else "left_out", "reason": x.reason,
                    "source": src.id if src is not None else "", "start": start,
                    "end": start + len(x.said) if src is not None else 0})
    return out
