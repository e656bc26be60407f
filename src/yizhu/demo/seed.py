"""What the demo hospital has been through on first start (合成数据 / synthetic activity).

``load_demo`` (``yizhu.api.services``) stores the hospital and reviews/QCs it. ``seed_activity`` then
gives every role's page something real to show, by running the real engines and recording decisions
through the real feedback path — nothing is written into a table by hand:

- note drafts (``notes.discharge`` / ``notes.progress``, the no-LLM extractive path) for a few
  inpatient encounters: two wait for signature, the others are accepted, edited or rejected by the
  encounter's attending (edit distance computed as the note page does);
- decisions on the prescription alerts of the demo's reviews: some upheld, some overridden with a
  reason, by a synthetic pharmacist;
- one evaluation run (suite ``rx`` on its shipped synthetic cases, no model) under ``<data_dir>/eval``.

Every actor is named ``合成·…`` so value metrics can say the figures are synthetic. Running it again
does nothing (each part checks whether it has been done): ``yizhu serve --demo`` may restart freely.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from yizhu.config import Settings
from yizhu.store.db import transaction
from yizhu.store.schema import task_runs
from yizhu.value.metrics import SYNTHETIC_PREFIX, is_synthetic_actor

log = logging.getLogger(__name__)

#: every actor the seeding acts as starts with this (value metrics label such figures synthetic)
SYNTHETIC_ACTOR = SYNTHETIC_PREFIX
PHARMACIST = SYNTHETIC_ACTOR + "药师王审方"
EVAL_RUN_ID = "demo-rx-synthetic"
#: drafts made per demo start; the first WAITING stay unsigned (waiting for signature)
N_DRAFTS = 8
WAITING = 2
#: what the demo doctors do with the remaining drafts, in turn
_DECISIONS = ("accept", "edit", "accept", "reject", "edit", "accept")
_REJECT_REASON = "合成示例：草稿遗漏了出院带药，重写"
_OVERRIDE_REASONS = (
    "合成示例：已与主管医师沟通，获益大于风险，加强监测",
    "合成示例：患者长期使用且耐受良好，继续原方案",
)


__all__ = ["PHARMACIST", "SYNTHETIC_ACTOR", "SeedSummary", "is_synthetic_actor", "seed_activity"]


@dataclass
class SeedSummary:
    """What this call did (zeros on a restart: it had been done)."""

    drafts: int = 0
    draft_decisions: int = 0
    alert_decisions: int = 0
    eval_run: str | None = None
    notes: list[str] = field(default_factory=list)


def _doctor(attending: str | None, department: str | None) -> str:
    return SYNTHETIC_ACTOR + (attending or f"{department or '住院'}医师")


def _seeded_drafts(engine: Engine) -> int:
    with transaction(engine) as conn:
        return int(conn.execute(
            sa.select(sa.func.count()).select_from(task_runs).where(
                task_runs.c.task.like("notes.%"), task_runs.c.actor.like(SYNTHETIC_ACTOR + "%"))
        ).scalar_one())


def _edited(text: str) -> str:
    """A clinician's typical light edit: one sentence reworded, one added (synthetic)."""
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if "：" in line and len(line) > 12:
            lines[i] = line.rstrip("。") + "，已复核。"
            break
    lines.append("（合成示例）医师补充：嘱门诊随诊。")
    return "\n".join(lines)


def seed_drafts(engine: Engine, summary: SeedSummary) -> None:
    """Note drafts for the first inpatient encounters with notes; some signed, WAITING left unsigned."""
    from yizhu.clinical.notes.api import DraftIn, run_draft
    from yizhu.store import list_encounters, load_context
    from yizhu.value import edit_stats, feedback_reason, record_feedback

    if _seeded_drafts(engine):
        return
    picked: list[Any] = []
    offset = 0
    while len(picked) < N_DRAFTS:
        page = list_encounters(engine, limit=200, offset=offset)
        if not page:
            break
        offset += len(page)
        for enc in page:
            if enc.encounter_class.value == "inpatient" and load_context(engine, enc.id).documents:
                picked.append(enc)
                if len(picked) == N_DRAFTS:
                    break
    for i, enc in enumerate(picked):
        actor = _doctor(enc.attending, enc.department)
        kind = "discharge" if enc.discharged_at is not None else "progress"
        output, run_id = run_draft(engine, None, DraftIn(type=kind, encounter_id=enc.id, use_llm=False), actor)
        summary.drafts += 1
        if i < WAITING:
            continue
        decision = _DECISIONS[(i - WAITING) % len(_DECISIONS)]
        draft = str(output.get("text", ""))
        if decision == "reject":
            stats: dict[str, Any] = {"edit_distance": None, "draft_chars": len(draft), "final_chars": 0,
                                     "edit_ratio": None}
            record_feedback(engine, run_id=run_id, actor=actor, decision="reject",
                            reason=feedback_reason(stats, _REJECT_REASON))
        else:
            final = _edited(draft) if decision == "edit" else draft
            record_feedback(engine, run_id=run_id, actor=actor, decision=decision,
                            edited_text=final if decision == "edit" else None,
                            reason=feedback_reason(edit_stats(draft, final), "合成示例"))
        summary.draft_decisions += 1


def seed_alert_decisions(engine: Engine, summary: SeedSummary, *, per_review: int = 2, reviews: int = 12) -> None:
    """A synthetic pharmacist upholds or overrides the first alerts of the demo's first reviews."""
    from yizhu.clinical.rx.api import TASK_NAME, record_decision, run_alerts
    from yizhu.store.audit import get_run, list_runs
    from yizhu.value import count_feedback, list_feedback

    if count_feedback(engine, task=TASK_NAME) and any(
        f.actor == PHARMACIST for f in list_feedback(engine, task=TASK_NAME, limit=10000)
    ):
        return
    done = 0
    n = 0
    for run in reversed(list_runs(engine, task=TASK_NAME, actor="demo-loader", limit=1000)):
        alerts = run_alerts(get_run(engine, run.id))
        if not alerts:
            continue
        for j, alert in enumerate(alerts[:per_review]):
            if (n + j) % 3 == 2:
                reason = _OVERRIDE_REASONS[(n + j) % len(_OVERRIDE_REASONS)]
                record_decision(engine, run.id, alert.key, "override", reason, actor=PHARMACIST)
            else:
                record_decision(engine, run.id, alert.key, "accept", "合成示例：同意警示，已联系医师调整",
                                actor=PHARMACIST)
            summary.alert_decisions += 1
        n += 1
        done += 1
        if done >= reviews:
            break


def seed_eval_run(settings: Settings, summary: SeedSummary) -> None:
    """One stored evaluation run: suite rx on its shipped synthetic cases, no model (fast, offline)."""
    from yizhu.evaluation.runner import eval_root, run_dir_for, run_suite

    out = run_dir_for(eval_root(settings), EVAL_RUN_ID)
    if (out / "report.json").is_file():
        return
    try:
        run_suite("rx", models=["none"], out=out, settings=settings, run_id=EVAL_RUN_ID)
    except Exception as exc:  # the demo still starts; the reason is shown in the console
        log.warning("demo evaluation run failed: %s", exc)
        summary.notes.append(f"evaluation run not stored: {type(exc).__name__}: {exc}")
        return
    summary.eval_run = EVAL_RUN_ID


def seed_activity(engine: Engine, settings: Settings) -> SeedSummary:
    """Drafts (two waiting for signature), alert decisions and an evaluation run; idempotent."""
    summary = SeedSummary()
    seed_drafts(engine, summary)
    seed_alert_decisions(engine, summary)
    seed_eval_run(settings, summary)
    return summary
