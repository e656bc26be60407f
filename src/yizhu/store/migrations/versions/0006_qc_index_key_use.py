"""The QC office's worklist index (qc_results, qc_defects, qc_sync), batch QC runs (qc_batches), and
api_keys.last_used_at.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("api_keys") as batch:
        batch.add_column(sa.Column("last_used_at", sa.DateTime(), nullable=True))
    op.create_table(
        "qc_results",
        sa.Column("encounter_id", sa.String(length=128), nullable=False),
        sa.Column("run_id", sa.String(length=32), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("patient_id", sa.String(length=128), nullable=True),
        sa.Column("patient_name", sa.String(length=128), nullable=True),
        sa.Column("department", sa.String(length=128), nullable=False),
        sa.Column("attending", sa.String(length=128), nullable=False),
        sa.Column("discharged", sa.Boolean(), nullable=False),
        sa.Column("admitted_at", sa.DateTime(), nullable=True),
        sa.Column("discharged_at", sa.DateTime(), nullable=True),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("mode", sa.String(length=16), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("grade", sa.String(length=8), nullable=False),
        sa.Column("defects", sa.Integer(), nullable=False),
        sa.Column("vetoed", sa.Boolean(), nullable=False),
        sa.Column("checked_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("encounter_id", name="pk_qc_results"),
    )
    for col in ("department", "attending", "discharged", "month", "grade", "score", "checked_at"):
        op.create_index(f"ix_qc_results_{col}", "qc_results", [col])
    op.create_table(
        "qc_defects",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("encounter_id", sa.String(length=128), nullable=False),
        sa.Column("run_id", sa.String(length=32), nullable=False),
        sa.Column("rule_id", sa.String(length=128), nullable=False),
        sa.Column("severity", sa.String(length=32), nullable=False),
        sa.Column("points", sa.Float(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("section", sa.String(length=128), nullable=True),
        sa.Column("document_id", sa.String(length=128), nullable=True),
        sa.Column("start", sa.Integer(), nullable=True),
        sa.Column("end", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_qc_defects"),
    )
    op.create_index("ix_qc_defects_encounter_id", "qc_defects", ["encounter_id"])
    op.create_index("ix_qc_defects_rule_id", "qc_defects", ["rule_id"])
    op.create_table(
        "qc_sync",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last_seq", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_qc_sync"),
    )
    op.create_table(
        "qc_batches",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("scope", sa.String(length=16), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("started_by", sa.String(length=128), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("failed", sa.Integer(), nullable=False),
        sa.Column("message", sa.Text(), nullable=True),
        sa.CheckConstraint("state IN ('running', 'done', 'failed', 'interrupted')", name="ck_qc_batches_state"),
        sa.PrimaryKeyConstraint("id", name="pk_qc_batches"),
    )
    op.create_index("ix_qc_batches_state", "qc_batches", ["state"])
    op.create_index("ix_qc_batches_started_at", "qc_batches", ["started_at"])


def downgrade() -> None:
    op.drop_index("ix_qc_batches_started_at", table_name="qc_batches")
    op.drop_index("ix_qc_batches_state", table_name="qc_batches")
    op.drop_table("qc_batches")
    op.drop_table("qc_sync")
    op.drop_index("ix_qc_defects_rule_id", table_name="qc_defects")
    op.drop_index("ix_qc_defects_encounter_id", table_name="qc_defects")
    op.drop_table("qc_defects")
    for col in ("department", "attending", "discharged", "month", "grade", "score", "checked_at"):
        op.drop_index(f"ix_qc_results_{col}", table_name="qc_results")
    op.drop_table("qc_results")
    with op.batch_alter_table("api_keys") as batch:
        batch.drop_column("last_used_at")
