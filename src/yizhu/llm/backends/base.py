"""The Backend seam: one class per wire protocol or runtime, registered by name.

A backend turns a ChatRequest into a ChatResponse (``chat``), a stream of ChatChunks (``stream``)
or vectors (``embed``), and says what it can do in ``capabilities``. It raises ModelCallError with
``retryable`` set for every failure; retries, limits, the breaker, fallback and the privacy guard
are the gateway's, so a backend stays small. Built-in backends register through
``register_backend`` exactly as a hospital's plugin does (or through the ``yizhu.llm_backends``
entry-point group).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import AsyncIterator
from importlib.metadata import entry_points
from typing import ClassVar

from yizhu.errors import ConfigError, ModelCallError
from yizhu.llm.config import ModelConfig
from yizhu.llm.types import Capabilities, ChatChunk, ChatRequest, ChatResponse, ServedModel

ENTRY_POINT_GROUP = "yizhu.llm_backends"


class Backend(ABC):
    """A model runtime or wire protocol."""

    #: registered name, used as ``backend = "..."`` in yizhu.toml
    name: ClassVar[str]
    capabilities: Capabilities = Capabilities()

    def __init__(self, config: ModelConfig, *, api_key: str | None = None) -> None:
        self.config = config
        self.api_key = api_key

    @classmethod
    def validate_config(cls, config: ModelConfig, source: str) -> None:
        """Fail at start-up, naming the key and the fix, if the table cannot work with this backend."""
        return None

    @abstractmethod
    async def chat(self, request: ChatRequest) -> ChatResponse:
        """One complete reply."""

    def stream(self, request: ChatRequest) -> AsyncIterator[ChatChunk]:
        """The reply as it is generated; backends that cannot stream say so."""
        raise ModelCallError(f"model '{self.config.name}' ({self.name}) cannot stream")

    async def embed(self, texts: list[str]) -> list[list[float]]:
        """One vector per text."""
        raise ModelCallError(f"model '{self.config.name}' ({self.name}) has no embeddings; route embeddings elsewhere")

    async def list_models(self) -> list[ServedModel]:
        """What the endpoint serves (reachability check)."""
        return []

    async def aclose(self) -> None:
        """Release connections or memory."""
        return None


_registry: dict[str, type[Backend]] = {}
_loaded = False


def register_backend(cls: type[Backend]) -> type[Backend]:
    """Register a backend class under its ``name``; usable as a class decorator."""
    if not (isinstance(cls, type) and issubclass(cls, Backend)) or not getattr(cls, "name", None):
        raise ConfigError(f"{cls!r} is not a Backend: subclass yizhu.llm.backends.Backend and set `name`")
    _registry[cls.name] = cls
    return cls


def _load_entry_points() -> None:
    global _loaded
    if _loaded:
        return
    _loaded = True
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        if ep.name in _registry:
            continue
        try:
            register_backend(ep.load())
        except Exception as exc:  # a broken plugin must fail start-up loudly, not vanish
            raise ConfigError(f"model backend plugin '{ep.name}' ({ep.value}) failed to load: {exc}") from exc


def backend_class(name: str) -> type[Backend]:
    """The backend registered under ``name``; an unknown name fails with the known ones."""
    _load_entry_points()
    try:
        return _registry[name]
    except KeyError:
        raise ConfigError(
            f"unknown model backend '{name}'; known backends: {', '.join(sorted(_registry))}"
        ) from None


def known_backends() -> list[str]:
    """Names of every registered backend."""
    _load_entry_points()
    return sorted(_registry)
