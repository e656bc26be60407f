"""API rate limit counters, shared by every replica: rate_limits.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "rate_limits",
        sa.Column("bucket", sa.String(length=200), nullable=False),
        sa.Column("hits", sa.Integer(), nullable=False),
        sa.Column("resets_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("bucket", name="pk_rate_limits"),
    )
    op.create_index("ix_rate_limits_resets_at", "rate_limits", ["resets_at"])


def downgrade() -> None:
    op.drop_index("ix_rate_limits_resets_at", table_name="rate_limits")
    op.drop_table("rate_limits")
