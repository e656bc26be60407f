"""Interview sessions in the store: the visit token (random, shown once, only its sha256 kept; expiring;
bound to one session, so to one encounter), the interview state, and every answer with its question."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from yizhu.clinical.intake.engine import Answered, Interview
from yizhu.errors import AuthError, InputError, NotFoundError
from yizhu.store.db import transaction, utcnow
from yizhu.store.schema import intake_answers, intake_sessions

#: how long a visit link works by default, and at most (minutes)
DEFAULT_TTL_MIN = 120
MAX_TTL_MIN = 24 * 60
TOKEN_BYTES = 24


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass
class Session:
    id: str
    status: str
    encounter_id: str | None
    patient_id: str | None
    created_by: str
    created_at: datetime
    expires_at: datetime
    updated_at: datetime
    consent_at: datetime | None
    interview: Interview

    def public(self) -> dict[str, Any]:
        return {"session_id": self.id, "status": self.status, "encounter_id": self.encounter_id,
                "patient_id": self.patient_id, "created_at": self.created_at.isoformat(),
                "expires_at": self.expires_at.isoformat(), "consent": self.consent_at is not None}


def _row(r: Any) -> Session:
    return Session(id=r.id, status=r.status, encounter_id=r.encounter_id, patient_id=r.patient_id,
                   created_by=r.created_by, created_at=r.created_at, expires_at=r.expires_at, updated_at=r.updated_at,
                   consent_at=r.consent_at, interview=Interview.model_validate(r.data))


def create_session(engine: Engine, iv: Interview, *, created_by: str, encounter_id: str | None = None,
                   patient_id: str | None = None, ttl_minutes: int = DEFAULT_TTL_MIN) -> tuple[Session, str]:
    """A new session and its visit token (returned once; the store keeps only the hash)."""
    if not 1 <= ttl_minutes <= MAX_TTL_MIN:
        raise InputError(f"ttl_minutes must be between 1 and {MAX_TTL_MIN}")
    token = secrets.token_urlsafe(TOKEN_BYTES)
    sid = secrets.token_hex(8)
    now = utcnow()
    with transaction(engine) as conn:
        conn.execute(intake_sessions.insert().values(
            id=sid, token_hash=token_hash(token), encounter_id=encounter_id, patient_id=patient_id,
            status=iv.status, created_by=created_by, created_at=now, expires_at=now + timedelta(minutes=ttl_minutes),
            updated_at=now, consent_at=None, data=iv.model_dump(mode="json")))
        for a in iv.answers:
            _put_answer(conn, sid, a, now)
    return get_session(engine, sid), token


def _put_answer(conn: Any, sid: str, a: Answered, now: datetime) -> None:
    conn.execute(intake_answers.insert().values(session_id=sid, seq=a.seq, question_id=a.slot, question=a.question,
                                                answer=a.model_dump(mode="json"), created_at=now))


def get_session(engine: Engine, session_id: str) -> Session:
    with transaction(engine) as conn:
        r = conn.execute(sa.select(intake_sessions).where(intake_sessions.c.id == session_id)).first()
    if r is None:
        raise NotFoundError(f"no interview session '{session_id}'")
    return _row(r)


def by_token(engine: Engine, token: str | None) -> Session:
    """The session a visit token opens; an unknown or expired token is refused (401) without saying which."""
    if not token or len(token) > 200:
        raise AuthError("this visit link is missing its token; ask the clinic for a new link or QR code")
    with transaction(engine) as conn:
        r = conn.execute(sa.select(intake_sessions).where(intake_sessions.c.token_hash == token_hash(token))).first()
    if r is None or r.expires_at <= utcnow():
        raise AuthError("this visit link is not valid or has expired; ask the clinic for a new link or QR code")
    return _row(r)


def record_consent(engine: Engine, session_id: str) -> None:
    now = utcnow()
    with transaction(engine) as conn:
        conn.execute(intake_sessions.update().where(intake_sessions.c.id == session_id,
                                                    intake_sessions.c.consent_at.is_(None))
                     .values(consent_at=now, updated_at=now))


def save_progress(engine: Engine, session_id: str, iv: Interview, known: int) -> None:
    """Store the new state and the answers after the first ``known`` (in one transaction)."""
    now = utcnow()
    with transaction(engine, write_lock=True) as conn:
        cur = conn.execute(sa.select(sa.func.count()).select_from(intake_answers)
                           .where(intake_answers.c.session_id == session_id)).scalar_one()
        if cur != known:
            raise InputError("this interview changed meanwhile (answered in another window); reload the page")
        for a in iv.answers[known:]:
            _put_answer(conn, session_id, a, now)
        conn.execute(intake_sessions.update().where(intake_sessions.c.id == session_id)
                     .values(status=iv.status, data=iv.model_dump(mode="json"), updated_at=now))


def answers(engine: Engine, session_id: str) -> list[dict[str, Any]]:
    with transaction(engine) as conn:
        rows = conn.execute(sa.select(intake_answers).where(intake_answers.c.session_id == session_id)
                            .order_by(intake_answers.c.seq)).all()
    return [{"seq": r.seq, "question_id": r.question_id, "question": r.question, "answer": r.answer,
             "created_at": r.created_at.isoformat()} for r in rows]


def sessions_for_encounter(engine: Engine, encounter_id: str) -> list[Session]:
    with transaction(engine) as conn:
        rows = conn.execute(sa.select(intake_sessions).where(intake_sessions.c.encounter_id == encounter_id)
                            .order_by(intake_sessions.c.created_at.desc())).all()
    return [_row(r) for r in rows]


def latest_record_text(engine: Engine, encounter_id: str) -> str | None:
    """The newest finished interview of an encounter as a sectioned record (the notes' 预问诊 source)."""
    from yizhu.clinical.intake.record import as_text, build_record

    for s in sessions_for_encounter(engine, encounter_id):
        if s.status in ("complete", "red_flag"):
            return as_text(build_record(s.interview))
    return None


def records_for_encounter(engine: Any, encounter_id: str) -> list[dict[str, Any]]:
    """The encounter page's 预问诊 card: each interview's record (newest first)."""
    from yizhu.clinical.intake.engine import default_engine
    from yizhu.clinical.intake.record import build_record

    return [
        {"session": s.public(), "record": build_record(s.interview, default_engine())}
        for s in sessions_for_encounter(engine, encounter_id)
    ]
