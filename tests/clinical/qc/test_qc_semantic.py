"""LLM-assisted QC through a real OpenAI-compatible server on loopback: cited, marked, never scored."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from yizhu.clinical.qc import QCTask
from yizhu.core import ClinicalContext
from yizhu.core.parsing import parse_document
from yizhu.llm import Gateway, parse_llm_config
from yizhu.llm.runtime import use_gateway
from yizhu.llm.testing import FakeOpenAIServer

NOTE = (Path(__file__).parent / "golden" / "admission_defects.txt").read_text(encoding="utf-8")


@pytest.fixture
def fake() -> Iterator[FakeOpenAIServer]:
    with FakeOpenAIServer() as server:
        yield server


@pytest.fixture
def gateway(fake: FakeOpenAIServer) -> Iterator[Gateway]:
    config = parse_llm_config(
        {"qc-model": {"base_url": fake.base_url, "model": "qc-model", "backoff_s": 0.001}},
        {"qc.semantic": ["qc-model"]},
    )
    gw = Gateway(config)
    use_gateway(gw)
    yield gw
    use_gateway(None)
    gw.close()


def _ctx() -> ClinicalContext:
    return ClinicalContext(documents=[parse_document(NOTE, doc_id="adm")])


def test_model_concerns_become_cited_model_generated_findings(fake: FakeOpenAIServer, gateway: Gateway) -> None:
    fake.script("qc-model").reply = json.dumps(
        {"concerns": [
            {"message": "右膝骨关节炎缺少右膝的症状或体征依据", "diagnosis": "右膝骨关节炎", "sentence_ids": [1, 2]},
            {"message": "无依据的意见", "diagnosis": "x", "sentence_ids": [99]},
        ]},
        ensure_ascii=False,
    )
    result = QCTask().run(_ctx())
    semantic = [f for f in result.findings if f.category == "semantic"]
    assert len(semantic) == 1
    f = semantic[0]
    assert f.model_generated and f.message.startswith("[模型意见]")
    assert NOTE[f.evidence.start : f.evidence.end] == f.evidence.text
    assert f.data["points"] == 0  # model opinions never change the official score
    assert result.output["semantic_untraceable_dropped"] == 1
    assert result.model == "qc-model" and result.prompt_version
    assert "no_llm" not in result.degraded
    sent = fake.requests_for("/chat/completions")[-1].body.decode()
    assert "右膝骨关节炎" in sent


def test_without_a_model_the_rules_still_run_and_say_so() -> None:
    use_gateway(Gateway(parse_llm_config({}, {})))
    try:
        result = QCTask().run(_ctx())
    finally:
        use_gateway(None)
    assert "no_llm" in result.degraded
    assert result.findings and not any(f.model_generated for f in result.findings)


def test_a_failing_model_degrades_instead_of_failing_qc(fake: FakeOpenAIServer, gateway: Gateway) -> None:
    fake.script("qc-model").steps = ["500"]
    result = QCTask().run(_ctx())
    assert result.degraded and result.output["grade"] in {"甲", "乙", "丙"}
