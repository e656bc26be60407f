"""预问诊 over HTTP.

Staff (API key; roles ``clinician`` and ``patient_app`` — the hospital's kiosk or app — admin always):
``POST /v1/intake/visits`` creates an interview and returns its visit token once (with the patient link and
a QR code as SVG); ``GET /v1/intake/sessions/{id}`` (clinician, admin) returns the state, every answer with
its question and the record for the doctor; ``GET /v1/intake/sessions?encounter_id=`` lists an encounter's.

Patient (the visit token in the ``X-Visit-Token`` header; no account, no API key — an API key does not
open a session, the token alone does): ``GET /v1/intake/session`` (state and the next question), ``POST
/v1/intake/session/consent``, ``POST /v1/intake/session/answers`` (``{question_id, options, text}``), ``GET
/v1/intake/session/record`` (what the patient told, as the doctor will read it).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Header, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from yizhu.api.deps import EngineDep, Principal, require
from yizhu.clinical.intake import store as istore
from yizhu.clinical.intake.engine import MAX_ANSWER, AnswerIn, default_engine
from yizhu.clinical.intake.record import build_record
from yizhu.errors import InputError

#: who may open an interview for a patient (admin always)
CREATE_ROLES = ("clinician", "patient_app")
#: who may read a patient's answers and record (admin always)
READ_ROLES = ("clinician",)
CreateRole = Annotated[Principal, require(*CREATE_ROLES)]
ReadRole = Annotated[Principal, require(*READ_ROLES)]
VisitToken = Annotated[str | None, Header(alias="X-Visit-Token", max_length=200,
                                          description="the visit token from the link or QR")]

router = APIRouter(prefix="/v1/intake", tags=["intake"])


def visit_session(engine: EngineDep, token: VisitToken = None) -> istore.Session:
    """The session the visit token opens (checked before the body is read: no token, no answer)."""
    return istore.by_token(engine, token)


VisitSession = Annotated[istore.Session, Depends(visit_session)]


class VisitIn(BaseModel):
    """A new interview: what is known at check-in (all optional) and how long the link works."""

    model_config = ConfigDict(extra="forbid")

    complaint: str | None = Field(default=None, max_length=MAX_ANSWER, description="the complaint, if already known")
    age: float | None = Field(default=None, ge=0, le=130)
    sex: Literal["male", "female"] | None = None
    encounter_id: str | None = Field(default=None, min_length=1, max_length=128)
    patient_id: str | None = Field(default=None, min_length=1, max_length=128)
    ttl_minutes: int = Field(default=istore.DEFAULT_TTL_MIN, ge=1, le=istore.MAX_TTL_MIN)


def patient_link(request: Request | None, token: str) -> str:
    path = f"/intake/v/{token}"
    return str(request.base_url).rstrip("/") + path if request is not None else path


def qr_svg(url: str) -> str:
    """The link as a QR code (SVG, drawn here: no network, no CDN)."""
    import io

    import segno

    buf = io.BytesIO()
    segno.make(url, error="m").save(buf, kind="svg", scale=6, border=2, xmldecl=False, svgns=True,
                                    title="预问诊二维码")
    return buf.getvalue().decode("utf-8")


def open_visit(engine: Any, body: VisitIn, actor: str) -> tuple[istore.Session, str]:
    eng = default_engine()
    iv = eng.start(body.complaint, age=body.age, sex=body.sex)
    return istore.create_session(engine, iv, created_by=actor, encounter_id=body.encounter_id,
                                 patient_id=body.patient_id, ttl_minutes=body.ttl_minutes)


@router.post("/visits", status_code=201)
def create_visit(body: VisitIn, request: Request, engine: EngineDep, principal: CreateRole) -> dict[str, Any]:
    """A new interview and its visit token (shown once; the store keeps only its hash)."""
    session, token = open_visit(engine, body, principal.name)
    url = patient_link(request, token)
    return {**session.public(), "token": token, "url": url, "qr_svg": qr_svg(url)}


def view(session: istore.Session) -> dict[str, Any]:
    """What the patient's page needs: status, consent, the next question or the red-flag message."""
    eng = default_engine()
    iv = session.interview
    q = eng.next_question(iv) if session.consent_at is not None else None
    return {
        "status": iv.status,
        "consent": session.consent_at is not None,
        "expires_at": session.expires_at.isoformat(),
        "question": q.model_dump() if q is not None else None,
        "answered": eng.asked(iv),
        "max_questions": eng.max_questions(iv),
        "red_flag": ({"name": iv.red_flag["name"], "message": iv.red_flag["message"]} if iv.red_flag else None),
        "mode": iv.mode,
    }


@router.get("/session")
def get_own_session(s: VisitSession) -> dict[str, Any]:
    """The interview this visit token opens: status and the next question (after consent)."""
    return view(s)


@router.post("/session/consent")
def give_consent(engine: EngineDep, s: VisitSession) -> dict[str, Any]:
    """The patient agrees to answer (the consent screen comes first); then questions are shown."""
    istore.record_consent(engine, s.id)
    return view(istore.get_session(engine, s.id))


def answer_session(engine: Any, s: istore.Session, ans: AnswerIn) -> istore.Session:
    if s.consent_at is None:
        raise InputError("please read and accept the consent screen before answering")
    iv = s.interview.model_copy(deep=True)
    known = len(iv.answers)
    default_engine().answer(iv, ans)
    istore.save_progress(engine, s.id, iv, known)
    return istore.get_session(engine, s.id)


@router.post("/session/answers")
def post_answer(s: VisitSession, ans: AnswerIn, engine: EngineDep) -> dict[str, Any]:
    """One answer to the current question; the reply is the next question, or the end (complete / red flag)."""
    return view(answer_session(engine, s, ans))


@router.get("/session/record")
def own_record(s: VisitSession) -> dict[str, Any]:
    """What the patient told, as the doctor will read it."""
    rec = build_record(s.interview)
    rec.pop("answers", None)
    return rec


@router.get("/sessions/{session_id}")
def staff_session(session_id: str, engine: EngineDep, principal: ReadRole) -> dict[str, Any]:
    """An interview for the doctor: state, every answer with its question, and the traced record."""
    s = istore.get_session(engine, session_id)
    return {**s.public(), "record": build_record(s.interview), "answers": istore.answers(engine, s.id)}


@router.get("/sessions")
def staff_sessions(engine: EngineDep, principal: ReadRole,
                   encounter_id: Annotated[str, Query(min_length=1, max_length=128)]) -> dict[str, Any]:
    """An encounter's interviews, newest first, each with its record."""
    return {"sessions": [{**s.public(), "record": build_record(s.interview)}
                         for s in istore.sessions_for_encounter(engine, encounter_id)]}
