"""预问诊 interview sessions and their answers (yizhu.clinical.intake).

- ``intake_sessions``: one interview per visit token (only the token's sha256 is stored), its status, expiry,
  consent time and the interview state as JSON.
- ``intake_answers``: every answer with the question exactly as it was asked.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "intake_sessions",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("encounter_id", sa.String(length=128), nullable=True),
        sa.Column("patient_id", sa.String(length=128), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_by", sa.String(length=128), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("consent_at", sa.DateTime(), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.CheckConstraint("status IN ('open', 'complete', 'red_flag')", name="ck_intake_sessions_status"),
        sa.PrimaryKeyConstraint("id", name="pk_intake_sessions"),
        sa.UniqueConstraint("token_hash", name="uq_intake_sessions_token_hash"),
    )
    op.create_index("ix_intake_sessions_encounter_id", "intake_sessions", ["encounter_id"])
    op.create_index("ix_intake_sessions_patient_id", "intake_sessions", ["patient_id"])
    op.create_index("ix_intake_sessions_expires_at", "intake_sessions", ["expires_at"])
    op.create_table(
        "intake_answers",
        sa.Column("session_id", sa.String(length=32), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.String(length=32), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("answer", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["session_id"], ["intake_sessions.id"], ondelete="CASCADE",
                                name="fk_intake_answers_session_id_intake_sessions"),
        sa.PrimaryKeyConstraint("session_id", "seq", name="pk_intake_answers"),
    )


def downgrade() -> None:
    op.drop_table("intake_answers")
    op.drop_index("ix_intake_sessions_expires_at", table_name="intake_sessions")
    op.drop_index("ix_intake_sessions_patient_id", table_name="intake_sessions")
    op.drop_index("ix_intake_sessions_encounter_id", table_name="intake_sessions")
    op.drop_table("intake_sessions")
