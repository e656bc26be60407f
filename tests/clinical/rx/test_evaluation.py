"""The evaluation set and its targets, on the shipped packs: recall ≥ 0.95 per alert type and nothing above
minor on clean chronic regimens; and the rule data tables only name drugs, classes and groups that exist."""

from __future__ import annotations

import pytest

from yizhu.clinical.rx import ALERT_TYPES
from yizhu.clinical.rx.tables import table
from yizhu.evaluation.rx import DEFAULT_CASES, evaluate, load_cases
from yizhu.knowledge.allergy import default_groups
from yizhu.knowledge.packs import KnowledgeBase, get_kb


@pytest.fixture(scope="module")
def shipped() -> KnowledgeBase:
    return get_kb()


def test_case_set_is_large_synthetic_and_covers_every_type() -> None:
    cases = load_cases()
    assert len(cases) >= 150
    assert all(c.synthetic and c.document.get("synthetic") for c in cases)
    assert set(ALERT_TYPES) <= {c.category for c in cases}
    assert sum(1 for c in cases if c.category == "clean") >= 20


def test_development_set_meets_the_targets(shipped: KnowledgeBase) -> None:
    report = evaluate(load_cases(), shipped)
    low = {t: r["recall"] for t, r in report["per_type"].items() if r["recall"] is not None and r["recall"] < 0.95}
    assert not low, (low, report["missed"])
    assert report["clean"]["above_minor"] == 0, report["clean"]["names"]


def test_holdout_set_recall(shipped: KnowledgeBase) -> None:
    report = evaluate(load_cases(DEFAULT_CASES.with_name("holdout.jsonl")), shipped)
    assert report["overall"]["recall"] >= 0.95, report["missed"]
    assert report["clean"]["above_minor"] == 0, report["clean"]["names"]


def test_rule_tables_refer_to_the_shipped_packs(shipped: KnowledgeBase) -> None:
    drugs = shipped.pack("drug")
    tags = {t for d in drugs for t in d.class_tags}

    def exists(ref: str) -> bool:
        return ref[6:] in tags if ref.startswith("class:") else ref in drugs

    refs = [r["drug"] for name in ("paediatric_doses", "route_rules", "frequency_rules") for r in table(name).values()]
    for row in table("alternatives").values():
        refs += [row["drug"], *row["with"], *([row["partner"]] if row.get("partner") else [])]
    refs += [side for row in table("indicated_combinations").values() for side in row["sides"]]
    refs += [row["above"] for row in table("carriers").values() if row.get("above")]
    refs += [c for row in table("compound_products").values() for c in row.get("components", [])]
    refs += [row["drug"] for row in table("compound_products").values() if row.get("drug")]
    assert [r for r in refs if not exists(r)] == []
    groups = {d.allergy_group for d in drugs if d.allergy_group} | {x.group for d in drugs for x in d.cross_reactivity}
    assert groups <= set(default_groups().entries)  # the shared allergy model (knowledge/allergy.py)
    assert {d.duplicate_group for d in drugs if d.duplicate_group} <= set(table("duplicate_groups"))
