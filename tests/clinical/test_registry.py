"""The task registry: concurrent first lookups after a restart all see every plugin."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from yizhu.clinical import registry
from yizhu.core import ClinicalContext, Result


class _SlowTask:
    name = "test.slow"
    version = "1"

    def run(self, ctx: ClinicalContext) -> Result:  # pragma: no cover - never run here
        raise NotImplementedError


class _SlowEntryPoint:
    """An entry point whose import takes a while, as a cold plugin import does."""

    name = "test.slow"
    value = "tests:_SlowTask"

    def load(self) -> type[_SlowTask]:
        time.sleep(0.2)
        return _SlowTask


@pytest.fixture
def fresh_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(registry, "_registry", {})
    monkeypatch.setattr(registry, "_loaded", False)
    monkeypatch.setattr(registry, "entry_points", lambda group: [_SlowEntryPoint()])


def test_concurrent_first_lookups_all_find_the_task(fresh_registry: None) -> None:
    start = threading.Barrier(20)

    def lookup(_: int) -> str:
        start.wait()
        return registry.get_task("test.slow").name

    with ThreadPoolExecutor(max_workers=20) as pool:
        names = list(pool.map(lookup, range(20)))
    assert names == ["test.slow"] * 20


def test_unknown_task_names_the_known_ones(fresh_registry: None) -> None:
    with pytest.raises(Exception, match=r"unknown task 'nope'; known tasks: test\.slow"):
        registry.get_task("nope")
