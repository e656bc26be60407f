"""A doctor's diagnosis statement as the items written in 初步诊断, and the ICD-10 code of a written item.

Rules as data (``dx_phrases.yaml``): a statement (诊断左输尿管上段结石，左肾积水) is cut into items; each item
keeps its side and site (左输尿管上段结石, never just 结石 or 肾积水), its hedge (消化性溃疡可能; 也可能是胃炎 →
胃炎可能), and is dropped when denied (不是中风) or when it names an order (再考虑切开: 切开 is a procedure of
``safety/plan_terms.yaml``, never a diagnosis). Coding takes a strong match only: a weak partial match is
no code at all (a clinician codes it), never a wrong one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from yizhu.datafile import load_yaml_model

RULES_FILE = Path(__file__).parent / "dx_phrases.yaml"
#: between items: punctuation, 和/及, a colon after the cue (诊断：…), and an item number (1.…2.…, ①…②…) — never a
#: decimal (血糖3.9), but 4.2型糖尿病 is item 4, 2型糖尿病
_ITEM_SPLIT = re.compile(r"[，,、；;。！!:：]|(?<=[\u4e00-\u9fff])和(?=[\u4e00-\u9fff])|以及|及(?=[\u4e00-\u9fff])"
                         r"|(?:(?<=^)|(?<=[\s，,、；;。:：）)\u4e00-\u9fff]))\d{1,2}\s*[.、．)）](?:(?!\d)|(?=\d型))\s*|[①②③④⑤⑥⑦⑧⑨⑩]")
_PAREN = re.compile(r"[（(][^）)]*[）)]")
_SIDE = re.compile(r"^(?:[左右双]侧?|两侧)")
#: a cue that gives another name of the item before (就是麦粒肿, 也叫…, 俗称…)
_APPOSITION = re.compile(r"(?:^|[，,\s])(?:也就是|就是|即|也叫|又叫|俗称|也称)$")
#: words of the speaker, not of a diagnosis name: an item that holds one is not a name
_SPEECH = re.compile(r"[我你咱]|的话|吧|吗|呢|了$|看看|一下|给[你您她他]|得做|要做")


class DxPhraseRules(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    source: str = Field(min_length=10)
    cues: tuple[str, ...] = Field(min_length=1)
    hedge_cues: tuple[str, ...] = ()
    hedges_after: tuple[str, ...] = ()
    leads: tuple[str, ...] = ()
    denials: tuple[str, ...] = ()
    denials_after: tuple[str, ...] = ()
    denial_names: tuple[str, ...] = ()
    status_after: tuple[str, ...] = ()
    status_items: tuple[str, ...] = ()
    qualifier_items: tuple[str, ...] = ()
    cause_after: tuple[str, ...] = ()
    heads: tuple[str, ...] = Field(min_length=1)
    not_items: tuple[str, ...] = ()
    plan_items: tuple[str, ...] = ()
    not_now: tuple[str, ...] = ()
    strong_score: float = Field(ge=0.0, le=1.0)
    fair_score: float = Field(ge=0.0, le=1.0)
    fair_margin: float = Field(ge=0.0, le=1.0)
    vague_codes: tuple[str, ...] = ()


@lru_cache(maxsize=1)
def dx_rules() -> DxPhraseRules:
    return load_yaml_model(RULES_FILE, DxPhraseRules, "diagnosis phrase rules")


def _alt(words: tuple[str, ...]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@lru_cache(maxsize=1)
def _rx() -> dict[str, re.Pattern[str]]:
    r = dx_rules()
    return {
        "cue": re.compile(f"(?:{_alt(r.cues + r.hedge_cues)})"),
        "hedge_cue": re.compile(f"(?:{_alt(r.hedge_cues)})$"),
        "lead": re.compile(f"^(?:{_alt(r.leads)})+"),
        "hedge_after": re.compile(f"(?:{_alt(r.hedges_after)})+$"),
        "denial": re.compile(f"(?:{_alt(r.denials)})"),
        "denial_after": re.compile(f"(?:{_alt(r.denials_after)})[了的]?$" if r.denials_after else "(?!)"),
        "head": re.compile(f"(?:{_alt(r.heads)})$"),
        "not_item": re.compile(f"(?:{_alt(r.not_items)})"),
        "denial_name": re.compile(f"^(?:{_alt(r.denial_names)})" if r.denial_names else "(?!)"),
        "status_after": re.compile(f"(?:{_alt(r.status_after)})$" if r.status_after else "(?!)"),
        "status_item": re.compile("|".join(f"(?:{p})" for p in r.status_items) or "(?!)"),
        "qualifier_item": re.compile("|".join(f"(?:{p})" for p in r.qualifier_items) or "(?!)"),
        "plan_item": re.compile("|".join(f"(?:{p})" for p in r.plan_items) or "(?!)"),
        "not_now": re.compile("|".join(f"(?:{p})" for p in r.not_now) or "(?!)"),
        "cause_after": re.compile(f"(?:{_alt(r.cause_after)})$" if r.cause_after else "(?!)"),
    }


@dataclass(frozen=True)
class StatedDx:
    """One diagnosis item of a statement: the text to write, and where its words are in the statement."""

    text: str
    start: int
    end: int
    hedged: bool
    #: said as another name of the item before it (睑腺炎，就是麦粒肿): the same diagnosis, not a second one
    apposition: bool = False
    #: a site or grade said after it has been joined to it (急性脑梗死（左侧大脑中动脉供血区）)
    qualified: bool = False


def _is_order(text: str) -> bool:
    from yizhu.safety.omission import plan_terms

    procedures = plan_terms().kinds.get("procedure", ())
    return any(text.endswith(p) or text == p for p in procedures)


def _names_disease(core: str) -> bool:
    from yizhu.safety.entities import extract

    if _rx()["head"].search(core):
        return True
    return any(m.type == "diagnosis" and not m.negated for m in extract(core))


_QUALIFIER = re.compile(r"(?:\s*(?:[（(][^）)]*[）)]|(?:[cpyra]{1,2})?T(?:[0-4X](?:is|mi|[a-d])?|is)N[0-3X][a-c]?M[01X][a-c]?|(?:C-?)?(?:TI|BI)-?RADS\s*[0-6][a-c]?类?|(?:\d+|[一二三四IVⅠⅡⅢⅣ]+)[级期度型]|[A-Za-z]?\d*型|(?:急性)?加重期|稳定期|(?:失)?代偿期|期|[很极]?高危|[中低]危|"
                       r"[急慢]性期|(?:亚急性|恢复|活动|缓解|发作|间歇|后遗症|进展)期|急性发作期?|伴[\u4e00-\u9fff]{1,12}|合并[\u4e00-\u9fff]{1,12}))+$")


#: words after a name that make it a scale or score, not a diagnosis (GAD-7, PHQ-9评分, MMSE 24分)
_SCALE_AFTER = re.compile(r"\s*(?:[-－‐]\d|\d*\s*(?:评分|量表|得分|总分|分值|分(?![级期度型化]))|\s*\d+(?:\.\d+)?分)")


def _name_end(core: str) -> int | None:
    """Where the disease name of an item ends: its head word at the end, else the end of the last disease
    the packs know in it; None when neither is found."""
    from yizhu.safety.entities import extract

    if _rx()["head"].search(core):
        return len(core)
    found = [m for m in extract(core) if m.type == "diagnosis" and not m.negated]
    return found[-1].end if found else None


#: a dictated diagnosis list: 诊断： with a colon, or numbered items
_LISTED = re.compile(r"诊断[:：]|(?:^|[\s:：，,；;])(?:1|一)\s*[.、．]|①")


def _whole_symptom(core: str) -> bool:
    """The item is one symptom or sign the packs know (跌倒, 失眠, 左侧偏瘫), side aside."""
    from yizhu.safety.entities import extract

    bare = _SIDE.sub("", core)
    return any(m.type == "symptom" and not m.negated and m.start <= len(core) - len(bare) + 1 and m.end >= len(core) - 1
               for m in extract(core))


def _spoken_list(statement: str) -> bool:
    cue = _rx()["cue"].search(statement)
    if cue is None:
        return False
    items = [p.strip() for p in _ITEM_SPLIT.split(statement[cue.end():]) if p.strip()]
    return len(items) >= 2 and sum(_names_disease(_PAREN.sub("", p)) for p in items) >= 1


def _coded_as_disorder(core: str) -> bool:
    """The item's ICD-10 code is a disorder's, not one of chapter R (symptoms, signs and abnormal findings)."""
    coded = code_for(core)
    return coded is not None and not coded[0].upper().startswith("R")


def names_a_plan(text: str) -> bool:
    """左眼先做白内障, 去妇科看子宫肌瘤: words that name a diagnosis only as the object of a plan or referral."""
    return bool(_rx()["plan_item"].search(text))


def stated_diagnoses(statement: str) -> list[StatedDx]:
    """The diagnosis items of a doctor's statement, each whole (side, site and hedge kept), in order."""
    from yizhu.clinical.notes.implied import not_a_diagnosis

    rx = _rx()
    out: list[StatedDx] = []
    pos = 0
    hedge_all = False
    listed = bool(_LISTED.search(statement))
    # a spoken list — a cue, then two items or more of which one names a disease (考虑轻度认知障碍，高血压病，失眠) —
    # keeps a symptom item the classification files as a disorder (失眠 G47.0), not a symptom of chapter R (咳嗽 R05)
    spoken = not listed and _spoken_list(statement)
    for m in [*_ITEM_SPLIT.finditer(statement), None]:
        end = m.start() if m else len(statement)
        a, b = pos, end
        pos = m.end() if m else len(statement)
        piece = statement[a:b]
        if not piece.strip():
            continue
        # the words after the last cue of the item are the diagnosis (你这个考虑消化性溃疡可能 → 消化性溃疡可能)
        cues = list(rx["cue"].finditer(piece))
        before = piece[:cues[-1].end()] if cues else ""
        if cues:
            a += cues[-1].end()
        item = statement[a:b]
        lead = rx["lead"].match(item)
        if lead:
            before += lead.group(0)
            a += lead.end()
            item = statement[a:b]
        while item and item[0] in " \u3000":
            a += 1
            item = item[1:]
        while item and item[-1] in " \u3000":
            b -= 1
            item = item[:-1]
        if rx["denial"].search(before) or (rx["denial"].match(item) and not rx["denial_name"].match(item)) \
                or rx["denial_after"].search(item):
            continue
        if rx["not_now"].search(before + item):  # 以后可能发展成老年痴呆, 老年痴呆的前期: a risk, not what the patient has
            continue
        if rx["plan_item"].search(item):  # 去妇科看子宫肌瘤, 建议椎体成形: a referral or plan, never a diagnosis
            continue
        if rx["status_item"].search(item):  # 宫内孕12+3周, 单活胎: the obstetric status is a diagnosis line
            out.append(StatedDx(item, a, b, False))
            continue
        if out and rx["qualifier_item"].search(item) and not out[-1].qualified:
            # 急性脑梗死，左侧大脑中动脉供血区 → 急性脑梗死（左侧大脑中动脉供血区）: the site or grade goes with it
            prev = out[-1]
            text = prev.text[:-2] if prev.text.endswith("可能") and not prev.text.endswith("（可能") else prev.text
            hedge = prev.text[len(text):]
            out[-1] = StatedDx(f"{text}（{item}）{hedge}", prev.start, b, prev.hedged, prev.apposition, qualified=True)
            continue
        hedged = bool(rx["hedge_cue"].search(before.rstrip("是为"))) or hedge_all
        cause = rx["cause_after"].search(item)
        if cause and out:  # 考虑病毒感染引起的: the cause of the item before, said with 考虑 — a hedge of its own
            b -= len(cause.group(0))
            item = item[:cause.start()]
            hedged = True
        tail = rx["hedge_after"].search(item)
        core = item[:tail.start()] if tail else item
        status = rx["status_after"].search(_PAREN.sub("", core).rstrip())
        if status and status.start() >= 2:  # 左乳浸润性导管癌术后（pT2N0M0）: the disease is named before its status
            core_named = _PAREN.sub("", core)[:status.start()]
            # 左膝关节置换术后: after an operation named before it, the post-operative state is the diagnosis
            operated = bool(re.search(r"(?:置换|切除|成形|修补|固定|重建|搭桥|植入|剔除|根治)术?后$", _PAREN.sub("", core)))
            if operated or (_name_end(core_named) is not None and _names_disease(_PAREN.sub("", core_named))):
                text = item if tail or not hedged else f"{item}可能"
                out.append(StatedDx(text, a, b, bool(tail) or hedged, bool(out) and bool(_APPOSITION.search(before))))
                continue
        # Graves病控制得不错 → Graves病: words after the disease name that are no part of it (a grade,
        # a stage, a type or a parenthesis are) end the item at the name
        named = _name_end(core)
        if named is not None and _SCALE_AFTER.match(core[named:]):
            continue  # GAD-7评分15分: the name of a scale (GAD-7, PHQ-9) is not the disease it screens for
        if named is not None and named < len(core) and not _QUALIFIER.match(core[named:]):
            b = a + named
            item = core = core[:named]
            tail = None
        core_plain = _PAREN.sub("", core)
        if len(core_plain) < 2 or len(core_plain) > 30 or _SPEECH.search(core_plain) or rx["not_item"].search(core_plain):
            continue
        if _is_order(core_plain) or not_a_diagnosis(core_plain):
            continue
        if not _names_disease(core_plain) and not (
                (listed or (spoken and _coded_as_disorder(core_plain))) and _whole_symptom(core_plain)):
            continue  # 跌倒, 左侧偏瘫, 失眠: a symptom is an item only of a list the doctor dictates (诊断：1.… 2.…)
        text = item if tail or not hedged else f"{item}可能"
        same = bool(out) and bool(_APPOSITION.search(before))
        out.append(StatedDx(text, a, b, bool(tail) or hedged, same))
    return out


# ── coding ────────────────────────────────────────────────────────────────────────────────────


def code_for(text: str) -> tuple[str, str] | None:
    """(ICD-10 code, knowledge item id) of a written diagnosis on a strong match only, else None."""
    from yizhu.knowledge.packs import get_kb
    from yizhu.knowledge.terminology.dxbase import diagnosis_base

    kb = get_kb()
    plain = _PAREN.sub("", text).strip()
    plain = _rx()["hedge_after"].sub("", plain).strip() or plain
    # 左乳浸润性导管癌术后（pT2N0M0） → 乳腺癌, 甲状腺右叶结节（TI-RADS 4a类） → 甲状腺结节: the base concept
    for probe in dict.fromkeys((plain, _SIDE.sub("", plain), *diagnosis_base(text))):
        if len(probe) >= 2 and (item := kb.resolve(probe, "diagnosis")) is not None:
            return str(getattr(item, "code", "")) or item.id.split(":", 1)[1], item.id
    try:
        from yizhu.knowledge.terminology import normalise_diagnosis

        cands = list(normalise_diagnosis(plain) or [])
    except Exception:  # a half-built normaliser must not break drafting
        cands = []
    r = dx_rules()
    scores = [float(getattr(c, "score", 0.0) or 0.0) for c in cands[:2]] + [0.0]
    if cands and (scores[0] >= r.strong_score or (scores[0] >= r.fair_score and scores[0] - scores[1] >= r.fair_margin)):
        c = cands[0]
        return str(c.code), str(getattr(c, "id", None) or f"icd10:{c.code}")
    # a pack disease named at the head of the item (继发性贫血 → 贫血 D64.9)
    from yizhu.safety.entities import extract

    found = [m for m in extract(plain) if m.type == "diagnosis" and not m.negated and m.concept.startswith("icd10:")]
    if found and found[-1].end >= len(plain.rstrip()) and len(found[-1].text) >= 2:
        code = found[-1].concept.split(":", 1)[1]
        if kb.diagnosis_by_code(code) is not None and code not in r.vague_codes:
            return code, found[-1].concept
    return None
