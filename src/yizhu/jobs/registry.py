"""The job kinds known by name: ``@job_kind("name")`` registers a function; the built-in kinds
(``yizhu.jobs.kinds``) are imported by name on first use, as the rule engines' check registry does, so
the queue (``core``) never imports the kinds and the kinds never import the queue.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import Any

JobFunction = Callable[[dict[str, Any]], dict[str, Any]]

#: job kind -> function(params) -> result summary (JSON-able); see yizhu.jobs.kinds
JOB_KINDS: dict[str, JobFunction] = {}
BUILTIN_KINDS = "yizhu.jobs.kinds"


def job_kind(name: str) -> Callable[[JobFunction], JobFunction]:
    """Register a job kind. Its function must be resumable: run twice, it does each item once."""

    def register(fn: JobFunction) -> JobFunction:
        JOB_KINDS[name] = fn
        return fn

    return register


def registered_kinds() -> dict[str, JobFunction]:
    """Every registered kind, the built-in ones imported first."""
    import_module(BUILTIN_KINDS)
    return JOB_KINDS
