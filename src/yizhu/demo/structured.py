"""The structured data written beside the demo notes: medication orders, with the prescription problems a
plan plants, and lab results.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from yizhu.core.models import (
    LabResult,
    MedicationOrder,
)
from yizhu.demo.model import (
    KIND_BY_NAME,
    LabDraw,
    fmt_num,
    lab_flag,
)


class StructuredMixin:
    """Medication orders (with the planted prescription problems) and lab results of the encounter.

    Mixed into the note writer (``notes._Writer``).
    """

    # ── structured data ──
    def orders(self) -> list[MedicationOrder]:
        p, rng = self.p, self.rng
        status = "active" if p.active else "completed"
        out = []
        for i, m in enumerate(p.meds, 1):
            m.order_id = f"{p.encounter_id}-M{i:02d}"
            if p.inpatient:
                when = p.start + timedelta(minutes=rng.randint(40, 120))
                if m.planted and p.progress_days:
                    when = datetime.combine(p.start.date() + timedelta(days=1), datetime.min.time()) + timedelta(
                        hours=9, minutes=rng.randint(0, 120))
            else:
                when = p.start + timedelta(minutes=rng.randint(60, 120))
            out.append(MedicationOrder(
                id=m.order_id, text=self._med_line(m, outpatient=not p.inpatient), ordered_at=when,
                prescriber=p.resident, status=status, drug=m.name, dose=m.dose, unit=m.unit, route=m.route,
                frequency=m.frequency, days=m.days, code=m.drug.atc,
            ))
        return out

    def plant_rx(self) -> None:
        """Manifest entries for planted prescription defects, naming the orders involved."""
        p = self.p
        opd = [d.id or "" for d in self.docs if d.doc_type == "门诊病历"]
        for kind in p.defects:
            if KIND_BY_NAME[kind].category != "prescription":
                continue
            planted = [m for m in p.meds if m.planted == kind]
            involved = list(planted)
            data = p.defect_data.get(kind, {})
            if kind.startswith("ddi:"):
                involved = [m for m in p.meds if m.drug.generic in data.get("drugs", [])]
            elif kind.startswith("duplicate_therapy:"):
                involved = [m for m in p.meds if m.drug.generic == data.get("generic")]
            names = "、".join(self._med_line(m, outpatient=not p.inpatient) for m in involved)
            self._plant(kind, documents=opd, orders=[m.order_id for m in involved], detail=names)

    def _target_vitals(self) -> dict[str, float]:
        rng = self.rng
        if self.p.child:
            t = {"T": round(rng.uniform(36.3, 36.9), 1), "P": rng.randint(88, 112), "R": rng.randint(20, 26),
                 "SBP": rng.randint(88, 102), "DBP": rng.randint(55, 65)}
        else:
            t = {"T": round(rng.uniform(36.2, 36.8), 1), "P": rng.randint(64, 84), "R": rng.randint(16, 19),
                 "SBP": rng.randint(116, 136), "DBP": rng.randint(68, 84)}
        return {k: float(v) for k, v in t.items()}

    def _lab_result(self, d: LabDraw) -> LabResult:
        low, high = d.lab.range_for(female=self.p.female, child=self.p.child)
        ref = f">{fmt_num(low)}" if high >= 999 else f"{fmt_num(low)}-{fmt_num(high)}"
        return LabResult(name=d.lab.name, value=d.value, unit=d.lab.unit or None, reference_range=ref,
                         flag=lab_flag(d.value, low, high), loinc=d.lab.loinc, observed_at=d.observed_at)
