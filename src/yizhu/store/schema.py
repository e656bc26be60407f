"""Table definitions (SQLAlchemy Core): the one description of the schema.

The Alembic migrations in ``migrations/versions`` create exactly these tables; a test compares a
migrated database with this metadata so the two cannot drift apart. Every record keeps its full
pydantic JSON in ``data`` (the source of truth when loading) next to a few indexed columns that
are derived from it at save time and exist only for filtering.

Timestamps the store itself writes (``created_at``, ``started_at``, ...) are naive UTC; clinical
times inside the records are naive local hospital time, as in ``yizhu.core``.
"""

from __future__ import annotations

import sqlalchemy as sa

#: Constraint names that are stable across SQLite and PostgreSQL, so later migrations can alter them.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)

ID = sa.String(128)
"""Identifiers come from the HIS/EMR; 128 characters covers every scheme we have seen."""

ROLES = ("admin", "clinician", "pharmacist", "qc_officer", "patient_app")
#: Typed decisions on a task's output: accept, edit (with the edited text), reject, and override (an alert
#: the decider lets go; reason required). Which of them a task takes is its declaration (clinical.registry).
DECISIONS = ("accept", "edit", "reject", "override")
ITEM_KINDS = ("diagnosis", "order", "medication_order", "lab", "allergy")


def _in(values: tuple[str, ...]) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


patients = sa.Table(
    "patients",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("name", sa.Text),
    sa.Column("sex", sa.String(16), nullable=False),
    sa.Column("birth_date", sa.Date),
    sa.Column("mrn", sa.String(64), index=True),
    sa.Column("synthetic", sa.Boolean, nullable=False),
    sa.Column("data", sa.JSON, nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("updated_at", sa.DateTime, nullable=False),
)

encounters = sa.Table(
    "encounters",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("patient_id", ID, sa.ForeignKey("patients.id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("encounter_class", sa.String(16), nullable=False),
    sa.Column("department", sa.String(128), index=True),
    sa.Column("admitted_at", sa.DateTime, index=True),
    sa.Column("discharged_at", sa.DateTime),
    sa.Column("data", sa.JSON, nullable=False),
    # ClinicalContext.extra as last stored by save_context; save_encounter leaves it alone.
    sa.Column("context_extra", sa.JSON),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("updated_at", sa.DateTime, nullable=False),
)

documents = sa.Table(
    "documents",
    metadata,
    sa.Column("id", ID, primary_key=True),
    sa.Column("patient_id", ID, sa.ForeignKey("patients.id", ondelete="CASCADE"), index=True),
    sa.Column("encounter_id", ID, sa.ForeignKey("encounters.id", ondelete="CASCADE"), index=True),
    sa.Column("doc_type", sa.String(64), nullable=False, index=True),
    sa.Column("recorded_at", sa.DateTime, index=True),
    # Position in the encounter's document list as saved by save_context; NULL for single saves.
    sa.Column("position", sa.Integer),
    sa.Column("synthetic", sa.Boolean, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("data", sa.JSON, nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("updated_at", sa.DateTime, nullable=False),
)

encounter_items = sa.Table(
    "encounter_items",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "encounter_id", ID, sa.ForeignKey("encounters.id", ondelete="CASCADE"), nullable=False, index=True
    ),
    sa.Column("kind", sa.String(32), nullable=False),
    # Index in its ClinicalContext list; orders and medication orders share one list.
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("data", sa.JSON, nullable=False),
    sa.CheckConstraint(f"kind IN {_in(ITEM_KINDS)}", name="kind"),
)

task_runs = sa.Table(
    "task_runs",
    metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    # Chain position: 1, 2, 3, ... without gaps, assigned under the audit_head lock.
    sa.Column("seq", sa.BigInteger, nullable=False, unique=True),
    sa.Column("task", sa.String(128), nullable=False, index=True),
    sa.Column("task_version", sa.String(64), nullable=False),
    sa.Column("input_hash", sa.String(64), nullable=False),
    sa.Column("output", sa.JSON, nullable=False),
    sa.Column("model", sa.String(256)),
    sa.Column("prompt_version", sa.String(64)),
    sa.Column("actor", sa.String(128), nullable=False),
    sa.Column("started_at", sa.DateTime, nullable=False, index=True),
    sa.Column("duration_ms", sa.Integer, nullable=False),
    sa.Column("status", sa.String(32), nullable=False),
    # No foreign keys: the audit log outlives (and must not block deleting) the records it mentions.
    sa.Column("encounter_id", ID, index=True),
    sa.Column("document_id", ID, index=True),
    sa.Column("prev_hash", sa.String(64), nullable=False),
    sa.Column("row_hash", sa.String(64), nullable=False),
)

# Task outputs too large to keep in their audit row (a review of hundreds of orders): content-addressed by
# the sha256 of their canonical JSON, which the row keeps (and its row_hash covers), so listing runs and
# verifying the chain never read them, and an edited output no longer matches its row.
run_outputs = sa.Table(
    "run_outputs",
    metadata,
    sa.Column("sha256", sa.String(64), primary_key=True),
    sa.Column("bytes", sa.BigInteger, nullable=False),
    sa.Column("data", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
)

# One row (id = 1): the lock every append takes, and the anchor that reveals rows cut off the end.
audit_head = sa.Table(
    "audit_head",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("last_seq", sa.BigInteger, nullable=False),
    sa.Column("last_hash", sa.String(64), nullable=False),
)

feedback = sa.Table(
    "feedback",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("run_id", sa.String(32), sa.ForeignKey("task_runs.id"), nullable=False, index=True),
    sa.Column("actor", sa.String(128), nullable=False, index=True),
    sa.Column("decision", sa.String(16), nullable=False),
    sa.Column("edited_text", sa.Text),
    sa.Column("reason", sa.Text),
    sa.Column("created_at", sa.DateTime, nullable=False, index=True),
    # What in the output the decision is about (an rx alert key, ...); NULL = the whole output.
    sa.Column("item", sa.String(256)),
    sa.CheckConstraint(f"decision IN {_in(DECISIONS)}", name="decision"),
)

# Clinicians' worklists (yizhu.web.worklist): one row per thing waiting for a decision — an rx alert, a QC
# finding, a note draft — derived from the audit log (task_runs after worklist_head.last_seq) so the pages can
# sort and page 10,000 rows in SQL. Derived only: it can be emptied and rebuilt from task_runs at any time;
# the decisions themselves stay in ``feedback`` (joined by run_id and item).
WORKLIST_KINDS = ("rx_alert", "qc_finding", "draft")
worklist_items = sa.Table(
    "worklist_items",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("run_id", sa.String(32), nullable=False, index=True),
    sa.Column("run_seq", sa.BigInteger, nullable=False),
    sa.Column("task", sa.String(128), nullable=False),
    # What in the run's output the row is about (an rx alert key, a QC finding key); NULL = the whole run.
    sa.Column("item", sa.String(256)),
    sa.Column("encounter_id", ID, index=True),
    sa.Column("patient_id", ID),
    sa.Column("department", sa.String(128)),
    # Whose worklist: the prescriber of the order (rx), else the encounter's attending, else the run's actor.
    sa.Column("doctor", sa.String(128)),
    sa.Column("severity_rank", sa.Integer, nullable=False),
    sa.Column("rule_id", sa.String(128), index=True),
    sa.Column("drug", sa.String(256)),
    sa.Column("at", sa.DateTime, nullable=False),
    # False once a newer run of the same task about the same encounter has been indexed.
    sa.Column("current", sa.Boolean, nullable=False),
    sa.Column("data", sa.JSON, nullable=False),
    sa.CheckConstraint(f"kind IN {_in(WORKLIST_KINDS)}", name="kind"),
    # Covers every filter and sort of the worklist pages, so paging 10,000 rows never reads ``data``.
    sa.Index("ix_worklist_items_kind_current_severity", "kind", "current", "severity_rank", "at", "doctor",
             "department", "drug", "patient_id", "rule_id", "run_id", "item"),
    # One doctor's worklist (the clinician's home page): counts and pages without reading ``data``.
    sa.Index("ix_worklist_items_doctor_kind", "doctor", "kind", "current", "severity_rank", "at", "run_id", "item"),
)

# One row (id = 1): the last audit seq the worklist index has read.
worklist_head = sa.Table(
    "worklist_head",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("last_seq", sa.BigInteger, nullable=False),
)

api_keys = sa.Table(
    "api_keys",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    # Public part of the key (``yz_<key_id>_<secret>``), used to find the row without scanning.
    sa.Column("key_id", sa.String(32), nullable=False, unique=True),
    sa.Column("name", sa.String(128), nullable=False, index=True),
    sa.Column("role", sa.String(32), nullable=False),
    sa.Column("salt", sa.String(64), nullable=False),
    # HMAC-SHA256(salt, full key) in hex; the plaintext key is never stored.
    sa.Column("key_hash", sa.String(64), nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("revoked", sa.Boolean, nullable=False),
    sa.Column("revoked_at", sa.DateTime),
    # Last authentication with this key (or a page session opened with it), written at most once a minute.
    sa.Column("last_used_at", sa.DateTime),
    sa.CheckConstraint(f"role IN {_in(ROLES)}", name="role"),
)

# Page sign-in: the cookie holds a random session id; only its sha256 is stored. The session ends at
# expires_at, at logout, or when its API key is revoked.
web_sessions = sa.Table(
    "web_sessions",
    metadata,
    sa.Column("id_hash", sa.String(64), primary_key=True),
    sa.Column("key_id", sa.String(32), nullable=False, index=True),
    sa.Column("csrf_token", sa.String(64), nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("expires_at", sa.DateTime, nullable=False, index=True),
)

# Idempotency-Key: the first answer to a POST, replayed to a retry with the same key from the same caller.
idempotency_keys = sa.Table(
    "idempotency_keys",
    metadata,
    sa.Column("owner", sa.String(64), primary_key=True),
    sa.Column("key", sa.String(200), primary_key=True),
    sa.Column("request_hash", sa.String(64), nullable=False),
    # NULL while the first request is still running.
    sa.Column("status", sa.Integer),
    sa.Column("content_type", sa.String(128)),
    sa.Column("body", sa.Text),
    sa.Column("created_at", sa.DateTime, nullable=False, index=True),
)

# API rate limits: one fixed-window counter per bucket (an API key, a page session, a client address, each
# per route class), shared by every replica. A row is reused when its window has passed.
rate_limits = sa.Table(
    "rate_limits",
    metadata,
    sa.Column("bucket", sa.String(200), primary_key=True),
    sa.Column("hits", sa.Integer, nullable=False),
    # End of the current window (naive UTC).
    sa.Column("resets_at", sa.DateTime, nullable=False, index=True),
)

# 预问诊 (yizhu.clinical.intake): one interview per visit token; the token itself is never stored, only its
# sha256. ``data`` holds the interview state (pydantic JSON); every answer is also a row with its question.
intake_sessions = sa.Table(
    "intake_sessions",
    metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("encounter_id", ID, index=True),
    sa.Column("patient_id", ID, index=True),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("created_by", sa.String(128), nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("expires_at", sa.DateTime, nullable=False, index=True),
    sa.Column("updated_at", sa.DateTime, nullable=False),
    sa.Column("consent_at", sa.DateTime),
    sa.Column("data", sa.JSON, nullable=False),
    sa.CheckConstraint("status IN ('open', 'complete', 'red_flag')", name="status"),
)

intake_answers = sa.Table(
    "intake_answers",
    metadata,
    sa.Column("session_id", sa.String(32), sa.ForeignKey("intake_sessions.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("seq", sa.Integer, primary_key=True),
    sa.Column("question_id", sa.String(32), nullable=False),
    sa.Column("question", sa.Text, nullable=False),
    sa.Column("answer", sa.JSON, nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
)


# The QC office's worklist (yizhu.store.qcindex): the newest qc.record run of each encounter, indexed from the
# audit log (task_runs stays the source of truth; this is rebuilt from it and can be dropped at any time).
qc_results = sa.Table(
    "qc_results",
    metadata,
    sa.Column("encounter_id", ID, primary_key=True),
    sa.Column("run_id", sa.String(32), nullable=False),
    sa.Column("seq", sa.BigInteger, nullable=False),
    sa.Column("patient_id", ID),
    sa.Column("patient_name", sa.String(128)),
    sa.Column("department", sa.String(128), nullable=False, index=True),
    sa.Column("attending", sa.String(128), nullable=False, index=True),
    sa.Column("discharged", sa.Boolean, nullable=False, index=True),
    sa.Column("admitted_at", sa.DateTime),
    sa.Column("discharged_at", sa.DateTime),
    # YYYY-MM of discharge (else admission, else the check)
    sa.Column("month", sa.String(7), nullable=False, index=True),
    sa.Column("mode", sa.String(16), nullable=False),
    sa.Column("score", sa.Float, index=True),
    sa.Column("grade", sa.String(8), nullable=False, index=True),
    sa.Column("defects", sa.Integer, nullable=False),
    sa.Column("vetoed", sa.Boolean, nullable=False),
    sa.Column("checked_at", sa.DateTime, nullable=False, index=True),
)

# The findings of those runs, one row each, with where in which document they point.
qc_defects = sa.Table(
    "qc_defects",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("encounter_id", ID, nullable=False, index=True),
    sa.Column("run_id", sa.String(32), nullable=False),
    sa.Column("rule_id", sa.String(128), nullable=False, index=True),
    sa.Column("severity", sa.String(32), nullable=False),
    sa.Column("points", sa.Float, nullable=False),
    sa.Column("message", sa.Text, nullable=False),
    sa.Column("section", sa.String(128)),
    sa.Column("document_id", ID),
    sa.Column("start", sa.Integer),
    sa.Column("end", sa.Integer),
)

# One row (id = 1): the last audit seq the QC index has read.
qc_sync = sa.Table(
    "qc_sync",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("last_seq", sa.BigInteger, nullable=False),
)

# Batch QC started from the QC office's page: progress is here so a reload (or another replica) shows it,
# and at most one runs at a time.
qc_batches = sa.Table(
    "qc_batches",
    metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("scope", sa.String(16), nullable=False),
    sa.Column("state", sa.String(16), nullable=False, index=True),
    sa.Column("started_by", sa.String(128), nullable=False),
    sa.Column("started_at", sa.DateTime, nullable=False, index=True),
    sa.Column("updated_at", sa.DateTime, nullable=False),
    sa.Column("finished_at", sa.DateTime),
    sa.Column("total", sa.Integer, nullable=False),
    sa.Column("done", sa.Integer, nullable=False),
    sa.Column("failed", sa.Integer, nullable=False),
    sa.Column("message", sa.Text),
    sa.CheckConstraint("state IN ('running', 'done', 'failed', 'interrupted')", name="state"),
)
