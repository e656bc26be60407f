"""LLM-assisted coding: the model picks among the coder's numbered candidates and can never invent a name."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.knowledge.coding_fixtures import write_icd
from tests.llm.conftest import MakeGateway, endpoint
from yizhu.clinical.coding import TASK, code_with_llm
from yizhu.knowledge.importers import import_icd
from yizhu.knowledge.terminology import Terminology
from yizhu.knowledge.terminology.coding import DiagnosisCoder
from yizhu.llm import Gateway, parse_llm_config
from yizhu.llm.testing import FakeOpenAIServer, Script


@pytest.fixture(scope="module")
def coder(tmp_path_factory: pytest.TempPathFactory) -> DiagnosisCoder:
    d = tmp_path_factory.mktemp("llmcoding")
    import_icd(write_icd(d / "icd.tsv"), data_dir=d / "var")
    return Terminology(d / "var").coder


@pytest.fixture
def make_gateway() -> Iterator[MakeGateway]:
    made: list[Gateway] = []

    def make(models: dict[str, Any], routes: dict[str, Any] | None = None) -> Gateway:
        made.append(Gateway(parse_llm_config(models, routes or {})))
        return made[-1]

    yield make
    for g in made:
        g.close()


@pytest.fixture
def fake() -> Iterator[FakeOpenAIServer]:
    with FakeOpenAIServer() as server:
        yield server


def test_the_model_chooses_by_number_among_candidates(coder: DiagnosisCoder, fake: FakeOpenAIServer,
                                                      make_gateway: MakeGateway) -> None:
    fake.scripts["m"] = Script(['say:{"concepts": [{"candidate": 1}, {"candidate": 77}]}'])
    gw = make_gateway({"m": endpoint(fake, "m")}, {TASK: ["m"]})
    rules = coder.code("冠心病伴房颤")
    r = code_with_llm(coder, "冠心病伴房颤", gw)
    assert r.mode == "llm"
    assert len(r.concepts) == 1  # 77 is not on the list: dropped, nothing invented
    assert r.concepts[0].name in {c.name for c in rules.concepts} | {a.name for c in rules.concepts for a in c.alternatives}
    assert "冠状动脉粥样硬化性心脏病" in fake.requests[-1].body.decode("utf-8")


def test_a_failing_model_falls_back_to_the_small_model(coder: DiagnosisCoder, fake: FakeOpenAIServer,
                                                       make_gateway: MakeGateway) -> None:
    fake.scripts["m"] = Script(["500"])
    gw = make_gateway({"m": endpoint(fake, "m", retries=0)}, {TASK: ["m"]})
    r = code_with_llm(coder, "冠心病伴房颤", gw)
    assert r.mode == "rules" and r.degraded
    assert sorted(r.names) == sorted(coder.code("冠心病伴房颤").names)


def test_without_a_routed_model_the_small_model_answers(coder: DiagnosisCoder, make_gateway: MakeGateway) -> None:
    gw = make_gateway({}, {})
    r = code_with_llm(coder, "2型糖尿病", gw)
    assert r.mode == "rules" and r.names == ["2型糖尿病"] and not r.degraded


def test_tiny_local_model_plumbing(coder: DiagnosisCoder, make_gateway: MakeGateway, tmp_path: Path) -> None:
    """The real llama.cpp runtime with a random-weight model: its choice is noise, but always from the list."""
    pytest.importorskip("llama_cpp", reason="llama-cpp-python (the llm extra) is not installed")
    pytest.importorskip("gguf", reason="the gguf package is not installed")
    from yizhu.llm.testing import write_tiny_gguf

    gguf = write_tiny_gguf(tmp_path / "tiny.gguf")
    gw = make_gateway({"tiny": {"backend": "llamacpp", "path": str(gguf), "context_length": 2048, "threads": 1,
                                "retries": 0}}, {TASK: ["tiny"]})
    text = "右肺腺癌，高血压"
    r = code_with_llm(coder, text, gw)
    allowed = {coder.d.entries[c.entry].name for c in coder.candidates(text).cands}
    if r.mode == "llm":
        assert set(r.names) <= allowed
    else:  # the noise did not parse: the small model's answer, said in degraded
        assert r.degraded
