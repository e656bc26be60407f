"""Shared fixtures: settings with a test key in a temporary data dir, and the default analyzer."""

from __future__ import annotations

from pathlib import Path

import pytest

from yizhu.config import Settings
from yizhu.privacy import Analyzer, Entity, default_analyzer


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(env="test", deid_key="test-deid-key-0123456789", data_dir=tmp_path)


@pytest.fixture(scope="session")
def analyzer() -> Analyzer:
    return default_analyzer()


def found(analyzer: Analyzer, text: str, *types: str) -> list[tuple[str, str]]:
    """(type, text) of the entities of the given types, in text order."""
    return [(e.type, e.text) for e in analyzer.analyze(text) if not types or e.type in types]


def spans_ok(text: str, entities: list[Entity]) -> bool:
    """Every entity's text is the original text at its offsets."""
    return all(text[e.start:e.end] == e.text for e in entities)
