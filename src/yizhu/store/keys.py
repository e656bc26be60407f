"""API keys: created once, shown once, stored only as a salted HMAC.

A key reads ``yz_<key_id>_<secret>``. ``key_id`` (12 hex characters) is public and finds the row;
the row holds a random per-key salt and HMAC-SHA256(salt, key). Checking a key is one indexed
lookup and one constant-time comparison; the plaintext never reaches the database.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import threading
import time
from datetime import UTC, datetime, timedelta
from enum import StrEnum

import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict
from sqlalchemy.engine import Engine

from yizhu.errors import InputError, NotFoundError, StoreError
from yizhu.store.db import transaction, utcnow
from yizhu.store.schema import ROLES, api_keys

KEY_PREFIX = "yz_"
#: ``last_used_at`` is written at most this often per key (per process, and the UPDATE itself skips a row
#: written less than this long ago by another replica): a burst of requests costs one write, not one each.
LAST_USED_EVERY_S = 60.0
_touched: dict[str, float] = {}
_touched_lock = threading.Lock()
_KEY_RE = re.compile(r"^yz_(?P<key_id>[0-9a-f]{12})_(?P<secret>[A-Za-z0-9_-]{32,128})$")


class Role(StrEnum):
    """What an API key may do; the API maps each route to the roles it admits."""

    admin = "admin"
    clinician = "clinician"
    pharmacist = "pharmacist"
    qc_officer = "qc_officer"
    patient_app = "patient_app"


assert tuple(r.value for r in Role) == ROLES, "Role and schema.ROLES must list the same roles"


class ApiKeyInfo(BaseModel):
    """A stored key without its secret: what `yizhu keys list` and the admin API show."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    key_id: str
    name: str
    role: Role
    created_at: datetime
    revoked: bool
    revoked_at: datetime | None = None
    last_used_at: datetime | None = None


def _role(role: Role | str) -> Role:
    try:
        return Role(role)
    except ValueError:
        known = ", ".join(r.value for r in Role)
        raise InputError(f"unknown role {role!r}; use one of: {known}.") from None


def _digest(salt: str, key: str) -> str:
    return hmac.new(bytes.fromhex(salt), key.encode("utf-8"), hashlib.sha256).hexdigest()


def create_api_key(engine: Engine, role: Role | str, name: str) -> str:
    """Create a key for ``name`` with ``role`` and return the plaintext key (shown once, never stored)."""
    r = _role(role)
    name = name.strip()
    if not name or len(name) > 128:
        raise InputError("an API key needs a name of 1-128 characters saying who uses it (e.g. his-gateway).")
    key_id = secrets.token_hex(6)
    key = f"{KEY_PREFIX}{key_id}_{secrets.token_urlsafe(32)}"
    salt = secrets.token_hex(16)
    with transaction(engine, write_lock=True) as conn:
        conn.execute(
            sa.insert(api_keys).values(
                key_id=key_id,
                name=name,
                role=r.value,
                salt=salt,
                key_hash=_digest(salt, key),
                created_at=utcnow(),
                revoked=False,
            )
        )
    return key


def authenticate_api_key(engine: Engine, key: str) -> tuple[str, Role] | None:
    """``(name, role)`` for a valid, unrevoked key; None for anything else (never raises on bad keys)."""
    m = _KEY_RE.match(key.strip()) if isinstance(key, str) else None
    if m is None:
        return None
    with transaction(engine) as conn:
        row = conn.execute(
            sa.select(
                api_keys.c.name, api_keys.c.role, api_keys.c.salt, api_keys.c.key_hash, api_keys.c.revoked
            ).where(api_keys.c.key_id == m["key_id"])
        ).first()
    if row is None or row.revoked:
        return None
    if not hmac.compare_digest(_digest(row.salt, key.strip()), row.key_hash):
        return None
    note_key_used(engine, m["key_id"])
    return row.name, Role(row.role)


def note_key_used(engine: Engine, key_id: str) -> bool:
    """Record that ``key_id`` authenticated now, at most once a minute per key; True when it wrote.

    The first check is in memory (no database round trip for a request storm); the UPDATE is conditional
    on the stored time being older than a minute, so replicas do not each write either."""
    now_mono = time.monotonic()
    token = f"{id(engine)}:{key_id}"
    with _touched_lock:
        last = _touched.get(token)
        if last is not None and now_mono - last < LAST_USED_EVERY_S:
            return False
        _touched[token] = now_mono
        if len(_touched) > 10_000:  # keys come and go; forget the oldest half
            for k in sorted(_touched, key=_touched.__getitem__)[:5_000]:
                del _touched[k]
    now = utcnow()
    cutoff = now - timedelta(seconds=LAST_USED_EVERY_S)
    try:
        with transaction(engine) as conn:
            result = conn.execute(
                sa.update(api_keys)
                .where(
                    api_keys.c.key_id == key_id,
                    sa.or_(api_keys.c.last_used_at.is_(None), api_keys.c.last_used_at < cutoff),
                )
                .values(last_used_at=now)
            )
            return bool(result.rowcount)
    except StoreError:  # a busy or read-only database must not refuse a valid key; try again next minute
        with _touched_lock:
            _touched.pop(token, None)
        return False


def forget_key_use_cache() -> None:
    """Drop the in-memory throttle (tests that move the clock, a fresh process)."""
    with _touched_lock:
        _touched.clear()


def _info(row: sa.Row[tuple[object, ...]]) -> ApiKeyInfo:
    m = row._mapping
    return ApiKeyInfo(
        key_id=m["key_id"],
        name=m["name"],
        role=Role(m["role"]),
        created_at=m["created_at"].replace(tzinfo=UTC),
        revoked=m["revoked"],
        revoked_at=m["revoked_at"].replace(tzinfo=UTC) if m["revoked_at"] else None,
        last_used_at=m["last_used_at"].replace(tzinfo=UTC) if m["last_used_at"] else None,
    )


def list_api_keys(engine: Engine, *, include_revoked: bool = False) -> list[ApiKeyInfo]:
    """Stored keys without secrets, oldest first."""
    cols = [api_keys.c[c] for c in ("key_id", "name", "role", "created_at", "revoked", "revoked_at", "last_used_at")]
    stmt = sa.select(*cols).order_by(api_keys.c.id)
    if not include_revoked:
        stmt = stmt.where(api_keys.c.revoked.is_(False))
    with transaction(engine) as conn:
        return [_info(r) for r in conn.execute(stmt)]


def revoke_api_key(engine: Engine, name_or_key_id: str) -> int:
    """Revoke every active key with this key_id or name; returns how many. NotFoundError if none."""
    target = name_or_key_id.strip()
    m = _KEY_RE.match(target)
    if m is not None:  # a full key was pasted: revoke by its id
        target = m["key_id"]
    with transaction(engine, write_lock=True) as conn:
        result = conn.execute(
            sa.update(api_keys)
            .where(
                sa.or_(api_keys.c.key_id == target, api_keys.c.name == target), api_keys.c.revoked.is_(False)
            )
            .values(revoked=True, revoked_at=utcnow())
        )
        count = result.rowcount
    if count == 0:
        raise NotFoundError(f"no active API key with key id or name {target!r}; see `yizhu keys list`.")
    return int(count)
