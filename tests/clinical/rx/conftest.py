"""Fixtures for the rx tests: a small fixed drug/interaction pack (tests/clinical/rx/data/packs), so the
engine's behaviour is specified independently of the shipped packs' curation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from yizhu.clinical.rx import RxReview, load_payload, review
from yizhu.knowledge.packs import KnowledgeBase

PACKS = Path(__file__).parent / "data" / "packs"


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return KnowledgeBase.load([PACKS])


def order(drug: str, dose: float | None = None, unit: str | None = None, route: str | None = "口服",
          frequency: str | None = "qd", **kw: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"drug": drug, "route": route, "frequency": frequency, **kw}
    if dose is not None:
        out.update(dose=dose, unit=unit)
    return {k: v for k, v in out.items() if v is not None}


def document(orders: list[dict[str, Any]], **patient: Any) -> dict[str, Any]:
    setting = patient.pop("setting", None)
    p = {"sex": "male", "age_years": 50, "weight_kg": 65, "prescriber_level": "attending", **patient}
    doc: dict[str, Any] = {"synthetic": True, "patient": p, "orders": orders}
    if setting:
        doc["setting"] = setting
    return doc


@pytest.fixture
def run(kb: KnowledgeBase):
    def _run(orders: list[dict[str, Any]], **patient: Any) -> RxReview:
        return review(load_payload(document(orders, **patient)), kb=kb)

    return _run
