"""De-identification over HTTP: what the `yizhu deid` command does, for an integration."""

from __future__ import annotations

from fastapi import APIRouter

from yizhu.api.deps import Reader, SettingsDep
from yizhu.privacy import deidentify
from yizhu.privacy.schemas import DeidRequest, DeidResponse

router = APIRouter(prefix="/v1", tags=["privacy"])


@router.post("/deid", response_model=DeidResponse)
def deid(req: DeidRequest, settings: SettingsDep, _: Reader) -> DeidResponse:
    """Redact or surrogate PHI; entity offsets point into the original text. The mapping never leaves."""
    result = deidentify(req.text, mode=req.mode, patient_key=req.patient_key, settings=settings)
    return DeidResponse.from_result(result, explain=req.explain)
