"""Shared synthetic inputs (合成) for the note-drafting tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from yizhu.core import ClinicalContext

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def transcript() -> str:
    return (DATA / "visit_cough.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def admission_ctx() -> ClinicalContext:
    """One synthetic inpatient admission of the demo hospital: admission note, progress notes, orders, labs."""
    from yizhu.demo import generate_hospital

    hospital = generate_hospital(seed=7)
    return next(c for c in hospital.contexts if c.encounter and c.encounter.encounter_class.value == "inpatient"
                and len(c.documents) >= 3)
