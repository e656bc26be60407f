"""The job API shared by both profiles: kinds, the Job record, the queue interface, the local queue."""

from __future__ import annotations

import threading
import traceback
import uuid
from abc import ABC, abstractmethod
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from yizhu.errors import InputError, NotFoundError, YizhuError
from yizhu.jobs.registry import JOB_KINDS, registered_kinds

JobState = Literal["queued", "running", "done", "failed"]


class Job(BaseModel):
    """One job as the API and CLI show it."""

    model_config = ConfigDict(extra="forbid")

    id: str
    kind: str
    params: dict[str, Any] = Field(default_factory=dict)
    state: JobState = "queued"
    attempts: int = Field(default=0, description="times a worker started it (more than 1 after a worker died)")
    result: dict[str, Any] | None = None
    error: str | None = None
    created_at: datetime
    finished_at: datetime | None = None


def new_job(kind: str, params: dict[str, Any]) -> Job:
    if kind not in registered_kinds():
        raise InputError(f"unknown job kind '{kind}'; known kinds: {', '.join(sorted(JOB_KINDS))}")
    return Job(id=uuid.uuid4().hex, kind=kind, params=params, created_at=datetime.now(UTC))


def execute(job: Job) -> Job:
    """Run one job to its end state (never raises for the job's own failure)."""
    fn = registered_kinds()[job.kind]
    try:
        result = fn(job.params)
    except YizhuError as exc:
        return job.model_copy(update={"state": "failed", "error": str(exc), "finished_at": datetime.now(UTC)})
    except Exception as exc:  # a bug: keep the trace in the job for the operator
        trace = "".join(traceback.format_exception_only(type(exc), exc)).strip()
        return job.model_copy(update={"state": "failed", "error": f"internal error: {trace}", "finished_at": datetime.now(UTC)})
    return job.model_copy(update={"state": "done", "result": result, "finished_at": datetime.now(UTC)})


class JobQueue(ABC):
    """Submit a job, read it back."""

    @abstractmethod
    def submit(self, kind: str, params: dict[str, Any] | None = None) -> Job: ...

    @abstractmethod
    def get(self, job_id: str) -> Job: ...

    def close(self) -> None:
        return None


class LocalQueue(JobQueue):
    """The embedded profile: jobs run one at a time on a background thread of this process."""

    def __init__(self) -> None:
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        self._run_lock = threading.Lock()

    def submit(self, kind: str, params: dict[str, Any] | None = None) -> Job:
        job = new_job(kind, dict(params or {}))
        with self._lock:
            self._jobs[job.id] = job
        threading.Thread(target=self._run, args=(job.id,), daemon=True, name=f"job-{job.id[:8]}").start()
        return job

    def _run(self, job_id: str) -> None:
        with self._run_lock:
            with self._lock:
                job = self._jobs[job_id].model_copy(update={"state": "running"})
                job.attempts += 1
                self._jobs[job_id] = job
            done = execute(job)
            with self._lock:
                self._jobs[job_id] = done

    def get(self, job_id: str) -> Job:
        with self._lock:
            job = self._jobs.get(job_id)
        if job is None:
            raise NotFoundError(f"no job '{job_id}' (the embedded queue keeps jobs of this process only)")
        return job

    def wait(self, job_id: str, timeout_s: float = 600.0) -> Job:
        import time

        deadline = time.monotonic() + timeout_s
        while (job := self.get(job_id)).state in ("queued", "running"):
            if time.monotonic() > deadline:
                break
            time.sleep(0.02)
        return job
