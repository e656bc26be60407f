"""The in-process llama.cpp backend keeps the model in a supervised child process: a native crash,
a kill -9 or a hang ends only the child, becomes a ModelCallError, and the route falls back.

Real llama.cpp on the tiny GGUF the suite writes (yizhu.llm.testing.write_tiny_gguf); the faults
are real signals sent to the real child (SIGKILL as the OOM killer sends it, SIGABRT as a
``std::runtime_error`` escaping llama.cpp raises it, SIGSTOP for a native hang).
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

import pytest
from pydantic import BaseModel, ConfigDict

from tests.llm.conftest import MakeGateway
from yizhu.errors import ModelUnavailable
from yizhu.llm import Gateway, GenParams
from yizhu.llm.backends.llamacpp import LlamaCppBackend
from yizhu.llm.testing import write_tiny_gguf

pytest.importorskip("llama_cpp", reason="llama-cpp-python (the llm extra) is not installed: pip install 'yizhu[llm]'")
pytest.importorskip("gguf", reason="the gguf package (to write the test model) is not installed")

NOTES_DATA = Path(__file__).parents[1] / "clinical" / "notes" / "data"


class LabFlag(BaseModel):
    model_config = ConfigDict(extra="forbid")
    result: Literal["阳性", "阴性"]
    critical: bool


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_tiny_gguf(tmp_path_factory.mktemp("gguf") / "tiny.gguf")


@pytest.fixture(scope="module")
def pad_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_tiny_gguf(tmp_path_factory.mktemp("gguf") / "pad.gguf", favour_pad=True)


def table(path: Path, **keys: object) -> dict[str, object]:
    return {"backend": "llamacpp", "path": str(path), "context_length": 2048, "threads": 1, "retries": 0, **keys}


def backend(gw: Gateway, name: str) -> LlamaCppBackend:
    b = gw._runtime(name).backend
    assert isinstance(b, LlamaCppBackend)
    return b


@pytest.fixture
def pair(tiny: Path, make_gateway: MakeGateway) -> Iterator[Gateway]:
    """Route: the primary model, then a backup (a second child on the same file)."""
    yield make_gateway({"primary": table(tiny, timeout_s=30), "backup": table(tiny, timeout_s=30)},
                       {"default": ["primary", "backup"]})


def _kill_when_generating(b: LlamaCppBackend, sig: signal.Signals, killed: list[int]) -> threading.Thread:
    def run() -> None:
        deadline = time.monotonic() + 30
        while not b.busy and time.monotonic() < deadline:
            time.sleep(0.002)
        time.sleep(0.3)  # well into generation (the tiny model writes a token every few ms at best)
        pid = b.worker_pid
        if pid is not None and b.busy:
            os.kill(pid, sig)
            killed.append(pid)

    t = threading.Thread(target=run, daemon=True)
    t.start()
    return t


def test_the_model_runs_in_a_child_process(pair: Gateway) -> None:
    c = pair.chat("t", "你好", params=GenParams(max_tokens=8, seed=1))
    pid = backend(pair, "primary").worker_pid
    assert c.model == "primary" and pid is not None and pid != os.getpid()


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGABRT], ids=["kill-9", "native-abort"])
def test_a_child_dying_mid_generation_falls_back_and_restarts(pair: Gateway, sig: signal.Signals) -> None:
    primary = backend(pair, "primary")
    pair.chat("t", "热身", params=GenParams(max_tokens=2, seed=1))  # child up and loaded
    killed: list[int] = []
    killer = _kill_when_generating(primary, sig, killed)
    c = pair.chat("t", "请详细描述病情", params=GenParams(max_tokens=120, seed=3, temperature=1.0))
    killer.join(5)
    assert killed, "the child finished before it could be killed; generation too short"
    assert c.model == "backup"  # this process is alive and the route fell back
    failed = c.attempts[0]
    assert failed.model == "primary" and failed.outcome != "ok"
    assert f"worker process was killed by {sig.name}" in (failed.error or "")
    # the next call on the primary starts a fresh child
    again = pair.chat("t", "再来", params=GenParams(max_tokens=4, seed=1), model="primary")
    assert again.model == "primary" and primary.starts == 2 and primary.worker_pid not in killed


def test_a_child_dying_mid_stream_ends_the_stream_with_an_error(pair: Gateway) -> None:
    primary = backend(pair, "primary")
    events = []
    for event in pair.stream("t", "你好", params=GenParams(max_tokens=120, seed=2, temperature=1.0), model="primary"):
        events.append(event)
        if event.type == "delta" and len(events) == 1:
            os.kill(primary.worker_pid or 0, signal.SIGABRT)
    assert events[0].type == "delta" and events[-1].type == "error"
    assert "killed by SIGABRT" in (events[-1].error or "")
    assert pair.chat("t", "再来", params=GenParams(max_tokens=4), model="primary").completion_tokens


def test_a_hung_child_is_killed_at_the_deadline(tiny: Path, make_gateway: MakeGateway) -> None:
    gw = make_gateway({"tiny": table(tiny, timeout_s=1.0)}, {"default": ["tiny"]})
    b = backend(gw, "tiny")
    asyncio.run(b.list_models())  # the child starts and loads outside the timed call
    pid = b.worker_pid
    assert pid is not None
    os.kill(pid, signal.SIGSTOP)  # a native hang: the child answers nothing, not even its own timer
    t = time.monotonic()
    with pytest.raises(ModelUnavailable, match="generation took longer than 1 s"):
        gw.chat("t", "你好", params=GenParams(max_tokens=50))
    assert time.monotonic() - t < 10
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)  # killed and reaped
    asyncio.run(b.list_models())  # a fresh child
    assert b.starts == 2 and gw.chat("t", "再来", params=GenParams(max_tokens=4)).completion_tokens


def test_special_tokens_are_never_sampled(pad_model: Path, make_gateway: MakeGateway) -> None:
    """A model whose favourite token is <pad> (as the demo model's was when it aborted the process):
    masked out, it writes text, and grammar-constrained output still completes into valid JSON."""
    gw = make_gateway({"pad": table(pad_model, max_repairs=0)}, {"default": ["pad"]})
    c = gw.chat("t", "你好", params=GenParams(max_tokens=12, temperature=0.0))
    assert c.completion_tokens and c.text  # unmasked, every token is an empty <pad>
    for seed in (1, 2, 3):
        out = gw.structured("t", "化验结果？", LabFlag, params=GenParams(max_tokens=96, seed=seed, temperature=1.0))
        assert isinstance(out.value, LabFlag)


# ── the demo model path end to end: `yizhu note draft` in a real process with a llama.cpp model ──


def _toml(tmp_path: Path, model: Path, **keys: Any) -> Path:
    extra = "".join(f"{k} = {json.dumps(v)}\n" for k, v in keys.items())
    path = tmp_path / "yizhu.toml"
    path.write_text(
        f"""
[models.demo]
backend = "llamacpp"
path = {json.dumps(str(model))}
clinical = false
label = "测试用随机权重模型（非临床）"
context_length = 4096
threads = 1
max_tokens = 32
timeout_s = 20
{extra}
[routes]
default = ["demo", "none"]
""",
        encoding="utf-8",
    )
    return path


def test_note_draft_with_an_in_process_model_end_to_end(pad_model: Path, tmp_path: Path) -> None:
    """The issue-16 scenario: `yizhu note draft` on an outpatient dialogue with a small in-process model
    whose favourite token is <pad>, in a real process; it must finish, in bounded time, with a draft."""
    env = {**os.environ, "YIZHU_CONFIG": str(_toml(tmp_path, pad_model)), "YIZHU_DATA_DIR": str(tmp_path / "var")}
    t = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "yizhu.cli.main", "note", "draft", str(NOTES_DATA / "visit_cough.txt"),
         "--type", "outpatient", "--format", "json", "--no-audit"],
        capture_output=True, text=True, env=env, timeout=300, check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    body = json.loads(done.stdout)
    assert body["sections"] and body["text"].startswith("门诊病历")
    assert body["model"] == "demo" and "demo_model" in body["degraded"]  # the model wrote it, labelled
    assert time.monotonic() - t < 240
