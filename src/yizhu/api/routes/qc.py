"""病历质控 over HTTP: real-time check of a note being written, and QC of a stored encounter."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

import yizhu.store as store
from yizhu.api.deps import EngineDep, Principal, Reader, task_role
from yizhu.api.services import run_task
from yizhu.clinical.qc import check_document, default_rules, finding_json
from yizhu.clinical.qc.engine import QC_MODE_KEY
from yizhu.core import ClinicalContext

router = APIRouter(prefix="/v1/qc", tags=["qc"])


class QCCheckIn(BaseModel):
    """A note as the EMR editor holds it, with the encounter's facts when known."""

    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1, max_length=500_000)
    document_id: str | None = Field(default=None, max_length=128)
    context: ClinicalContext | None = Field(default=None, description="patient, encounter, orders, allergies")


@router.post("/check")
def check(body: QCCheckIn, _: Reader) -> dict[str, Any]:
    """Real-time QC (环节质控) of one document: meant to be called on every save; nothing is stored."""
    report = check_document(body.text, doc_id=body.document_id, context=body.context)
    return report.as_document_json(body.document_id)


@router.post("/encounters/{encounter_id}")
def check_encounter(
    encounter_id: str, engine: EngineDep, principal: Annotated[Principal, task_role("qc.record", "run")]
) -> dict[str, Any]:
    """QC of a stored encounter with cross-document rules (终末质控); the run is audited. Roles: the
    ``qc.record`` task's run_roles."""
    ctx = store.load_context(engine, encounter_id)
    ctx = ctx.model_copy(update={"extra": {**ctx.extra, QC_MODE_KEY: "encounter"}})
    result, run_id = run_task(engine, "qc.record", ctx, actor=principal.name, encounter_id=encounter_id)
    return {
        "run_id": run_id,
        "encounter": encounter_id,
        **{k: result.output[k] for k in ("score", "grade", "rules_version", "mode", "gradable", "vetoes", "skipped_rules")},
        "findings": [finding_json(f) for f in result.findings],
    }


@router.get("/rules")
def rules(_: Reader) -> dict[str, Any]:
    """Every rule with its category, severity, points and source clause."""
    rs = default_rules()
    return {"version": rs.version, "rules": [r.model_dump() for r in rs.rules], "vetoes": [v.model_dump() for v in rs.vetoes]}
