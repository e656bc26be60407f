"""The model gateway: every engine asks for "a model for task X" and never cares which.

Typical use in an engine::

    from yizhu.errors import ModelUnavailable
    from yizhu.llm import Gateway

    try:
        draft = gateway.structured("notes.discharge", prompt, DischargeDraft, patient_key=patient.id)
    except ModelUnavailable as exc:
        result.degraded.append(exc.degraded)   # "no_llm": run the rule path

Backends (OpenAI-compatible HTTP, in-process llama.cpp, none) are the Backend seam in
``yizhu.llm.backends``; configuration is ``[models.*]`` and ``[routes]`` in yizhu.toml
(``yizhu.llm.config``); prompts are versioned templates (``yizhu.llm.prompts``).
"""

from yizhu.llm.config import LLMConfig, ModelConfig, load_llm_config, parse_llm_config
from yizhu.llm.gateway import (
    CheckReport,
    CircuitBreaker,
    Embeddings,
    Gateway,
    ModelInfo,
    Structured,
    build_gateway,
)
from yizhu.llm.prompts import PromptLibrary, RenderedPrompt, render_prompt
from yizhu.llm.types import Attempt, CallRecord, Completion, GenParams, Message, StreamEvent

__all__ = [
    "Attempt",
    "CallRecord",
    "CheckReport",
    "CircuitBreaker",
    "Completion",
    "Embeddings",
    "Gateway",
    "GenParams",
    "LLMConfig",
    "Message",
    "ModelConfig",
    "ModelInfo",
    "PromptLibrary",
    "RenderedPrompt",
    "StreamEvent",
    "Structured",
    "build_gateway",
    "load_llm_config",
    "parse_llm_config",
    "render_prompt",
]
