"""Large task outputs outside the audit row: run_outputs, content-addressed by sha256.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APPEND_ONLY_MESSAGE = "run_outputs is append-only: stored outputs cannot be changed or deleted"


def upgrade() -> None:
    op.create_table(
        "run_outputs",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("bytes", sa.BigInteger(), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name="pk_run_outputs"),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION yizhu_run_outputs_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN RAISE EXCEPTION '{APPEND_ONLY_MESSAGE}'; END $$"
        )
        op.execute(
            "CREATE TRIGGER run_outputs_append_only BEFORE UPDATE OR DELETE ON run_outputs "
            "FOR EACH ROW EXECUTE FUNCTION yizhu_run_outputs_append_only()"
        )
    else:
        for event in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER run_outputs_append_only_{event.lower()} BEFORE {event} ON run_outputs "
                f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY_MESSAGE}'); END"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS run_outputs_append_only ON run_outputs")
        op.execute("DROP FUNCTION IF EXISTS yizhu_run_outputs_append_only()")
    else:
        op.execute("DROP TRIGGER IF EXISTS run_outputs_append_only_update")
        op.execute("DROP TRIGGER IF EXISTS run_outputs_append_only_delete")
    op.drop_table("run_outputs")
