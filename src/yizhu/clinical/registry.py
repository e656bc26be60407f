"""The Task seam and its registry.

A task is any object with ``name``, ``version`` and ``run(ctx) -> Result``. Built-in tasks register
through the ``yizhu.tasks`` entry-point group exactly as a hospital's plugin would; ``register``
adds one at run time (tests, notebooks).

A task also declares who may use it (``task_roles``): ``run_roles`` (who may run it), ``decide_roles``
(who may accept, edit, reject or override its output) and ``decisions`` (which of those decisions its
output takes). Every door — the task's own routes, ``POST /v1/tasks/{name}/run``,
``POST /v1/task-runs/{id}/feedback`` and the pages — enforces this one declaration. ``admin`` may always.
A task that declares nothing may be run and decided on by clinicians only. A task may also define
``check_decision(output, decision, item, reason)`` to refuse a decision its output cannot take (an alert
key that is not in the review, ...).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from importlib.metadata import entry_points
from typing import Protocol, runtime_checkable

from yizhu.core import ClinicalContext, Result
from yizhu.errors import ConfigError, UnknownTask

ENTRY_POINT_GROUP = "yizhu.tasks"


@runtime_checkable
class Task(Protocol):
    """A clinical task engine."""

    name: str
    version: str

    def run(self, ctx: ClinicalContext) -> Result:
        """Run the task on one clinical context."""
        ...


#: every role a key can have (the store's api_keys.role check constraint holds the same list)
ROLES = ("admin", "clinician", "pharmacist", "qc_officer", "patient_app")
#: every decision the feedback table takes
DECISIONS = ("accept", "edit", "reject", "override")
DEFAULT_RUN_ROLES = ("clinician",)
DEFAULT_DECIDE_ROLES = ("clinician",)
DEFAULT_DECISIONS = ("accept", "edit", "reject")


@dataclass(frozen=True)
class TaskRoles:
    """A task's declaration of who may run it, who may decide on its output, and which decisions it takes."""

    run: tuple[str, ...]
    decide: tuple[str, ...]
    decisions: tuple[str, ...]

    def may_run(self, role: str) -> bool:
        return role == "admin" or role in self.run

    def may_decide(self, role: str) -> bool:
        return role == "admin" or role in self.decide


def _roles(task: object, attr: str, default: tuple[str, ...], allowed: tuple[str, ...]) -> tuple[str, ...]:
    value = tuple(getattr(task, attr, default))
    bad = [v for v in value if v not in allowed]
    if bad:
        raise ConfigError(f"task {getattr(task, 'name', task)!r} declares unknown {attr} {bad}; known: {allowed}")
    return value


def task_roles(task: Task | str) -> TaskRoles:
    """The declaration of a task (or of the task registered under a name)."""
    t = get_task(task) if isinstance(task, str) else task
    return TaskRoles(
        run=_roles(t, "run_roles", DEFAULT_RUN_ROLES, ROLES),
        decide=_roles(t, "decide_roles", DEFAULT_DECIDE_ROLES, ROLES),
        decisions=_roles(t, "decisions", DEFAULT_DECISIONS, DECISIONS),
    )


_registry: dict[str, Task] = {}
_loaded = False
_load_lock = threading.Lock()


def register(task: Task) -> Task:
    """Register a task instance under its name (replacing any earlier one)."""
    if not isinstance(task, Task):
        raise ConfigError(f"{task!r} is not a Task: it needs name, version and run(ctx) -> Result.")
    task_roles(task)  # a bad declaration fails at registration, not on the first request
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
        raise UnknownTask(f"unknown task '{name}'; known tasks: {known}") from None


def list_tasks() -> list[Task]:
    """Every registered task, sorted by name."""
    _load_entry_points()
    return [_registry[k] for k in sorted(_registry)]
