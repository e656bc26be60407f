"""The Trainer pattern every small model follows, and the trainers known by name.

A trainer subclasses ``Trainer`` and implements four steps; ``run_training`` does the rest the same
way for every kind (read, hash split, fit on train, measure on held-back, write files and card,
activate). To add a kind, write the subclass beside the engine that uses the model and add one line
to ``TRAINERS`` (a lazy "module:Class" path, so importing this module stays cheap)::

    TRAINERS["extractor"] = "yizhu.knowledge.terminology.extract_train:ExtractorTrainer"

The engine then finds its model with ``yizhu.learn.active_model("extractor", data_dir)``.
"""

from __future__ import annotations

import hashlib
import importlib
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar

from yizhu.errors import ConfigError, InputError
from yizhu.learn.split import DEFAULT_TEST_FRACTION, SPLIT_SALT, split_records
from yizhu.learn.store import DataInfo, ModelCard, ModelRef, models_root, new_version, read_card, write_model

#: kind → "module:Class" of its Trainer.
TRAINERS: dict[str, str] = {
    "normaliser": "yizhu.knowledge.terminology.learned:NormaliserTrainer",
    "extractor": "yizhu.knowledge.terminology.extract_model:ExtractorTrainer",
    "triage": "yizhu.clinical.triage.model:TriageTrainer",
}

#: kind → "module:Class" of the model it trains (a class with ``load(directory, version)``), so the engine
#: that answers with the active model names it here instead of importing its trainer's module.
MODELS: dict[str, str] = {
    "normaliser": "yizhu.knowledge.terminology.learned:NormaliserModel",
    "extractor": "yizhu.knowledge.terminology.extract_model:ExtractorModel",
    "triage": "yizhu.clinical.triage.model:TriageModel",
}

Progress = Callable[[str], None]


@dataclass
class TrainingData:
    """Labelled records read from one file, in the trainer's own record type."""

    path: Path
    layout: str
    records: list[Any]
    sha256: str = ""
    notes: list[str] = field(default_factory=list)


class Trainer(ABC):
    """One kind of small model: how to read its data, fit, measure and save it."""

    kind: ClassVar[str]
    #: One line naming the method (goes on the model card).
    method: ClassVar[str]
    #: Layouts ``load`` reads (documented in the CLI help).
    layouts: ClassVar[tuple[str, ...]]

    def __init__(self, **params: Any) -> None:
        self.params = params

    @abstractmethod
    def load(self, path: Path, layout: str | None = None) -> TrainingData:
        """Read and validate the file; bad data raises InputError naming the file and the record."""

    @abstractmethod
    def text_of(self, record: Any) -> str:
        """The text the hash split is decided on."""

    @abstractmethod
    def fit(self, train: Sequence[Any], *, data_dir: Path | None, seed: int, progress: Progress) -> Any:
        """Fit a model on the train part only."""

    @abstractmethod
    def evaluate(self, model: Any, held_back: Sequence[Any], *, data_dir: Path | None) -> dict[str, float]:
        """Metrics on the held-back part."""

    @abstractmethod
    def save(self, model: Any, directory: Path) -> list[str]:
        """Write the model files into ``directory``; return their names."""

    def hyper_parameters(self) -> dict[str, Any]:
        """What goes on the card besides the method."""
        return dict(self.params)

    def metrics_note(self) -> str:
        """How the metrics were computed (one paragraph for the card)."""
        return ""


def load_model(ref: ModelRef) -> Any:
    """The model a ``ModelRef`` (from ``active_model``) points at, loaded by its kind's class in ``MODELS``."""
    spec = MODELS.get(ref.kind)
    if spec is None:
        raise ConfigError(f"no model class for kind '{ref.kind}'; known: {', '.join(sorted(MODELS))}")
    module, cls = spec.split(":")
    return getattr(importlib.import_module(module), cls).load(ref.path, ref.version)


def get_trainer(kind: str, **params: Any) -> Trainer:
    """The trainer registered as ``kind``; an unknown kind is a ConfigError listing the known ones."""
    target = TRAINERS.get(kind)
    if target is None:
        raise ConfigError(f"unknown model kind '{kind}'; trainable kinds: {', '.join(sorted(TRAINERS))}")
    module, _, cls = target.partition(":")
    return getattr(importlib.import_module(module), cls)(**params)


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


@dataclass(frozen=True)
class TrainingOutcome:
    model: ModelRef
    metrics: dict[str, float]


def run_training(kind: str, data: Path | str, *, out: Path | str | None = None, data_dir: Path | str | None = None,
                 layout: str | None = None, seed: int = 0, test_fraction: float = DEFAULT_TEST_FRACTION,
                 activate: bool = True, progress: Progress | None = None, **params: Any) -> TrainingOutcome:
    """Train one model of ``kind`` from ``data`` and write it under ``out`` (default ``<data_dir>/models``)."""
    say = progress or (lambda _msg: None)
    path = Path(data)
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    if not 0.0 < test_fraction < 0.9:
        raise InputError(f"test fraction must be between 0 and 0.9, got {test_fraction}")
    trainer = get_trainer(kind, **params)
    td = trainer.load(path, layout)
    if not td.sha256:
        td.sha256 = file_sha256(path)
    train, held = split_records(td.records, trainer.text_of, test_fraction)
    if not train or not held:
        raise InputError(f"{path}: {len(td.records)} record(s) are too few to keep a held-back part "
                         f"({len(train)} train, {len(held)} held back)")
    say(f"{path.name}: {len(td.records)} records ({td.layout}); {len(train)} train, {len(held)} held back")
    root = Path(out) if out is not None else models_root(data_dir)
    ddir = Path(data_dir) if data_dir is not None else None
    t0, c0 = time.perf_counter(), time.process_time()
    model = trainer.fit(train, data_dir=ddir, seed=seed, progress=say)
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    say(f"trained in {seconds:.1f} s ({cpu:.1f} s CPU); measuring on the held-back part")
    metrics = trainer.evaluate(model, held, data_dir=ddir)
    from yizhu import __version__

    card = ModelCard(
        kind=kind, version=new_version(), created=datetime.now(UTC), yizhu_version=__version__,
        method=trainer.method,
        data=DataInfo(file=str(path), sha256=td.sha256, layout=td.layout, records=len(td.records), train=len(train),
                      held_back=len(held),
                      split=f"sha256('{SPLIT_SALT}' + '\\x1f' + text) < {test_fraction} of 2^64 → held back"),
        hyper_parameters={"seed": seed, **trainer.hyper_parameters()}, metrics=metrics,
        metrics_note=trainer.metrics_note(), train_seconds=round(seconds, 2), train_cpu_seconds=round(cpu, 2), notes=td.notes,
    )
    final = write_model(kind, card, lambda d: trainer.save(model, d), root, activate=activate)
    return TrainingOutcome(ModelRef(kind, card.version, final, read_card(final), activate), metrics)
