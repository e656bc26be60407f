"""The ``none`` backend: no model. A route that reaches it makes the engine run its rule path.

The gateway never calls it; it exists so that ``backend = "none"`` is a valid table (a named
placeholder a hospital can switch to a real endpoint later) and lists like any other backend.
"""

from __future__ import annotations

from yizhu.errors import ConfigError, ModelUnavailable
from yizhu.llm.backends.base import Backend, register_backend
from yizhu.llm.config import ModelConfig
from yizhu.llm.types import Capabilities, ChatRequest, ChatResponse


@register_backend
class NoneBackend(Backend):
    """No model: engines degrade to their rule/knowledge path and mark results ``no_llm``."""

    name = "none"
    capabilities = Capabilities(can_stream=False, supports_schema=False, supports_embeddings=False)

    @classmethod
    def validate_config(cls, config: ModelConfig, source: str) -> None:
        if config.base_url or config.path or config.model:
            raise ConfigError(
                f"{source}: [models.{config.name}] has backend = \"none\" but also base_url/path/model; "
                "remove them or pick a real backend (openai, llamacpp)"
            )

    async def chat(self, request: ChatRequest) -> ChatResponse:
        raise ModelUnavailable(f"model '{self.config.name}' is configured as none (no model)", degraded="no_llm")
