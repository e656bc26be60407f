"""The public result types of the gateway: structured output, embeddings, model listings and health checks.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Generic, Literal

from pydantic import BaseModel, ConfigDict, Field

from yizhu.llm.backends import Backend
from yizhu.llm.gateway.calls import T
from yizhu.llm.types import Completion

# ── public result types ─────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class Structured(Generic[T]):
    """A validated structured reply and the completion it came from."""

    value: T
    completion: Completion


class Embeddings(BaseModel):
    """Vectors for texts, and which model made them."""

    model_config = ConfigDict(extra="forbid")
    model: str
    vectors: list[list[float]]
    latency_ms: float


class ModelInfo(BaseModel):
    """One configured model as listings show it."""

    model_config = ConfigDict(extra="forbid")
    name: str
    backend: str
    endpoint: str
    model: str | None
    profile: str | None
    external: bool
    clinical: bool
    label: str | None
    max_concurrency: int
    timeout_s: float
    capabilities: dict[str, bool]
    breaker: str
    inflight: int
    routes: list[str] = Field(default_factory=list, description="tasks whose route lists this model")


class CheckReport(BaseModel):
    """Result of ``yizhu models check``: reachability, model id, capabilities, a structured probe."""

    model_config = ConfigDict(extra="forbid")
    name: str
    backend: str
    endpoint: str
    ok: bool
    reachable: bool
    served: list[str] = Field(default_factory=list)
    model_found: bool | None = None
    context_length: int | None = None
    capabilities: dict[str, bool] = Field(default_factory=dict)
    profile: str | None = None
    probe_ok: bool | None = None
    probe_latency_ms: float | None = None
    probe_model_id: str | None = None
    clinical: bool = True
    label: str | None = None
    error: str | None = None


class ProbeAnswer(BaseModel):
    """The schema of the structured-output probe."""

    model_config = ConfigDict(extra="forbid")
    answer: Literal["是", "否"]


def capabilities_of(backend: Backend) -> dict[str, bool]:
    c = backend.capabilities
    return {
        "stream": c.can_stream,
        "native_schema": c.supports_schema,
        "embeddings": c.supports_embeddings,
        "in_process": c.in_process,
    }


def join_text(*parts: str | None) -> str | None:
    text = "\n".join(p for p in parts if p)
    return text or None


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
