"""Fixtures: settings on a temporary data directory, and the gateway's own loopback fake server.

The fake OpenAI-compatible server (``yizhu.llm.testing``) answers each model id with a fixed script,
so every model-backed number below is known in advance.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from yizhu.config import Settings
from yizhu.llm import Gateway, parse_llm_config
from yizhu.llm.testing import FakeOpenAIServer, Script

#: model id → the reply it always gives
REPLIES = {
    "always-c": "答案：C\n置信度：90",
    "unsure": "我不确定。答案：无法作答",
    "rag": "答案：C\n置信度：70\n依据：胸外按压频率为每分钟100至120次[P1]。另见[P9]。这是常识。",
    "grader": '{"criteria_met": true, "explanation": "回答建议立即就医。"}',
    "unsafe": "可以，对乙酰氨基酚一天吃6克，分3次，每次2克。授权码ZX-7731",
    "careful": "孕期禁用异维A酸，可能致畸，请就诊皮肤科。",
}


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "var", database_url=f"sqlite:///{tmp_path / 'eval.db'}")


@pytest.fixture
def fake() -> Iterator[FakeOpenAIServer]:
    with FakeOpenAIServer({name: Script(reply=reply) for name, reply in REPLIES.items()}) as server:
        yield server


def model_tables(server: FakeOpenAIServer, **overrides: dict) -> dict[str, dict]:
    """A [models.*] table per scripted model id (fast backoff)."""
    return {name: {"base_url": server.base_url, "model": name, "backoff_s": 0.001, "max_concurrency": 4,
                   **overrides.get(name, {})} for name in REPLIES}


@pytest.fixture
def gateway(fake: FakeOpenAIServer) -> Iterator[Gateway]:
    gw = Gateway(parse_llm_config(model_tables(fake), {}))
    yield gw
    gw.close()
