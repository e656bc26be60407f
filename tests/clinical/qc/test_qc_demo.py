"""QC on the demo hospital: encounters without planted defects are clean (no false alarms)."""

from __future__ import annotations

from yizhu.clinical.qc import evaluate
from yizhu.demo import generate_hospital


def test_clean_demo_encounters_have_no_findings() -> None:
    hospital = generate_hospital()
    flagged = {d["encounter_id"] if isinstance(d, dict) else d.encounter_id for d in hospital.defects}
    clean = [c for c in hospital.contexts if c.encounter and c.encounter.id not in flagged]
    assert len(clean) >= 30
    noisy = {c.encounter.id: [f.message for f in evaluate(c).findings] for c in clean}
    assert {k: v for k, v in noisy.items() if v} == {}
