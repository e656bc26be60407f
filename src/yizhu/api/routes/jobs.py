"""``/v1/jobs``: batch work on the queue from the API (admin): nightly 终末质控, batch QC, evaluation runs,
knowledge and terminology imports, model training. The same kinds and parameters as ``yizhu jobs submit``.

With ``YIZHU_REDIS_URL`` the job goes to Redis and any worker runs it, and every replica can read it back;
without, it runs on a thread of this API process and only this process knows it (the embedded profile).
Paths in the parameters are paths on the server (or the workers' shared volume)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field

from yizhu.api.deps import Admin
from yizhu.jobs import Job, JobQueue

router = APIRouter(prefix="/v1/jobs", tags=["jobs"])


class JobIn(BaseModel):
    """A job to queue: its kind and parameters (see docs/deploy.md, "Batch work on a queue")."""

    model_config = ConfigDict(extra="forbid")

    kind: str = Field(max_length=64, description="qc.discharges, qc.batch, eval.run, kb.import, train or sleep")
    params: dict[str, Any] = Field(default_factory=dict, max_length=32)


def _queue(request: Request) -> JobQueue:
    queue = getattr(request.app.state, "jobs", None)
    if queue is None:
        from yizhu.jobs import queue_from_settings

        queue = request.app.state.jobs = queue_from_settings(request.app.state.settings.redis_url)
    return queue


@router.post("", status_code=202, response_model=Job)
def submit_job(body: JobIn, request: Request, _: Admin) -> Job:
    """Queue a job; poll ``GET /v1/jobs/{job_id}`` until ``state`` is done or failed."""
    return _queue(request).submit(body.kind, body.params)


@router.get("/{job_id}", response_model=Job)
def get_job(job_id: str, request: Request, _: Admin) -> Job:
    """A job's state, attempts, result summary or error (404 for an id this queue does not know)."""
    return _queue(request).get(job_id)
