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
from typing import Any

from pydantic import BaseModel, ConfigDict

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
                elif best is None and key not in groups:
                    rest.append(f)  # a fact of a combined question that fits no option is "as usual"
        picked = list(dict.fromkeys(picked))
        if q["kind"] == "single" and picked:
            return {"options": picked[:1]}
        if not picked and not rest:
            return {"options": [none]} if none is not None else {"text": "不知道"}
        out: dict[str, Any] = {"options": picked} if picked else {}
        if rest:
            out["text"] = "，".join(rest)
        return out


class PersonaCase(BaseModel):
    """One simulated patient as written (other keys, e.g. ``written_by``, are the writer's notes)."""

    model_config = ConfigDict(extra="allow")

    id: str | int
    patient: dict[str, Any]
    facts: dict[str, Any]
    expect: dict[str, Any]
    complaint: str | None = None
    red_flag: Any = False
    synthetic: Any = None
    title: str = ""


def load_cases(path: Path) -> Dataset:
    from yizhu.errors import InputError

    files = sorted(path.glob("*.yaml")) if path.is_dir() else [path]
    cases: list[Case] = []
    for f in files:
        raw = read_yaml(f, "intake cases", error=InputError)
        items = raw if isinstance(raw, list) else (raw.get("cases") if isinstance(raw, dict) and "cases" in raw else [raw])
        items = items or []
        for n, item in enumerate(items):
            what = "intake case" if len(items) == 1 else f"intake case #{n + 1}"
            c = validate_model(f, item, PersonaCase, what, error=InputError)
            cases.append(Case(id=str(c.id), inputs={"patient": c.patient, "complaint": c.complaint, "facts": c.facts},
                              expected={"red_flag": bool(c.red_flag), **c.expect},
                              metadata={"category": "red_flag" if c.red_flag else "routine",
                                        "synthetic": c.synthetic is True, "title": c.title}))
    if not cases:
        raise InputError(f"{path}: no intake cases")
    synthetic = all(c.metadata["synthetic"] for c in cases)
    return Dataset(name=path.stem, format="intake-personas", path=str(path), synthetic=synthetic,
                   description=f"{len(cases)} simulated patients read from {path.name}",
                   source="合成示例 synthetic (written by the engine's author, not blind)" if synthetic else f"user file {path.name}",
                   cases=cases)


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
        want = [str(x) for x in exp.get("record_has", [])]
        found = [w for w in want if w in text]
        # absent findings count when the record says so: in a sentence that starts with 无 or 否认
        denied = "".join(s for s in re.split(r"(?<=。)", text) if s.lstrip("现病史：既往过敏用药月经").startswith(("无", "否认")))
        neg = [str(x) for x in exp.get("record_negatives", [])]
        want += [f"无{x}" for x in neg]
        found += [f"无{x}" for x in neg if x in denied]
        cc_want = str(exp.get("chief_complaint", ""))
        got_red = iv.status == "red_flag"
        return Outcome(
            output={"status": iv.status, "asked": out["asked"], "chief_complaint": rec["chief_complaint"]["text"],
                    "red_flag": iv.red_flag["id"] if iv.red_flag else None, "record": text},
            scores={"completeness": len(found) / len(want) if want else None,
                    "chief_complaint": 1.0 if cc_want and rec["chief_complaint"]["text"].startswith(cc_want) else 0.0,
                    "red_flag_ok": 1.0 if got_red == bool(exp.get("red_flag")) else 0.0},
            data={"asked": out["asked"], "complete": iv.status == "complete", "want_red": bool(exp.get("red_flag")),
                  "got_red": got_red, "missing": [w for w in want if w not in found]},
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
        metrics["chief_complaint"] = mean_metric(
            "chief_complaint", [float(r.scores.get("chief_complaint") or 0) for r in neg], seed=seed,
            title="主诉 as the case expects (routine cases)")
        rows = [[r.case_id, r.output.get("status") if isinstance(r.output, dict) else "", r.data.get("asked"),
                 r.scores.get("completeness"), "、".join(r.data.get("missing") or [])] for r in ok]
        return Summary(metrics=metrics, breakdown=breakdown(results, comp),
                       tables=[Table(title="per case", columns=["case", "status", "asked", "completeness", "missing"],
                                     rows=rows)],
                       failures=failures(results))
