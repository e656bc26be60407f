"""The de-identification targets hold on a small generated corpus (the full run is in docs/deid.md;
its speed is measured by benchmarks/deid.py, not timed here)."""

from __future__ import annotations

import pytest

from yizhu.evaluation.data.deid.synth import generate_corpus
from yizhu.evaluation.deid import PRECISION_TARGET, RECALL_TARGETS, evaluate, markdown


def test_targets_on_a_small_corpus() -> None:
    report = evaluate(generate_corpus(280, seed=2024), seed=2024)
    for typ, target in RECALL_TARGETS.items():
        assert report.tallies[typ].recall >= target, (typ, report.tallies[typ].missed[:5])
    assert report.total.precision >= PRECISION_TARGET, report.total.spurious[:5]
    assert report.failures() == []


def test_markdown_section_is_marked_and_names_the_command() -> None:
    report = evaluate(generate_corpus(28, seed=1), seed=1)
    md = markdown(report, "python -m yizhu.evaluation.deid --n 28 --seed 1")
    assert md.startswith("<!-- deid-eval:start -->") and md.endswith("<!-- deid-eval:end -->")
    assert "python -m yizhu.evaluation.deid --n 28 --seed 1" in md and "| PERSON |" in md


def test_held_out_demo_hospital_identifiers_are_masked() -> None:
    pytest.importorskip("yizhu.demo.generator")
    from yizhu.evaluation.deid import evaluate_demo_hospital

    held = evaluate_demo_hospital(patients=20)
    assert held is not None and held.notes > 0
    for kind, n in held.found.items():
        assert held.masked.get(kind, 0) / n >= 0.99, (kind, held.missed[:5])
