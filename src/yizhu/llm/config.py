"""The ``[models.*]`` and ``[routes]`` tables of yizhu.toml, validated at start-up.

Adding a vLLM, SGLang, Ollama, llama.cpp or LM Studio endpoint is a table here, no code::

    [models.local-qwen]
    backend = "openai"            # openai | llamacpp | none (or a plugin's name)
    base_url = "http://127.0.0.1:8000/v1"
    model = "Qwen2.5-7B-Instruct"
    profile = "vllm"              # quirks: see yizhu.llm.profiles (guessed from the URL if absent)
    api_key_env = "VLLM_API_KEY"  # optional: the environment variable holding the key
    external = false              # true: outside the hospital, de-identify before every call
    max_concurrency = 16
    timeout_s = 60

    [routes]                      # task -> models tried in order
    "notes.discharge" = ["local-qwen", "none"]
    default = ["local-qwen", "none"]

A task without a route of its own uses the route of its nearest dotted parent (``notes`` for
``notes.discharge``), then ``default``, then ``none``: with nothing configured every engine runs its
rule path and says so. Every mistake is a ConfigError naming the key and the fix.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from yizhu.config import Settings
from yizhu.errors import ConfigError
from yizhu.llm.types import GenParams

NONE = "none"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$")


class ModelConfig(BaseModel):
    """One ``[models.NAME]`` table."""

    model_config = ConfigDict(extra="forbid")

    name: str
    backend: str = Field(default="openai", description="openai | llamacpp | none, or a plugin backend")
    base_url: str | None = Field(default=None, description="OpenAI-compatible endpoint ending in /v1")
    model: str | None = Field(default=None, description="model id the server serves")
    path: str | None = Field(default=None, description="GGUF file for the in-process llamacpp backend")
    api_key_env: str | None = Field(default=None, description="environment variable holding the API key")
    external: bool = Field(default=False, description="outside the hospital: de-identify every call")
    profile: str | None = Field(default=None, description="server family; see yizhu.llm.profiles")
    max_concurrency: int = Field(default=16, ge=1, le=10000)
    timeout_s: float = Field(default=60.0, gt=0, le=3600, description="per request; idle time for streams")
    stream_max_s: float = Field(default=600.0, gt=0, le=7200, description="longest a stream may last")
    retries: int = Field(default=2, ge=0, le=10, description="extra tries on retryable errors")
    backoff_s: float = Field(default=0.25, ge=0, le=30, description="first backoff; doubles per retry")
    breaker_failures: int = Field(default=5, ge=1, le=1000, description="consecutive failures that open the breaker")
    breaker_cooldown_s: float = Field(default=30.0, gt=0, le=3600)
    context_length: int | None = Field(default=None, ge=128)
    max_repairs: int = Field(default=2, ge=0, le=5, description="re-asks when structured output fails validation")
    temperature: float | None = Field(default=None, ge=0, le=2)
    max_tokens: int | None = Field(default=None, ge=1, le=131072)
    extra_body: dict[str, Any] = Field(default_factory=dict, description="extra request fields, e.g. enable_thinking")
    threads: int | None = Field(default=None, ge=1, le=256, description="llamacpp: CPU threads")
    chat_format: str | None = Field(default=None, description="llamacpp: chat format if the GGUF has no template")
    clinical: bool = Field(default=True, description="false: a demo model, not clinically capable")
    label: str | None = Field(default=None, description="shown wherever the model is listed")

    @property
    def defaults(self) -> GenParams:
        """The sampling defaults this model's table sets."""
        return GenParams(temperature=self.temperature, max_tokens=self.max_tokens)

    @property
    def endpoint(self) -> str:
        """Where the model lives, for listings: URL, file or nothing."""
        return self.base_url or self.path or "-"


@dataclass
class LLMConfig:
    """All configured models and routes."""

    models: dict[str, ModelConfig] = field(default_factory=dict)
    routes: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def route_for(self, task: str) -> tuple[str, ...]:
        """Models to try for a task: its own route, the nearest parent's, ``default``, else none."""
        parts = task.split(".")
        for n in range(len(parts), 0, -1):
            key = ".".join(parts[:n])
            if key in self.routes:
                return self.routes[key]
        return self.routes.get("default", (NONE,))


def _flatten_routes(raw: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """TOML turns an unquoted ``notes.discharge = [...]`` into nested tables; accept both spellings."""
    flat: dict[str, Any] = {}
    for key, value in raw.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten_routes(value, prefix=f"{name}."))
        else:
            flat[name] = value
    return flat


def _model_error(source: str, name: str, exc: ValidationError) -> ConfigError:
    err = exc.errors()[0]
    key = ".".join(str(x) for x in err["loc"]) or "?"
    where = f"{source}: [models.{name}]"
    if err["type"] == "extra_forbidden":
        known = ", ".join(k for k in ModelConfig.model_fields if k != "name")
        return ConfigError(f"{where} unknown key '{key}'; remove it or use one of: {known}")
    return ConfigError(f"{where} key '{key}': {err['msg']}; fix the value in {source}")


def parse_llm_config(
    models_raw: Mapping[str, Any] | None,
    routes_raw: Mapping[str, Any] | None,
    *,
    source: str = "yizhu.toml",
    validate_backend: Callable[[ModelConfig, str], None] | None = None,
) -> LLMConfig:
    """Validate the raw tables; ``validate_backend`` adds each backend's own checks."""
    models: dict[str, ModelConfig] = {}
    for name, table in (models_raw or {}).items():
        if not isinstance(table, dict):
            raise ConfigError(f"{source}: 'models.{name}' must be a table; write it as [models.{name}] with keys below it")
        if not _NAME.match(name):
            raise ConfigError(
                f"{source}: model name '{name}' is not allowed; use letters, digits, '-', '_' or '.' (at most 64)"
            )
        if name == NONE:
            raise ConfigError(f"{source}: [models.none] is reserved (it means: no model); pick another name")
        if "name" in table:
            raise ConfigError(f"{source}: [models.{name}] remove the key 'name'; the table name is the model name")
        try:
            cfg = ModelConfig(name=name, **table)
        except ValidationError as exc:
            raise _model_error(source, name, exc) from exc
        if validate_backend is not None:
            validate_backend(cfg, source)
        models[name] = cfg

    routes: dict[str, tuple[str, ...]] = {}
    for task, chain in _flatten_routes(routes_raw or {}).items():
        where = f'{source}: [routes] "{task}"'
        if isinstance(chain, str):
            chain = [chain]
        if not isinstance(chain, list) or not chain or not all(isinstance(x, str) for x in chain):
            raise ConfigError(f'{where} must be a non-empty list of model names, e.g. ["local-qwen", "none"]')
        for i, name in enumerate(chain):
            if name == NONE:
                if i != len(chain) - 1:
                    raise ConfigError(f"{where}: 'none' ends a route; models after it are never tried, remove them")
                continue
            if name not in models:
                known = ", ".join(sorted(models)) or "(no [models.*] tables)"
                raise ConfigError(
                    f"{where} names model '{name}', which is not defined; add [models.{name}] or use one of: "
                    f"{known}, none"
                )
        if len(set(chain)) != len(chain):
            raise ConfigError(f"{where} lists a model twice; list each once")
        routes[task] = tuple(chain)
    return LLMConfig(models=models, routes=routes)


def load_llm_config(settings: Settings, *, validate_backend: Callable[[ModelConfig, str], None] | None = None) -> LLMConfig:
    """The LLM configuration from Settings (the raw yizhu.toml tables it carries)."""
    extra = settings.extra_sections or {}
    return parse_llm_config(extra.get("models"), extra.get("routes"), validate_backend=validate_backend)
