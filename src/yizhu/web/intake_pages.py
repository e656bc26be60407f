"""预问诊 pages.

The patient's H5 page ``/intake/v/{token}``: opened from the link or QR code, no account — the visit token
in the link is the only thing that identifies the patient. Consent first, then one question per screen
(tap options and/or write), large type, built for a 390 px phone, plain HTML forms (no script, nothing
from a CDN: it works wherever the hospital's server is reachable). Closing the page loses nothing: every
answer is stored when sent, and the link opens where the patient left off. A red flag on any answer ends
the interview with the 急诊/120 message.

The staff page ``/intake/new`` (clinician, admin) opens an interview and shows its link and QR code.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup

from yizhu.api.deps import EngineDep
from yizhu.clinical.intake import store as istore
from yizhu.clinical.intake.api import VisitIn, answer_session, open_visit, patient_link, qr_svg, view
from yizhu.clinical.intake.engine import MAX_ANSWER, AnswerIn
from yizhu.clinical.intake.record import build_record
from yizhu.errors import AuthError, InputError, PermissionDenied
from yizhu.web.pages import _SECURITY_HEADERS, PageRoute, PageUser, templates

router = APIRouter(route_class=PageRoute, include_in_schema=False)


def _patient_page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    response = templates.TemplateResponse(request, f"intake/{name}", {"user": None, **context}, status_code=status)
    for k, v in _SECURITY_HEADERS.items():
        response.headers.setdefault(k, v)
    return response


def _invalid(request: Request, exc: AuthError) -> HTMLResponse:
    return _patient_page(request, "invalid.html", status=401, message=str(exc))


@router.get("/intake/v/{token}")
def patient_page(request: Request, token: str, engine: EngineDep,
                 error: Annotated[str | None, Query(max_length=500)] = None) -> Response:
    """Where the patient is: consent, the current question, the red-flag message, or done."""
    try:
        s = istore.by_token(engine, token)
    except AuthError as exc:
        return _invalid(request, exc)
    return _render_state(request, token, s)


def _render_state(request: Request, token: str, s: istore.Session, error: str | None = None,
                  status: int = 200) -> HTMLResponse:
    v = view(s)
    base = f"/intake/v/{token}"
    if v["red_flag"]:
        return _patient_page(request, "red_flag.html", status=status, flag=v["red_flag"])
    if not v["consent"]:
        return _patient_page(request, "consent.html", status=status, action=f"{base}/consent")
    if v["question"] is None:
        rec = build_record(s.interview)
        return _patient_page(request, "done.html", status=status, record=rec)
    return _patient_page(request, "question.html", status=status, q=v["question"], action=f"{base}/answer",
                         error=error, answered=v["answered"], max_questions=v["max_questions"],
                         max_answer=MAX_ANSWER)


@router.post("/intake/v/{token}/consent")
def patient_consent(request: Request, token: str, engine: EngineDep,
                    agree: Annotated[str, Form(max_length=10)] = "") -> Response:
    try:
        s = istore.by_token(engine, token)
    except AuthError as exc:
        return _invalid(request, exc)
    if agree != "yes":
        return _patient_page(request, "consent.html", status=400, action=f"/intake/v/{token}/consent",
                             error="请勾选“我已阅读并同意”后再开始。")
    istore.record_consent(engine, s.id)
    return RedirectResponse(f"/intake/v/{token}", status_code=303)


@router.post("/intake/v/{token}/answer")
async def patient_answer(request: Request, token: str, engine: EngineDep) -> Response:
    try:
        s = istore.by_token(engine, token)
    except AuthError as exc:
        return _invalid(request, exc)
    form = await request.form()
    qid = str(form.get("question_id") or "")[:32]
    options = [str(o)[:32] for o in form.getlist("option")][:20]
    text = str(form.get("text") or "")[:MAX_ANSWER + 1]
    try:
        ans = AnswerIn(question_id=qid or "?", options=options, text=text or None)
    except ValueError:
        return _render_state(request, token, s, error=f"回答太长了，请不要超过 {MAX_ANSWER} 个字。", status=400)
    try:
        answer_session(engine, s, ans)
    except InputError as exc:
        msg = str(exc)
        friendly = ("请点选一个选项，或者在下面写几个字。" if "needs a tapped option" in msg else
                    "“以上都没有”不能和其他选项一起选。" if "cannot be chosen together" in msg else
                    "这一题只能选一个。" if "takes one option" in msg else
                    "页面已更新，请按当前的问题回答。")
        return _render_state(request, token, istore.get_session(engine, s.id), error=friendly, status=400)
    return RedirectResponse(f"/intake/v/{token}", status_code=303)


# --- staff ------------------------------------------------------------------------------------------


def _staff(user: Any) -> None:
    if user.role not in ("admin", "clinician"):
        raise PermissionDenied("only clinicians open pre-consultation interviews")


@router.get("/intake/new")
def new_visit_form(request: Request, user: PageUser,
                   encounter: Annotated[str | None, Query(max_length=200)] = None) -> HTMLResponse:
    """Open a pre-consultation interview for a patient: link and QR code."""
    _staff(user)
    return templates.TemplateResponse(request, "intake/new.html", {"user": user, "encounter_id": encounter or ""})


@router.post("/intake/new")
def new_visit(
    request: Request, engine: EngineDep, user: PageUser,
    complaint: Annotated[str, Form(max_length=MAX_ANSWER)] = "",
    age: Annotated[str, Form(max_length=8)] = "",
    sex: Annotated[str, Form(max_length=8)] = "",
    encounter_id: Annotated[str, Form(max_length=128)] = "",
) -> HTMLResponse:
    _staff(user)
    try:
        body = VisitIn(complaint=complaint.strip() or None, age=float(age) if age.strip() else None,
                       sex=sex if sex in ("male", "female") else None, encounter_id=encounter_id.strip() or None)
    except ValueError as exc:
        raise InputError(f"请检查年龄和性别：{exc}") from exc
    session, token = open_visit(engine, body, user.name)
    url = patient_link(request, token)
    return templates.TemplateResponse(request, "intake/created.html", {
        "user": user, "session": session, "url": url, "qr": Markup(qr_svg(url))})


