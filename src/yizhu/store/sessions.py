"""Page sign-in sessions: the browser holds a random session id, the store only its sha256.

``create_session`` checks the API key once, at sign-in; after that the cookie names the session, never
the key. A session ends at ``expires_at``, at sign-out (``end_session``) or as soon as its key is revoked
(every lookup joins ``api_keys``). Each session has its own CSRF token, which every page form sends back.
Sessions live in the database, so several API replicas behind one database share them.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from yizhu.store.db import transaction, utcnow
from yizhu.store.keys import _KEY_RE, authenticate_api_key, note_key_used
from yizhu.store.schema import api_keys, web_sessions

#: a working shift; the key itself stays valid until revoked
SESSION_TTL = timedelta(hours=12)
_SESSION_RE = re.compile(r"^[A-Za-z0-9_-]{32,64}$")


@dataclass(frozen=True)
class Session:
    """A live page session: who (name, role) and the CSRF token its forms carry."""

    name: str
    role: str
    csrf_token: str


def _hash(session_id: str) -> str:
    return hashlib.sha256(session_id.encode("ascii")).hexdigest()


def create_session(engine: Engine, key: str, *, ttl: timedelta = SESSION_TTL) -> tuple[str, Session] | None:
    """Sign in with an API key: ``(session id for the cookie, Session)``, or None for a bad or revoked key."""
    found = authenticate_api_key(engine, key)
    m = _KEY_RE.match(key.strip())
    if found is None or m is None:
        return None
    session_id = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    now = utcnow()
    with transaction(engine) as conn:
        conn.execute(web_sessions.delete().where(web_sessions.c.expires_at < now))  # tidy expired ones
        conn.execute(
            web_sessions.insert().values(
                id_hash=_hash(session_id), key_id=m["key_id"], csrf_token=csrf, created_at=now, expires_at=now + ttl
            )
        )
    name, role = found
    return session_id, Session(name=name, role=str(getattr(role, "value", role)), csrf_token=csrf)


def get_session(engine: Engine, session_id: str | None) -> Session | None:
    """The live session a cookie names; None when unknown, expired, or its key was revoked."""
    if not session_id or not _SESSION_RE.match(session_id):
        return None
    with transaction(engine) as conn:
        row = conn.execute(
            sa.select(api_keys.c.name, api_keys.c.role, api_keys.c.key_id, web_sessions.c.csrf_token)
            .select_from(web_sessions.join(api_keys, api_keys.c.key_id == web_sessions.c.key_id))
            .where(
                web_sessions.c.id_hash == _hash(session_id),
                web_sessions.c.expires_at > utcnow(),
                api_keys.c.revoked.is_(False),
            )
        ).first()
    if row is None:
        return None
    note_key_used(engine, row.key_id)
    return Session(name=row.name, role=str(row.role), csrf_token=row.csrf_token)


def session_principal(engine: Engine, session_id: str | None) -> tuple[str, str] | None:
    """``(name, role)`` of a live session, for the API's read-only cookie authentication."""
    s = get_session(engine, session_id)
    return None if s is None else (s.name, s.role)


def end_session(engine: Engine, session_id: str | None) -> None:
    """Sign out: the session id stops working at once."""
    if not session_id or not _SESSION_RE.match(session_id):
        return
    with transaction(engine) as conn:
        conn.execute(web_sessions.delete().where(web_sessions.c.id_hash == _hash(session_id)))


def csrf_ok(session: Session, token: str | None) -> bool:
    """Constant-time comparison of a form's CSRF token with the session's."""
    return bool(token) and hmac.compare_digest(session.csrf_token.encode(), str(token).encode())


def create_session_for_key_id(engine: Engine, key_id: str, *, ttl: timedelta = SESSION_TTL) -> tuple[str, Session] | None:
    """A page session for a key already proven another way (a signed EMR launch token naming its key id);
    None when the key is unknown or revoked."""
    now = utcnow()
    with transaction(engine) as conn:
        row = conn.execute(
            sa.select(api_keys.c.name, api_keys.c.role).where(api_keys.c.key_id == key_id, api_keys.c.revoked.is_(False))
        ).first()
        if row is None:
            return None
        session_id = secrets.token_urlsafe(32)
        csrf = secrets.token_urlsafe(32)
        conn.execute(
            web_sessions.insert().values(
                id_hash=_hash(session_id), key_id=key_id, csrf_token=csrf, created_at=now, expires_at=now + ttl
            )
        )
    return session_id, Session(name=row.name, role=str(getattr(row.role, "value", row.role)), csrf_token=csrf)
