"""The Task seam and its registry.

A task is any object with ``name``, ``version`` and ``run(ctx) -> Result``. Built-in tasks register
through the ``yizhu.tasks`` entry-point group exactly as a hospital's plugin would; ``register``
adds one at run time (tests, notebooks).
"""

from __future__ import annotations

import threading
from importlib.metadata import entry_points
from typing import Protocol, runtime_checkable

from yizhu.core import ClinicalContext, Result
from yizhu.errors import ConfigError

ENTRY_POINT_GROUP = "yizhu.tasks"


@runtime_checkable
class Task(Protocol):
    """A clinical task engine."""

    name: str
    version: str

    def run(self, ctx: ClinicalContext) -> Result:
        """Run the task on one clinical context."""
        ...


_registry: dict[str, Task] = {}
_loaded = False
_load_lock = threading.Lock()


def register(task: Task) -> Task:
    """Register a task instance under its name (replacing any earlier one)."""
    if not isinstance(task, Task):
        raise ConfigError(f"{task!r} is not a Task: it needs name, version and run(ctx) -> Result.")
    _registry[task.name] = task
    return task


def _load_entry_points() -> None:
    # Concurrent first requests after a restart all arrive here: the flag is set only once every
    # plugin is registered, and the lock makes the others wait instead of seeing an empty registry.
    global _loaded
    if _loaded:
        return
    with _load_lock:
        if _loaded:
            return
        for ep in entry_points(group=ENTRY_POINT_GROUP):
            if ep.name in _registry:
                continue
            try:
                obj = ep.load()
            except Exception as exc:  # a broken plugin must not take the service down silently
                raise ConfigError(f"task plugin '{ep.name}' ({ep.value}) failed to load: {exc}") from exc
            register(obj() if isinstance(obj, type) else obj)
        _loaded = True


def get_task(name: str) -> Task:
    """The task registered under ``name``; an unknown name fails with the known ones."""
    _load_entry_points()
    try:
        return _registry[name]
    except KeyError:
        known = ", ".join(sorted(_registry)) or "(none)"
        raise ConfigError(f"unknown task '{name}'; known tasks: {known}") from None


def list_tasks() -> list[Task]:
    """Every registered task, sorted by name."""
    _load_entry_points()
    return [_registry[k] for k in sorted(_registry)]
