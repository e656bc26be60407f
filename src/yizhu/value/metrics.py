"""Value metrics: what clinicians did with the AI's output, computed only from what is stored.

Every figure is read from two tables: the audit log (``task_runs``: task, model, when the output was
made, the encounter it was about) and the clinicians' feedback (``feedback``: decision, who, when, the
edit statistics the note page stores in ``reason``, the alert key in ``item``). The encounter's
department is joined in from ``encounters``. Nothing is estimated except ``time_saved``, whose method
and assumption are returned with the figure.

Only the latest decision per (run, item) counts: a clinician who first rejects and then accepts a
draft has accepted it. Figures whose decisions were made by the synthetic demo (actors ``合成·…`` or
the demo loader, see ``yizhu.demo.seed``) are counted in ``synthetic`` so every view can say so.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from yizhu.errors import InputError
from yizhu.store.db import transaction
from yizhu.store.schema import encounters, feedback, task_runs
from yizhu.value.edits import parse_feedback_reason

GroupBy = Literal["task", "department", "doctor", "model", "month"]
GROUPS: tuple[str, ...] = ("task", "department", "doctor", "model", "month")
#: the default typing speed of the time-saved estimate (Chinese characters per minute, typed by a
#: clinician into an EMR with an input method); a parameter of every call, stated with the figure
DEFAULT_CHARS_PER_MINUTE = 30.0
SYNTHETIC_PREFIX = "合成·"
NOTE_TASK_PREFIX = "notes."
RX_TASK = "rx.review"


def is_synthetic_actor(actor: str | None) -> bool:
    """Decisions by the demo seeding (``合成·…``) or the demo loader are synthetic."""
    return bool(actor) and (str(actor).startswith(SYNTHETIC_PREFIX) or actor == "demo-loader")


@dataclass(frozen=True)
class Decided:
    """One latest decision, with what the audit log says about the output it is about."""

    run_id: str
    item: str | None
    task: str
    model: str | None
    department: str | None
    actor: str
    decision: str
    reason: str | None
    made_at: datetime
    decided_at: datetime

    @property
    def synthetic(self) -> bool:
        return is_synthetic_actor(self.actor)

    def key(self, by: str) -> str:
        if by == "task":
            return self.task
        if by == "department":
            return self.department or "（未记录科室）"
        if by == "doctor":
            return self.actor
        if by == "model":
            return self.model or "（无模型：规则/抽取）"
        if by == "month":
            return f"{self.decided_at:%Y-%m}"
        raise InputError(f"group by must be one of {', '.join(GROUPS)}, got {by!r}")


def _naive(when: datetime | None) -> datetime | None:
    if when is None:
        return None
    return when.astimezone(UTC).replace(tzinfo=None) if when.tzinfo is not None else when


def decisions(
    engine: Engine,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    task_prefix: str | None = None,
    include_synthetic: bool = True,
) -> list[Decided]:
    """The latest decision per (run, item), oldest first, optionally in a period / of a task family."""
    where: list[sa.ColumnElement[bool]] = []
    if since is not None:
        where.append(feedback.c.created_at >= _naive(since))
    if until is not None:
        where.append(feedback.c.created_at < _naive(until))
    if task_prefix is not None:
        where.append(task_runs.c.task.startswith(task_prefix, autoescape=True))
    stmt = (
        sa.select(
            feedback.c.run_id, feedback.c.item, feedback.c.actor, feedback.c.decision, feedback.c.reason,
            feedback.c.created_at, task_runs.c.task, task_runs.c.model, task_runs.c.started_at,
            encounters.c.department,
        )
        .select_from(
            feedback.join(task_runs, task_runs.c.id == feedback.c.run_id).outerjoin(
                encounters, encounters.c.id == task_runs.c.encounter_id
            )
        )
        .where(*where)
        .order_by(feedback.c.created_at, feedback.c.id)
    )
    latest: dict[tuple[str, str | None], Decided] = {}
    with transaction(engine) as conn:
        for r in conn.execute(stmt):
            d = Decided(r.run_id, r.item, r.task, r.model, r.department, r.actor, r.decision, r.reason,
                        r.started_at, r.created_at)
            latest.pop((d.run_id, d.item), None)  # re-insert: dict order stays "by latest decision"
            latest[(d.run_id, d.item)] = d
    out = list(latest.values())
    return out if include_synthetic else [d for d in out if not d.synthetic]


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _quantiles(values: list[float]) -> dict[str, float | None]:
    if not values:
        return {"median": None, "p90": None, "mean": None}
    s = sorted(values)
    p90 = s[min(len(s) - 1, round(0.9 * (len(s) - 1)))]
    return {"median": round(statistics.median(s), 4), "p90": round(p90, 4), "mean": round(statistics.fmean(s), 4)}


def adoption(items: list[Decided], by: str) -> list[dict[str, Any]]:
    """Per group: accepted / edited / rejected / overridden counts and the adoption rate.

    ``adoption_rate`` = (accepted + edited) / all decisions: the share of outputs a clinician kept
    (as is or corrected). ``accept_rate`` = accepted as is / all.
    """
    groups: dict[str, Counter[str]] = defaultdict(Counter)
    synth: Counter[str] = Counter()
    for d in items:
        k = d.key(by)
        groups[k][d.decision] += 1
        synth[k] += d.synthetic
    rows = []
    for k, c in sorted(groups.items(), key=lambda kv: (-sum(kv[1].values()), kv[0])):
        n = sum(c.values())
        rows.append({
            by: k, "decisions": n, "accepted": c["accept"], "edited": c["edit"], "rejected": c["reject"],
            "overridden": c["override"], "adoption_rate": _rate(c["accept"] + c["edit"], n),
            "accept_rate": _rate(c["accept"], n), "synthetic": synth[k],
        })
    return rows


def drafts(items: list[Decided], by: str) -> list[dict[str, Any]]:
    """Per group, over signed drafts (accepted or edited): edit distance draft → signed text (characters
    and ratio to the draft's length) and minutes from draft to signature (feedback time − run time)."""
    groups: dict[str, list[Decided]] = defaultdict(list)
    for d in items:
        if d.task.startswith(NOTE_TASK_PREFIX) and d.item is None:
            groups[d.key(by)].append(d)
    rows = []
    for k, ds in sorted(groups.items()):
        signed = [d for d in ds if d.decision in ("accept", "edit")]
        stats = [s for s in (parse_feedback_reason(d.reason) for d in signed) if s and s.get("edit_distance") is not None]
        minutes = [max(0.0, (d.decided_at - d.made_at).total_seconds() / 60) for d in signed]
        rows.append({
            by: k, "drafts_decided": len(ds), "signed": len(signed), "rejected": sum(d.decision == "reject" for d in ds),
            "with_edit_stats": len(stats),
            "edit_distance": _quantiles([float(s["edit_distance"]) for s in stats]),
            "edit_ratio": _quantiles([float(s["edit_ratio"]) for s in stats if s.get("edit_ratio") is not None]),
            "minutes_to_signature": _quantiles(minutes),
            "synthetic": sum(d.synthetic for d in ds),
        })
    return rows


def alerts(items: list[Decided], by: Literal["rule", "pharmacist", "department", "month"] = "rule") -> list[dict[str, Any]]:
    """Prescription alerts decided on: upheld (accept) vs overridden, per rule (the alert key's prefix)
    or pharmacist, with the override reasons most often given."""
    groups: dict[str, list[Decided]] = defaultdict(list)
    for d in items:
        if d.task != RX_TASK or d.item is None:
            continue
        if by == "rule":
            k = d.item.split(":", 1)[0]
        elif by == "pharmacist":
            k = d.actor
        else:
            k = d.key(by)
        groups[k].append(d)
    rows = []
    for k, ds in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        upheld = sum(d.decision == "accept" for d in ds)
        over = [d for d in ds if d.decision == "override"]
        reasons = Counter((d.reason or "").strip() for d in over if (d.reason or "").strip())
        rows.append({
            by: k, "decisions": len(ds), "upheld": upheld, "overridden": len(over),
            "acceptance_rate": _rate(upheld, len(ds)), "override_rate": _rate(len(over), len(ds)),
            "top_reasons": [{"reason": r, "count": n} for r, n in reasons.most_common(5)],
            "synthetic": sum(d.synthetic for d in ds),
        })
    return rows


def time_saved(items: list[Decided], *, chars_per_minute: float = DEFAULT_CHARS_PER_MINUTE) -> dict[str, Any]:
    """An estimate of typing time saved by signed drafts, with its method.

    For each signed draft with stored edit statistics: saved = (signed characters − edit distance) /
    typing speed — the characters the clinician did not have to type. Rejected drafts save nothing and
    the time spent reading a draft is not subtracted, so the figure is an upper bound on typing only.
    """
    if not 1 <= chars_per_minute <= 1000:
        raise InputError(f"chars_per_minute must be 1-1000, got {chars_per_minute}")
    per_task: dict[str, dict[str, float]] = defaultdict(lambda: {"drafts": 0, "minutes": 0.0, "synthetic": 0})
    for d in items:
        if not d.task.startswith(NOTE_TASK_PREFIX) or d.item is not None or d.decision not in ("accept", "edit"):
            continue
        s = parse_feedback_reason(d.reason)
        if not s or s.get("edit_distance") is None:
            continue
        kept = max(0, int(s.get("final_chars") or 0) - int(s["edit_distance"]))
        row = per_task[d.task]
        row["drafts"] += 1
        row["minutes"] += kept / chars_per_minute
        row["synthetic"] += d.synthetic
    total = sum(r["minutes"] for r in per_task.values())
    return {
        "minutes": round(total, 1),
        "drafts": int(sum(r["drafts"] for r in per_task.values())),
        "per_task": [{"task": t, "drafts": int(r["drafts"]), "minutes": round(r["minutes"], 1),
                      "synthetic": int(r["synthetic"])} for t, r in sorted(per_task.items())],
        "chars_per_minute": chars_per_minute,
        "method": (
            "对每份已签署（采纳或修改后签署）的草稿：节省分钟数 =（签署文本字数 − 草稿到签署的编辑距离）÷ 录入速度"
            f"（{chars_per_minute:g} 字/分钟，可用 chars_per_minute 参数调整）。被拒绝的草稿计 0；"
            "阅读和核对草稿的时间未扣除，因此这是录入时间节省的上限估计。"
        ),
    }


def summary(
    engine: Engine,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    by: str = "task",
    include_synthetic: bool = True,
    chars_per_minute: float = DEFAULT_CHARS_PER_MINUTE,
) -> dict[str, Any]:
    """Everything the value dashboard shows, for one grouping."""
    if by not in GROUPS:
        raise InputError(f"by must be one of {', '.join(GROUPS)}, got {by!r}")
    items = decisions(engine, since=since, until=until, include_synthetic=include_synthetic)
    n_synth = sum(d.synthetic for d in items)
    return {
        "period": {"since": since.isoformat() if since else None, "until": until.isoformat() if until else None},
        "by": by,
        "decisions": len(items),
        "synthetic_decisions": n_synth,
        "synthetic": n_synth > 0,
        "adoption": adoption(items, by),
        "drafts": drafts(items, by),
        "alerts": alerts(items, "rule"),
        "time_saved": time_saved(items, chars_per_minute=chars_per_minute),
        "source": "task_runs (audit log) + feedback; latest decision per run and item",
    }


def flatten(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows with nested quantiles / reasons spread into flat columns (for CSV)."""
    out = []
    for row in rows:
        flat: dict[str, Any] = {}
        for k, v in row.items():
            if isinstance(v, dict):
                for kk, vv in v.items():
                    flat[f"{k}_{kk}"] = vv
            elif isinstance(v, list):
                flat[k] = "; ".join(f"{x.get('reason')} ×{x.get('count')}" if isinstance(x, dict) else str(x) for x in v)
            else:
                flat[k] = v
        out.append(flat)
    return out
