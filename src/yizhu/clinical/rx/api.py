"""智能审方 over HTTP (``/v1/rx``): review an order, publish the order-document schema, and record and report
pharmacists' decisions on alerts.

Every review goes through ``run_task`` so it is in the audit log; a pharmacist's decision on an alert is
clinician feedback on that run (``yizhu.value.record_feedback``) in typed fields: ``decision`` is
``override`` (the order goes ahead; reason required) or ``accept`` (the alert is upheld), ``item`` is the
alert key (``rx.interaction.pair.v1:o1+o3``) and ``reason`` the pharmacist's words, so the override report
is computed from the feedback table alone and nothing is parsed out of free text. Who may review and who
may decide is the task's declaration (``RxReviewTask.run_roles`` / ``decide_roles``), the same at every
door. The functions below are shared with the pharmacist pages and CDS Hooks.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Query
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.engine import Engine

import yizhu.store as store
from yizhu import value
from yizhu.api.deps import EngineDep, Principal, Reader, task_role
from yizhu.api.services import run_task
from yizhu.clinical.registry import get_task, register
from yizhu.clinical.rx.document import load_payload, order_document_schema
from yizhu.clinical.rx.engine import TASK_NAME, RxReviewTask
from yizhu.clinical.rx.rules import SEVERITY_RANK, Alert, default_rules
from yizhu.core import ClinicalContext, Result
from yizhu.errors import ConfigError, InputError

#: Who may run a review: the task's declared run_roles (pharmacists and clinicians; admin always).
Pharmacist = Annotated[Principal, task_role(TASK_NAME, "run")]
#: Who may decide on alerts (override or uphold): the task's declared decide_roles (pharmacists; admin always).
PharmacistOnly = Annotated[Principal, task_role(TASK_NAME, "decide")]

router = APIRouter(prefix="/v1/rx", tags=["rx"])

DECISIONS = ("override", "accept")


def ensure_task_registered() -> None:
    """Register ``rx.review`` when the ``yizhu.tasks`` entry point is not installed (development trees)."""
    try:
        get_task(TASK_NAME)
    except ConfigError:
        register(RxReviewTask())


# ── shared services ─────────────────────────────────────────────────────────────────────────


def review_context(
    engine: Engine, ctx: ClinicalContext, *, actor: str, focus: set[str] | None = None
) -> tuple[Result, str]:
    """Review a context through the task seam; the run is audited. Returns (result, run id)."""
    ensure_task_registered()
    if focus is not None:
        rx = {**(ctx.extra.get("rx") or {}), "focus": sorted(focus)}
        ctx = ctx.model_copy(update={"extra": {**ctx.extra, "rx": rx}})
    return run_task(engine, TASK_NAME, ctx, actor=actor)


def review_output(run: store.TaskRun) -> dict[str, Any]:
    """The review's output (alerts, orders, patient facts) as stored with an rx.review run."""
    if run.task != TASK_NAME:
        raise InputError(f"run {run.id} is a '{run.task}' run, not an rx.review; give the run id of a review")
    stored = run.output if isinstance(run.output, dict) else {}
    inner = stored.get("output")  # the audit log stores the whole Result
    return inner if isinstance(inner, dict) else stored


def run_alerts(run: store.TaskRun) -> list[Alert]:
    """The alerts stored in an rx.review run."""
    return [Alert.model_validate(a) for a in review_output(run).get("alerts") or []]


@dataclass(frozen=True)
class Decision:
    """A pharmacist's decision on one alert of one review, read back from the feedback table."""

    run_id: str
    alert_key: str
    rule_id: str
    decision: str  # override | accept
    reason: str
    actor: str
    at: datetime


def parse_decision(fb: value.FeedbackRecord) -> Decision | None:
    """A feedback record about one alert as a Decision (others → None); read from typed fields only."""
    if fb.item is None or fb.decision not in DECISIONS:
        return None
    return Decision(fb.run_id, fb.item, fb.item.split(":", 1)[0], fb.decision, (fb.reason or "").strip(), fb.actor,
                    fb.created_at)


def record_decision(
    engine: Engine, run_id: str, alert_key: str, decision: Literal["override", "accept"], reason: str, *, actor: str
) -> Decision:
    """Record an override (reason required) or an upheld alert; the alert must belong to the run."""
    run = store.get_run(engine, run_id)
    alerts = {a.key: a for a in run_alerts(run)}
    if alert_key not in alerts:
        known = ", ".join(alerts) or "(the review had no alerts)"
        raise InputError(f"alert '{alert_key}' is not in review {run_id}; alerts of this review: {known}")
    reason = (reason or "").strip()
    if decision == "override" and len(reason) < 2:
        raise InputError("an override needs a reason (why the order may go ahead despite the alert)")
    if decision not in DECISIONS:
        raise InputError(f"decision must be override or accept, got {decision!r}")
    fb = value.record_feedback(
        engine, run_id=run_id, actor=actor, decision=decision, item=alert_key, reason=reason[:2000] or None,
    )
    parsed = parse_decision(fb)
    assert parsed is not None
    return parsed


def decisions_for(engine: Engine, run_id: str) -> dict[str, Decision]:
    """The latest decision per alert key of one review."""
    out: dict[str, Decision] = {}
    for fb in value.list_feedback(engine, run_id=run_id, limit=10000):
        d = parse_decision(fb)
        if d is not None:
            out[d.alert_key] = d
    return out


def overrides_report(
    engine: Engine, *, since: datetime | None = None, until: datetime | None = None, limit: int = 1000
) -> dict[str, Any]:
    """Overrides (and upheld alerts) over a period: counts per rule and per pharmacist, and the list."""
    rows = value.list_feedback(engine, task=TASK_NAME, since=since, until=until, limit=min(limit, 10000))
    decisions = [d for d in (parse_decision(fb) for fb in rows) if d is not None]
    overrides = [d for d in decisions if d.decision == "override"]
    accepted = [d for d in decisions if d.decision == "accept"]
    by_rule: dict[str, dict[str, int]] = {}
    for d in decisions:
        row = by_rule.setdefault(d.rule_id, {"override": 0, "accept": 0})
        row[d.decision] += 1
    return {
        "decisions": len(decisions),
        "overrides": len(overrides),
        "accepted": len(accepted),
        "override_rate": round(len(overrides) / len(decisions), 3) if decisions else None,
        "by_rule": [
            {"rule_id": r, **c, "override_rate": round(c["override"] / (c["override"] + c["accept"]), 3)}
            for r, c in sorted(by_rule.items(), key=lambda kv: -kv[1]["override"])
        ],
        "by_pharmacist": dict(Counter(d.actor for d in overrides).most_common()),
        "items": [
            {"run_id": d.run_id, "alert": d.alert_key, "rule_id": d.rule_id, "decision": d.decision,
             "reason": d.reason, "actor": d.actor, "at": d.at.isoformat()}
            for d in overrides
        ],
    }


@dataclass
class PendingReview:
    """A stored review with alerts that still wait for a pharmacist's decision."""

    run: store.TaskRun
    alerts: list[Alert]
    decisions: dict[str, Decision]

    @property
    def open_alerts(self) -> list[Alert]:
        return [a for a in self.alerts if a.key not in self.decisions]

    @property
    def max_severity(self) -> str | None:
        return min((a.severity for a in self.open_alerts), key=lambda s: SEVERITY_RANK[s], default=None)


def pending_reviews(engine: Engine, *, limit: int = 200, min_severity: str = "moderate") -> list[PendingReview]:
    """Recent reviews with undecided alerts at or above ``min_severity``, most severe first."""
    out: list[PendingReview] = []
    threshold = SEVERITY_RANK[min_severity]
    for run in store.list_runs(engine, task=TASK_NAME, limit=min(limit, 1000)):
        alerts = [a for a in run_alerts(run) if SEVERITY_RANK[a.severity] <= threshold]
        if not alerts:
            continue
        pr = PendingReview(run, alerts, decisions_for(engine, run.id))
        if pr.open_alerts:
            out.append(pr)
    out.sort(key=lambda p: (SEVERITY_RANK.get(p.max_severity or "minor", 9), -p.run.seq))
    return out


# ── routes ──────────────────────────────────────────────────────────────────────────────────

_REVIEW_BODY = Body(
    ...,
    description="An order document (schema: GET /v1/rx/schema), a FHIR R4 Bundle, or a ClinicalContext.",
    openapi_examples={
        "order document": {
            "summary": "合成 order document",
            "value": order_document_schema()["examples"][0],
        }
    },
)


@router.post("/review")
def review_endpoint(
    body: Annotated[dict[str, Any], _REVIEW_BODY], engine: EngineDep, principal: Pharmacist
) -> dict[str, Any]:
    """Review a prescription; returns the alerts and the audit run id (use it to record decisions)."""
    ctx = load_payload(body)
    result, run_id = review_context(engine, ctx, actor=principal.name)
    return {"run_id": run_id, **result.output}


@router.get("/schema")
def schema() -> dict[str, Any]:
    """The JSON Schema of the order document (public: it describes a shape, not a patient)."""
    return order_document_schema()


@router.get("/rules")
def rules(_: Reader) -> dict[str, Any]:
    """Every review rule with its type, default severity and source."""
    rs = default_rules()
    return {"version": rs.version, "rules": [r.model_dump() for r in rs.rules]}


@router.get("/reviews/{run_id}")
def get_review(run_id: str, engine: EngineDep, _: Reader) -> dict[str, Any]:
    """A stored review with the decisions taken on its alerts."""
    run = store.get_run(engine, run_id)
    alerts = run_alerts(run)
    decisions = decisions_for(engine, run_id)

    def decision(key: str) -> dict[str, Any] | None:
        d = decisions.get(key)
        return None if d is None else {"decision": d.decision, "reason": d.reason, "actor": d.actor,
                                       "at": d.at.isoformat()}

    return {
        "run_id": run.id,
        "reviewed_at": run.started_at.isoformat(),
        "actor": run.actor,
        "alerts": [{**a.model_dump(mode="json"), "key": a.key, "decision": decision(a.key)} for a in alerts],
    }


class DecisionIn(BaseModel):
    """A pharmacist's decision on one alert: override (reason required) or accept (uphold)."""

    model_config = ConfigDict(extra="forbid")
    alert: str = Field(min_length=3, max_length=256, description="the alert key (rule_id:order ids) from GET /v1/rx/reviews/{run_id}")
    decision: Literal["override", "accept"]
    reason: str = Field(default="", max_length=1800)


@router.post("/reviews/{run_id}/decisions", status_code=201)
def decide(run_id: str, body: DecisionIn, engine: EngineDep, principal: PharmacistOnly) -> dict[str, Any]:
    """Record an override or an upheld alert (recorded as feedback on the audited run)."""
    d = record_decision(engine, run_id, body.alert, body.decision, body.reason, actor=principal.name)
    return {"run_id": d.run_id, "alert": d.alert_key, "rule_id": d.rule_id, "decision": d.decision,
            "reason": d.reason, "actor": d.actor, "at": d.at.isoformat()}


@router.get("/overrides")
def overrides(
    engine: EngineDep,
    _: Reader,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: Annotated[int, Query(ge=1, le=10000)] = 1000,
) -> dict[str, Any]:
    """The override report: counts per rule and pharmacist, override rate, and each override with its reason."""
    return overrides_report(engine, since=since, until=until, limit=limit)


@router.get("/pending")
def pending(engine: EngineDep, _: Reader, limit: Annotated[int, Query(ge=1, le=1000)] = 200) -> list[dict[str, Any]]:
    """Reviews with undecided alerts (moderate and above), most severe first."""
    out = []
    for p in pending_reviews(engine, limit=limit):
        out.append({"run_id": p.run.id, "reviewed_at": p.run.started_at.isoformat(), "max_severity": p.max_severity,
                    "open_alerts": [{**a.model_dump(mode="json"), "key": a.key} for a in p.open_alerts]})
    return out
