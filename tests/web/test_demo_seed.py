"""The demo on first start (``yizhu serve --demo``): orders reviewed, encounters QC'd, drafts waiting for
signature, decisions recorded, an evaluation run stored — and nothing added again on a restart.

A small demo hospital (8 synthetic patients, 合成) keeps this fast; the full one is the same code.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from yizhu.api.services import load_demo
from yizhu.config import Settings
from yizhu.demo.seed import N_DRAFTS, PHARMACIST, WAITING, seed_activity
from yizhu.evaluation.runner import eval_root, list_runs, read_report
from yizhu.store import init_db, list_encounters, load_context
from yizhu.store.audit import count_runs
from yizhu.store.audit import list_runs as audit_runs
from yizhu.value import count_feedback, list_feedback


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory):
    tmp = tmp_path_factory.mktemp("demo-seed")
    engine = init_db(f"sqlite:///{(tmp / 'yizhu.db').as_posix()}")
    settings = Settings(env="test", data_dir=tmp)
    load_demo(engine, n_patients=8)
    first = seed_activity(engine, settings)
    return engine, settings, first


def test_every_order_is_reviewed_and_every_encounter_with_notes_is_qc_checked(demo) -> None:
    engine, _, _ = demo
    for enc in list_encounters(engine, limit=1000):
        ctx = load_context(engine, enc.id)
        if ctx.medication_orders:
            assert count_runs(engine, enc.id, task="rx.review") >= 1, enc.id
        if ctx.documents:
            assert count_runs(engine, enc.id, task="qc.record") >= 1, enc.id


def test_drafts_wait_for_signature_and_the_others_are_decided(demo) -> None:
    engine, _, first = demo
    drafts = [r for r in audit_runs(engine, limit=1000) if r.task.startswith("notes.")]
    assert first.drafts == len(drafts) and 1 <= len(drafts) <= N_DRAFTS
    undecided = [r for r in drafts if not list_feedback(engine, run_id=r.id)]
    assert len(undecided) == min(WAITING, len(drafts))
    assert all(r.actor.startswith("合成·") for r in drafts)
    decisions = {f.decision for r in drafts for f in list_feedback(engine, run_id=r.id)}
    assert decisions <= {"accept", "edit", "reject"} and "accept" in decisions


def test_a_pharmacist_has_decided_on_alerts_with_reasons_for_overrides(demo) -> None:
    engine, _, first = demo
    rx = [f for f in list_feedback(engine, task="rx.review", limit=10000) if f.actor == PHARMACIST]
    assert first.alert_decisions == len(rx) > 0
    assert all(f.item for f in rx)
    assert all(len(f.reason or "") >= 2 for f in rx if f.decision == "override")


def test_an_evaluation_run_is_stored(demo) -> None:
    _, settings, first = demo
    assert first.eval_run is not None, first.notes
    runs = [r for r in list_runs(eval_root(settings)) if r.run_id == first.eval_run]
    assert runs and runs[0].status == "done"
    assert read_report(eval_root(settings) / first.eval_run).models


def test_a_restart_adds_nothing(demo, tmp_path: Path) -> None:
    engine, settings, _ = demo
    runs, fb = count_runs(engine), count_feedback(engine)
    again = seed_activity(engine, settings)
    assert (again.drafts, again.draft_decisions, again.alert_decisions, again.eval_run) == (0, 0, 0, None)
    assert (count_runs(engine), count_feedback(engine)) == (runs, fb)
