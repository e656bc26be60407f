"""智能导诊: the patient's words → the hospital's departments ranked (scores, reasons), urgency, red flags.

Knowledge first: the text is folded and the shared colloquial lexicon rewrites lay forms (拉肚子 → 腹泻);
the symptom pack's department links and the department rules (``departments.yaml``) score the pack's
departments; age/sex rules (儿科 for children, 妇产科 in pregnancy) adjust them; red flags
(``red_flags.yaml``) set urgency ``emergency`` and put 急诊 first. Scores over the pack's departments
are carried onto the hospital's own list through aliases and parents. A trained model (``yizhu train
triage``), when active, is blended in; every department keeps the reasons that pointed to it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from yizhu.clinical.triage.knowledge import (
    GAP,
    DepartmentRules,
    RedFlagFile,
    clause_start,
    current,
    department_rules,
    occurrences,
    positive,
    post_negated,
    red_flags,
)
from yizhu.clinical.triage.lay import HomophoneLexicon, heard_hit, infant_age_years
from yizhu.errors import InputError
from yizhu.knowledge.terminology.text import fold

TASK_NAME = "triage"
TASK_VERSION = "1.0.0"
#: the longest complaint accepted (characters); longer text is an InputError
MAX_TEXT = 4000
EMERGENCY = "dept:emergency"
#: under this age (years) a red flag's ``child`` condition holds (the paediatric age of the departments pack)
CHILD_AGE = 14.0

Urgency = Literal["emergency", "urgent", "routine"]

_CHILD_WORDS = ("宝宝", "儿童", "孩子", "小孩", "儿子", "女儿", "婴儿", "新生儿", "幼儿", "小朋友", "闺女", "娃", "宝贝", "小儿")
_PARENT_WORDS = ("我妈", "我爸", "母亲", "父亲", "老人", "奶奶", "爷爷", "外婆", "外公", "姥姥", "姥爷", "老公", "老婆",
                 "丈夫", "妻子", "婆婆", "公公")
_PREGNANT = ("怀孕", "怀了", "妊娠", "孕期", "孕妇", "有喜", "两道杠", "两条杠")
_PREG_WEEKS = re.compile(r"孕\s*\d+\s*(?:周|个?月)|怀孕\s*\d+")
_AGE_YEARS = re.compile(r"(\d{1,3})\s*(?:周岁|岁)")
#: an age in months, not a duration (咳嗽2个月): 个月大, 月龄, or next to a child word (宝宝2个月)
_AGE_MONTHS = re.compile(r"(\d{1,2})\s*(?:个多月|个月)\s*(?:大|的(?:宝宝|孩子|婴儿|女儿|儿子))|月龄\s*(\d{1,2})|"
                         r"(?:宝宝|孩子|婴儿|女儿|儿子|小孩)\s*(?:才|刚)?\s*(\d{1,2})\s*(?:个多月|个月)")
_AGE_DAYS = re.compile(r"(?:出生|生下来)\s*(\d{1,2})\s*天|(\d{1,2})\s*天大|(?:出生|生下来)才\s*(\d{1,2})\s*天")
_NEWBORN = ("新生儿", "刚出生", "满月", "没满月", "未满月")
#: a body temperature written as a number (37.8, 38度, 39℃): a fever, whatever words are around it
_FEVER = re.compile(r"(?<![\d.])(?:37\.[3-9]|3[89](?:\.\d)?|4[01](?:\.\d)?)\s*(?:度|℃|°|$|[，,。 ])")
_URGENT_WORDS = ("剧烈", "剧痛", "疼得受不了", "痛得受不了", "疼得厉害", "痛得厉害", "高烧", "高热", "39度", "40度",
                 "39.", "40.", "越来越重", "受不了")


@dataclass
class Department:
    """One department of the hospital's list: its name and, where it is a pack department, its id."""

    name: str
    id: str | None = None


@dataclass
class Ranked:
    name: str
    score: float
    reasons: list[str] = field(default_factory=list)
    id: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {"name": self.name, "score": round(self.score, 4), "reasons": self.reasons}


@dataclass
class Triage:
    departments: list[Ranked]
    urgency: Urgency
    red_flags: list[dict[str, Any]]
    findings: list[str]
    population: dict[str, Any]
    mode: str
    degraded: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        top = self.departments[0] if self.departments else None
        total = sum(d.score for d in self.departments) or 1.0
        return {
            "departments": [d.as_json() for d in self.departments],
            "urgency": self.urgency,
            "red_flags": self.red_flags,
            "department": top.name if top else None,
            "confidence": round(top.score / total, 4) if top else 0.0,
            "urgent": self.urgency != "routine",
            "findings": self.findings,
            "population": self.population,
            "mode": self.mode,
            "degraded": list(self.degraded),
        }


class DepartmentList:
    """The hospital's department list, mapped onto the pack (aliases, parents) so knowledge reaches it."""

    def __init__(self, names: list[str] | None = None, kb: Any = None) -> None:
        from yizhu.knowledge.packs import get_kb

        self.kb = kb if kb is not None else get_kb()
        pack = self.kb.pack("department")
        self.parent = {d.id: d.parent for d in pack}
        self.pack_name = {d.id: d.name for d in pack}
        if names is None:
            self.items = [Department(d.name, d.id) for d in pack if getattr(d, "clinical", True)]
        else:
            items: list[Department] = []
            seen: set[str] = set()
            for n in names:
                n = str(n).strip()
                if not n or n in seen:
                    continue
                seen.add(n)
                hit = self.kb.department(n)
                items.append(Department(n, hit.id if hit is not None else None))
            if not items:
                raise InputError("the department list is empty")
            self.items = items
        self.by_id = {d.id: d for d in self.items if d.id}
        self.by_name = {d.name: d for d in self.items}

    def resolve(self, name: str) -> Department | None:
        """The hospital department a name (or alias) means."""
        if name in self.by_name:
            return self.by_name[name]
        hit = self.kb.department(name)
        if hit is None:
            return None
        return self.target(hit.id)

    def target(self, dept_id: str) -> Department | None:
        """The hospital department a pack department lands in: itself, else its nearest listed parent."""
        seen = 0
        cur: str | None = dept_id
        while cur and seen < 8:
            if cur in self.by_id:
                return self.by_id[cur]
            cur = self.parent.get(cur)
            seen += 1
        return None

    def children(self, dept_id: str) -> list[Department]:
        """Listed departments whose parent chain reaches ``dept_id`` (妇产科 → 妇科, 产科)."""
        out = []
        for d in self.items:
            cur = self.parent.get(d.id) if d.id else None
            n = 0
            while cur and n < 8:
                if cur == dept_id:
                    out.append(d)
                    break
                cur = self.parent.get(cur)
                n += 1
        return out


@lru_cache(maxsize=1)
def _symptom_terms() -> list[tuple[str, str, list[str], bool]]:
    """(term, symptom name, departments, red_flag) for every symptom name and synonym, longest first."""
    from yizhu.knowledge.packs import get_kb

    out = []
    for s in get_kb().pack("symptom"):
        for t in {s.name, *s.synonyms}:
            t = fold(t).strip()
            if len(t) >= 2:
                out.append((t, s.name, list(s.departments), bool(s.red_flag)))
    out.sort(key=lambda r: -len(r[0]))
    return out


_SITES: dict[int, tuple[DepartmentRules, frozenset[str]]] = {}


def _site_words(rules: DepartmentRules) -> frozenset[str]:
    """Body-site words (the rule file's ``sites`` and the lexicon's body parts): told as fine after them
    (嗓子不紧, 肚子不疼) they are not a complaint; a finding told so (拉肚子不疼) stays found."""
    hit = _SITES.get(id(rules))
    if hit is not None and hit[0] is rules:
        return hit[1]
    from yizhu.knowledge.terminology.colloquial import colloquial

    words = set(rules.sites.words) if rules.sites else set()
    for e in colloquial().entries:
        if e.kind == "body_part":
            words.update({fold(e.lay), fold(e.standard)})
    out = frozenset(words)
    _SITES[id(rules)] = (rules, out)
    return out


_PINYIN: dict[int, tuple[DepartmentRules, Any]] = {}


def _pinyin(rules: DepartmentRules) -> Any:
    """The pinyin matcher over every term triage reads (symptom pack, lexicon, department rules, red flags),
    built once per rule file."""
    hit = _PINYIN.get(id(rules))
    if hit is not None and hit[0] is rules:
        return hit[1]
    from yizhu.knowledge.terminology.colloquial import colloquial
    from yizhu.knowledge.terminology.pinyin import PinyinMatcher

    vocab: set[str] = {t for t, *_ in _symptom_terms()}
    for e in colloquial().entries:
        vocab.update({fold(e.lay), fold(e.standard)})
    for r in rules.rules:
        vocab.update(p for t in r.terms for p in t.split("…"))
    # a homophone typo may spell a symptom, a lay form or a rule's word, not a red-flag phrase (不太懂 ≠ 不太动)
    homophones = set(vocab)
    flags = red_flags()
    for sign in [*flags.flags, *flags.urgent]:
        vocab.update(p for rule in sign.rules for g in rule for t in g for p in t.split("…"))
    single = rules.pinyin.single if rules.pinyin else []
    complaints = rules.pinyin.complaints if rules.pinyin else []
    matcher = PinyinMatcher(sorted(vocab), single=single, complaints=complaints, homophones=homophones)
    _PINYIN[id(rules)] = (rules, matcher)
    return matcher


def _age_from_text(text: str) -> tuple[float | None, bool]:
    """(age in years, the message is about a child) read from the words."""
    child = any(w in text for w in _CHILD_WORDS)
    parent = any(w in text for w in _PARENT_WORDS)
    if m := _AGE_DAYS.search(text):
        return int(next(g for g in m.groups() if g)) / 365.0, True
    if any(w in text for w in _NEWBORN):
        return 15 / 365.0, True
    if m := _AGE_MONTHS.search(text):
        months = int(next(g for g in m.groups() if g))
        if months <= 36:
            return months / 12.0, True
    if m := _AGE_YEARS.search(text):
        age = float(m.group(1))
        return age, age < 14
    return None, child and not parent


class TriageEngine:
    """Knowledge path + (optional) trained model; one instance per department list."""

    def __init__(self, departments: DepartmentList | None = None, *, model: Any = None,
                 flags: RedFlagFile | None = None, rules: DepartmentRules | None = None) -> None:
        self.depts = departments or DepartmentList()
        self.model = model
        self.flags = flags or red_flags()
        self.rules = rules or department_rules()
        self.homophones = HomophoneLexicon(self.flags.homophones.words if self.flags.homophones else [])

    def _under(self, dept_id: str, ancestor: str) -> bool:
        cur: str | None = dept_id
        for _ in range(8):
            if cur is None:
                return False
            if cur == ancestor:
                return True
            cur = self.depts.parent.get(cur)
        return False

    def _in_scope(self, symptom: str, age: float | None) -> bool:
        """Whether a red-flag symptom of the pack makes this patient urgent (its age band, when one is set)."""
        for sc in self.flags.symptom_scope:
            if sc.symptom == symptom and age is not None and age * 12 >= sc.age_months_max:
                return False
        return True

    def _organ_first(self, effect: Any, scores: dict[str, float]) -> str | None:
        """The organ department (of ``effect.organ_first``) that scores highest, when it scores above every
        department that is neither an organ department nor the preferred one (儿科); else None."""
        def organ(d: str) -> bool:
            return any(self._under(d, o) for o in effect.organ_first)

        organs = sorted(((v, d) for d, v in scores.items() if organ(d) and v > 0), reverse=True)
        if not organs or len({self._organ_of(d, effect.organ_first) for _, d in organs}) > 1:
            return None  # nothing about one organ, or several organs at once (rash and mouth sores: 手足口)
        other = max((v for d, v in scores.items() if d != effect.prefer and not organ(d)), default=0.0)
        return organs[0][1] if organs[0][0] > other else None

    def _organ_of(self, dept: str, organ_first: list[str]) -> str:
        return next(o for o in organ_first if self._under(dept, o))

    @property
    def mode(self) -> str:
        return f"knowledge+model {self.model.version}" if self.model is not None else "knowledge"

    def triage(self, text: str, *, age: float | None = None, sex: str | None = None,
               pregnant: bool | None = None, top: int = 5) -> Triage:
        if not isinstance(text, str) or not text.strip():
            raise InputError("triage needs the complaint text (it is empty)")
        if len(text) > MAX_TEXT:
            raise InputError(f"the complaint is {len(text)} characters; at most {MAX_TEXT} are accepted")
        from yizhu.knowledge.terminology.colloquial import normalise

        # mixed pinyin and hanzi (有tang尿病, 测xue糖) is read as the term it spells before anything else
        # (the words as written are searched too: a rewrite adds a reading, it never takes one away)
        raw = fold(text)
        fixed, _fixes = _pinyin(self.rules).fix(raw)
        norm = fold(normalise(fixed).text)
        texts = list(dict.fromkeys([raw, fixed, norm]))
        sites = _site_words(self.rules)

        def told_fine(t: str, term: str, end: int) -> bool:
            return post_negated(t, end, site=term in sites)

        def pos(terms: list[str], now: bool = False) -> list[str]:
            found: dict[str, None] = {}
            for t in texts:
                for h in (current(t, terms) if now else positive(t, terms)):
                    found[h.term] = None
            return list(found)

        text_age, about_child = _age_from_text(norm)
        if text_age is None and (baby := infant_age_years(norm)) is not None:
            text_age, about_child = baby, True  # 宝宝8周, 出生40天 (lay.py)
        kid_word = any(w in norm for w in self.flags.child_words)  # 孙子, 小宝: for the flags' child condition
        if age is None:
            age = text_age
        elif text_age is not None and about_child:
            age = text_age  # the message is about a child: the child's age counts, not the sender's
        if pregnant is None:
            pregnant = bool(pos(list(_PREGNANT))) or any(_PREG_WEEKS.search(t) for t in texts)
        sex_l = (sex or "").lower() or None
        if pregnant:
            sex_l = "female"

        scores: dict[str, float] = defaultdict(float)
        reasons: dict[str, list[str]] = defaultdict(list)
        findings: list[str] = []
        urgent_symptom = False

        def explained(symptom: str) -> bool:
            """A benign cause told with the symptom, and no warning sign (red stool after red dragon fruit)."""
            return any(x.symptom == symptom and pos(x.terms) and not pos(x.unless)
                       for x in self.flags.symptom_explained)

        # symptom pack: each symptom found (not negated) points to its departments, usual first
        taken: list[tuple[int, int]] = []
        for term, name, depts, rf in _symptom_terms():
            for t in texts:
                hits = [h for h in occurrences(t, term) if not h.negated and not told_fine(t, term, h.end)][:1]
                if not hits:
                    continue
                h = hits[0]
                if t is raw and any(a <= h.start and h.end <= b for a, b in taken):
                    break
                if t is raw:
                    taken.append((h.start, h.end))
                if name not in findings:
                    findings.append(name)
                    urgent_symptom |= rf and self._in_scope(name, age) and not explained(name)
                    for i, d in enumerate(x for x in depts if x != EMERGENCY):
                        w = 1.0 if i == 0 else 0.6
                        scores[d] += w
                        reasons[d].append(f"{name}（症状库）")
                break

        # department rules: each term found adds the rule's weight (at most three terms per rule); a one-character
        # term is not read inside a compound that means something else (屁股眼, 恶心, 手心)
        masked: dict[str, list[str]] = {}
        for comp in self.rules.compounds:
            out_t = []
            for t in texts:
                for w in sorted(comp.words, key=len, reverse=True):
                    t = t.replace(fold(w), "□" * len(fold(w)))
                out_t.append(t)
            masked[fold(comp.char)] = out_t

        def rule_hits(t: str, term: str) -> list[Any]:
            """The first mention of a term that is neither negated nor told as fine."""
            return [h for h in occurrences(t, term) if not h.negated and not told_fine(t, term, h.end)][:1]

        def rule_pos(terms: list[str]) -> list[str]:
            found: dict[str, None] = {}
            for term in terms:
                for t in masked.get(term, texts):
                    if rule_hits(t, term):
                        found[term] = None
                        break
            return list(found)

        def distinct(terms: list[str]) -> int:
            """How many separate findings a cluster's terms name (口腔溃疡 and 溃疡 at one place are one)."""
            best = 0
            for t in texts:
                spans = sorted(((h.start, h.end) for term in terms for h in rule_hits(t, term)),
                               key=lambda x: x[0] - x[1])
                kept: list[tuple[int, int]] = []
                for a, b in spans:
                    if all(b <= c or a >= d for c, d in kept):
                        kept.append((a, b))
                best = max(best, len(kept))
            return best

        dx = self.rules.diagnosed
        diagnosed: set[str] = set()

        def diagnosis_told(t: str, start: int) -> bool:
            """A diagnosis cue (确诊, 说是) shortly before ``start``, in its clause."""
            assert dx is not None
            lo = max(clause_start(t, start), start - dx.reach - 3)
            return any(c in t[lo:start] for c in dx.cues)

        for rule in self.rules.rules:
            found = rule_pos(rule.terms)
            if len(found) < rule.min_terms or (rule.min_terms > 1 and distinct(rule.terms) < rule.min_terms):
                continue
            if rule.with_any is not None and not pos(rule.with_any):
                continue
            if found:
                scores[rule.department] += rule.weight * min(len(found), 3)
                reasons[rule.department].append("、".join(found[:3]))
                if dx is not None and rule.department not in diagnosed:
                    told = next((f for f in found if len(f) >= 2 and GAP not in f and any(
                        diagnosis_told(t, h.start) for t in texts for h in occurrences(t, f)
                        if not h.negated and not told_fine(t, f, h.end))), None)
                    if told is not None:
                        diagnosed.add(rule.department)
                        scores[rule.department] += dx.weight
                        reasons[rule.department].append(f"已诊断：{told}")

        def holds(cond: Any) -> bool:
            if cond is None:
                return True
            if cond.age_months_max is not None and (age is None or age * 12 >= cond.age_months_max):
                return False
            if cond.child is not None:
                is_child = (age is not None and age < CHILD_AGE) or (age is None and (about_child or kid_word))
                if is_child != cond.child:
                    return False
            return cond.pregnant is None or bool(pregnant) == cond.pregnant

        def sign_explained(sign: Any, n: int) -> bool:
            """A benign cause or course explains rule ``n`` of a sign (iron tablets, a febrile fit that stopped,
            years of a stable weak stream), and none of its danger signs is told."""
            return any(e.rule == n and pos(e.terms) and (not e.with_any or pos(e.with_any))
                       and holds(e.condition) and not pos(e.unless, now=True) for e in sign.explained_by)

        # red flags, read on the words as written (and their lay forms) and on the words with typos put right —
        # the pinyin reader's rewrites and voice-input homophones (lay.py): a rule read through a rewritten word
        # needs another of its parts in real characters (抽出时间 read as 抽搐时间 is not a fit)
        written = texts
        heard: list[tuple[str, list[tuple[int, int]]]] = []
        if _fixes:
            written = list(dict.fromkeys([raw, fold(normalise(raw).text)]))
            spans, shift = [], 0
            for f in _fixes:
                spans.append((f.start + shift, f.start + shift + len(f.term)))
                shift += len(f.term) - (f.end - f.start)
            heard.append((fixed, spans))
        heard += [h for h in (self.homophones.rewrite(t) for t in written) if h[1]]

        def said(terms: list[str], now: bool) -> list[str]:
            found: dict[str, None] = {}
            for t in written:
                for h in (current(t, terms) if now else positive(t, terms)):
                    found[h.term] = None
            return list(found)

        flags_out: list[dict[str, Any]] = []
        for flag in self.flags.flags:
            if not holds(flag.condition):
                continue
            for n, rule in enumerate(flag.rules, 1):
                if sign_explained(flag, n):
                    continue  # a benign cause explains this finding, and no sign of the danger is told
                evidence: list[str] = []
                real = anchored = False
                for g, group in enumerate(rule, 1):
                    found = said(group, now=g not in flag.exposure_groups)
                    if found:
                        real = True
                        evidence.append(found[0])
                        continue
                    hit = heard_hit(heard, group)
                    if hit is None:
                        break
                    anchored |= hit[1]
                    evidence.append(hit[0])
                else:
                    if real or anchored:
                        flags_out.append({"id": flag.id, "name": flag.name, "message": flag.message,
                                          "evidence": evidence, "source": flag.source})
                        break

        # urgent signs (see a doctor today): a department of their own, urgency ``urgent`` unless a red flag fired.
        # Not filtered by the history cues: erring towards "today" is the safe side.
        urgent_signs = [u for u in self.flags.urgent
                        if holds(u.condition) and any(all(pos(g) for g in rule) and not sign_explained(u, n)
                                                      for n, rule in enumerate(u.rules, 1))]
        for u in urgent_signs:
            if u.name not in findings:
                findings.append(u.name)
            if u.department:
                scores[u.department] += u.weight
                reasons[u.department].append(u.name)

        # age/sex rules
        population: dict[str, Any] = {"age_years": round(age, 2) if age is not None else None,
                                      "sex": sex_l, "pregnant": bool(pregnant), "rules": []}
        excluded: set[str] = set()
        for p in self.rules.population:
            w = p.when
            if w.age_years_max is not None and (age is None or age >= w.age_years_max):
                continue
            if w.age_years_min is not None and (age is None or age < w.age_years_min):
                continue
            if w.pregnant is not None and bool(pregnant) != w.pregnant:
                continue
            if w.sex is not None and sex_l != w.sex:
                continue
            population["rules"].append(p.id)
            organ_dept = self._organ_first(p.effect, scores) if p.effect.organ_first else None
            if organ_dept is not None and (pos(p.effect.systemic) or any(_FEVER.search(t) for t in texts)):
                organ_dept = None  # a whole-child illness (fever, listless): 儿科 first all the same
            if organ_dept is not None:
                # a child's eye, ear, tooth, skin or gynaecological complaint: the organ department first
                reasons[organ_dept].append(p.effect.organ_reason or p.reason)
            if p.effect.pediatric_children and p.effect.prefer:
                # a child's medical complaints go to 儿科, not to the adult internal-medicine departments
                for d in list(scores):
                    if d != p.effect.prefer and self._under(d, "dept:internal_medicine"):
                        scores[p.effect.prefer] += scores.pop(d)
                        reasons[p.effect.prefer].extend(reasons.pop(d, []))
            if p.effect.prefer and organ_dept is None:
                scores[p.effect.prefer] += p.effect.boost
                reasons[p.effect.prefer].append(p.reason)
            excluded.update(p.effect.exclude)

        # carry pack scores onto the hospital's list
        out: dict[str, Ranked] = {}

        def credit(target: Any, score: float, why: list[str]) -> None:
            r = out.setdefault(target.name, Ranked(target.name, 0.0, [], target.id))
            r.score += score
            for y in why:
                if y not in r.reasons:
                    r.reasons.append(y)

        for d, s in scores.items():
            if d in excluded or s <= 0:
                continue
            tgt = self.depts.target(d)
            if tgt is not None:
                if tgt.id in excluded:
                    continue
                credit(tgt, s, reasons[d])
            else:
                for c in self.depts.children(d):
                    if c.id not in excluded:
                        credit(c, s * 0.8, reasons[d])

        if flags_out:
            er = self.depts.target(EMERGENCY)
            best = max((r.score for r in out.values()), default=0.0)
            if er is not None:
                credit(er, best + 5.0, [f"红旗征：{f['name']}" for f in flags_out])

        knowledge_total = sum(r.score for r in out.values())
        if self.model is not None:
            probs = self.model.predict(raw)
            blended: dict[str, Ranked] = {}
            for name, r in out.items():
                blended[name] = Ranked(name, 0.5 * r.score / (knowledge_total or 1.0), list(r.reasons), r.id)
            for label, p in probs.items():
                tgt = self.depts.resolve(label)
                if tgt is None or (tgt.id and tgt.id in excluded) or p < 1e-3:
                    continue
                r = blended.setdefault(tgt.name, Ranked(tgt.name, 0.0, [], tgt.id))
                r.score += 0.5 * p if knowledge_total else p
                if p >= 0.2:
                    r.reasons.append(f"模型 {p:.2f}")
            if flags_out:
                er = self.depts.target(EMERGENCY)
                if er is not None and er.name in blended:
                    blended[er.name].score = max(r.score for r in blended.values()) + 1.0
            out = blended

        ranked = sorted(out.values(), key=lambda r: (-r.score, r.name))[:top]
        if not ranked:
            fallback = self.depts.target("dept:internal_medicine") or self.depts.target("dept:general_practice")
            if fallback is None:
                fallback = self.depts.items[0]
            ranked = [Ranked(fallback.name, 0.0, ["未识别到明确症状，建议先看此科"], fallback.id)]

        urgency: Urgency = "emergency" if flags_out else (
            "urgent" if urgent_symptom or urgent_signs or pos(list(_URGENT_WORDS)) else "routine")
        return Triage(ranked, urgency, flags_out, findings, population, self.mode)


_engines: dict[tuple[Any, ...], TriageEngine] = {}


def engine_for(departments: list[str] | None = None, *, data_dir: Path | str | None = None,
               use_model: bool = True) -> TriageEngine:
    """A cached engine for a department list, with the active trained model when one exists."""
    from yizhu.learn.registry import load_model
    from yizhu.learn.store import active_model, active_stamp

    stamp = active_stamp("triage", data_dir) if use_model else (0, 0)
    key_ = (tuple(departments) if departments else None, str(data_dir), use_model, stamp)
    eng = _engines.get(key_)
    if eng is None:
        model = None
        if use_model:
            ref = active_model("triage", data_dir)
            if ref is not None:
                model = load_model(ref)
        eng = TriageEngine(DepartmentList(departments), model=model)
        if len(_engines) > 16:
            _engines.clear()
        _engines[key_] = eng
    return eng
