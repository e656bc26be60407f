"""A real llama.cpp runtime on a tiny GGUF the suite writes itself: loading, generation, streaming,
schema-constrained output, in process and through llama.cpp's OpenAI-compatible server.

The model has random weights (yizhu.llm.testing.write_tiny_gguf): its words are noise, which is
the point: only the grammar makes its output JSON, and only pydantic makes it valid.
"""

from __future__ import annotations

import asyncio
import importlib.util
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

import httpx
import pytest
from pydantic import BaseModel, ConfigDict, Field

from tests.llm.conftest import MakeGateway
from yizhu.errors import ModelUnavailable, StructuredOutputError
from yizhu.llm import Gateway, GenParams, parse_llm_config
from yizhu.llm.testing import write_tiny_gguf

pytest.importorskip("llama_cpp", reason="llama-cpp-python (the llm extra) is not installed: pip install 'yizhu[llm]'")
pytest.importorskip("gguf", reason="the gguf package (to write the test model) is not installed")


class LabFlag(BaseModel):
    model_config = ConfigDict(extra="forbid")
    result: Literal["阳性", "阴性"]
    critical: bool


class Bounded(BaseModel):
    score: int = Field(ge=0, le=5)


@pytest.fixture(scope="session")
def tiny_gguf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_tiny_gguf(tmp_path_factory.mktemp("gguf") / "tiny.gguf")


def table(path: Path, **keys: object) -> dict[str, object]:
    return {"backend": "llamacpp", "path": str(path), "context_length": 2048, "threads": 2, "retries": 0, **keys}


@pytest.fixture(scope="module")
def gw(tiny_gguf: Path) -> Iterator[Gateway]:
    with Gateway(parse_llm_config({"tiny": table(tiny_gguf)}, {"default": ["tiny"]})) as gateway:
        yield gateway


def test_loads_and_generates(gw: Gateway) -> None:
    c = gw.chat("t", "你好，请回答", params=GenParams(max_tokens=12, seed=1))
    assert (c.model, c.model_id) == ("tiny", "tiny.gguf")
    assert 0 < (c.completion_tokens or 0) <= 12 and (c.prompt_tokens or 0) > 0


def test_streams_token_by_token(gw: Gateway) -> None:
    events = list(gw.stream("t", "你好", params=GenParams(max_tokens=16, seed=2)))
    deltas = [e for e in events if e.type == "delta"]
    assert len(deltas) >= 2 and events[-1].type == "done"
    assert events[-1].completion.text == "".join(e.text for e in deltas)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_grammar_makes_noise_into_valid_json(gw: Gateway, seed: int) -> None:
    out = gw.structured("t", "化验结果？", LabFlag, params=GenParams(max_tokens=96, seed=seed, temperature=1.0))
    assert isinstance(out.value, LabFlag)


def test_numeric_bounds_are_enforced_by_validation_not_the_grammar(gw: Gateway) -> None:
    caught = 0
    for seed in (1, 2, 3):
        try:
            out = gw.structured("t", "评分", Bounded, params=GenParams(max_tokens=48, seed=seed, temperature=1.0))
        except StructuredOutputError as exc:
            assert "less than or equal to 5" in str(exc) or "greater than or equal to 0" in str(exc)
            caught += 1  # the grammar let an out-of-range number through; validation refused it
            continue
        assert 0 <= out.value.score <= 5
    assert caught >= 1  # this random model does produce out-of-range numbers under the grammar


def test_timeout_stops_generation(tiny_gguf: Path, make_gateway: MakeGateway) -> None:
    gw = make_gateway({"tiny": table(tiny_gguf, timeout_s=0.0005)}, {"default": ["tiny"]})
    asyncio.run(gw._runtime("tiny").backend.list_models())  # the child starts and loads outside the timed call
    with pytest.raises(ModelUnavailable, match="generation took longer"):
        gw.chat("t", "你好", params=GenParams(max_tokens=400))


def test_leaving_a_stream_frees_the_model(gw: Gateway) -> None:
    stream = gw.stream("t", "你好", params=GenParams(max_tokens=400, seed=3))
    assert next(stream).type == "delta"
    stream.close()
    t = time.monotonic()
    assert gw.chat("t", "再来", params=GenParams(max_tokens=4)).completion_tokens
    assert time.monotonic() - t < 5


# ── llama.cpp's OpenAI-compatible server (llama-cpp-python[server]) through the HTTP backend ──


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def llama_server(tiny_gguf: Path) -> Iterator[str]:
    missing = [m for m in ("sse_starlette", "starlette_context") if importlib.util.find_spec(m) is None]
    if missing:
        pytest.skip(f"llama-cpp-python's server needs {', '.join(missing)} (pip install 'llama-cpp-python[server]')")
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "llama_cpp.server", "--model", str(tiny_gguf), "--model_alias", "tiny",
         "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "2048", "--n_threads", "2"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(f"{base}/models", timeout=1).raise_for_status()
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    pytest.fail("llama_cpp.server did not start within 30 s")
                time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        proc.wait(10)


@pytest.fixture(scope="module")
def served(llama_server: str) -> Iterator[Gateway]:
    models = {"srv": {"base_url": llama_server, "model": "tiny", "profile": "llamacpp", "retries": 0, "timeout_s": 30}}
    with Gateway(parse_llm_config(models, {"default": ["srv"]})) as gateway:
        yield gateway


def test_server_chat_and_stream(served: Gateway) -> None:
    c = served.chat("t", "你好", params=GenParams(max_tokens=8, seed=1))
    assert c.model == "srv" and c.completion_tokens == 8
    events = list(served.stream("t", "你好", params=GenParams(max_tokens=8, seed=1)))
    assert events[-1].type == "done" and sum(e.type == "delta" for e in events) >= 1


def test_server_schema_constrained_output(served: Gateway) -> None:
    out = served.structured("t", "化验结果？", LabFlag, params=GenParams(max_tokens=96, seed=5, temperature=1.0))
    assert isinstance(out.value, LabFlag)


def test_server_check(served: Gateway) -> None:
    report = served.check("srv")
    assert report.reachable and report.model_found and report.served == ["tiny"]
    assert report.probe_ok, report.error  # the grammar makes even a random model answer the probe's schema
