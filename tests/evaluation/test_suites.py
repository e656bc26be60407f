"""Suites of the deterministic engines, run offline on the shipped synthetic data.

Engines that do not exist yet (triage, note drafting) must say so; when a task registers through the
public Task seam — as the small plugin tasks below do — the same suite measures it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from yizhu.clinical import registry
from yizhu.config import Settings
from yizhu.core import ClinicalContext, Result
from yizhu.evaluation.dataset import DATA_DIR
from yizhu.evaluation.runner import run_suite
from yizhu.evaluation.suites import ENGINE, RunEnv, get_suite, list_suites
from yizhu.evaluation.suites.base import ResultView
from yizhu.evaluation.suites.qc import generated_dataset


def test_every_issue_suite_is_registered() -> None:
    names = {s.name for s in list_suites()}
    assert {"qc", "deid", "rx", "normalisation", "extraction", "triage", "notes", "exam", "exam-rag", "rubric",
            "redteam"} <= names
    for s in list_suites():
        assert s.title and s.engine and s.headline, s.name


def test_qc_suite_counts_exactly_as_the_qc_evaluation() -> None:
    """The harness runs each record through the Task seam; its tallies equal yizhu.evaluation.qc.run."""
    from yizhu.evaluation.qc import run as qc_run
    from yizhu.evaluation.qc_cases import generate

    suite = get_suite("qc")
    dataset = generated_dataset(seed=3, n_base=6)
    views = []
    for case in dataset.cases:
        out = suite.run_case(case, RunEnv(model=None), dataset)
        views.append(ResultView(case_id=case.id, category=case.category, status=out.status, data=out.data))
    summary = suite.summarise(dataset, views)
    table = {row[0]: row[1:5] for row in summary.tables[0].rows}
    reference = qc_run(generate(seed=3, n_base=6))
    assert {k: [t.tp + t.fn, t.tp, t.fn, t.fp] for k, t in reference.items()} == table
    assert summary.metrics["recall"].value == pytest.approx(reference["all"].recall)
    assert summary.metrics["precision"].value == pytest.approx(reference["all"].precision)


def test_qc_runs_on_a_case_file(settings: Settings, tmp_path: Path) -> None:
    o = run_suite("qc", data=DATA_DIR / "qc.example.jsonl", out=tmp_path / "run", settings=settings)
    (m,) = o.report.models
    assert m.model == ENGINE and m.cases == 5 and m.errors == 0
    assert {"precision", "recall", "f1", "clean_false_alarm_rate"} <= set(m.summary.metrics)
    planted = next(r for r in m.summary.tables[0].rows if r[0] == "all")[1]
    assert planted == 3


def test_deid_suite_on_the_shipped_gold(settings: Settings, tmp_path: Path) -> None:
    suite = get_suite("deid")
    if suite.unavailable():
        pytest.skip(suite.unavailable())
    o = run_suite(suite, data=DATA_DIR / "deid.example.jsonl", out=tmp_path / "run", settings=settings)
    (m,) = o.report.models
    assert m.ok == 6
    assert {"recall", "precision", "strict_f1"} <= set(m.summary.metrics)
    assert m.summary.breakdown and m.summary.breakdown_title == "PHI type"
    assert m.summary.tables[0].columns[0] == "type"


@pytest.mark.parametrize(("suite", "keys"), [("normalisation", {"f1", "precision", "recall", "top1", "top5", "term_recall_at5"}),
                                             ("extraction", {"precision", "recall", "f1", "macro_f1"})])
def test_terminology_suites(settings: Settings, tmp_path: Path, suite: str, keys: set[str]) -> None:
    s = get_suite(suite)
    if s.unavailable():
        pytest.skip(s.unavailable())
    o = run_suite(s, out=tmp_path / "run", settings=settings)
    (m,) = o.report.models
    assert m.errors == 0, m.summary.failures
    assert keys <= set(m.summary.metrics)
    for mv in m.summary.metrics.values():
        assert mv.value is None or 0.0 <= mv.value <= 1.0


def test_extraction_reads_imcs_dialogue_ner_too(settings: Settings, tmp_path: Path) -> None:
    s = get_suite("extraction")
    if s.unavailable():
        pytest.skip(s.unavailable())
    o = run_suite(s, data=DATA_DIR / "imcs_v2.sample.json", out=tmp_path / "run", settings=settings)
    assert o.report.settings.dataset["format"] == "imcs-ner"
    assert o.report.models[0].cases == 10


def test_missing_engines_say_so_instead_of_inventing_numbers(settings: Settings, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    registry.list_tasks()
    monkeypatch.delitem(registry._registry, "triage", raising=False)  # a deployment without the engine
    o = run_suite("triage", out=tmp_path / "run", settings=settings)
    assert o.report.status == "engine_unavailable"
    assert o.report.reason.startswith("engine not available")
    assert o.report.models == []
    html = (o.run_dir / "report.html").read_text(encoding="utf-8")
    assert "Engine not available" in html


class KeywordTriage:
    """A toy triage plugin: keywords to departments (used only to prove the suite measures a real task)."""

    name = "triage"
    version = "0.0.1"
    RULES = (("胸", "急诊科", True), ("肢体无力", "急诊科", True), ("咳嗽", "呼吸内科", False), ("多饮", "内分泌科", False))

    def run(self, ctx: ClinicalContext) -> Result:
        complaint = ctx.extra["triage"]["complaint"]
        for word, dept, urgent in self.RULES:
            if word in complaint:
                return Result(task=self.name, task_version=self.version,
                              output={"department": dept, "urgent": urgent, "confidence": 0.8})
        return Result(task=self.name, task_version=self.version, output={"department": "全科医疗科", "confidence": 0.3})


def test_triage_suite_measures_a_registered_task(settings: Settings, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    registry.list_tasks()
    monkeypatch.setitem(registry._registry, "triage", KeywordTriage())
    o = run_suite("triage", out=tmp_path / "run", settings=settings)
    (m,) = o.report.models
    # tri-001 胸痛, tri-002 肢体无力, tri-003 咳嗽, tri-004 多饮 right; tri-007 "咳嗽" → 呼吸内科 (gold 儿科) wrong
    assert m.summary.metrics["accuracy"].value == pytest.approx(4 / 10)
    assert m.summary.metrics["under_triage_rate"].value == pytest.approx(1 / 3)  # the anaphylaxis case
    assert m.summary.confusion is not None and "急诊科" in m.summary.confusion.labels
    assert m.summary.calibration is not None
    assert o.report.settings.engine_versions == {"triage": "0.0.1"}


def test_notes_suite_drafts_through_the_task_seam(settings: Settings, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """The no-LLM path runs the engine's extractive drafting: degraded, but measured like any model."""
    try:
        from yizhu.clinical.notes.engine import TASKS
    except ImportError:
        pytest.skip("the note-drafting engine is not installed")
    registry.list_tasks()
    for cls in TASKS.values():
        task = cls()
        monkeypatch.setitem(registry._registry, task.name, task)
    o = run_suite("notes", models=["none"], out=tmp_path / "run", settings=settings, limit=2)
    (m,) = o.report.models
    assert m.model == "none" and m.ok == 2, m.summary.failures
    mx = m.summary.metrics
    assert 0.0 < mx["rouge_l"].value <= 1.0 and 0.0 < mx["completeness"].value <= 1.0
    assert 0.0 <= mx["unsupported_claim_rate"].value <= 1.0 and mx["contradicted_rate"].value is not None
    assert o.report.settings.engine_versions.get("notes.outpatient")
    o2 = run_suite("notes", models=["none"], data=DATA_DIR / "imcs_v2.sample.json", out=tmp_path / "imcs",
                   settings=settings)
    assert o2.report.settings.dataset["format"] == "imcs-mrg" and o2.report.models[0].ok == 2


def test_notes_without_registered_tasks_says_so(settings: Settings, tmp_path: Path) -> None:
    from yizhu.evaluation.suites.triage import find_task

    if find_task(("notes.outpatient",)) is not None:
        pytest.skip("notes tasks are registered here")
    o = run_suite("notes", models=["none"], out=tmp_path / "run", settings=settings)
    assert o.report.status == "engine_unavailable" and "notes.outpatient" in o.report.reason


def test_rx_suite_counts_exactly_as_the_rx_evaluation(settings: Settings, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Each order document goes through the Task seam; per-type counts equal yizhu.evaluation.rx.evaluate."""
    try:
        from yizhu.clinical.rx import RxReviewTask
        from yizhu.evaluation import rx as rx_eval
    except ImportError:
        pytest.skip("the Rx engine is not installed")
    registry.list_tasks()
    monkeypatch.setitem(registry._registry, "rx.review", RxReviewTask())
    o = run_suite("rx", data=DATA_DIR / "rx.sample.jsonl", out=tmp_path / "run", settings=settings)
    (m,) = o.report.models
    assert m.errors == 0, m.summary.failures
    assert o.report.settings.dataset["format"] == "rx-cases" and m.cases == 9
    reference = rx_eval.evaluate(rx_eval.load_cases(DATA_DIR / "rx.sample.jsonl"))
    table = {row[0]: row[1:] for row in m.summary.tables[0].rows}
    expected = {t: [v["tp"], v["fn"], v["fp"]] for t, v in reference["per_type"].items() if v["tp"] + v["fn"] + v["fp"]}
    assert table == expected
    assert m.summary.metrics["precision"].value == pytest.approx(reference["overall"]["precision"], abs=1e-3)
    assert m.summary.metrics["recall"].value == pytest.approx(reference["overall"]["recall"], abs=1e-3)
    assert m.summary.metrics["clean_alarm_rate"].value == reference["clean"]["above_minor"] / reference["clean"]["cases"]


def test_rx_without_the_registered_task_says_so(settings: Settings, tmp_path: Path) -> None:
    from yizhu.evaluation.suites.triage import find_task

    if find_task(("rx.review",)) is not None:
        pytest.skip("rx.review is registered here")
    o = run_suite("rx", out=tmp_path / "run", settings=settings)
    assert o.report.status == "engine_unavailable" and "rx.review" in o.report.reason
