"""The model gateway: engines ask for "a model for task X" and never care which.

For each call the gateway walks the task's route (yizhu.llm.config), skipping models whose
circuit breaker is open, and for each model: waits for one of its ``max_concurrency`` slots,
de-identifies the messages if the model is external, sends them with a timeout, retries
retryable failures with exponential backoff and jitter, splits ``<think>`` reasoning from the
text, re-identifies the reply locally, validates structured output (re-asking a bounded number of
times), and moves on to the next model when one fails. The caller learns which model answered,
or gets ModelUnavailable / StructuredOutputError naming every attempt. Each call becomes one
CallRecord for the audit sink and feeds the Prometheus metrics.

All network I/O runs on the gateway's own event loop in a daemon thread, so the same gateway
serves sync engines (``chat``), async API handlers on another loop (``achat``) and the CLI, with
one connection pool per model. Cancelling an async caller (a client that disconnected) cancels
the work on the gateway loop and closes the upstream request.

One job a module: ``core`` (the ``Gateway`` and routing), ``retries`` and ``breaker`` (slots, backoff,
circuit breaker), ``streaming``, ``embeddings``, ``health`` (``check``), ``audit`` (one CallRecord per
call), ``calls`` (what a call carries, the gateway's event loop) and ``results`` (public result types).
A new backend is not added here but in ``yizhu.llm.backends``.
"""

from yizhu.llm.gateway.breaker import CircuitBreaker
from yizhu.llm.gateway.core import Gateway, build_gateway
from yizhu.llm.gateway.results import CheckReport, Embeddings, ModelInfo, ProbeAnswer, Structured

__all__ = [
    "CheckReport",
    "CircuitBreaker",
    "Embeddings",
    "Gateway",
    "ModelInfo",
    "ProbeAnswer",
    "Structured",
    "build_gateway",
]
