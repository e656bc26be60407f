"""``yizhu jobs submit|show|worker``: batch work on the queue (Redis when YIZHU_REDIS_URL is set)."""

from __future__ import annotations

import json
import os
import sys
from typing import Annotated

import typer

from yizhu.cli.common import OutputFormat, console, fail, print_json
from yizhu.errors import YizhuError
from yizhu.jobs.core import Job

app = typer.Typer(help="Batch jobs (nightly QC, batch QC) on the queue; workers for the production profile.",
                  no_args_is_help=True)


def _print(job: Job, fmt: OutputFormat) -> None:
    if fmt == OutputFormat.json:
        print_json(job.model_dump(mode="json"))
        return
    console.print(f"job {job.id}  {job.kind}  {job.state}  (attempts {job.attempts})", markup=False, highlight=False)
    if job.result:
        for key, value in job.result.items():
            console.print(f"  {key}: {value}", markup=False, highlight=False)
    if job.error:
        console.print(f"  error: {job.error}", markup=False, highlight=False)


def _params(pairs: list[str]) -> dict[str, object]:
    out: dict[str, object] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            fail(f"--param '{pair}' is not KEY=VALUE, e.g. --param out=var/qc-nightly")
        try:
            out[key] = json.loads(value)
        except ValueError:
            out[key] = value
    return out


@app.command("submit")
def submit(
    kind: Annotated[str, typer.Argument(help="qc.discharges | qc.batch | eval.run | kb.import | train | sleep")],
    param: Annotated[list[str] | None, typer.Option("--param", "-p", help="KEY=VALUE (repeatable).")] = None,
    wait: Annotated[bool, typer.Option("--wait/--no-wait", help="Wait for the job to finish (always with the embedded queue).")] = False,
    fmt: Annotated[OutputFormat, typer.Option("--format", help="json or text.")] = OutputFormat.json,
) -> None:
    """Queue a job and print it as JSON.

    Example: yizhu jobs submit qc.discharges --param out=var/qc-nightly
    Example: yizhu jobs submit qc.batch -p path=records/ -p out=var/qc-batch --wait
    Example: yizhu jobs submit kb.import -p path=hospital/icd.csv -p kind=icd -p out=var/jobs/icd
    Example: yizhu jobs submit train -p kind=triage -p data=triage.jsonl -p out=var/jobs/train-triage
    """
    import time

    from yizhu.jobs import LocalQueue, queue_from_settings

    try:
        queue = queue_from_settings()
        job = queue.submit(kind, _params(param or []))
        if isinstance(queue, LocalQueue) or wait:  # the embedded queue lives in this process only
            while (job := queue.get(job.id)).state in ("queued", "running"):
                time.sleep(0.1)
        queue.close()
    except YizhuError as exc:
        fail(str(exc))
    _print(job, fmt)
    if job.state == "failed":
        raise typer.Exit(1)


@app.command("show")
def show(
    job_id: Annotated[str, typer.Argument(help="The job id submit printed.")],
    fmt: Annotated[OutputFormat, typer.Option("--format", help="json or text.")] = OutputFormat.text,
) -> None:
    """A job's state and result (production queue). Example: yizhu jobs show 3f2a…"""
    from yizhu.jobs import queue_from_settings

    try:
        queue = queue_from_settings()
        job = queue.get(job_id)
        queue.close()
    except YizhuError as exc:
        fail(str(exc))
    _print(job, fmt)


@app.command("worker", context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def worker(ctx: typer.Context) -> None:
    """Run Dramatiq workers for the queue in YIZHU_REDIS_URL (extra options go to dramatiq).

    Example: YIZHU_REDIS_URL=redis://127.0.0.1:6379/0 yizhu jobs worker --processes 2 --threads 1
    """
    if not os.environ.get("YIZHU_REDIS_URL"):
        fail("yizhu jobs worker needs YIZHU_REDIS_URL, e.g. redis://127.0.0.1:6379/0 (the embedded profile runs jobs in process)")
    try:
        from dramatiq.cli import main as dramatiq_main
    except ImportError:
        fail("dramatiq is not installed: pip install 'yizhu[production]'")
    sys.argv = ["dramatiq", "yizhu.jobs.worker", *ctx.args]
    raise typer.Exit(dramatiq_main() or 0)
