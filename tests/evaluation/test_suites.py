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


@pytest.mark.parametrize(("suite", "keys"), [("normalisation", {"top1", "top5", "term_recall_at5"}),
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


@pytest.mark.parametrize("name", ["triage", "notes"])
def test_missing_engines_say_so_instead_of_inventing_numbers(settings: Settings, tmp_path: Path, name: str) -> None:
    o = run_suite(name, out=tmp_path / "run", settings=settings)
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


class EchoNotes:
    """A toy note drafter: the parent's own words as 主诉, nothing else, one sentence flagged ungrounded."""

    name = "notes.draft"
    version = "0.0.1"

    def run(self, ctx: ClinicalContext) -> Result:
        from yizhu.core import Finding, Severity

        report = {"主诉": ctx.extra["self_report"].replace("（合成）", ""), "诊断": "待查。"}
        flag = Finding(rule_id="grounding.v1", severity=Severity.info, category="grounding", message="诊断无依据",
                       source="test")
        return Result(task=self.name, task_version=self.version, output={"report": report}, findings=[flag])


def test_notes_suite_measures_a_registered_task(settings: Settings, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    registry.list_tasks()
    monkeypatch.setitem(registry._registry, "notes.draft", EchoNotes())
    o = run_suite("notes", out=tmp_path / "run", settings=settings)
    (m,) = o.report.models
    assert m.ok == 2
    assert 0.0 < m.summary.metrics["rouge_l"].value < 0.5
    # some annotator fills every one of the six fields in both dialogues; the draft fills two (主诉, 诊断)
    assert m.summary.metrics["completeness"].value == pytest.approx(4 / 12)
    assert m.summary.metrics["unsupported_claim_rate"].value == pytest.approx(2 / 4)


def test_rx_suite_runs_the_review_task(settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    try:
        from yizhu.clinical.rx import RxReviewTask
    except ImportError:
        pytest.skip("the Rx engine is not installed")
    registry.list_tasks()
    monkeypatch.setitem(registry._registry, "rx.review", RxReviewTask())
    o = run_suite("rx", data=DATA_DIR / "rx.sample.yaml", out=tmp_path / "run", settings=settings)
    (m,) = o.report.models
    assert m.errors == 0, m.summary.failures
    assert {"precision", "recall", "f1", "serious_miss_rate"} <= set(m.summary.metrics)
