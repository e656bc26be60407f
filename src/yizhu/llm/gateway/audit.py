"""Audit records: every model call becomes one ``CallRecord`` (task, model, attempts, hashes, usage,
latency) for the audit sink, and feeds the metrics.
"""

from __future__ import annotations

import logging
import time
from typing import Any, Literal

from yizhu.llm import structured as so
from yizhu.llm.gateway.calls import Call, ModelRuntime
from yizhu.llm.gateway.results import sha256_text
from yizhu.llm.types import (
    Attempt,
    CallRecord,
    Completion,
)

log = logging.getLogger("yizhu.llm.gateway")  # one logger for the whole gateway


class AuditMixin:
    """One ``CallRecord`` per call for the audit sink, and the Prometheus counters.

    Mixed into ``Gateway``; ``_on_call`` is the sink the app factory and the CLI install.
    """

    # ── records ──

    def _emit(self, record: CallRecord) -> None:
        self.metrics.inc("yizhu_llm_calls_total", task=record.task, kind=record.kind, status=record.status)
        if self._on_call is None:
            return
        sink = self._on_call

        def deliver() -> None:
            try:
                sink(record)
            except Exception:  # the audit sink failing must be loud in the log but not break the reply
                log.exception("LLM call record %s could not be written to the audit sink", record.call_id)

        self._sink.submit(deliver)

    def _base_record(self, call: Call) -> dict[str, Any]:
        schema_name = schema_sha = None
        if call.schema is not None:
            _, schema_name, schema_sha = so.schema_for(call.schema)
        return {
            "call_id": call.call_id,
            "kind": call.kind,
            "task": call.task,
            "started_at": call.started_at,
            "prompt_id": call.prompt.template_id if call.prompt else None,
            "prompt_version": call.prompt.version if call.prompt else None,
            "prompt_sha256": call.prompt.sha256 if call.prompt else None,
            "input_sha256": call.input_sha256,
            "params": call.params.model_dump(exclude_none=True),
            "schema_name": schema_name,
            "schema_sha256": schema_sha,
        }

    def _record_ok(self, rt: ModelRuntime, call: Call, completion: Completion) -> None:
        cfg = rt.config
        params = call.params.merged_over(cfg.defaults).model_dump(exclude_none=True)
        if completion.completion_tokens is not None:
            self.metrics.inc("yizhu_llm_tokens_total", completion.completion_tokens, model=cfg.name, task=call.task, direction="completion")
        if completion.prompt_tokens is not None:
            self.metrics.inc("yizhu_llm_tokens_total", completion.prompt_tokens, model=cfg.name, task=call.task, direction="prompt")
        base = self._base_record(call)
        base["params"] = params
        self._emit(
            CallRecord(
                **base,
                status="ok",
                model=cfg.name,
                model_id=completion.model_id,
                backend=cfg.backend,
                external=cfg.external,
                output_sha256=sha256_text(completion.text),
                prompt_tokens=completion.prompt_tokens,
                completion_tokens=completion.completion_tokens,
                latency_ms=completion.latency_ms,
                repairs=completion.repairs,
                attempts=completion.attempts,
                reasoning=completion.reasoning,
                degraded=completion.degraded,
            )
        )

    def _record_failed(
        self, call: Call, status: Literal["failed", "no_llm", "cancelled"], attempts: list[Attempt], error: str
    ) -> None:
        self._emit(
            CallRecord(
                **self._base_record(call),
                status=status,
                latency_ms=round((time.perf_counter() - call.t0) * 1000, 3),
                attempts=list(attempts),
                error=error,
                degraded=["no_llm"],
            )
        )
