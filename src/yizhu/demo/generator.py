"""The deterministic synthetic demo hospital behind ``yizhu init --demo``.

Why: every task (QC, prescription review, note drafting, retrieval, evaluation) needs realistic
Chinese clinical records to demonstrate and benchmark on, and real records may never leave a
hospital. This module writes a small hospital of synthetic patients — all labelled 合成 /
synthetic — with notes as they are printed from Chinese EMRs, orders as doctors write them, labs
and allergies, and a manifest of deliberately planted documentation defects and risky orders so
that QC and prescription-review demos have known answers.

Determinism: one ``random.Random(seed)`` and one ``Faker("zh_CN")`` seeded with the same seed
drive every draw; no global random state, no clock, no set iteration. The same seed and
``n_patients`` give byte-identical notes, contexts and manifest on every machine.
"""

from __future__ import annotations

import json
import math
import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from faker import Faker

from yizhu.core.models import ClinicalContext, ClinicalDocument, Patient, Sex
from yizhu.demo.data import ComorbidityDef, LabDef, Scenario, Setting, load_tables
from yizhu.demo.model import (
    ALLERGY_PROB,
    AS_OF,
    DEFAULT_PATIENTS,
    DEFAULT_SEED,
    DEFECT_KINDS,
    DEFECT_SHARE,
    DEPARTMENTS,
    FOLLOWUP_PROB,
    KIND_BY_NAME,
    MAX_DEFECT_SHARE,
    MAX_GAP,
    MAX_PROGRESS_NOTES,
    Doctors,
    LabDraw,
    Med,
    Plan,
    egfr_ckd_epi_2021,
    round_dose,
    scr_for_egfr,
)
from yizhu.demo.notes import render_plan
from yizhu.errors import InputError

# ─────────────────────────────── identity tables ───────────────────────────────

_GIVEN = {
    ("male", "old"): ["建国", "国强", "建华", "志强", "德明", "永福", "振华", "立新", "卫东", "庆华",
                      "春生", "宏伟", "国庆", "保国", "玉林", "长江"],
    ("male", "mid"): ["伟", "磊", "强", "军", "勇", "杰", "涛", "明", "超", "鹏", "斌", "海波", "晓东",
                      "志刚", "俊", "文斌"],
    ("male", "young"): ["子轩", "浩然", "宇航", "文博", "梓豪", "俊熙", "一诺", "睿泽", "皓轩", "铭泽",
                        "子墨", "嘉懿"],
    ("female", "old"): ["秀英", "桂英", "玉兰", "淑珍", "凤英", "春兰", "秀兰", "桂兰", "玉梅", "淑华",
                        "美玲", "玉珍"],
    ("female", "mid"): ["丽", "敏", "静", "芳", "娟", "霞", "婷", "雪梅", "丽华", "红梅", "晓燕", "海燕",
                        "慧", "颖"],
    ("female", "young"): ["欣怡", "梓涵", "雨桐", "诗琪", "佳怡", "可馨", "语汐", "子涵", "若曦", "思琪",
                          "一诺", "雨萱"],
}
_ETHNIC = ["汉族"] * 18 + ["回族", "满族", "壮族", "蒙古族", "土家族"]
_OCCUPATIONS = ["农民", "工人", "职员", "教师", "个体经营", "司机", "公务员", "自由职业", "无业", "工程师"]


@dataclass
class DemoHospital:
    """The generated hospital: one ClinicalContext per encounter plus the planted-defect manifest."""

    seed: int
    n_patients: int
    as_of: datetime
    contexts: list[ClinicalContext]
    defects: list[dict[str, Any]]

    @property
    def patients(self) -> list[Patient]:
        """Each patient once, in id order."""
        seen: dict[str, Patient] = {}
        for ctx in self.contexts:
            if ctx.patient is not None and ctx.patient.id not in seen:
                seen[ctx.patient.id] = ctx.patient
        return [seen[k] for k in sorted(seen)]

    @property
    def documents(self) -> list[ClinicalDocument]:
        """Every note of every encounter, in context order."""
        return [doc for ctx in self.contexts for doc in ctx.documents]

    def context(self, encounter_id: str) -> ClinicalContext:
        """The context of one encounter; an unknown id fails with a hint."""
        for ctx in self.contexts:
            if ctx.encounter is not None and ctx.encounter.id == encounter_id:
                return ctx
        raise InputError(f"no demo encounter {encounter_id!r}; ids look like 'P0001-E1'.")

    def defects_for(self, encounter_id: str) -> list[dict[str, Any]]:
        """The planted defects of one encounter (empty for a clean one)."""
        return [d for d in self.defects if d["encounter_id"] == encounter_id]

    def to_json(self) -> str:
        """Canonical JSON of the whole hospital (for checksums and fixtures)."""
        payload = {
            "seed": self.seed,
            "n_patients": self.n_patients,
            "as_of": self.as_of.isoformat(),
            "contexts": [c.model_dump(mode="json", by_alias=True) for c in self.contexts],
            "defects": self.defects,
        }
        return json.dumps(payload, ensure_ascii=False, sort_keys=True)


# ─────────────────────────────── the builder ───────────────────────────────


class _Builder:
    """Draws plans, plants defects and assembles contexts; one instance per generation."""

    def __init__(self, seed: int, n_patients: int, as_of: datetime) -> None:
        self.seed = seed
        self.n = n_patients
        self.as_of = as_of
        self.rng = random.Random(seed)
        self.fake = Faker("zh_CN")
        self.fake.seed_instance(seed)
        self.catalog, self.scenarios = load_tables()
        self.home_province = self.rng.choice(sorted(self.catalog.regions))
        self.doctors = {dept: self._team() for dept in DEPARTMENTS}
        self.dept_style = {dept: self._style() for dept in DEPARTMENTS}
        self.numbers: Counter[str] = Counter()

    # ── people ──
    def _person_name(self, female: bool, age: int) -> str:
        era = "young" if age < 25 else ("mid" if age < 55 else "old")
        return self.fake.last_name() + self.rng.choice(_GIVEN[("female" if female else "male", era)])

    def _team(self) -> Doctors:
        def name() -> str:
            return self._person_name(self.rng.random() < 0.5, self.rng.randint(28, 54))

        return Doctors(residents=[name(), name()], attending=name(), chief=name())

    def _style(self) -> dict[str, Any]:
        """Each department's EMR template prints headers its own way."""
        return {
            "header": self.rng.choice(["grid", "grid", "lines"]),
            "sep": self.rng.choice(["　", "  ", "　　"]),
            "per_row": self.rng.choice([3, 4]),
            "exam_alias": self.rng.random() < 0.35,
            "specialty_alias": self.rng.random() < 0.35,
            "cosign": self.rng.random() < 0.4,
        }

    def _place(self, *, local: float) -> tuple[str, str, str]:
        """(province, city, district): mostly the hospital's own province, like a real catchment."""
        regions = self.catalog.regions
        province = self.home_province if self.rng.random() < local else self.rng.choice(sorted(regions))
        city = self.rng.choice(sorted(regions[province]))
        return province, city, self.rng.choice(regions[province][city])

    def _address(self) -> str:
        province, city, district = self._place(local=0.75)
        street = f"{self.fake.street_name()}{self.rng.randint(1, 399)}号"
        if self.rng.random() < 0.5:
            street += f"{self.rng.randint(1, 30)}栋{self.rng.randint(1, 4)}单元{self.rng.randint(1, 28)}0{self.rng.randint(1, 4)}室"
        return f"{province}{city}{district}{street}"

    # ── slots: which scenario and setting each patient gets ──
    def _slots(self) -> list[tuple[Scenario, Setting]]:
        rng = self.rng
        pairs: list[tuple[Scenario, Setting]] = [(s, st) for s in self.scenarios for st in s.settings]
        slots: list[tuple[Scenario, Setting]] = []
        if self.n >= len(pairs):
            slots = list(pairs)  # every scenario in every setting at least once
        elif self.n >= len(self.scenarios):
            slots = [(s, self._pick_setting(s)) for s in self.scenarios]
        counts = Counter(s.department for s, _ in slots)
        while len(slots) < self.n:
            fewest = min(counts[d] for d in DEPARTMENTS)
            dept = rng.choice([d for d in DEPARTMENTS if counts[d] == fewest])
            options = [s for s in self.scenarios if s.department == dept]
            scen = rng.choices(options, weights=[s.weight for s in options])[0]
            slots.append((scen, self._pick_setting(scen)))
            counts[dept] += 1
        rng.shuffle(slots)
        return slots

    def _pick_setting(self, s: Scenario) -> Setting:
        if len(s.settings) == 1:
            return s.settings[0]
        return "inpatient" if self.rng.random() < 0.8 else "outpatient"

    # ── drawing one encounter ──
    def _duration(self, options: Sequence[tuple[int, int, str]]) -> str:
        lo, hi, unit = self.rng.choice(list(options))
        return f"{self.rng.randint(lo, hi)}{unit}"

    def _draw_vitals(self, s: Scenario) -> dict[str, float]:
        rng = self.rng
        v = s.vitals
        out: dict[str, float] = {
            "T": round(rng.uniform(*v["T"]), 1),
            "P": rng.randint(int(v["P"][0]), int(v["P"][1])),
            "R": rng.randint(int(v["R"][0]), int(v["R"][1])),
            "SBP": rng.randint(int(v["SBP"][0]), int(v["SBP"][1])),
        }
        out["DBP"] = min(rng.randint(int(v["DBP"][0]), int(v["DBP"][1])), out["SBP"] - 25)
        out["HR"] = out["P"] + (rng.randint(8, 20) if "af" in s.tags else 0)
        return out

    def _draw_lab(self, lab: LabDef, rng_range: tuple[float, float] | None, *, female: bool,
                  child: bool, when: datetime) -> LabDraw:
        if rng_range is None:
            low, high = lab.range_for(female=female, child=child)
            if high >= 999:  # open-ended (eGFR): a normal value
                low, high = low, low + 30
            span = high - low
            rng_range = (low + 0.1 * span, high - 0.1 * span)
        value = round(self.rng.uniform(*rng_range), lab.decimals)
        return LabDraw(lab, value, when)

    def _draw_labs(self, table: dict[str, tuple[float, float] | None], *, age: int, female: bool,
                   child: bool, when: datetime) -> list[LabDraw]:
        out: list[LabDraw] = []
        for name, rng_range in table.items():
            if name == "估算肾小球滤过率":
                continue
            draw = self._draw_lab(self.catalog.lab(name), rng_range, female=female, child=child, when=when)
            out.append(draw)
            if name == "肌酐" and not child:
                egfr = egfr_ckd_epi_2021(draw.value, age, female)
                out.append(LabDraw(self.catalog.lab("估算肾小球滤过率"), round(egfr), when))
        return out

    def make_med(self, ref: str, *, child: bool, weight: float | None, outpatient: bool,
                 name: str | None = None) -> Med:
        """Resolve a drug reference (``key`` or ``key@dose``) to a written order."""
        key, _, dose_override = ref.partition("@")
        drug = self.catalog.drugs[key]
        written = name or self.rng.choice(drug.names)
        days = None
        if outpatient:
            days = 30 if drug.chronic else self.rng.choice([3, 5, 7])
        if child and drug.has_pediatric_dose:
            assert weight is not None
            freq = drug.ped_frequency or drug.frequency
            if drug.ped_fixed is not None:
                return Med(drug, written, drug.ped_fixed, drug.ped_unit or drug.unit, drug.route, freq, days)
            mg = weight * (drug.ped_mg_per_kg or 0)
            if drug.ped_conc_mg_per_ml:
                ml = max(0.5, round(mg / drug.ped_conc_mg_per_ml * 2) / 2)
                return Med(drug, written, ml, "ml", drug.route, freq, days)
            if drug.unit == "g":
                grams = min(drug.dose, max(0.05, round(mg / 1000 / 0.05) * 0.05))
                return Med(drug, written, round(grams, 2), "g", drug.route, freq, days)
            return Med(drug, written, round_dose(mg), "mg", drug.route, freq, days)
        dose = float(dose_override) if dose_override else drug.dose
        return Med(drug, written, dose, drug.unit, drug.route, drug.frequency, days)

    def _choose_meds(self, groups: list[list[str]], excluded: set[str], *, child: bool,
                     weight: float | None, outpatient: bool) -> list[Med] | None:
        meds: list[Med] = []
        for group in groups:
            options = [r for r in group if not excluded.intersection(self.catalog.drugs[r.split("@")[0]].classes)]
            if not options:
                return None
            meds.append(self.make_med(self.rng.choice(options), child=child, weight=weight,
                                      outpatient=outpatient))
        return meds

    def _schedule(self, end_day: int, max_gap: int) -> list[int]:
        """Hospital days with a progress note: day 1, then at most ``max_gap`` days apart."""
        days: list[int] = []
        d = 1
        while d < end_day:
            days.append(d)
            d += self.rng.randint(max(1, max_gap - 1), max_gap)
        if len(days) > MAX_PROGRESS_NOTES:
            days = list(range(1, end_day, max_gap))
        if len(days) < 2 and end_day >= 3:
            days = [1, 2]
        return days

    def plan_encounter(self, idx: int, patient: Patient, scen: Scenario, setting: Setting,
                       identity: dict[str, str], age: int, weight: float | None, start: datetime,
                       k: int) -> Plan:
        rng = self.rng
        female = patient.sex == Sex.female
        child = scen.pediatric
        inpatient = setting == "inpatient"
        los = rng.randint(*scen.los) if inpatient else 0
        end: datetime | None = None
        if inpatient:
            end_day = datetime.combine(start.date() + timedelta(days=los), datetime.min.time())
            end = end_day + timedelta(hours=9, minutes=rng.randint(0, 150))
            if end >= self.as_of:
                end = None
        values: dict[str, str] = {name: rng.choice(opts) for name, opts in scen.vars.items()}
        values["d1"] = self._duration(scen.durations["d1"])
        values["d2"] = self._duration(scen.durations.get("d2", scen.durations["d1"]))
        vitals = self._draw_vitals(scen)
        lab_time = start + timedelta(minutes=rng.randint(20, 55))
        labs = self._draw_labs(scen.labs, age=age, female=female, child=child, when=lab_time)

        # allergy first, then the drugs it allows
        allergies: list[tuple[str, str]] = []
        excluded: set[str] = set()
        if rng.random() < ALLERGY_PROB:
            adef = rng.choices(self.catalog.allergies, weights=[a.weight for a in self.catalog.allergies])[0]
            allergies = [(adef.substance, rng.choice(adef.reactions))]
            excluded = set(adef.excludes)
        groups = scen.meds if inpatient or scen.opd_meds is None else scen.opd_meds
        meds = self._choose_meds(groups, excluded, child=child, weight=weight, outpatient=not inpatient)
        if meds is None:  # the allergy leaves no option in some group: this patient has none
            allergies, excluded = [], set()
            meds = self._choose_meds(groups, excluded, child=child, weight=weight, outpatient=not inpatient)
            assert meds is not None

        comorbid: list[tuple[ComorbidityDef, list[Med], str]] = []
        if not child:
            egfr = next((d.value for d in labs if d.lab.name == "估算肾小球滤过率"), None)
            for cdef in self.catalog.comorbidities:
                if cdef.key in scen.no_comorbid or age < cdef.min_age or rng.random() >= cdef.prob:
                    continue
                home: list[Med] = []
                for group in cdef.meds:
                    options = [
                        r for r in group
                        if not excluded.intersection(self.catalog.drugs[r].classes)
                        and not any(m.drug.group == self.catalog.drugs[r].group for m in meds)
                        and not (self.catalog.drugs[r].group == "biguanide" and egfr is not None and egfr < 45)
                    ]
                    if options:
                        med = self.make_med(rng.choice(options), child=False, weight=None,
                                            outpatient=not inpatient)
                        med.home = True
                        home.append(med)
                years = str(rng.randint(2, max(3, min(20, age - 30))))
                comorbid.append((cdef, home, years))
                meds.extend(home)

        p = Plan(
            patient_index=idx, patient=patient, scenario=scen, setting=setting,
            encounter_id=f"{patient.id}-E{k}", start=start, end=end, los=los, age=age, female=female,
            child=child, weight=weight, identity=identity, doctors=self.doctors[scen.department],
            resident=rng.choice(self.doctors[scen.department].residents),
            number=self._number(setting, start), bed=str(rng.randint(1, 45)) if inpatient else None,
            values=values, vitals=vitals, comorbid=comorbid, allergies=allergies, meds=meds, labs=labs,
        )
        if inpatient:
            end_day = (p.end.date() - start.date()).days if p.end else (self.as_of.date() - start.date()).days
            p.progress_days = self._schedule(end_day, MAX_GAP[scen.condition])
            if scen.surgery is not None:
                op_day = start.date() + timedelta(days=scen.surgery.day)
                if scen.surgery.day == 0:
                    p.op_at = start + timedelta(hours=rng.randint(2, 4))
                else:
                    p.op_at = datetime.combine(op_day, datetime.min.time()) + timedelta(
                        hours=9, minutes=rng.randint(0, 90))
            if scen.recheck and len(p.progress_days) >= 2:
                day = p.progress_days[len(p.progress_days) // 2]
                when = datetime.combine(start.date() + timedelta(days=day), datetime.min.time()) + timedelta(
                    hours=6, minutes=rng.randint(20, 50))
                p.recheck = self._draw_labs(dict(scen.recheck), age=age, female=female, child=child, when=when)
        return p

    def _number(self, setting: Setting, start: datetime) -> str:
        if setting == "inpatient":
            self.numbers["ZY"] += 1
            return f"ZY{start.year}{self.numbers['ZY'] * 37 + 1000:04d}"
        self.numbers["MZ"] += 1
        return f"MZ{start:%Y%m%d}{self.numbers['MZ'] * 13 + 100:04d}"

    def plan_followup(self, index: Plan, visit: datetime) -> Plan:
        """An outpatient revisit after discharge: same patient, chronic drugs continued."""
        rng = self.rng
        scen = index.scenario
        weeks = max(1, round((visit.date() - index.end.date()).days / 7)) if index.end else 2
        meds = [
            self.make_med(m.drug.key, child=index.child, weight=index.weight, outpatient=True, name=m.name)
            for m in index.meds
            if m.drug.chronic and m.planted is None
        ]
        labs = self._draw_labs(dict(scen.followup_labs), age=index.age, female=index.female,
                               child=index.child, when=visit + timedelta(minutes=rng.randint(20, 50)))
        values = dict(index.values)
        values["weeks"] = str(weeks)
        return Plan(
            patient_index=index.patient_index, patient=index.patient, scenario=scen, setting="outpatient",
            encounter_id=f"{index.patient.id}-E2", start=visit, end=None, los=0, age=index.age,
            female=index.female, child=index.child, weight=index.weight, identity=index.identity,
            doctors=index.doctors, resident=rng.choice(index.doctors.residents),
            number=self._number("outpatient", visit), bed=None, values=values,
            vitals=self._draw_target_vitals(index), comorbid=index.comorbid, allergies=index.allergies,
            meds=meds, labs=labs, followup_of=index, extra_dx=list(index.extra_dx),
        )

    def _draw_target_vitals(self, p: Plan) -> dict[str, float]:
        rng = self.rng
        if p.child:
            out = {"T": round(rng.uniform(36.3, 36.9), 1), "P": rng.randint(88, 112), "R": rng.randint(20, 26),
                   "SBP": rng.randint(88, 102), "DBP": rng.randint(55, 65)}
        else:
            out = {"T": round(rng.uniform(36.2, 36.8), 1), "P": rng.randint(64, 84), "R": rng.randint(16, 19),
                   "SBP": rng.randint(116, 136), "DBP": rng.randint(68, 84)}
        out["HR"] = out["P"] + (rng.randint(3, 8) if "af" in p.scenario.tags else 0)
        return out

    # ── patients ──
    def plan_all(self) -> list[Plan]:
        rng = self.rng
        plans: list[Plan] = []
        for i, (scen, setting) in enumerate(self._slots()):
            female = rng.random() < scen.female
            age = rng.randint(*scen.age)
            child = scen.pediatric
            if setting == "inpatient":
                days_ago = rng.randint(3, 8) if rng.random() < 0.2 else rng.randint(10, 95)
                hour = rng.randint(8, 21)
            else:
                days_ago = rng.randint(1, 95)
                hour = rng.choice([8, 9, 10, 11, 14, 15, 16])
            start = datetime.combine(self.as_of.date() - timedelta(days=days_ago), datetime.min.time()) + \
                timedelta(hours=hour, minutes=rng.randint(0, 59))
            birth = start.date() - timedelta(days=int(age * 365.25) + rng.randint(1, 360))
            weight = round(age * 2 + 8 + rng.uniform(-1.5, 2.5), 1) if child else None
            name = self._person_name(female, age)
            identity = self._identity(age, female, child)
            patient = Patient(
                id=f"P{i + 1:04d}", name=name, sex=Sex.female if female else Sex.male, birth_date=birth,
                age_years=age, phone=self.fake.phone_number(), address=self._address(), synthetic=True,
            )
            plan = self.plan_encounter(i, patient, scen, setting, identity, age, weight, start, 1)
            patient.mrn = plan.number
            plans.append(plan)
            if plan.inpatient and plan.end is not None and rng.random() < FOLLOWUP_PROB:
                visit = datetime.combine(plan.end.date() + timedelta(days=rng.randint(7, 21)),
                                         datetime.min.time()) + timedelta(hours=rng.choice([8, 9, 10, 14, 15]),
                                                                          minutes=rng.randint(0, 59))
                if visit < self.as_of - timedelta(hours=3):
                    plans.append(self.plan_followup(plan, visit))
        return plans

    def _identity(self, age: int, female: bool, child: bool) -> dict[str, str]:
        rng = self.rng
        if child:
            occupation = "散居儿童" if age < 3 else ("幼托儿童" if age < 7 else "学生")
            marital = ""
        else:
            occupation = "退休" if age >= 60 and rng.random() < 0.7 else rng.choice(_OCCUPATIONS)
            if age < 28 and rng.random() < 0.6:
                marital = "未婚"
            elif age >= 70 and rng.random() < 0.25:
                marital = "丧偶"
            else:
                marital = "已婚"
        return {
            "ethnic": rng.choice(_ETHNIC),
            "occupation": occupation,
            "marital": marital,
            "birthplace": "".join(self._place(local=0.6)[:2]),
        }

    # ── defects ──
    def _eligible(self, kind: str, p: Plan) -> bool:
        s = p.scenario
        first = p.followup_of is None
        adult = not p.child and p.age >= 18
        if kind == "missing_section:过敏史":
            return True
        if kind == "missing_section:体格检查":
            return not p.inpatient
        if kind in ("missing_content:鉴别诊断", "timeliness:入院记录>24h", "timeliness:首次病程记录>8h"):
            return p.inpatient
        if kind == "timeliness:出院记录>24h":
            return p.inpatient and p.end is not None and p.end + timedelta(hours=48) < self.as_of
        if kind == "timeliness:病程记录间隔>3天":
            end_day = (p.end.date() - p.start.date()).days if p.end else (self.as_of.date() - p.start.date()).days
            return p.inpatient and s.condition == "stable" and end_day >= 8 and s.surgery is None
        if kind in ("chief_complaint_too_long", "chief_complaint_no_duration", "hpi_missing_chief_symptom"):
            return first
        if kind == "sex_inconsistency":
            return p.inpatient and not p.female and adult
        if kind == "copy_paste":
            return p.inpatient and len(p.progress_days) >= 2
        if kind == "vitals_incomplete":
            return adult
        if kind == "missing_signature":
            return True
        if kind == "allergy_conflict":
            return first and p.has_group("antibiotic") and not p.allergies
        if kind == "ddi:华法林+阿司匹林":
            return p.has_drug("warfarin")
        if kind == "ddi:辛伐他汀+克拉霉素":
            return first and adult and "respiratory" in s.tags and s.key != "asthma"
        if kind == "ddi:氯吡格雷+奥美拉唑":
            return p.has_drug("clopidogrel")
        if kind == "duplicate_therapy:阿托伐他汀":
            return p.has_drug("atorvastatin")
        if kind == "overdose:对乙酰氨基酚>4g/d":
            return first and adult and "fever" in s.tags
        if kind == "renal_dose:二甲双胍+eGFR<30":
            diabetic = s.key == "t2dm" or any(c.key == "dm" for c, _, _ in p.comorbid)
            return first and p.age >= 50 and diabetic and p.lab_value("肌酐") is not None
        if kind == "pediatric_contraindication:左氧氟沙星":
            return first and p.child and ("infection" in s.tags or "fever" in s.tags)
        raise KeyError(kind)

    def _candidates(self, kind: str, plans: list[Plan]) -> list[Plan]:
        dk = KIND_BY_NAME[kind]
        out = []
        for p in plans:
            slots = {KIND_BY_NAME[k].slot for k in p.defects}
            if len(p.defects) >= 2 or dk.slot in slots:
                continue
            if kind == "allergy_conflict" and "allergy_section" in slots:
                continue
            if kind == "missing_section:过敏史" and "allergy_conflict" in p.defects:
                continue
            if self._eligible(kind, p):
                out.append(p)
        if dk.category == "prescription":  # risky orders are most useful where orders are active
            out = [p for p in out if p.active] or out
        return out

    def assign_defects(self, plans: list[Plan]) -> None:
        """Plant every defect kind some encounter can carry, on about a quarter of the encounters.

        The first pass plants each kind once (scarcest first, so a kind with a single possible
        encounter still gets it), reusing defective encounters once the budget is reached; later
        passes, for large hospitals, plant kinds again on clean encounters until the budget is met.
        """
        rng = self.rng
        budget = max(1, round(DEFECT_SHARE * len(plans)))
        cap = math.ceil(MAX_DEFECT_SHARE * len(plans))
        scarcity = {dk.kind: sum(self._eligible(dk.kind, p) for p in plans) for dk in DEFECT_KINDS}
        order = sorted(DEFECT_KINDS, key=lambda k: scarcity[k.kind])
        first_pass = True
        while True:
            planted = False
            for dk in order:
                n_defective = sum(1 for p in plans if p.defects)
                cands = self._candidates(dk.kind, plans)
                fresh = [p for p in cands if not p.defects]
                used = [p for p in cands if p.defects]
                if not first_pass:
                    if n_defective >= budget:
                        break
                    pool = fresh
                elif n_defective >= cap:
                    pool = used  # small hospitals plant fewer kinds rather than spoil every encounter
                elif n_defective >= budget and used:
                    pool = used
                elif fresh and (not used or rng.random() < 0.45):
                    pool = fresh
                else:
                    pool = used or fresh
                if not pool:
                    continue
                target = rng.choice(pool)
                target.defects.append(dk.kind)
                self._mutate(dk.kind, target)
                planted = True
            first_pass = False
            if not planted or sum(1 for p in plans if p.defects) >= budget:
                return

    def _replace_group(self, p: Plan, group: str, med: Med) -> None:
        idx = next((i for i, m in enumerate(p.meds) if m.drug.group == group and not m.home), None)
        if idx is None:
            p.meds.append(med)
        else:
            p.meds[idx] = med

    def _mutate(self, kind: str, p: Plan) -> None:
        """Plan-level changes a planted prescription defect needs before any note is written."""
        rng = self.rng
        out = not p.inpatient
        data: dict[str, Any] = {}

        def med(ref: str, name: str | None = None) -> Med:
            m = self.make_med(ref, child=p.child, weight=p.weight, outpatient=out, name=name)
            m.planted = kind
            return m

        if kind == "allergy_conflict":
            p.allergies = [("青霉素", rng.choice(["全身皮疹", "荨麻疹", "皮肤瘙痒伴皮疹"]))]
            if p.child:
                ref = rng.choice(["amox_clav_iv", "ceftriaxone"])
            elif out:
                ref = "amoxicillin"
            else:
                ref = rng.choice(["piperacillin_tazobactam", "cefuroxime", "ceftriaxone", "amox_clav_iv"])
            m = med(ref)
            self._replace_group(p, "antibiotic", m)
            relation = "same_class" if "penicillin" in m.drug.classes else "cross_reactivity"
            data = {"allergen": "青霉素", "drug": m.name, "relation": relation}
        elif kind == "ddi:华法林+阿司匹林":
            p.meds.append(med("aspirin", "拜阿司匹林"))
            data = {"drugs": ["华法林", "阿司匹林"]}
        elif kind == "ddi:辛伐他汀+克拉霉素":
            p.meds = [m for m in p.meds if m.drug.group != "statin"]
            p.comorbid = [c for c in p.comorbid if c[0].key != "hld"]
            hld = next(c for c in self.catalog.comorbidities if c.key == "hld")
            home = med("simvastatin")
            home.home = True
            p.comorbid.append((hld, [home], str(rng.randint(2, 8))))
            p.meds.append(home)
            self._replace_group(p, "antibiotic", med("clarithromycin"))
            data = {"drugs": ["辛伐他汀", "克拉霉素"]}
        elif kind == "ddi:氯吡格雷+奥美拉唑":
            self._replace_group(p, "ppi", med("omeprazole"))
            data = {"drugs": ["氯吡格雷", "奥美拉唑"]}
        elif kind == "duplicate_therapy:阿托伐他汀":
            for m in p.meds:
                if m.drug.key == "atorvastatin":
                    m.name = "阿托伐他汀钙片"
            p.meds.append(med("atorvastatin", "立普妥"))
            data = {"names": ["阿托伐他汀钙片", "立普妥"], "generic": "阿托伐他汀"}
        elif kind == "overdose:对乙酰氨基酚>4g/d":
            m = med("apap", "对乙酰氨基酚片")
            m.dose, m.unit, m.frequency = 1.0, "g", "q4h"
            self._replace_group(p, "antipyretic", m)
            data = {"drug": "对乙酰氨基酚", "daily_dose_g": 6.0, "max_daily_dose_g": 4.0}
        elif kind == "renal_dose:二甲双胍+eGFR<30":
            target = rng.uniform(17, 27)
            scr = round(scr_for_egfr(target, p.age, p.female))
            egfr = round(egfr_ckd_epi_2021(scr, p.age, p.female))
            for d in p.labs:
                if d.lab.name == "肌酐":
                    d.value = scr
                elif d.lab.name == "估算肾小球滤过率":
                    d.value = egfr
                elif d.lab.name == "尿微量白蛋白/肌酐比值":  # advanced CKD comes with albuminuria
                    d.value = round(rng.uniform(150, 600), d.lab.decimals)
            if not p.has_group("biguanide"):
                p.meds.insert(0, med("metformin_er"))
            else:
                for m in p.meds:
                    if m.drug.group == "biguanide":
                        m.planted = kind
            p.extra_dx.append(("慢性肾脏病4期", "N18.4"))
            data = {"drug": "二甲双胍", "egfr": egfr, "creatinine_umol_l": scr}
        elif kind == "pediatric_contraindication:左氧氟沙星":
            self._replace_group(p, "antibiotic", med("levofloxacin"))
            data = {"drug": "左氧氟沙星", "age_years": p.age}
        elif kind == "timeliness:病程记录间隔>3天":
            end_day = (p.end.date() - p.start.date()).days if p.end else (self.as_of.date() - p.start.date()).days
            gap = rng.randint(5, min(6, end_day - 2))
            days = [1, 1 + gap]
            d = days[-1] + 2
            while d < end_day:
                days.append(d)
                d += 2
            p.progress_days = days[:MAX_PROGRESS_NOTES]
            data = {"gap_days": gap}
        p.defect_data[kind] = data


# ─────────────────────────────── public API ───────────────────────────────


def generate_hospital(seed: int = DEFAULT_SEED, n_patients: int = DEFAULT_PATIENTS,
                      *, as_of: datetime = AS_OF) -> DemoHospital:
    """Generate the synthetic demo hospital; the same arguments always give the same hospital.

    ``n_patients`` >= 29 puts every scenario in every setting at least once; at the default 50
    every defect kind is planted (checked over 200 seeds). Smaller hospitals plant only what their
    encounters and the ~25% defective share allow.
    """
    if not 1 <= n_patients <= 5000:
        raise InputError(f"n_patients must be between 1 and 5000, got {n_patients}; pass e.g. 50.")
    builder = _Builder(seed, n_patients, as_of)
    plans = builder.plan_all()
    builder.assign_defects(plans)
    contexts: list[ClinicalContext] = []
    defects: list[dict[str, Any]] = []
    for plan in sorted(plans, key=lambda p: p.encounter_id):
        ctx, planted = render_plan(plan, builder.rng, builder.dept_style[plan.scenario.department])
        contexts.append(ctx)
        defects.extend(planted)
    for i, d in enumerate(defects, 1):
        d["id"] = f"DF{i:03d}"
    return DemoHospital(seed=seed, n_patients=n_patients, as_of=as_of, contexts=contexts, defects=defects)


def write_notes(hospital: DemoHospital, out_dir: str | Path) -> list[Path]:
    """Write every note as ``<document id>.txt`` (UTF-8) and return the paths in context order."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    for doc in hospital.documents:
        path = out / f"{doc.id}.txt"
        path.write_text(doc.text, encoding="utf-8", newline="\n")
        paths.append(path)
    return paths


def write_manifest(hospital: DemoHospital, out_dir: str | Path) -> Path:
    """Write the planted-defect manifest as ``defects.json`` next to the notes."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    path = out / "defects.json"
    payload = {"seed": hospital.seed, "n_patients": hospital.n_patients, "defects": hospital.defects}
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=2) + "\n", encoding="utf-8", newline="\n")
    return path


def write_contexts(hospital: DemoHospital, out_dir: str | Path) -> Path:
    """Write one ClinicalContext per line as ``contexts.jsonl`` (for loading into the store or evals)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    path = out / "contexts.jsonl"
    lines = [ctx.model_dump_json(by_alias=True) for ctx in hospital.contexts]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8", newline="\n")
    return path
