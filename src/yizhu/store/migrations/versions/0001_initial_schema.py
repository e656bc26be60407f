"""Initial schema: patients, encounters, documents, items, audit chain, feedback, API keys.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GENESIS_HASH = "0" * 64
ID = sa.String(length=128)
APPEND_ONLY_MESSAGE = "task_runs is append-only: audit rows cannot be changed or deleted"


def _audit_guard_up() -> None:
    # Stops accidental UPDATE/DELETE; deliberate tampering (dropping the trigger first) is what the
    # hash chain detects.
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION yizhu_task_runs_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN RAISE EXCEPTION '{APPEND_ONLY_MESSAGE}'; END $$"
        )
        op.execute(
            "CREATE TRIGGER task_runs_append_only BEFORE UPDATE OR DELETE ON task_runs "
            "FOR EACH ROW EXECUTE FUNCTION yizhu_task_runs_append_only()"
        )
        op.execute(
            "CREATE TRIGGER task_runs_no_truncate BEFORE TRUNCATE ON task_runs "
            "FOR EACH STATEMENT EXECUTE FUNCTION yizhu_task_runs_append_only()"
        )
    else:
        for event in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER task_runs_append_only_{event.lower()} BEFORE {event} ON task_runs "
                f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY_MESSAGE}'); END"
            )


def _audit_guard_down() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS task_runs_no_truncate ON task_runs")
        op.execute("DROP TRIGGER IF EXISTS task_runs_append_only ON task_runs")
        op.execute("DROP FUNCTION IF EXISTS yizhu_task_runs_append_only()")
    else:
        op.execute("DROP TRIGGER IF EXISTS task_runs_append_only_update")
        op.execute("DROP TRIGGER IF EXISTS task_runs_append_only_delete")


def upgrade() -> None:
    op.create_table(
        "patients",
        sa.Column("id", ID, nullable=False),
        sa.Column("name", sa.Text(), nullable=True),
        sa.Column("sex", sa.String(length=16), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("mrn", sa.String(length=64), nullable=True),
        sa.Column("synthetic", sa.Boolean(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_patients"),
    )
    op.create_index("ix_patients_mrn", "patients", ["mrn"])

    op.create_table(
        "encounters",
        sa.Column("id", ID, nullable=False),
        sa.Column("patient_id", ID, nullable=False),
        sa.Column("encounter_class", sa.String(length=16), nullable=False),
        sa.Column("department", sa.String(length=128), nullable=True),
        sa.Column("admitted_at", sa.DateTime(), nullable=True),
        sa.Column("discharged_at", sa.DateTime(), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("context_extra", sa.JSON(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patients.id"], name="fk_encounters_patient_id_patients", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_encounters"),
    )
    op.create_index("ix_encounters_patient_id", "encounters", ["patient_id"])
    op.create_index("ix_encounters_department", "encounters", ["department"])
    op.create_index("ix_encounters_admitted_at", "encounters", ["admitted_at"])

    op.create_table(
        "documents",
        sa.Column("id", ID, nullable=False),
        sa.Column("patient_id", ID, nullable=True),
        sa.Column("encounter_id", ID, nullable=True),
        sa.Column("doc_type", sa.String(length=64), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=True),
        sa.Column("synthetic", sa.Boolean(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["encounter_id"],
            ["encounters.id"],
            name="fk_documents_encounter_id_encounters",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patients.id"], name="fk_documents_patient_id_patients", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_documents"),
    )
    op.create_index("ix_documents_patient_id", "documents", ["patient_id"])
    op.create_index("ix_documents_encounter_id", "documents", ["encounter_id"])
    op.create_index("ix_documents_doc_type", "documents", ["doc_type"])
    op.create_index("ix_documents_recorded_at", "documents", ["recorded_at"])

    op.create_table(
        "encounter_items",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("encounter_id", ID, nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('diagnosis', 'order', 'medication_order', 'lab', 'allergy')",
            name="ck_encounter_items_kind",
        ),
        sa.ForeignKeyConstraint(
            ["encounter_id"],
            ["encounters.id"],
            name="fk_encounter_items_encounter_id_encounters",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_encounter_items"),
    )
    op.create_index("ix_encounter_items_encounter_id", "encounter_items", ["encounter_id"])

    op.create_table(
        "task_runs",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("task", sa.String(length=128), nullable=False),
        sa.Column("task_version", sa.String(length=64), nullable=False),
        sa.Column("input_hash", sa.String(length=64), nullable=False),
        sa.Column("output", sa.JSON(), nullable=False),
        sa.Column("model", sa.String(length=256), nullable=True),
        sa.Column("prompt_version", sa.String(length=64), nullable=True),
        sa.Column("actor", sa.String(length=128), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("duration_ms", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("encounter_id", ID, nullable=True),
        sa.Column("document_id", ID, nullable=True),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("row_hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_task_runs"),
        sa.UniqueConstraint("seq", name="uq_task_runs_seq"),
    )
    op.create_index("ix_task_runs_task", "task_runs", ["task"])
    op.create_index("ix_task_runs_started_at", "task_runs", ["started_at"])
    op.create_index("ix_task_runs_encounter_id", "task_runs", ["encounter_id"])
    op.create_index("ix_task_runs_document_id", "task_runs", ["document_id"])
    _audit_guard_up()

    audit_head = op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last_seq", sa.BigInteger(), nullable=False),
        sa.Column("last_hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_audit_head"),
    )
    op.bulk_insert(audit_head, [{"id": 1, "last_seq": 0, "last_hash": GENESIS_HASH}])

    op.create_table(
        "feedback",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("run_id", sa.String(length=32), nullable=False),
        sa.Column("actor", sa.String(length=128), nullable=False),
        sa.Column("decision", sa.String(length=16), nullable=False),
        sa.Column("edited_text", sa.Text(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("decision IN ('accept', 'edit', 'reject')", name="ck_feedback_decision"),
        sa.ForeignKeyConstraint(["run_id"], ["task_runs.id"], name="fk_feedback_run_id_task_runs"),
        sa.PrimaryKeyConstraint("id", name="pk_feedback"),
    )
    op.create_index("ix_feedback_run_id", "feedback", ["run_id"])
    op.create_index("ix_feedback_actor", "feedback", ["actor"])
    op.create_index("ix_feedback_created_at", "feedback", ["created_at"])

    op.create_table(
        "api_keys",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("key_id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("salt", sa.String(length=64), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("revoked", sa.Boolean(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint(
            "role IN ('admin', 'clinician', 'pharmacist', 'qc_officer', 'patient_app')",
            name="ck_api_keys_role",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_api_keys"),
        sa.UniqueConstraint("key_id", name="uq_api_keys_key_id"),
    )
    op.create_index("ix_api_keys_name", "api_keys", ["name"])


def downgrade() -> None:
    op.drop_table("api_keys")
    op.drop_table("feedback")
    op.drop_table("audit_head")
    _audit_guard_down()
    op.drop_table("task_runs")
    op.drop_table("encounter_items")
    op.drop_table("documents")
    op.drop_table("encounters")
    op.drop_table("patients")
