"""Per-family quirks of OpenAI-compatible servers, kept apart from the wire protocol.

The protocol is one (chat completions, SSE, ``/v1/models``, ``/v1/embeddings``); the servers differ
in how they accept a JSON schema, where reasoning output goes, whether they honour
``stream_options`` and what context they give a model by default. A profile names those
differences so that adding an endpoint is configuration, not code.

Schema modes:
- ``json_schema``: ``response_format={"type": "json_schema", "json_schema": {...}}`` (OpenAI, vLLM,
  SGLang, LM Studio, Ollama >= 0.5).
- ``guided_json``: vLLM's older extra parameter ``guided_json`` (servers before response_format).
- ``json_object_schema``: ``response_format={"type": "json_object", "schema": {...}}`` (llama.cpp
  server and llama-cpp-python's server; the latter rejects ``json_schema``).
- ``json_object``: JSON mode without a schema (DeepSeek API, DashScope compatible mode); the schema
  goes into the prompt.
- ``prompt``: no native support; the schema goes into the prompt only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import urlparse

from yizhu.errors import ConfigError

SchemaMode = Literal["json_schema", "guided_json", "json_object_schema", "json_object", "prompt"]


@dataclass(frozen=True)
class Profile:
    """How one server family speaks the protocol."""

    name: str
    schema_mode: SchemaMode
    #: ask for usage in the last stream chunk (``stream_options.include_usage``)
    stream_usage: bool = True
    #: a context length to assume when neither the config nor the server says
    default_context: int | None = None
    note: str = ""

    @property
    def native_schema(self) -> bool:
        """Whether the server constrains decoding to the schema itself."""
        return self.schema_mode in ("json_schema", "guided_json", "json_object_schema")

    def schema_body(self, schema: dict[str, Any], name: str) -> dict[str, Any]:
        """The request-body fields that ask this server for schema-constrained output."""
        if self.schema_mode == "json_schema":
            return {"response_format": {"type": "json_schema", "json_schema": {"name": name, "schema": schema}}}
        if self.schema_mode == "guided_json":
            return {"guided_json": schema}
        if self.schema_mode == "json_object_schema":
            return {"response_format": {"type": "json_object", "schema": schema}}
        if self.schema_mode == "json_object":
            return {"response_format": {"type": "json_object"}}
        return {}


PROFILES: dict[str, Profile] = {
    p.name: p
    for p in (
        Profile("openai", "json_schema", note="OpenAI and any server that follows it closely"),
        Profile("vllm", "json_schema", note="vLLM; run with --reasoning-parser for DeepSeek-R1/Qwen3"),
        Profile("vllm-guided", "guided_json", note="vLLM before response_format json_schema"),
        Profile("sglang", "json_schema", note="SGLang"),
        Profile(
            "ollama",
            "json_schema",
            default_context=4096,
            note="Ollama /v1; the context is num_ctx of the model file, not settable per request",
        ),
        Profile(
            "llamacpp",
            "json_object_schema",
            stream_usage=False,
            note="llama.cpp server and llama-cpp-python server (grammar from the schema)",
        ),
        Profile("lmstudio", "json_schema", note="LM Studio (accepts json_schema, not json_object)"),
        Profile("deepseek", "json_object", note="DeepSeek API: JSON mode only; reasoner puts thoughts in reasoning_content"),
        Profile("dashscope", "json_object", note="DashScope compatible mode (Qwen): JSON mode only"),
        Profile("generic", "prompt", stream_usage=False, note="unknown server: prompted JSON, no extras"),
    )
}

_PORTS = {11434: "ollama", 1234: "lmstudio", 30000: "sglang"}


def detect_profile(base_url: str | None) -> str:
    """Guess the family from an endpoint when the config names none; unknown servers get ``openai``.

    Only unambiguous signs count (well-known cloud hosts and default ports): port 8000 is both
    vLLM's and llama-cpp-python's default, so those need ``profile = "..."`` in the config.
    """
    if not base_url:
        return "openai"
    parsed = urlparse(base_url)
    host = (parsed.hostname or "").lower()
    if host.endswith("deepseek.com"):
        return "deepseek"
    if "dashscope" in host:
        return "dashscope"
    if parsed.port in _PORTS:
        return _PORTS[parsed.port]
    return "openai"


def get_profile(name: str) -> Profile:
    """The profile of that name; an unknown name fails with the known ones."""
    try:
        return PROFILES[name]
    except KeyError:
        raise ConfigError(
            f"unknown profile '{name}'; known profiles: {', '.join(sorted(PROFILES))}"
        ) from None
