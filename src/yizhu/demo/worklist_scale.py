"""A synthetic hospital at worklist scale (合成): thousands of alerts and findings for one doctor, to test and
benchmark the worklists' paging (``yizhu.web.worklist``; tests/web/test_worklist_scale.py,
benchmarks/worklist_pages.py). Never loaded by the demo itself.

Everything goes through the store's own doors: patients, encounters and medication orders by
``save_context``; one ``rx.review`` and one ``qc.record`` run per encounter appended to the audit chain with
``record_run`` (outputs shaped as the engines store them, with rule ids of the shipped rule sets), so the
worklists index them exactly as they index real runs. ``extra_encounters`` adds encounters without runs
(the doctor's encounter list), written with one multi-row insert per table (the columns the store's own
``save_patient`` / ``save_encounter`` write).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from yizhu.core import (
    ClinicalContext,
    ClinicalDocument,
    Encounter,
    EncounterClass,
    MedicationOrder,
    Patient,
    Sex,
)
from yizhu.store import record_run, save_context
from yizhu.store.db import transaction, utcnow
from yizhu.store.schema import encounters as encounter_table
from yizhu.store.schema import patients as patient_table

WARDS = ("心内科", "呼吸内科", "神经内科", "内分泌科", "普通外科", "儿科", "肾内科", "消化内科")
DRUGS = ("华法林钠片", "阿司匹林肠溶片", "二甲双胍片", "辛伐他汀片", "克拉霉素片", "布洛芬缓释胶囊", "呋塞米片",
         "螺内酯片", "地高辛片", "胺碘酮片", "左氧氟沙星片", "头孢呋辛酯片", "氯吡格雷片", "奥美拉唑肠溶胶囊",
         "甲硝唑片", "氨氯地平片", "美托洛尔缓释片", "硝苯地平控释片", "格列美脲片", "阿托伐他汀钙片")  # fmt: skip
#: (rule id, type, severity) of the shipped rx rules the synthetic alerts cite
RX_RULES = (("rx.dose.daily_max.v1", "dose", "major"), ("rx.renal.function.v1", "renal", "contraindicated"),
            ("rx.geriatric.beers.v1", "geriatric", "minor"), ("rx.high_alert.flag.v1", "high_alert", "moderate"))
QC_RULES = (("qc.consistency.sex_content.v1", "critical"), ("qc.first_progress.differential_content.v1", "minor"),
            ("qc.timeliness.progress_interval.v1", "major"), ("qc.outpatient.physical_exam.v1", "moderate"))
SOURCE = "合成示例来源（非真实依据）"


@dataclass
class ScaleSummary:
    encounters: int
    alerts: int
    findings: int


def _orders(enc_id: str, n: int, when: datetime, doctor: str) -> list[MedicationOrder]:
    return [
        MedicationOrder(id=f"{enc_id}-M{i:02d}", text=DRUGS[i % len(DRUGS)], drug=DRUGS[i % len(DRUGS)],
                        dose=float(5 + i), unit="mg", route="po", frequency="bid", days=float(3 + i % 5),
                        prescriber=doctor, ordered_at=when)
        for i in range(n)
    ]


def _alerts(orders: list[MedicationOrder], n: int) -> list[dict[str, object]]:
    """``n`` alerts with distinct keys: each rule on each order, then interaction pairs."""
    out: list[dict[str, object]] = []
    singles = ((rule, o) for rule in RX_RULES for o in orders)
    for (rule_id, kind, severity), o in singles:
        if len(out) == n:
            return out
        out.append({"type": kind, "severity": severity, "drugs": [o.drug], "message": f"合成提示：{o.drug} 需复核",
                    "recommendation": "合成建议", "source": SOURCE, "rule_id": rule_id, "orders": [o.id],
                    "evidence": {"value": 26.0, "below": 30.0}, "drug_ids": [], "alternatives": []})
    for a, b in itertools.combinations(orders, 2):
        if len(out) == n:
            break
        out.append({"type": "interaction", "severity": "major", "drugs": [a.drug, b.drug],
                    "message": f"合成提示：{a.drug} 与 {b.drug} 相互作用", "source": SOURCE,
                    "rule_id": "rx.interaction.pair.v1", "orders": [a.id, b.id], "evidence": {}, "drug_ids": [],
                    "alternatives": []})
    return out


def seed(engine: Engine, *, encounters: int = 100, per_encounter: int = 100, doctor: str = "合成医师甲",
         extra_encounters: int = 0) -> ScaleSummary:
    """``encounters`` × ``per_encounter`` rx alerts and as many QC findings, all the doctor's."""
    start = datetime(2026, 1, 1, 8, 0)
    n_orders = 20
    alerts = findings = 0
    for e in range(encounters):
        when = start + timedelta(hours=e)
        pid, enc_id = f"scale-p{e:05d}", f"scale-e{e:05d}"
        text = "入院记录（合成）\n主诉：合成主诉。\n" + "".join(f"病程{i}：合成记录第{i}句。\n" for i in range(per_encounter))
        ctx = ClinicalContext(
            patient=Patient(id=pid, name=f"合成{e:05d}", sex=Sex.female, age_years=70, synthetic=True),
            encounter=Encounter(id=enc_id, patient_id=pid, encounter_class=EncounterClass.inpatient,
                                department=WARDS[e % len(WARDS)], admitted_at=when, attending=doctor,
                                bed=str(e % 40 + 1)),
            documents=[ClinicalDocument(id=f"{enc_id}-ADM", doc_type="入院记录", text=text, synthetic=True)],
            orders=list(_orders(enc_id, n_orders, when, doctor)),
        )
        save_context(engine, ctx)
        rx = _alerts(ctx.medication_orders, per_encounter)
        record_run(engine, task="rx.review", task_version="synthetic", input_obj={"encounter": enc_id},
                   output_obj={"output": {"alerts": rx, "orders": []}, "findings": []}, actor="合成·scale",
                   duration_ms=1, encounter_id=enc_id)
        qc = []
        for i in range(per_encounter):
            rule_id, severity = QC_RULES[i % len(QC_RULES)]
            at = text.index(f"病程{i}：")
            qc.append({"rule_id": rule_id, "severity": severity, "category": "completeness",
                       "message": f"合成发现 {i}", "source": SOURCE, "section": None,
                       "evidence": {"start": at, "end": at + 4, "text": text[at:at + 4], "source": f"{enc_id}-ADM"},
                       "data": {"document": f"{enc_id}-ADM", "doc_type": "入院记录"}})
        record_run(engine, task="qc.record", task_version="synthetic", input_obj={"encounter": enc_id},
                   output_obj={"output": {}, "findings": qc}, actor="合成·scale", duration_ms=1,
                   encounter_id=enc_id)
        alerts += len(rx)
        findings += len(qc)
    if extra_encounters:  # one executemany per table: the same columns save_patient/save_encounter write
        now = utcnow()
        people = [Patient(id=f"scale-xp{e:05d}", name=f"合成门诊{e:05d}", synthetic=True) for e in range(extra_encounters)]
        visits = [Encounter(id=f"scale-xe{e:05d}", patient_id=p.id, department=WARDS[e % len(WARDS)],
                            admitted_at=start - timedelta(minutes=e), attending=doctor) for e, p in enumerate(people)]
        with transaction(engine, write_lock=True) as conn:
            conn.execute(sa.insert(patient_table), [
                {"id": p.id, "name": p.name, "sex": p.sex.value, "birth_date": None, "mrn": None, "synthetic": True,
                 "data": p.model_dump(mode="json"), "created_at": now, "updated_at": now} for p in people])
            conn.execute(sa.insert(encounter_table), [
                {"id": v.id, "patient_id": v.patient_id, "encounter_class": v.encounter_class.value,
                 "department": v.department, "admitted_at": v.admitted_at, "discharged_at": None,
                 "data": v.model_dump(mode="json", by_alias=True), "created_at": now, "updated_at": now}
                for v in visits])
    return ScaleSummary(encounters + extra_encounters, alerts, findings)
