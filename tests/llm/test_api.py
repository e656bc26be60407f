"""HTTP: list, check, chat (JSON or Server-Sent Events), metrics; a client that leaves cancels its call."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient

import yizhu.store as store
from tests.llm.conftest import MakeGateway, endpoint
from yizhu.api.app import create_app
from yizhu.config import Settings
from yizhu.llm.api import router
from yizhu.llm.testing import FakeOpenAIServer, Script


def make_app(tmp_path: Path, gateway: Any) -> tuple[FastAPI, dict[str, str]]:
    settings = Settings(data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'api.db'}")
    engine = store.init_db(settings.resolved_database_url)
    app = create_app(settings, engine=engine)
    app.state.gateway = gateway
    if not any(getattr(r, "path", "") == "/v1/models/{name}/chat" for r in app.routes):
        app.include_router(router)
    keys = {role: store.create_api_key(engine, role=role, name=f"t-{role}") for role in ("admin", "clinician")}
    return app, keys


@pytest.fixture
def setup(tmp_path: Path, fake: FakeOpenAIServer, make_gateway: MakeGateway) -> Iterator[tuple[TestClient, dict[str, str]]]:
    fake.scripts["a"] = Script(reply="好的，已收到。", think="先想一想")
    fake.scripts["down"] = Script(["500"])
    gw = make_gateway(
        {"a": endpoint(fake, "a"), "down": endpoint(fake, "down", retries=0)}, {"default": ["a", "none"]}
    )
    app, keys = make_app(tmp_path, gw)
    with TestClient(app) as client:
        yield client, {role: {"X-API-Key": key} for role, key in keys.items()}


def sse(text: str) -> list[tuple[str, dict]]:
    events = []
    for block in text.strip().split("\n\n"):
        lines = dict(line.split(": ", 1) for line in block.split("\n"))
        events.append((lines["event"], json.loads(lines["data"])))
    return events


def test_list_models_needs_a_key(setup) -> None:
    client, auth = setup
    assert client.get("/v1/models").status_code == 401
    body = client.get("/v1/models", headers=auth["clinician"]).json()
    assert [m["name"] for m in body["models"]] == ["a", "down"]
    assert body["routes"] == {"default": ["a", "none"]}


def test_chat_returns_the_model_and_hides_reasoning(setup) -> None:
    client, auth = setup
    r = client.post("/v1/models/a/chat", json={"text": "你好"}, headers=auth["clinician"])
    assert r.status_code == 200, r.text
    c = r.json()["completion"]
    assert (c["model"], c["text"]) == ("a", "好的，已收到。") and "reasoning" not in c


@pytest.mark.parametrize(
    ("path", "body", "status", "detail"),
    [
        ("/v1/models/ghost/chat", {"text": "x"}, 404, "no model 'ghost'; configured models: a, down"),
        ("/v1/models/a/chat", {"text": "x", "messages": []}, 422, "exactly one of"),
        ("/v1/models/a/chat", {"txt": "x"}, 422, "txt"),
        ("/v1/models/down/chat", {"text": "x"}, 503, "no model answered"),
        ("/v1/models/down/chat", {"text": "x", "stream": True}, 503, "no model answered"),  # before any event
    ],
)
def test_chat_errors_are_problem_json(setup, path: str, body: dict, status: int, detail: str) -> None:
    client, auth = setup
    r = client.post(path, json=body, headers=auth["clinician"])
    assert r.status_code == status
    assert r.headers["content-type"].startswith("application/problem+json")
    assert detail in json.dumps(r.json(), ensure_ascii=False)


def test_chat_as_server_sent_events(setup) -> None:
    client, auth = setup
    with client.stream("POST", "/v1/models/a/chat", json={"text": "你好", "stream": True}, headers=auth["clinician"]) as r:
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
        events = sse(r.read().decode())
    assert "".join(d["text"] for e, d in events if e == "delta") == "好的，已收到。"
    assert events[-1][0] == "done" and events[-1][1]["model"] == "a" and "reasoning" not in events[-1][1]


def test_check_is_for_admins(setup) -> None:
    client, auth = setup
    assert client.post("/v1/models/a/check", headers=auth["clinician"]).status_code == 403
    report = client.post("/v1/models/a/check", headers=auth["admin"]).json()
    assert report["reachable"] and report["model_found"]
    assert report["probe_ok"] is False  # the scripted server does not answer in JSON: the probe says so


def test_metrics_per_model_and_task(setup) -> None:
    client, auth = setup
    client.post("/v1/models/a/chat", json={"text": "你好", "task": "notes.discharge"}, headers=auth["clinician"])
    r = client.get("/metrics", headers=auth["clinician"])
    assert r.headers["content-type"].startswith("text/plain; version=0.0.4")
    assert 'yizhu_llm_requests_total{model="a",outcome="ok",task="notes.discharge"} 1' in r.text
    assert 'yizhu_llm_request_seconds_count{model="a",task="notes.discharge"} 1' in r.text


# ── a real server: the client disconnects ──


@pytest.fixture
def live(tmp_path: Path, fake: FakeOpenAIServer, make_gateway: MakeGateway) -> Iterator[tuple[str, dict[str, str]]]:
    fake.scripts["slow"] = Script(["slow:0.2"], reply="一二三四五六七八九十" * 3, chunk_chars=1)
    fake.scripts["hang"] = Script(["hang"])
    gw = make_gateway({"slow": endpoint(fake, "slow"), "hang": endpoint(fake, "hang", timeout_s=30)})
    app, keys = make_app(tmp_path, gw)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}", {"X-API-Key": keys["clinician"]}
    finally:
        server.should_exit = True
        thread.join(10)


def wait_for(cond, timeout: float = 5.0) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end and not cond():
        time.sleep(0.02)
    return cond()


def test_sse_client_leaving_cancels_the_model_call(live, fake: FakeOpenAIServer) -> None:
    base, auth = live
    with httpx.Client(timeout=10) as client, client.stream(
        "POST", f"{base}/v1/models/slow/chat", json={"text": "x", "stream": True}, headers=auth
    ) as r:
        for line in r.iter_lines():
            if line.startswith("event: delta"):
                break  # the client goes away after the first delta
    assert wait_for(lambda: fake.disconnects >= 1), "the upstream stream was not closed"


def test_chat_client_leaving_cancels_the_model_call(live, fake: FakeOpenAIServer) -> None:
    base, auth = live
    host, port = base.removeprefix("http://").split(":")
    body = json.dumps({"text": "x"}).encode()
    head = (
        f"POST /v1/models/hang/chat HTTP/1.1\r\nhost: {host}\r\ncontent-type: application/json\r\n"
        f"x-api-key: {auth['X-API-Key']}\r\ncontent-length: {len(body)}\r\n\r\n"
    ).encode()
    with socket.create_connection((host, int(port))) as sock:
        sock.sendall(head + body)
        assert wait_for(lambda: any(r.model == "hang" for r in fake.requests))
    assert wait_for(lambda: fake.disconnects >= 1), "the upstream request was not cancelled"
