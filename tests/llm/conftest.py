"""Fixtures: the scripted misbehaving server on loopback and gateways built from config tables."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from yizhu.llm import CallRecord, Gateway, parse_llm_config
from yizhu.llm.testing import FakeOpenAIServer


@pytest.fixture
def fake() -> Iterator[FakeOpenAIServer]:
    with FakeOpenAIServer() as server:
        yield server


def endpoint(server: FakeOpenAIServer, model_id: str, **keys: Any) -> dict[str, Any]:
    """A [models.*] table for one scripted model id of the fake server (fast backoff for tests)."""
    return {"base_url": server.base_url, "model": model_id, "backoff_s": 0.001, **keys}


MakeGateway = Callable[..., Gateway]


@pytest.fixture
def make_gateway() -> Iterator[MakeGateway]:
    made: list[Gateway] = []

    def make(models: dict[str, Any], routes: dict[str, Any] | None = None, **kwargs: Any) -> Gateway:
        gateway = Gateway(parse_llm_config(models, routes or {}), **kwargs)
        made.append(gateway)
        return gateway

    yield make
    for gateway in made:
        gateway.close()


@pytest.fixture
def records() -> list[CallRecord]:
    return []
