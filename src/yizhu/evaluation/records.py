"""The records of an evaluation run, as written to its directory: ``run.json`` (``RunSettings``, with each
model's ``ModelIdentity``), one ``results.jsonl`` line per case and model (``CaseResult``) and
``report.json`` (``RunReport`` of ``ModelReport``s).

The runner writes them and the report renders them, so both import this module and neither imports the
other's internals: runner → report → records.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from yizhu.errors import NotFoundError
from yizhu.evaluation.metrics import RESAMPLES
from yizhu.evaluation.suites import Summary


class ModelIdentity(BaseModel):
    """What a result depends on about a model (no secrets)."""

    model_config = ConfigDict(extra="forbid")
    name: str
    backend: str
    base_url: str | None = None
    model: str | None = None
    path: str | None = None
    profile: str | None = None
    external: bool = False
    clinical: bool = True
    label: str | None = None
    max_concurrency: int = 1


class RunSettings(BaseModel):
    """Everything needed to reproduce a run, written to run.json before the first case runs."""

    model_config = ConfigDict(extra="forbid")

    run_id: str
    suite: str
    suite_version: str
    suite_title: str = ""
    engine: str = ""
    engine_versions: dict[str, str] = Field(default_factory=dict)
    dataset: dict[str, Any] = Field(default_factory=dict)
    models: list[ModelIdentity] = Field(default_factory=list)
    grader: ModelIdentity | None = None
    temperature: float = 0.0
    seed: int = 0
    max_tokens: int | None = None
    limit: int | None = None
    bootstrap_resamples: int = RESAMPLES
    prompts: dict[str, dict[str, str]] = Field(default_factory=dict)
    knowledge_packs: dict[str, dict[str, str]] = Field(default_factory=dict)
    code: dict[str, str | None] = Field(default_factory=dict)
    status: Literal["running", "done", "failed", "engine_unavailable"] = "running"
    reason: str | None = None
    started_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    finished_at: datetime | None = None
    cases_total: int = 0
    cases_done: int = 0


class CaseResult(BaseModel):
    """One line of results.jsonl."""

    model_config = ConfigDict(extra="forbid")

    key: str
    case_id: str
    model: str
    category: str | None = None
    status: Literal["ok", "abstained", "error"]
    output: Any = None
    scores: dict[str, float | None] = Field(default_factory=dict)
    data: dict[str, Any] = Field(default_factory=dict)
    model_id: str | None = None
    latency_ms: float = 0.0
    error: str | None = None
    degraded: list[str] = Field(default_factory=list)
    at: datetime = Field(default_factory=lambda: datetime.now(UTC))


class ModelReport(BaseModel):
    """One model's numbers in a run."""

    model_config = ConfigDict(extra="forbid")
    model: str
    label: str | None = None
    cases: int
    ok: int
    abstained: int
    errors: int
    degraded: int = Field(default=0, description="results the engine marked degraded (e.g. llm_failed, no_llm)")
    summary: Summary


class RunReport(BaseModel):
    """report.json: the settings and each model's metrics."""

    model_config = ConfigDict(extra="forbid")

    run_id: str
    suite: str
    title: str
    status: Literal["done", "engine_unavailable", "failed", "running"]
    reason: str | None = None
    settings: RunSettings
    models: list[ModelReport] = Field(default_factory=list)
    created_at: datetime = Field(default_factory=lambda: datetime.now(UTC))

    def model(self, name: str) -> ModelReport:
        """The report of one model; NotFoundError naming the models of the run otherwise."""
        for m in self.models:
            if m.model == name:
                return m
        raise NotFoundError(f"run {self.run_id} has no model '{name}'; models: {', '.join(m.model for m in self.models)}")
