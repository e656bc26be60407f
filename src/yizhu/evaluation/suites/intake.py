"""Suite ``intake``: 预问诊 with simulated patients.

Each case is a persona (age, sex, complaint, and the facts of their illness in lay words) who answers the
interview from its case file by script: it taps the options that say what it knows (the label shares
words with a fact), types the fact when no option fits, and taps "none of these" (or says 不知道) when its
file has nothing for the question. The engine under test is the rule path of ``yizhu.clinical.intake``.

Metrics: questions asked to completion (median and mean over cases that run to the end; target median
≤ 12), completeness of the record against the case (share of the case's ``record_has`` phrases in the
record text), the 主诉 against the case's, red-flag sensitivity (cases with ``red_flag: true`` must stop
with a red flag — target 100%) and specificity (the others must not).

Data: a directory of case files (``--data DIR``; default the shipped synthetic personas in
``evaluation/data/intake/``, written by the engine's author — not blind) or one YAML file of cases.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from yizhu.datafile import read_yaml, validate_model
from yizhu.evaluation.dataset import DATA_DIR, Case, Dataset
from yizhu.evaluation.metrics import MetricValue, mean_metric
from yizhu.evaluation.suites.base import (
    Outcome,
    ResultView,
    RunEnv,
    Suite,
    Summary,
    Table,
    breakdown,
    failures,
)

DEFAULT_DIR = DATA_DIR / "intake"


def _bigrams(s: str) -> set[str]:
    s = re.sub(r"[\s/、，,（）()。]", "", s)
    return {s[i:i + 2] for i in range(len(s) - 1)}


def _fits(label: str, fact: str) -> bool:
    """Whether a patient who knows ``fact`` would tap the option ``label`` (they share words)."""
    if not fact or not label:
        return False
    if len(label) == 1 or len(fact) == 1:
        return label == fact
    a, b = _bigrams(label), _bigrams(fact)
    return bool(a & b) and (len(a & b) >= 2 or min(len(a), len(b)) <= 2 or fact in label or label in fact)


#: facts a question is answered from besides its own id: the checklist of 伴随症状 from ``associated_yes``
#: (tapped) and ``associated`` (typed as written), a combined question from the facts of what it combines
FACT_KEYS: dict[str, tuple[str, ...]] = {
    "associated": ("associated_yes", "associated"),
    "child_state": ("child_state", "feeding", "urine", "activity"),
    "birth": ("birth", "development"),
}
#: facts typed as written, never matched to options (they may deny: 不发烧，腰不疼)
TYPED_FACTS = frozenset({"associated"})
TYPED_KINDS = ("duration", "severity", "temperature", "date", "obstetric", "birth")
#: questions whose "none" a persona taps when its file has nothing for them
NONE_BY_DEFAULT = ("associated", "past", "past_child", "meds", "allergy", "contact")


class Persona:
    """A scripted patient answering from its case file (see docs/intake.md, "Persona files")."""

    def __init__(self, facts: dict[str, Any]) -> None:
        self.facts = facts

    @staticmethod
    def _items(v: Any) -> list[str]:
        if v is None:
            return []
        return [str(x) for x in v] if isinstance(v, list) else [str(v)]

    def answer(self, q: dict[str, Any], complaint: str) -> dict[str, Any]:
        qid = q["id"]
        opts = q["options"]
        none = next((o["id"] for o in opts if o.get("exclusive")), None)
        if qid == "complaint":
            return {"text": complaint}
        keys = FACT_KEYS.get(qid, (qid,))
        told = [(k, self.facts[k]) for k in keys if self.facts.get(k) not in (None, "", [], {})]
        if not told:
            if none is not None and (any(k in self.facts for k in keys) or qid in NONE_BY_DEFAULT):
                return {"options": [none]}
            return {"text": "不知道"}
        groups = {o.get("group") for o in opts} - {None}
        picked: list[str] = []
        rest: list[str] = []
        for key, value in told:
            if isinstance(value, dict):  # {tap: [words], text: ...}: tap the options naming a word, type the text
                picked += [o["id"] for o in opts if not o.get("exclusive")
                           and any(str(w) in o["label"] for w in self._items(value.get("tap")))]
                rest += self._items(value.get("text"))
                continue
            facts = self._items(value)
            if facts in (["没有"], ["无"]):
                if none is not None and len(told) == 1:
                    return {"options": [none]}
                continue
            if key in TYPED_FACTS or (key == qid and (q["kind"] in TYPED_KINDS or qid == "meds")):
                rest += facts[:1] if key == qid and q["kind"] in TYPED_KINDS else facts
                continue
            pool = [o for o in opts if not o.get("exclusive") and (key not in groups or o.get("group") == key)]
            for f in facts:
                fitting = [o for o in pool if _fits(o["label"], f)]
                best = max(fitting, key=lambda o: len(_bigrams(o["label"]) & _bigrams(f)), default=None)
                if best is not None and best["id"] not in picked:
                    picked.append(best["id"])
                if best is not None and key not in groups and f not in best["label"] and f not in rest:
                    rest.append(f)  # it says more than the option (左边太阳穴, 吃过布洛芬): typed as well
                elif best is None and key not in groups:
                    rest.append(f)  # a fact of a combined question that fits no option is "as usual"
        picked = list(dict.fromkeys(picked))
        if q["kind"] in ("single", "duration", "severity", "temperature", "date", "obstetric"):
            picked = picked[:1]
        if not picked and not rest:
            return {"options": [none]} if none is not None else {"text": "不知道"}
        out: dict[str, Any] = {"options": picked} if picked else {}
        if rest:
            out["text"] = "，".join(rest)
        return out


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PersonaPatient(_Strict):
    age: float | None = Field(default=None, ge=0, le=130, description="years (1.5 = 18 months); leave out to have it read from the complaint")
    sex: Literal["male", "female"] | None = None


class PersonaVisit(_Strict):
    """The visit as a writer may also give it for the API (``input``): used where ``complaint``/``patient`` are absent."""

    complaint: str | None = None
    age: float | None = Field(default=None, ge=0, le=130)
    sex: Literal["male", "female"] | None = None


class TapFact(_Strict):
    """A fact answered by tapping the options whose label contains one of ``tap`` and typing ``text``."""

    tap: list[str] = Field(default_factory=list)
    text: str | None = None

    @model_validator(mode="after")
    def _something(self) -> TapFact:
        if not self.tap and not self.text:
            raise ValueError("a tap fact needs `tap` words or `text`")
        return self


Scalar = str | int | float
Fact = Scalar | list[Scalar] | TapFact
#: one phrase, or a list of alternatives of which one is enough
Phrase = Scalar | list[Scalar]


class PersonaExpect(_Strict):
    red_flag: bool | None = Field(default=None, description="the interview must stop with a red flag (or must not)")
    red_flag_at: str | None = Field(default=None, description="the fact whose answer must stop it (no earlier answer may)")
    red_flag_about: list[str] = Field(default_factory=list, description="one of these words in the flag's name or message")
    chief_complaint: str | None = Field(default=None, description="the 主诉 starts with this")
    chief_complaint_has: list[Phrase] = Field(default_factory=list)
    record_has: list[Phrase] = Field(default_factory=list)
    record_negatives: list[Phrase] = Field(default_factory=list, description="each in a sentence that denies it (无/否认/未/没)")
    record_not_has: list[str] = Field(default_factory=list)
    max_questions: int | None = Field(default=None, ge=1, le=40)


class PersonaCase(_Strict):
    """One simulated patient as written (docs/intake.md, "Persona files")."""

    id: str | int
    title: str = ""
    synthetic: bool | None = None
    written_by: str | None = None
    situation: str | None = None
    input: PersonaVisit | None = None
    patient: PersonaPatient = Field(default_factory=PersonaPatient)
    complaint: str | None = None
    facts: dict[str, Fact] = Field(default_factory=dict)
    red_flag: bool | None = None
    expect: PersonaExpect = Field(description="what the interview must do; required (`{}` when only red_flag is given)")

    @field_validator("facts")
    @classmethod
    def _known_facts(cls, facts: dict[str, Any]) -> dict[str, Any]:
        unknown = sorted(set(facts) - FACT_NAMES)
        if unknown:
            raise ValueError(f"unknown fact(s) {', '.join(unknown)}; known: {', '.join(sorted(FACT_NAMES))}")
        return facts

    @model_validator(mode="after")
    def _consistent(self) -> PersonaCase:
        e = self.expect
        if self.red_flag is not None and e.red_flag is not None and self.red_flag != e.red_flag:
            raise ValueError("red_flag and expect.red_flag disagree")
        if e.red_flag_at is not None:
            if not self.wants_red_flag:
                raise ValueError("expect.red_flag_at is given but the case expects no red flag")
            if e.red_flag_at not in self.facts:
                raise ValueError(f"expect.red_flag_at names {e.red_flag_at!r}, which is not one of the facts")
        if not (self.complaint or (self.input and self.input.complaint)) and "complaint" not in self.facts:
            raise ValueError("no complaint: give `complaint` (or a `complaint` fact to answer the first question)")
        return self

    @property
    def wants_red_flag(self) -> bool:
        return bool(self.expect.red_flag if self.expect.red_flag is not None else self.red_flag)


def _fact_names() -> frozenset[str]:
    from typing import get_args

    from yizhu.clinical.intake.bank import Slot

    return frozenset(get_args(Slot)) | {"associated_yes"}


FACT_NAMES = _fact_names()


def load_cases(path: Path) -> Dataset:
    from yizhu.errors import InputError

    if not path.exists():
        raise InputError(f"{path}: no such file or directory")
    files = sorted(path.glob("*.yaml")) + sorted(path.glob("*.yml")) if path.is_dir() else [path]
    cases: list[Case] = []
    seen: dict[str, Path] = {}
    for f in files:
        raw = read_yaml(f, "intake cases", error=InputError)
        items = raw if isinstance(raw, list) else (raw.get("cases") if isinstance(raw, dict) and "cases" in raw else [raw])
        items = items or []
        for n, item in enumerate(items):
            named = f" {item['id']!r}" if isinstance(item, dict) and isinstance(item.get("id"), str | int) else ""
            what = f"intake case{named}" + ("" if len(items) == 1 else f" (#{n + 1})")
            c = validate_model(f, item, PersonaCase, what, error=InputError)
            if str(c.id) in seen:
                raise InputError(f"{f}: intake case id {c.id!r} is also used in {seen[str(c.id)]}")
            seen[str(c.id)] = f
            visit = c.input or PersonaVisit()
            patient = {"age": c.patient.age if c.patient.age is not None else visit.age,
                       "sex": c.patient.sex or visit.sex}
            cases.append(Case(id=str(c.id), inputs={"patient": patient, "complaint": c.complaint or visit.complaint,
                                                    "facts": {k: (v.model_dump() if isinstance(v, TapFact) else v)
                                                              for k, v in c.facts.items()}},
                              expected={"red_flag": c.wants_red_flag, **c.expect.model_dump(exclude={"red_flag"})},
                              metadata={"category": "red_flag" if c.wants_red_flag else "routine",
                                        "synthetic": c.synthetic is True, "title": c.title}))
    if not cases:
        raise InputError(f"{path}: no intake cases")
    synthetic = all(c.metadata["synthetic"] for c in cases)
    return Dataset(name=path.stem, format="intake-personas", path=str(path), synthetic=synthetic,
                   description=f"{len(cases)} simulated patients read from {path.name}",
                   source="合成示例 synthetic (written by the engine's author, not blind)" if path == DEFAULT_DIR
                   else f"user file {path.name}" + (" (synthetic)" if synthetic else ""),
                   cases=cases)


def _alts(item: Any) -> list[str]:
    return [str(x) for x in item] if isinstance(item, list) else [str(item)]


def _shown(item: Any) -> str:
    return "/".join(_alts(item))


_DENY = re.compile(r"无|否认|未|没|不伴")


def _denied(sentence: str, phrase: str) -> bool:
    """``phrase`` is in ``sentence`` after a denial (无发热、呕吐; 否认…), or is itself a denial (没见血)."""
    i = sentence.find(phrase)
    return i >= 0 and (_DENY.search(sentence[:i]) is not None or _DENY.match(phrase) is not None)


def simulate(case: Case) -> dict[str, Any]:
    """Run one persona through the interview; the state, the record and the questions asked."""
    from yizhu.clinical.intake.engine import AnswerIn, Engine
    from yizhu.clinical.intake.record import as_text, build_record

    eng = Engine()
    p = case.inputs["patient"]
    persona = Persona(case.inputs["facts"])
    complaint = case.inputs.get("complaint") or ""
    iv = eng.start(complaint or None, age=p.get("age"), sex=p.get("sex"))
    steps = 0
    while (q := eng.next_question(iv)) is not None and steps < 40:
        ans = persona.answer(q.model_dump(), complaint)
        eng.answer(iv, AnswerIn(question_id=q.id, **ans))
        steps += 1
    rec = build_record(iv, eng)
    return {"interview": iv, "record": rec, "text": as_text(rec), "asked": eng.asked(iv)}


class IntakeSuite(Suite):
    """Pre-consultation interview: questions to completion, record completeness, red-flag stops."""

    name = "intake"
    title = "预问诊 intake: simulated patients"
    version = "1"
    engine = "yizhu.clinical.intake (rule path)"
    formats = ("intake-personas",)
    default_data = None
    headline = ("completeness", "red_flag_sensitivity", "median_questions")

    def dataset(self, path: Path | None = None, *, format: str | None = None, seed: int = 0) -> Dataset:
        return load_cases(Path(path) if path is not None else DEFAULT_DIR)

    def versions(self) -> dict[str, str]:
        from yizhu.clinical.intake.bank import load_bank

        return {"intake.bank": load_bank().version}

    def run_case(self, case: Case, env: RunEnv, dataset: Dataset) -> Outcome:
        out = simulate(case)
        iv, rec, text = out["interview"], out["record"], out["text"]
        exp = case.expected or {}
        cc = rec["chief_complaint"]["text"]
        want: list[str] = []
        missing: list[str] = []
        for item in exp.get("record_has", []):
            want.append(_shown(item))
            if not any(a in text for a in _alts(item)):
                missing.append(_shown(item))
        sentences = [x for line in text.splitlines() for x in re.split(r"(?<=。)", line.split("：", 1)[-1]) if x]
        for item in exp.get("record_negatives", []):
            want.append(f"无{_shown(item)}")
            if not any(_denied(x, a) for x in sentences for a in _alts(item)):
                missing.append(f"无{_shown(item)}")
        for bad in exp.get("record_not_has", []):
            want.append(f"not {bad}")
            if bad in text:
                missing.append(f"not {bad}")
        cc_ok = (not exp.get("chief_complaint") or cc.startswith(str(exp["chief_complaint"]))) and \
            all(any(a in cc for a in _alts(item)) for item in exp.get("chief_complaint_has", []))
        want_red = bool(exp.get("red_flag"))
        got_red = iv.status == "red_flag"
        at = None
        if got_red and iv.red_flag is not None:
            at = next((a.slot for a in iv.answers if a.seq == iv.red_flag.get("after_answer")), None)
        problems = [f"record lacks {m}" for m in missing]
        if want_red != got_red:
            problems.append(f"ended {iv.status}, expected {'a red flag' if want_red else 'no red flag'}")
        elif want_red and exp.get("red_flag_at") and at != exp["red_flag_at"]:
            problems.append(f"red flag after {at}, expected right after {exp['red_flag_at']}")
        if got_red and want_red and exp.get("red_flag_about"):
            told = f"{iv.red_flag.get('name', '')}{iv.red_flag.get('message', '')}" if iv.red_flag else ""
            if not any(w in told for w in exp["red_flag_about"]):
                problems.append(f"red flag for another reason: {told[:60]}")
        if not want_red and not got_red and iv.status != "complete":
            problems.append(f"ended {iv.status}, expected complete")
        if exp.get("max_questions") is not None and out["asked"] > exp["max_questions"]:
            problems.append(f"{out['asked']} questions, at most {exp['max_questions']} expected")
        if not cc_ok:
            problems.append(f"主诉 {cc!r} not as expected")
        return Outcome(
            output={"status": iv.status, "asked": out["asked"], "chief_complaint": cc,
                    "red_flag": iv.red_flag["id"] if iv.red_flag else None, "red_flag_after": at, "record": text},
            scores={"completeness": (len(want) - len(missing)) / len(want) if want else None,
                    "chief_complaint": 1.0 if cc_ok and (exp.get("chief_complaint") or exp.get("chief_complaint_has"))
                    else (0.0 if exp.get("chief_complaint") or exp.get("chief_complaint_has") else None),
                    "red_flag_ok": 1.0 if got_red == want_red else 0.0,
                    "passed": 0.0 if problems else 1.0},
            data={"asked": out["asked"], "complete": iv.status == "complete", "want_red": want_red,
                  "got_red": got_red, "missing": missing, "problems": problems},
        )

    def summarise(self, dataset: Dataset, results: Sequence[ResultView], *, seed: int = 0) -> Summary:
        ok = [r for r in results if r.status == "ok"]
        done = [r for r in ok if r.data.get("complete")]
        asked = [float(r.data["asked"]) for r in done]
        pos = [r for r in ok if r.data.get("want_red")]
        neg = [r for r in ok if not r.data.get("want_red")]

        def comp(group: Sequence[ResultView]) -> dict[str, MetricValue]:
            vals = [float(r.scores["completeness"]) for r in group if r.scores.get("completeness") is not None]
            return {"completeness": mean_metric("completeness", vals, seed=seed, title="record completeness vs case")}

        metrics = comp([r for r in ok if not r.data.get("want_red")])
        metrics["red_flag_sensitivity"] = mean_metric(
            "red_flag_sensitivity", [1.0 if r.data.get("got_red") else 0.0 for r in pos], seed=seed,
            title="red-flag cases stopped with a red flag")
        metrics["red_flag_specificity"] = mean_metric(
            "red_flag_specificity", [0.0 if r.data.get("got_red") else 1.0 for r in neg], seed=seed,
            title="other cases not stopped")
        metrics["median_questions"] = MetricValue(
            name="median_questions", value=statistics.median(asked) if asked else None, n=len(asked),
            higher_is_better=False, gate=False, title="questions asked to completion (median; target ≤ 12)")
        metrics["mean_questions"] = mean_metric("mean_questions", asked, higher_is_better=False, gate=False, seed=seed,
                                                title="questions asked to completion (mean)")
        metrics["max_questions"] = MetricValue(
            name="max_questions", value=max(asked) if asked else None, n=len(asked), higher_is_better=False, gate=False,
            title="questions asked to completion (most)")
        metrics["chief_complaint"] = mean_metric(
            "chief_complaint", [float(r.scores["chief_complaint"]) for r in neg if r.scores.get("chief_complaint") is not None],
            seed=seed, title="主诉 as the case expects (routine cases)")
        metrics["passed"] = mean_metric(
            "passed", [float(r.scores.get("passed") or 0) for r in ok], seed=seed, gate=False,
            title="cases meeting every expectation of their file (stop, bound, 主诉, record)")
        rows = [[r.case_id, r.output.get("status") if isinstance(r.output, dict) else "", r.data.get("asked"),
                 r.scores.get("completeness"), "; ".join(r.data.get("problems") or [])] for r in ok]
        return Summary(metrics=metrics, breakdown=breakdown(results, comp),
                       tables=[Table(title="per case", columns=["case", "status", "asked", "completeness", "problems"],
                                     rows=rows)],
                       failures=failures(results))
