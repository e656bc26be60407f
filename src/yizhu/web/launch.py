"""Launch in context from the EMR: ``/launch?patient=…&encounter=…`` opens that encounter's page.

SMART-on-FHIR-style parameters. Authentication, in order:

- a signed-in page session or an ``X-API-Key`` header (the EMR's embedded browser sends it) → the
  encounter page;
- ``token=…`` minted a moment before by the EMR's back end with ``POST /v1/launch/token`` (its own API
  key): an HMAC-SHA256 over ``key id | patient | encounter | expiry`` with the service's
  ``secret_key``, valid ``TOKEN_TTL_S`` seconds. A valid token opens a page session for the minting
  key (revoking the key ends it) and redirects to the encounter page, so the token leaves the URL bar.

The encounter must belong to the patient; a mismatch, an unknown id or a bad/expired token gets a
Chinese error page, never a page of another patient.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, ConfigDict, Field

import yizhu.store as store
from yizhu.api.deps import COOKIE, READERS, EngineDep, Reader, SettingsDep
from yizhu.errors import AuthError, InputError
from yizhu.store.keys import _KEY_RE
from yizhu.store.sessions import create_session_for_key_id
from yizhu.web.pages import COOKIE_MAX_AGE_S, LoginRequired, PageRoute, _signed_in

TOKEN_TTL_S = 300
api_router = APIRouter(prefix="/v1/launch", tags=["launch"])
router = APIRouter(route_class=PageRoute, include_in_schema=False)


class TokenIn(BaseModel):
    """The encounter to open (and its patient)."""

    model_config = ConfigDict(extra="forbid")
    patient: str = Field(min_length=1, max_length=200)
    encounter: str = Field(min_length=1, max_length=200)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _sign(secret: str, payload: str) -> str:
    return _b64(hmac.new(secret.encode("utf-8"), payload.encode("utf-8"), hashlib.sha256).digest())


def mint(secret: str, key_id: str, patient: str, encounter: str, *, now: float | None = None) -> tuple[str, int]:
    """``(token, expiry epoch seconds)`` for one key, patient and encounter."""
    exp = int((now if now is not None else time.time()) + TOKEN_TTL_S)
    body = f"{key_id}|{exp}"
    return f"{_b64(body.encode())}.{_sign(secret, f'launch|{body}|{patient}|{encounter}')}", exp


def verify(secret: str, token: str, patient: str, encounter: str, *, now: float | None = None) -> str:
    """The key id a token was minted for; AuthError when forged, for another encounter, or expired."""
    try:
        head, sig = token.split(".", 1)
        key_id, exp_s = base64.urlsafe_b64decode(head + "=" * (-len(head) % 4)).decode("ascii").split("|")
        exp = int(exp_s)
    except (ValueError, UnicodeDecodeError):
        raise AuthError("启动令牌格式不对，请从电子病历系统重新打开") from None
    expected = _sign(secret, f"launch|{key_id}|{exp}|{patient}|{encounter}")
    if not hmac.compare_digest(expected, sig):
        raise AuthError("启动令牌无效（与患者或就诊不符），请从电子病历系统重新打开")
    if exp < (now if now is not None else time.time()):
        raise AuthError("启动令牌已过期，请从电子病历系统重新打开")
    return key_id


def _check_encounter(engine: Any, patient: str, encounter: str) -> None:
    enc = store.get_encounter(engine, encounter)  # NotFoundError → 404 page
    if enc.patient_id != patient:
        raise InputError(f"就诊 {encounter} 不属于患者 {patient}，未打开")


@api_router.post("/token", status_code=201)
def launch_token(body: TokenIn, request: Request, engine: EngineDep, settings: SettingsDep,
                 _: Reader) -> dict[str, Any]:
    """A short-lived token for ``/launch`` (the EMR's back end calls this with its own API key)."""
    m = _KEY_RE.match((request.headers.get("x-api-key") or "").strip())
    if m is None:
        raise AuthError("launch tokens are minted with an X-API-Key header (not a page session)")
    _check_encounter(engine, body.patient, body.encounter)
    token, exp = mint(settings.secret_key, m["key_id"], body.patient, body.encounter)
    q = f"patient={body.patient}&encounter={body.encounter}&token={token}"
    return {"token": token, "expires_at": exp, "url": f"/launch?{q}"}


@router.get("/launch")
def launch(request: Request, engine: EngineDep, settings: SettingsDep,
           patient: Annotated[str, Query(min_length=1, max_length=200)],
           encounter: Annotated[str, Query(min_length=1, max_length=200)],
           token: Annotated[str | None, Query(max_length=512)] = None) -> Response:
    """Open the encounter page for an EMR launch."""
    target = f"/encounters/{encounter}"
    principal = _signed_in(request, engine)
    if principal is not None and principal.role in READERS and token is None:
        _check_encounter(engine, patient, encounter)
        return RedirectResponse(target, status_code=303)
    if token is None:
        raise LoginRequired("sign in at /login")
    key_id = verify(settings.secret_key, token, patient, encounter)
    _check_encounter(engine, patient, encounter)
    created = create_session_for_key_id(engine, key_id)
    if created is None:
        raise AuthError("签发该令牌的密钥已被吊销")
    session_id, session = created
    if session.role not in READERS:
        store.end_session(engine, session_id)
        raise AuthError(f"角色「{session.role}」不能查看病历")
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(COOKIE, session_id, max_age=COOKIE_MAX_AGE_S, httponly=True, samesite="lax",
                        secure=request.url.scheme == "https", path="/")
    return response


__all__ = ["api_router", "mint", "router", "verify"]
