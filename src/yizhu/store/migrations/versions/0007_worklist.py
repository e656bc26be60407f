"""Clinicians' worklists: worklist_items (derived from the audit log) and worklist_head (how far it has read).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "worklist_items",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("run_id", sa.String(length=32), nullable=False),
        sa.Column("run_seq", sa.BigInteger(), nullable=False),
        sa.Column("task", sa.String(length=128), nullable=False),
        sa.Column("item", sa.String(length=256), nullable=True),
        sa.Column("encounter_id", sa.String(length=128), nullable=True),
        sa.Column("patient_id", sa.String(length=128), nullable=True),
        sa.Column("department", sa.String(length=128), nullable=True),
        sa.Column("doctor", sa.String(length=128), nullable=True),
        sa.Column("severity_rank", sa.Integer(), nullable=False),
        sa.Column("rule_id", sa.String(length=128), nullable=True),
        sa.Column("drug", sa.String(length=256), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("current", sa.Boolean(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.CheckConstraint("kind IN ('rx_alert', 'qc_finding', 'draft')", name="ck_worklist_items_kind"),
        sa.PrimaryKeyConstraint("id", name="pk_worklist_items"),
    )
    op.create_index("ix_worklist_items_run_id", "worklist_items", ["run_id"])
    op.create_index("ix_worklist_items_encounter_id", "worklist_items", ["encounter_id"])
    op.create_index("ix_worklist_items_rule_id", "worklist_items", ["rule_id"])
    op.create_index("ix_worklist_items_kind_current_severity", "worklist_items",
                    ["kind", "current", "severity_rank", "at", "doctor", "department", "drug", "patient_id",
                     "rule_id", "run_id", "item"])
    op.create_index("ix_worklist_items_doctor_kind", "worklist_items",
                    ["doctor", "kind", "current", "severity_rank", "at", "run_id", "item"])
    op.create_table(
        "worklist_head",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last_seq", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_worklist_head"),
    )


def downgrade() -> None:
    op.drop_table("worklist_head")
    for name in ("doctor_kind", "kind_current_severity", "rule_id", "encounter_id", "run_id"):
        op.drop_index(f"ix_worklist_items_{name}", table_name="worklist_items")
    op.drop_table("worklist_items")
