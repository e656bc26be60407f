"""Reports: self-contained HTML with SVG plots and shaded confusion tables, the regression gate, docs sections."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from yizhu.errors import InputError
from yizhu.evaluation.metrics import ConfusionMatrix, MetricValue, calibration
from yizhu.evaluation.records import ModelReport, RunReport, RunSettings
from yizhu.evaluation.report import (
    compare,
    confusion_html,
    markdown,
    render_html,
    svg_bars,
    write_docs_section,
)
from yizhu.evaluation.suites import Summary, Table


def _report(values: dict[str, dict[str, float | None]], run_id: str = "r1", *, lower: tuple[str, ...] = ()) -> RunReport:
    models = []
    for model, metrics in values.items():
        mv = {k: MetricValue(name=k, value=v, ci_low=None if v is None else max(v - 0.05, 0),
                             ci_high=None if v is None else min(v + 0.05, 1), n=20, higher_is_better=k not in lower)
              for k, v in metrics.items()}
        models.append(ModelReport(model=model, cases=20, ok=20, abstained=0, errors=0, summary=Summary(
            metrics=mv, breakdown={"内科": {"accuracy": mv[next(iter(mv))]}},
            confusion=ConfusionMatrix(labels=["A", "B"], matrix=[[8, 2], [1, 9]]),
            calibration=calibration([0.9, 0.8, 0.3], [True, True, False]),
            tables=[Table(title="extra", columns=["k", "v"], rows=[["<b>x</b>", 1]])], notes=["a note"])))
    settings = RunSettings(run_id=run_id, suite="exam", suite_version="1", dataset={"name": "d", "synthetic": True,
                                                                                     "cases": 20, "sha256": "0" * 64})
    return RunReport(run_id=run_id, suite="exam", title="考试", status="done", settings=settings, models=models)


def test_html_is_self_contained_with_plots_and_escaped_text() -> None:
    html = render_html(_report({"qwen": {"accuracy": 0.8, "abstention_rate": 0.1}, "none": {"accuracy": 0.0}}))
    assert html.count("<svg") >= 3  # comparison, breakdown, calibration
    assert "<script" not in html and "http://" not in html.replace("http://www.w3.org/2000/svg", "")
    assert 'class="cm"' in html and re.search(r"background:rgba\(11,110,79,0\.\d+\)", html)
    assert "&lt;b&gt;x&lt;/b&gt;" in html and "<b>x</b>" not in html
    assert "合成数据 synthetic" in html and "a note" in html


def test_bars_clip_and_show_missing_values() -> None:
    mv = MetricValue(name="x", value=1.4, ci_low=0.9, ci_high=1.6)
    svg = svg_bars([("metric", [("m1", mv), ("m2", None)])], series=["m1", "m2"])
    assert "m2: —" in svg and "1.400" in svg


def test_confusion_cells_are_shaded_by_row_share() -> None:
    html = confusion_html(ConfusionMatrix(labels=["A", "B"], matrix=[[10, 0], [5, 5]]))
    assert "rgba(11,110,79,0.88)" in html  # a full diagonal row
    assert "rgba(196,50,10,0.48)" in html  # half of B predicted as A


@pytest.mark.parametrize(
    ("a", "b", "max_drop", "ok"),
    [
        (0.80, 0.79, 0.02, True),
        (0.80, 0.77, 0.02, False),
        (0.80, 0.90, 0.02, True),
        (0.80, 0.78, 0.02, True),  # exactly at the margin passes
        (0.80, None, 0.02, False),  # a metric that disappeared fails
    ],
)
def test_gate_on_a_higher_is_better_metric(a: float, b: float | None, max_drop: float, ok: bool) -> None:
    result = compare(_report({"m": {"accuracy": a}}), _report({"m": {"accuracy": b}}, "r2"), max_drop=max_drop)
    assert result.ok is ok


def test_gate_knows_which_way_is_worse() -> None:
    base = _report({"m": {"unsafe_rate": 0.10}}, lower=("unsafe_rate",))
    worse = _report({"m": {"unsafe_rate": 0.15}}, "r2", lower=("unsafe_rate",))
    better = _report({"m": {"unsafe_rate": 0.01}}, "r3", lower=("unsafe_rate",))
    assert not compare(base, worse).ok
    assert compare(base, better).ok
    assert compare(base, worse).deltas[0].drop == pytest.approx(0.05)


def test_gate_fails_when_a_model_is_missing_and_refuses_other_suites() -> None:
    result = compare(_report({"m": {"accuracy": 0.8}, "n": {"accuracy": 0.5}}), _report({"m": {"accuracy": 0.8}}, "r2"))
    assert not result.ok and "model 'n'" in result.problems[0]
    other = _report({"m": {"accuracy": 0.8}}, "r3")
    other.suite = "qc"
    with pytest.raises(InputError, match="different suites"):
        compare(_report({"m": {"accuracy": 0.8}}), other)


def test_docs_section_is_replaced_in_place(tmp_path: Path) -> None:
    doc = tmp_path / "evaluation.md"
    doc.write_text("# Evaluation\n\nintro\n", encoding="utf-8")
    write_docs_section(doc, markdown(_report({"m": {"accuracy": 0.8}}), "yizhu eval run exam"), "exam")
    write_docs_section(doc, markdown(_report({"m": {"accuracy": 0.9}}), "yizhu eval run exam"), "exam")
    text = doc.read_text(encoding="utf-8")
    assert text.startswith("# Evaluation\n\nintro\n")
    assert text.count("<!-- eval:exam:start -->") == 1 and "0.900 [0.850, 0.950]" in text and "0.800" not in text
    assert "yizhu eval run exam" in text and "(synthetic, 合成)" in text
