"""智能导诊 over HTTP: ``POST /v1/triage`` (roles: patient_app and clinician; admin always). The patient app
may triage its own words here; the generic task door stays with the task's run_roles (clinicians).

The text is bounded (``MAX_TEXT`` characters); bad input is application/problem+json. Every triage goes
through ``run_task`` so it is in the audit log like every other task.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from yizhu.api.deps import EngineDep, Principal, require
from yizhu.api.services import run_task
from yizhu.clinical.registry import get_task, register
from yizhu.clinical.triage import MAX_TEXT, TASK_NAME, TriageTask
from yizhu.core import ClinicalContext
from yizhu.errors import ConfigError

#: who may triage free text: the patient's app and clinicians (admin always)
TRIAGE_ROLES = ("patient_app", "clinician")
TriageRole = Annotated[Principal, require(*TRIAGE_ROLES)]

router = APIRouter(prefix="/v1", tags=["triage"])


class TriageIn(BaseModel):
    """One complaint in the patient's words, with what is known of who it is about."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=MAX_TEXT, description="the complaint in the patient's words")
    age: float | None = Field(default=None, ge=0, le=130, description="age in years (default: read from the text)")
    sex: Literal["male", "female"] | None = None
    pregnant: bool | None = None
    departments: list[Annotated[str, Field(min_length=1, max_length=50)]] | None = Field(
        default=None, max_length=500, description="the hospital's department names (default: the departments pack)")


def ensure_task_registered() -> None:
    try:
        get_task(TASK_NAME)
    except ConfigError:
        register(TriageTask())


@router.post("/triage")
def triage_endpoint(body: TriageIn, engine: EngineDep, principal: TriageRole) -> dict[str, Any]:
    """Departments ranked (name, score, reasons), urgency (emergency/urgent/routine) and red flags."""
    ensure_task_registered()
    ctx = ClinicalContext(extra={"triage": body.model_dump(exclude_none=True)})
    result, run_id = run_task(engine, TASK_NAME, ctx, actor=principal.name)
    return {"run_id": run_id, **result.output}
