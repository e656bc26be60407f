"""Built-in recognizers and the registry that finds them.

Simple recognizers are data: one YAML file each in this folder (schema in
:mod:`yizhu.privacy.recognizers.schema`). Person names, addresses and organisations need a little
logic and are Python classes (``person.py``, ``address.py``, ``org.py``) whose word lists are data
under ``data/``. A hospital adds its own recognizer as a plugin in the ``yizhu.privacy.recognizers``
entry-point group (a Recognizer class or instance), or at run time with :func:`register`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from importlib.metadata import entry_points
from pathlib import Path

from yizhu.errors import ConfigError
from yizhu.privacy.recognizer import Pattern, Recognizer
from yizhu.privacy.recognizers.schema import RecognizerSpec
from yizhu.privacy.recognizers.specs import builtin_spec_paths, load_spec

ENTRY_POINT_GROUP = "yizhu.privacy.recognizers"

_extra: dict[str, Recognizer] = {}


class DataRecognizer(Recognizer):
    """A recognizer defined entirely by a YAML spec."""

    def __init__(self, spec: RecognizerSpec) -> None:
        self.spec = spec
        self.name = spec.name
        self.entity = spec.entity.value
        self.description = spec.description
        self.source = spec.source
        patterns = [
            Pattern(
                name=p.name,
                regex=spec.expand(p.regex),
                score=p.score,
                labels=tuple(p.labels),
                label_position=p.label_position,
                include_label=p.include_label,
                window=p.window,
                validate=p.check,
                first=p.first,
                not_after=p.not_after,
                spaced_labels=p.label_position == "before",
            )
            for p in spec.patterns
        ]
        super().__init__(
            patterns, spec.context, validator=spec.validator, context_window=spec.context_window
        )


def data_recognizer(path: Path) -> DataRecognizer:
    """A DataRecognizer from a YAML file (validators are checked here too)."""
    return DataRecognizer(load_spec(path))


def _python_builtins() -> list[Callable[[], Recognizer]]:
    from yizhu.privacy.recognizers.address import AddressRecognizer
    from yizhu.privacy.recognizers.bare_codes import BareCodeRecognizer
    from yizhu.privacy.recognizers.columns import IdentifierColumnRecognizer
    from yizhu.privacy.recognizers.number_label import NumberLabelRecognizer
    from yizhu.privacy.recognizers.org import OrganisationRecognizer
    from yizhu.privacy.recognizers.partial_ids import PartialIdentifierRecognizer
    from yizhu.privacy.recognizers.person import PersonRecognizer
    from yizhu.privacy.recognizers.spoken_numbers import SpokenNumberRecognizer
    from yizhu.privacy.recognizers.ward_beds import WardBedRecognizer

    return [PersonRecognizer, AddressRecognizer, OrganisationRecognizer, IdentifierColumnRecognizer,
            NumberLabelRecognizer, SpokenNumberRecognizer, BareCodeRecognizer, WardBedRecognizer,
            PartialIdentifierRecognizer]


def register(recognizer: Recognizer) -> Recognizer:
    """Add a recognizer at run time (tests, notebooks); it joins every Analyzer built afterwards."""
    if not isinstance(recognizer, Recognizer):
        raise ConfigError(f"{recognizer!r} is not a Recognizer; subclass yizhu.privacy.Recognizer.")
    _extra[recognizer.name] = recognizer
    _clear_caches()
    return recognizer


def unregister(name: str) -> None:
    """Remove a run-time registration (tests)."""
    _extra.pop(name, None)
    _clear_caches()


#: called after every run-time (un)registration, so what was built from the old set is rebuilt
_on_change: list[Callable[[], None]] = []


def on_change(listener: Callable[[], None]) -> Callable[[], None]:
    """Call ``listener()`` after a recognizer is registered or removed at run time (deid's analyzer
    caches register here); usable as a decorator."""
    if listener not in _on_change:
        _on_change.append(listener)
    return listener


def _clear_caches() -> None:
    default_recognizers.cache_clear()
    for listener in list(_on_change):
        listener()


def _plugins() -> list[Recognizer]:
    out: list[Recognizer] = []
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        try:
            obj = ep.load()
        except Exception as exc:  # a broken plugin must fail loudly, naming itself
            raise ConfigError(f"recognizer plugin '{ep.name}' ({ep.value}) failed to load: {exc}") from exc
        rec = obj() if isinstance(obj, type) else obj
        if not isinstance(rec, Recognizer):
            raise ConfigError(f"recognizer plugin '{ep.name}' ({ep.value}) is not a Recognizer.")
        out.append(rec)
    return out


@lru_cache(maxsize=1)
def default_recognizers() -> tuple[Recognizer, ...]:
    """Built-in YAML and Python recognizers, then plugins, then run-time registrations (by name)."""
    found: dict[str, Recognizer] = {}
    for path in builtin_spec_paths():
        rec = data_recognizer(path)
        found[rec.name] = rec
    for factory in _python_builtins():
        rec = factory()
        found[rec.name] = rec
    for rec in _plugins():
        found[rec.name] = rec
    found.update(_extra)
    return tuple(found.values())


def get_recognizer(name: str) -> Recognizer:
    """The recognizer registered under ``name``; unknown names fail with the known ones."""
    for rec in default_recognizers():
        if rec.name == name:
            return rec
    known = ", ".join(sorted(r.name for r in default_recognizers()))
    raise ConfigError(f"unknown recognizer '{name}'; known recognizers: {known}")


__all__ = [
    "ENTRY_POINT_GROUP",
    "DataRecognizer",
    "builtin_spec_paths",
    "data_recognizer",
    "default_recognizers",
    "get_recognizer",
    "load_spec",
    "register",
    "unregister",
]
