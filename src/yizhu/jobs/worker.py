"""The Dramatiq worker module: ``yizhu jobs worker`` (or ``dramatiq yizhu.jobs.worker``) loads it.

Needs ``YIZHU_REDIS_URL``. Each worker process runs one job at a time per thread; start as many as
the machine has cores for batch work, on as many machines as share the Redis and the database.
"""

from __future__ import annotations

import os

import dramatiq

from yizhu.errors import ConfigError
from yizhu.jobs.redis_queue import ACTOR_NAME, QUEUE_NAME, make_broker, run_job

URL = os.environ.get("YIZHU_REDIS_URL")
if not URL:
    raise ConfigError("yizhu jobs worker needs YIZHU_REDIS_URL, e.g. redis://127.0.0.1:6379/0")

broker = make_broker(URL)
dramatiq.set_broker(broker)


@dramatiq.actor(actor_name=ACTOR_NAME, queue_name=QUEUE_NAME, max_retries=2, time_limit=24 * 3600 * 1000)
def yizhu_job(job_id: str) -> None:
    assert URL is not None
    run_job(URL, job_id)
