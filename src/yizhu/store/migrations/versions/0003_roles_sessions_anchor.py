"""Typed decisions, page sessions, idempotency keys, and a guarded audit head.

- ``feedback.item`` and the ``override`` decision: a decision names what it is about in a typed field;
  rx decisions that older versions wrote into the reason text (``override KEY | why``) are moved into
  ``decision``/``item``/``reason``.
- ``web_sessions``: the page cookie holds a random session id, never the API key.
- ``idempotency_keys``: a retried POST with the same ``Idempotency-Key`` gets the first answer.
- triggers on ``audit_head``: it moves forward one row at a time, onto the newest row, and is never
  deleted or re-inserted, so moving the head back after cutting the tail needs the triggers dropped
  first (which ``yizhu audit verify --against ANCHOR`` then catches).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-07
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

HEAD_MESSAGE = "audit_head only moves forward one row at a time onto the newest audit row; it is never deleted"
_OLD_RX_REASON = re.compile(r"^(override|accept) (\S+)(?: \| (.*))?$", re.DOTALL)


def _head_guard_up() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION yizhu_audit_head_guard() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN "
            "IF TG_OP = 'UPDATE' THEN "
            "  IF NEW.id = OLD.id AND NEW.last_seq = OLD.last_seq + 1 AND EXISTS ("
            "    SELECT 1 FROM task_runs WHERE seq = NEW.last_seq AND row_hash = NEW.last_hash "
            "    AND prev_hash = OLD.last_hash) THEN RETURN NEW; END IF; "
            "ELSIF TG_OP = 'INSERT' THEN "
            "  IF NOT EXISTS (SELECT 1 FROM audit_head) THEN RETURN NEW; END IF; "
            "END IF; "
            f"RAISE EXCEPTION '{HEAD_MESSAGE}'; END $$"
        )
        op.execute(
            "CREATE TRIGGER audit_head_guard BEFORE INSERT OR UPDATE OR DELETE ON audit_head "
            "FOR EACH ROW EXECUTE FUNCTION yizhu_audit_head_guard()"
        )
        op.execute(
            "CREATE TRIGGER audit_head_no_truncate BEFORE TRUNCATE ON audit_head "
            "FOR EACH STATEMENT EXECUTE FUNCTION yizhu_audit_head_guard()"
        )
    else:
        op.execute(
            "CREATE TRIGGER audit_head_forward_only BEFORE UPDATE ON audit_head "
            "WHEN NEW.id != OLD.id OR NEW.last_seq != OLD.last_seq + 1 OR NOT EXISTS ("
            "SELECT 1 FROM task_runs WHERE seq = NEW.last_seq AND row_hash = NEW.last_hash "
            "AND prev_hash = OLD.last_hash) "
            f"BEGIN SELECT RAISE(ABORT, '{HEAD_MESSAGE}'); END"
        )
        op.execute(
            "CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head "
            f"BEGIN SELECT RAISE(ABORT, '{HEAD_MESSAGE}'); END"
        )
        op.execute(
            "CREATE TRIGGER audit_head_one_row BEFORE INSERT ON audit_head "
            "WHEN EXISTS (SELECT 1 FROM audit_head) "
            f"BEGIN SELECT RAISE(ABORT, '{HEAD_MESSAGE}'); END"
        )


def _head_guard_down() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_head_no_truncate ON audit_head")
        op.execute("DROP TRIGGER IF EXISTS audit_head_guard ON audit_head")
        op.execute("DROP FUNCTION IF EXISTS yizhu_audit_head_guard()")
    else:
        for name in ("audit_head_forward_only", "audit_head_no_delete", "audit_head_one_row"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")


def _feedback_table(name: str, decisions: tuple[str, ...], with_item: bool) -> sa.Table:
    allowed = ", ".join(f"'{d}'" for d in decisions)
    cols = [
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("run_id", sa.String(length=32), nullable=False),
        sa.Column("actor", sa.String(length=128), nullable=False),
        sa.Column("decision", sa.String(length=16), nullable=False),
        sa.Column("edited_text", sa.Text(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    ]
    if with_item:
        cols.append(sa.Column("item", sa.String(length=256), nullable=True))
    md = sa.MetaData()
    sa.Table("task_runs", md, sa.Column("id", sa.String(length=32), primary_key=True))  # the FK's target
    return sa.Table(
        name, md, *cols,
        sa.CheckConstraint(f"decision IN ({allowed})", name="ck_feedback_decision"),
        sa.ForeignKeyConstraint(["run_id"], ["task_runs.id"], name="fk_feedback_run_id_task_runs"),
        sa.PrimaryKeyConstraint("id", name="pk_feedback"),
    )


def _set_decisions(decisions: tuple[str, ...], *, with_item: bool) -> None:
    """Change the decision check (and add or drop ``item``): ALTER on PostgreSQL, a table copy on SQLite."""
    allowed = ", ".join(f"'{d}'" for d in decisions)
    conn = op.get_bind()
    if conn.dialect.name == "postgresql":
        # 0001 went through the naming convention, which doubled the prefix of this one name
        for name in ("ck_feedback_decision", "ck_feedback_ck_feedback_decision"):
            op.execute(f"ALTER TABLE feedback DROP CONSTRAINT IF EXISTS {name}")
        if with_item:
            op.add_column("feedback", sa.Column("item", sa.String(length=256), nullable=True))
        else:
            op.drop_column("feedback", "item")
        op.execute(f"ALTER TABLE feedback ADD CONSTRAINT ck_feedback_decision CHECK (decision IN ({allowed}))")
        return
    new = _feedback_table("feedback_new", decisions, with_item)
    new.create(conn)
    cols = "id, run_id, actor, decision, edited_text, reason, created_at"
    op.execute(f"INSERT INTO feedback_new ({cols}) SELECT {cols} FROM feedback")
    op.drop_table("feedback")
    op.rename_table("feedback_new", "feedback")
    op.create_index("ix_feedback_run_id", "feedback", ["run_id"])
    op.create_index("ix_feedback_actor", "feedback", ["actor"])
    op.create_index("ix_feedback_created_at", "feedback", ["created_at"])


def _move_rx_decisions_to_fields() -> None:
    conn = op.get_bind()
    rows = conn.execute(
        sa.text(
            "SELECT f.id, f.reason FROM feedback f JOIN task_runs r ON r.id = f.run_id "
            "WHERE r.task = 'rx.review' AND f.reason IS NOT NULL"
        )
    ).all()
    for fid, reason in rows:
        m = _OLD_RX_REASON.match(reason or "")
        if m is None:
            continue
        conn.execute(
            sa.text("UPDATE feedback SET decision = :d, item = :i, reason = :r WHERE id = :id"),
            {"d": m.group(1), "i": m.group(2)[:256], "r": (m.group(3) or "").strip() or None, "id": fid},
        )


def upgrade() -> None:
    _set_decisions(("accept", "edit", "reject", "override"), with_item=True)
    _move_rx_decisions_to_fields()

    op.create_table(
        "web_sessions",
        sa.Column("id_hash", sa.String(length=64), nullable=False),
        sa.Column("key_id", sa.String(length=32), nullable=False),
        sa.Column("csrf_token", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id_hash", name="pk_web_sessions"),
    )
    op.create_index("ix_web_sessions_key_id", "web_sessions", ["key_id"])
    op.create_index("ix_web_sessions_expires_at", "web_sessions", ["expires_at"])

    op.create_table(
        "idempotency_keys",
        sa.Column("owner", sa.String(length=64), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("request_hash", sa.String(length=64), nullable=False),
        sa.Column("status", sa.Integer(), nullable=True),
        sa.Column("content_type", sa.String(length=128), nullable=True),
        sa.Column("body", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("owner", "key", name="pk_idempotency_keys"),
    )
    op.create_index("ix_idempotency_keys_created_at", "idempotency_keys", ["created_at"])
    _head_guard_up()


def downgrade() -> None:
    _head_guard_down()
    op.drop_table("idempotency_keys")
    op.drop_table("web_sessions")
    op.execute(
        "UPDATE feedback SET decision = 'reject', "
        "reason = 'override ' || item || ' | ' || COALESCE(reason, '') WHERE decision = 'override'"
    )
    _set_decisions(("accept", "edit", "reject"), with_item=False)
