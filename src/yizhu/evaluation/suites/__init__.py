"""The suite registry: every evaluation suite by name, built-ins registered as a plugin would be.

Suites register through the ``yizhu.eval_suites`` entry-point group (``name = "module:Class"``),
exactly as a hospital's own suite package would. ``BUILTIN`` lists the same lines that
pyproject.toml declares, and is used only for a built-in the installed metadata does not know yet
(an editable install made before a suite was added). ``register_suite`` adds one at run time.
"""

from __future__ import annotations

from importlib import import_module
from importlib.metadata import entry_points

from yizhu.errors import ConfigError
from yizhu.evaluation.suites.base import ENGINE, NO_LLM, Outcome, ResultView, RunEnv, Suite, Summary, Table

ENTRY_POINT_GROUP = "yizhu.eval_suites"

#: name -> "module:Class", mirrored in pyproject.toml [project.entry-points."yizhu.eval_suites"]
BUILTIN: dict[str, str] = {
    "qc": "yizhu.evaluation.suites.qc:QCSuite",
    "deid": "yizhu.evaluation.suites.deid:DeidSuite",
    "rx": "yizhu.evaluation.suites.rx:RxSuite",
    "normalisation": "yizhu.evaluation.suites.terminology:NormalisationSuite",
    "extraction": "yizhu.evaluation.suites.terminology:ExtractionSuite",
    "triage": "yizhu.evaluation.suites.triage:TriageSuite",
    "intake": "yizhu.evaluation.suites.intake:IntakeSuite",
    "notes": "yizhu.evaluation.suites.notes:NoteDraftingSuite",
    "exam": "yizhu.evaluation.suites.exam:ExamSuite",
    "exam-rag": "yizhu.evaluation.suites.exam:ExamRAGSuite",
    "rubric": "yizhu.evaluation.suites.rubric:RubricSuite",
    "redteam": "yizhu.evaluation.suites.redteam:RedTeamSuite",
}

_registry: dict[str, Suite] = {}
_loaded = False


def register_suite(suite: Suite | type[Suite]) -> Suite:
    """Register a suite (instance or class) under its name, replacing an earlier one."""
    obj = suite() if isinstance(suite, type) else suite
    if not isinstance(obj, Suite) or not obj.name:
        raise ConfigError(f"{suite!r} is not an evaluation Suite: subclass yizhu.evaluation.suites.Suite and set name")
    _registry[obj.name] = obj
    return obj


def _load(name: str, target: str) -> None:
    module, _, attr = target.partition(":")
    try:
        obj = getattr(import_module(module), attr)
    except Exception as exc:  # a broken plugin must say which one
        raise ConfigError(f"evaluation suite '{name}' ({target}) failed to load: {exc}") from exc
    register_suite(obj)


def _load_entry_points() -> None:
    global _loaded
    if _loaded:
        return
    _loaded = True
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        if ep.name not in _registry:
            _load(ep.name, ep.value)
    for name, target in BUILTIN.items():
        if name not in _registry:
            _load(name, target)


def get_suite(name: str) -> Suite:
    """The suite registered under ``name``; an unknown name fails with the known ones."""
    _load_entry_points()
    try:
        return _registry[name]
    except KeyError:
        raise ConfigError(f"unknown evaluation suite '{name}'; known suites: {', '.join(sorted(_registry))}") from None


def list_suites() -> list[Suite]:
    """Every registered suite, sorted by name."""
    _load_entry_points()
    return [_registry[k] for k in sorted(_registry)]


__all__ = [
    "BUILTIN",
    "ENGINE",
    "ENTRY_POINT_GROUP",
    "NO_LLM",
    "Outcome",
    "ResultView",
    "RunEnv",
    "Suite",
    "Summary",
    "Table",
    "get_suite",
    "list_suites",
    "register_suite",
]
