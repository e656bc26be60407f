"""The production queue: Dramatiq over Redis, job state in a Redis hash.

Dramatiq's Redis broker keeps each message a worker has taken in that worker's "acks" set until the
actor returns; workers send heartbeats, and queue maintenance puts the unacknowledged messages of a
worker whose heartbeat stopped (``YIZHU_JOBS_HEARTBEAT_MS``, default 60 s) back on the queue. So a
worker killed with -9 loses nothing; the job kinds' item-level resumption keeps it from repeating work.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from typing import Any

from yizhu.errors import ConfigError, NotFoundError
from yizhu.jobs.core import Job, JobQueue, execute, new_job

QUEUE_NAME = "yizhu-jobs"
ACTOR_NAME = "yizhu_job"
NAMESPACE = "yizhu-dramatiq"
STATE_KEY = "yizhu:job:{id}"
#: finished jobs are kept this long in Redis
STATE_TTL_S = 30 * 24 * 3600


def make_broker(url: str) -> Any:
    """The Dramatiq Redis broker both producers and workers use."""
    try:
        from dramatiq.brokers.redis import RedisBroker
    except ImportError as exc:
        raise ConfigError("YIZHU_REDIS_URL is set but dramatiq is not installed: pip install 'yizhu[production]'") from exc
    heartbeat_ms = int(os.environ.get("YIZHU_JOBS_HEARTBEAT_MS", "60000"))
    # maintenance (requeueing dead workers' messages) runs on this share, per million, of broker commands
    maintenance = int(os.environ.get("YIZHU_JOBS_MAINTENANCE_CHANCE", "1000"))
    return RedisBroker(url=url, namespace=NAMESPACE, heartbeat_timeout=heartbeat_ms, maintenance_chance=maintenance)


def _redis(url: str) -> Any:
    import redis

    return redis.Redis.from_url(url, decode_responses=True)


def _save(client: Any, job: Job) -> None:
    client.set(STATE_KEY.format(id=job.id), job.model_dump_json(), ex=STATE_TTL_S)


def _load(client: Any, job_id: str) -> Job | None:
    raw = client.get(STATE_KEY.format(id=job_id))
    return Job.model_validate(json.loads(raw)) if raw else None


class RedisQueue(JobQueue):
    """Submit to Redis; ``yizhu jobs worker`` runs the jobs."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.broker = make_broker(url)
        self.client = _redis(url)

    def submit(self, kind: str, params: dict[str, Any] | None = None) -> Job:
        import dramatiq

        job = new_job(kind, dict(params or {}))
        _save(self.client, job)
        message = dramatiq.Message(queue_name=QUEUE_NAME, actor_name=ACTOR_NAME, args=(job.id,), kwargs={}, options={})
        self.broker.declare_queue(QUEUE_NAME)
        self.broker.enqueue(message)
        return job

    def get(self, job_id: str) -> Job:
        job = _load(self.client, job_id)
        if job is None:
            raise NotFoundError(f"no job '{job_id}' in {self.url.split('@')[-1]}")
        return job

    def close(self) -> None:
        self.broker.close()
        self.client.close()


def run_job(url: str, job_id: str) -> None:
    """What a worker does with one message: run the job unless it is already finished."""
    client = _redis(url)
    try:
        job = _load(client, job_id)
        if job is None or job.state in ("done", "failed"):
            return  # redelivered after it finished (the worker died before acknowledging): nothing to redo
        job = job.model_copy(update={"state": "running", "attempts": job.attempts + 1})
        _save(client, job)
        done = execute(job)
        _save(client, done.model_copy(update={"finished_at": done.finished_at or datetime.now(UTC)}))
    finally:
        client.close()
