"""Shapes shared by the gateway and its backends.

Pydantic at the edges (what engines and the API pass in and get back, what goes to the audit);
plain dataclasses for what flows between the gateway and a backend inside one call.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Role = Literal["system", "user", "assistant"]


class _Edge(BaseModel):
    model_config = ConfigDict(extra="forbid", str_max_length=500_000)


class Message(_Edge):
    """One chat message."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_max_length=500_000)
    role: Role
    content: str


class GenParams(_Edge):
    """Sampling parameters; ``None`` leaves the model's configured default in force."""

    temperature: float | None = Field(default=None, ge=0, le=2)
    top_p: float | None = Field(default=None, gt=0, le=1)
    max_tokens: int | None = Field(default=None, ge=1, le=131072)
    stop: list[str] | None = Field(default=None, max_length=8)
    seed: int | None = None

    def merged_over(self, defaults: GenParams) -> GenParams:
        """These parameters, falling back to ``defaults`` for the ones not set."""
        base = defaults.model_dump(exclude_none=True)
        base.update(self.model_dump(exclude_none=True))
        return GenParams(**base)


@dataclass(frozen=True)
class Usage:
    """Token counts as the server reported them (``None``: not reported)."""

    prompt_tokens: int | None = None
    completion_tokens: int | None = None


@dataclass(frozen=True)
class Capabilities:
    """What a backend can do, declared rather than discovered by failing."""

    can_stream: bool = True
    #: native constrained decoding from a JSON schema (else the gateway prompts for JSON)
    supports_schema: bool = False
    supports_embeddings: bool = False
    #: runs inside this process (no server to reach)
    in_process: bool = False


@dataclass
class ChatRequest:
    """What the gateway hands a backend: messages already guarded, parameters already merged."""

    messages: list[Message]
    params: GenParams
    #: the schema of a structured call; backends use it for constrained decoding where they can
    json_schema: dict[str, Any] | None = None
    schema_name: str | None = None
    #: set only by the privacy boundary; a backend of an external model refuses requests without it
    protected: bool = False


@dataclass
class ChatResponse:
    """One complete reply from a backend, before <think> splitting and re-identification."""

    text: str
    model_id: str
    reasoning: str | None = None
    usage: Usage = field(default_factory=Usage)
    finish_reason: str | None = None


@dataclass
class ChatChunk:
    """One streamed delta from a backend."""

    text: str = ""
    reasoning: str = ""
    finish_reason: str | None = None
    usage: Usage | None = None
    model_id: str | None = None


@dataclass(frozen=True)
class ServedModel:
    """A model id an endpoint reports serving, with its context length when it says."""

    id: str
    context_length: int | None = None


AttemptOutcome = Literal["ok", "error", "invalid_output", "breaker_open", "no_llm", "cancelled"]


class Attempt(_Edge):
    """What happened when the gateway tried one model of a route."""

    model: str
    outcome: AttemptOutcome
    tries: int = 0
    error: str | None = None
    latency_ms: float = 0.0


class Completion(_Edge):
    """A reply the gateway vouches for: which model answered, clinical text without reasoning."""

    call_id: str
    task: str
    model: str = Field(description="configured name of the model that answered")
    model_id: str = Field(description="model id as the server reported it")
    text: str = Field(description="reply text: re-identified locally, <think> blocks removed")
    reasoning: str | None = Field(default=None, description="reasoning output; for the audit, not for display")
    finish_reason: str | None = None
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    latency_ms: float
    attempts: list[Attempt] = Field(default_factory=list)
    degraded: list[str] = Field(default_factory=list, description="e.g. demo_model: not clinically capable")
    repairs: int = 0


class StreamEvent(_Edge):
    """One event of a streamed reply: text deltas, then exactly one ``done`` or ``error``."""

    type: Literal["delta", "done", "error"]
    text: str = ""
    completion: Completion | None = None
    error: str | None = None
    error_type: str | None = None


class CallRecord(_Edge):
    """One gateway call as the audit log receives it: no input text, hashes instead.

    The lead wires the sink to the store's audit log; the gateway never imports the store.
    """

    call_id: str
    kind: Literal["chat", "stream", "structured", "embed", "check"]
    task: str
    started_at: datetime
    status: Literal["ok", "failed", "no_llm", "cancelled"]
    model: str | None = None
    model_id: str | None = None
    backend: str | None = None
    external: bool = False
    prompt_id: str | None = None
    prompt_version: str | None = None
    prompt_sha256: str | None = None
    input_sha256: str = Field(description="sha256 of the canonical JSON of the messages as given (before de-id)")
    output_sha256: str | None = None
    params: dict[str, Any] = Field(default_factory=dict)
    schema_name: str | None = None
    schema_sha256: str | None = None
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    latency_ms: float = 0.0
    repairs: int = 0
    attempts: list[Attempt] = Field(default_factory=list)
    reasoning: str | None = Field(default=None, description="reasoning output kept for the audit only")
    error: str | None = None
    degraded: list[str] = Field(default_factory=list)
