"""The evaluation suite runs and meets its targets (recall ≥ 0.95 on planted errors, false flags ≤ 0.05)."""

from __future__ import annotations

from yizhu.evaluation.notes import TARGET_FALSE_FLAG, TARGET_RECALL, evaluate, perturb, rouge_l


def test_targets_are_met_on_the_synthetic_set() -> None:
    report = evaluate(admissions=3)
    g = report["grounding"]
    assert g["planted"] > 200
    assert g["recall"] >= TARGET_RECALL, g["missed"]
    assert g["false_flag_rate"] <= TARGET_FALSE_FLAG, g["false_flags"]
    assert report["extractive_discharge"]["record_facts_present"] == 1.0
    assert report["extractive_dialogue"]["rouge_l"] > 0.5


def test_perturbations_cover_each_error_kind() -> None:
    cats = {c for _, c in perturb("左膝疼痛3天，口服二甲双胍0.5g。", "左膝疼痛3天")}
    assert cats >= {"negation", "number", "duration", "laterality", "drug", "invented"}


def test_rouge_l() -> None:
    assert rouge_l("咳嗽3天", "咳嗽3天") == 1.0
    assert rouge_l("", "咳嗽") == 0.0
    assert 0 < rouge_l("咳嗽三天", "咳嗽3天") < 1
