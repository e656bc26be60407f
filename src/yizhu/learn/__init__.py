"""Trainable small models (小模型): one pattern for every trainer (normaliser, extractor, triage, …).

A trainer reads a labelled file in one of its layouts, splits it deterministically by a hash of each
record's text into train and held-back parts, fits on the train part only, measures on the held-back
part, and writes a versioned model directory with a model card under ``<data_dir>/models/<kind>/``.
The newest trained model of a kind is *active* (named in ``<kind>/ACTIVE``) and is used automatically
by the engine that owns that kind; without one the engine works from dictionaries and rules.

    yizhu train normaliser --data CHIP-CDN_train.json      # any registered kind, see TRAINERS
    yizhu models list                                      # shows the active small model of each kind

Modules: ``split`` (hash split), ``store`` (model directories, cards, the active pointer),
``registry`` (the Trainer base class and the kinds known by name), ``cli`` (``yizhu train``).
"""

from __future__ import annotations

from yizhu.learn.registry import TRAINERS, Trainer, TrainingData, get_trainer, run_training
from yizhu.learn.split import SPLIT_SALT, split_of
from yizhu.learn.store import ModelCard, ModelRef, active_model, list_models, models_root

__all__ = [
    "SPLIT_SALT",
    "TRAINERS",
    "ModelCard",
    "ModelRef",
    "Trainer",
    "TrainingData",
    "active_model",
    "get_trainer",
    "list_models",
    "models_root",
    "run_training",
    "split_of",
]
