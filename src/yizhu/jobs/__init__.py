"""Batch work on a queue: nightly 终末质控, batch QC of a directory, evaluation runs, imports.

One job API for both profiles (docs/deploy.md):

- **embedded**: ``LocalQueue`` runs jobs on a thread in this process; state lives in memory.
- **production** (``YIZHU_REDIS_URL`` set): ``RedisQueue`` puts each job on a Dramatiq queue in Redis;
  ``yizhu jobs worker`` processes (any number, any machine) run them. Job state is a Redis hash.

Delivery is at least once: a worker that is killed (kill -9, OOM, a node lost) never acknowledged
its message, so after the broker's heartbeat timeout another worker gets it again. Work is not
repeated because every job kind is resumable at item granularity: it appends one line per finished
item (an encounter, a record, a case) to ``results.jsonl`` in its output directory, flushed before
the next item starts, and a rerun skips the items already there (see ``yizhu.jobs.kinds``). A job
whose state is already ``done`` is acknowledged without running again.
"""

from __future__ import annotations

import os

from yizhu.jobs.core import Job, JobQueue, JobState, LocalQueue
from yizhu.jobs.redis_queue import RedisQueue
from yizhu.jobs.registry import JOB_KINDS, job_kind

__all__ = ["JOB_KINDS", "Job", "JobQueue", "JobState", "LocalQueue", "RedisQueue", "job_kind", "queue_from_settings"]


def queue_from_settings(redis_url: str | None = None) -> JobQueue:
    """RedisQueue when ``YIZHU_REDIS_URL`` (or ``redis_url``) is set, else the in-process LocalQueue."""
    url = redis_url or os.environ.get("YIZHU_REDIS_URL")
    if url:
        return RedisQueue(url)
    return LocalQueue()
