"""Metric functions as specifications: known values, edge cases, and reproducible 95% intervals."""

from __future__ import annotations

import pytest

from yizhu.evaluation.metrics import (
    accuracy,
    bootstrap,
    calibration,
    citation_precision,
    citations_in,
    confusion_matrix,
    f1_metric,
    lcs_length,
    macro_f1,
    macro_f1_metric,
    mean_metric,
    prf,
    ratio_bootstrap,
    ratio_metric,
    rouge_l,
    rouge_l_multi,
    sentences,
    span_counts,
    unsupported_claims,
)


def test_accuracy_and_prf() -> None:
    assert accuracy(["A", "B", "C", "D"], ["A", "B", "D", None]) == 0.5
    assert accuracy([], []) is None
    assert prf(8, 2, 2) == pytest.approx((0.8, 0.8, 0.8))
    assert prf(0, 0, 0) == (1.0, 1.0, 1.0)  # nothing to find, nothing claimed
    assert prf(0, 3, 0)[0] == 0.0


@pytest.mark.parametrize(
    ("gold", "pred", "expected"),
    [
        (["a", "a", "b", "b"], ["a", "a", "b", "b"], 1.0),
        (["a", "a", "b", "b"], ["a", "a", "a", "a"], (2 * 2 / (2 * 2 + 2) + 0.0) / 2),
        (["a", "b"], [None, None], 0.0),
    ],
)
def test_macro_f1(gold: list[str], pred: list[str | None], expected: float) -> None:
    assert macro_f1(gold, pred) == pytest.approx(expected)


def test_strict_spans_need_same_boundaries_and_type() -> None:
    gold = [{"start": 0, "end": 2, "type": "symptom"}, {"start": 5, "end": 8, "type": "drug"}]
    pred = [{"start": 0, "end": 2, "type": "symptom"}, {"start": 5, "end": 7, "type": "drug"},
            {"start": 10, "end": 12, "type": "disease"}]
    c = span_counts(gold, pred)
    assert dict(c["ALL"]) == {"tp": 1, "fn": 1, "fp": 2}
    assert dict(c["drug"]) == {"fn": 1, "fp": 1}
    retyped = [{**pred[0], "type": "disease"}]
    assert span_counts(gold[:1], retyped)["ALL"]["tp"] == 0
    assert span_counts(gold[:1], retyped, typed=False)["ALL"]["tp"] == 1


@pytest.mark.parametrize(
    ("cand", "ref", "expected"),
    [
        ("咳嗽3天", "咳嗽3天", 1.0),
        ("", "", 1.0),
        ("发热", "咳嗽", 0.0),
        ("咳嗽 三天", "咳嗽三天伴发热", 2 * (4 / 4) * (4 / 7) / (4 / 4 + 4 / 7)),  # whitespace ignored
    ],
)
def test_rouge_l_is_character_level(cand: str, ref: str, expected: float) -> None:
    assert rouge_l(cand, ref) == pytest.approx(expected)


def test_rouge_l_takes_the_best_reference_and_lcs() -> None:
    assert lcs_length("ABCBDAB", "BDCABA") == 4
    assert rouge_l_multi("腹泻2天", ["稀水样便", "腹泻2天"]) == 1.0
    assert rouge_l_multi("x", []) == 0.0


def test_sentences_and_citations() -> None:
    text = "按压频率100至120次[P1]。深度至少5厘米[P1][P2]！无引用的一句\n最后一句；"
    assert sentences(text) == ["按压频率100至120次[P1]。", "深度至少5厘米[P1][P2]！", "无引用的一句", "最后一句；"]
    assert citations_in(text) == ["P1", "P1", "P2"]
    assert citation_precision(["P1", "P2", "P9"], {"P1", "P2"}) == pytest.approx(2 / 3)
    assert citation_precision([], {"P1"}) is None
    assert unsupported_claims(text, {"P1"}) == (2, 4)


def test_confusion_matrix_counts_and_missing_predictions() -> None:
    cm = confusion_matrix(["A", "A", "B", "C"], ["A", "B", "B", None])
    assert cm.labels == ["A", "B", "C", "(none)"]
    assert cm.matrix == [[1, 1, 0, 0], [0, 1, 0, 0], [0, 0, 0, 1], [0, 0, 0, 0]]


def test_calibration_bins_and_ece() -> None:
    cal = calibration([0.95, 0.95, 0.15, 0.15], [True, False, False, False])
    assert cal is not None and cal.n == 4
    full = [b for b in cal.bins if b.n]
    assert [(b.lo, b.n, b.accuracy) for b in full] == [(0.1, 2, 0.0), (0.9, 2, 0.5)]
    assert cal.ece == pytest.approx(0.5 * 0.15 + 0.5 * 0.45)
    assert calibration([], []) is None
    assert calibration([1.0], [True]).bins[-1].n == 1  # 1.0 falls in the last bin


def test_bootstrap_is_seeded_and_brackets_the_value() -> None:
    values = [1.0] * 70 + [0.0] * 30
    a = mean_metric("acc", values, seed=3)
    b = mean_metric("acc", values, seed=3)
    assert a == b
    assert a.value == pytest.approx(0.7)
    assert a.ci_low < 0.7 < a.ci_high
    assert a.ci_low > 0.55 and a.ci_high < 0.85
    assert mean_metric("x", []).value is None


def test_ratio_f1_and_macro_metrics() -> None:
    r = ratio_metric("precision", [1, 1, 0, 1], [1, 1, 1, 1], seed=0)
    assert r.value == 0.75 and r.n == 4
    assert ratio_metric("p", [0, 0], [0, 0], empty=1.0).value == 1.0
    assert ratio_bootstrap([], []) == (None, None)
    f = f1_metric("f1", [2, 1, 0], [0, 1, 1], [1, 0, 1], seed=0)
    assert f.value == pytest.approx(2 * 3 / (2 * 3 + 2 + 2))
    assert f.ci_low is not None and f.ci_low <= f.value <= f.ci_high
    m = macro_f1_metric("m", ["a", "b", "a", "b"], ["a", "b", "a", "a"], seed=0)
    assert m.value == pytest.approx(macro_f1(["a", "b", "a", "b"], ["a", "b", "a", "a"]))
    assert bootstrap(lambda idx: None, 3) == (None, None)


def test_metric_value_formatting() -> None:
    assert mean_metric("x", [1.0, 0.0], seed=0).fmt(2).startswith("0.50 [")
    assert mean_metric("x", []).fmt() == "—"


def test_macro_f1_from_counts_matches_the_plain_mean() -> None:
    from yizhu.evaluation.metrics import macro_f1_counts_metric

    counts = {"a": ([2, 1], [0, 1], [1, 0]), "b": ([0, 1], [1, 0], [0, 1])}
    m = macro_f1_counts_metric("macro", counts, seed=0)
    f_a = 2 * 3 / (2 * 3 + 1 + 1)
    f_b = 2 * 1 / (2 * 1 + 1 + 1)
    assert m.value == pytest.approx((f_a + f_b) / 2)
    assert m.ci_low is not None and m.ci_low <= m.value <= m.ci_high
    assert macro_f1_counts_metric("x", {}).value is None
