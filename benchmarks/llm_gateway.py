"""Model gateway: overhead over a direct HTTP call, 200 concurrent SSE streams, memory per request.

Everything talks to the scripted OpenAI-compatible server (yizhu.llm.testing) in its own process
on loopback, so the numbers measure the gateway and the API, not a model.

1. Overhead: the same chat request, alternately sent directly with httpx and through
   ``Gateway.achat`` (routing, limits, breaker, <think> split, audit record, metrics, the hop to
   the gateway's loop), in one process and one run. Target: < 2 ms added at p50, < 5 ms at p99.
2. Concurrency: 200 streaming chat requests at once through one API process (uvicorn, the real
   app with the models router, API-key auth), upstream streams of 10 chunks 0.1 s apart; every
   request must end with a ``done`` event.
3. Memory: resident memory of the API process while the 200 requests are in flight, minus the
   memory after a warm-up, divided by 200.

    .venv/bin/python benchmarks/llm_gateway.py [--requests 1000] [--streams 200]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

REPLY = "好的，已收到。这是一个用于基准测试的固定回复，共十个分块左右。"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, timeout: float = 30.0, headers: dict[str, str] | None = None) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            httpx.get(url, timeout=1, headers=headers)
            return
        except httpx.HTTPError:
            if time.monotonic() > deadline:
                raise SystemExit(f"{url} did not come up within {timeout} s") from None
            time.sleep(0.05)


def pct(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(q * len(s)))]


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def start_upstream(slow: float) -> tuple[subprocess.Popen, str]:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "yizhu.llm.testing", "--port", str(port), "--slow", str(slow), "--reply", REPLY],
        stdout=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}/v1"
    wait_http(f"{base}/models")
    return proc, base


# ── 1. overhead ──


async def overhead(base: str, n: int) -> dict[str, float]:
    from yizhu.llm import Gateway, parse_llm_config

    gw = Gateway(parse_llm_config({"bench": {"base_url": base, "model": "bench", "max_concurrency": 4}}, {"default": ["bench"]}))
    body = json.dumps(
        {"model": "bench", "messages": [{"role": "user", "content": "你好"}]}, ensure_ascii=False
    ).encode()
    direct_t: list[float] = []
    gateway_t: list[float] = []
    async with httpx.AsyncClient(headers={"content-type": "application/json"}) as client:

        async def direct() -> None:
            r = await client.post(f"{base}/chat/completions", content=body)
            json.loads(r.content)["choices"][0]["message"]["content"]

        for i in range(n + 100):
            t = time.perf_counter()
            await direct()
            d = time.perf_counter() - t
            t = time.perf_counter()
            await gw.achat("bench", "你好")
            g = time.perf_counter() - t
            if i >= 100:  # warm-up: connections, SSL context, first-call imports
                direct_t.append(d * 1000)
                gateway_t.append(g * 1000)
    gw.close()
    return {
        "direct_p50_ms": statistics.median(direct_t),
        "gateway_p50_ms": statistics.median(gateway_t),
        "direct_p99_ms": pct(direct_t, 0.99),
        "gateway_p99_ms": pct(gateway_t, 0.99),
        "added_p50_ms": statistics.median(gateway_t) - statistics.median(direct_t),
        "added_p99_ms": pct(gateway_t, 0.99) - pct(direct_t, 0.99),
    }


# ── 2 + 3. concurrent streams through the API, memory per in-flight request ──


def serve_api(port: int, upstream: str, db_url: str) -> None:
    """Child process: the real app with the models router and a gateway to the upstream."""
    import uvicorn

    from yizhu.api.app import create_app
    from yizhu.config import Settings
    from yizhu.llm import Gateway, parse_llm_config
    from yizhu.llm.api import router
    from yizhu.store import init_db

    settings = Settings(database_url=db_url)
    app = create_app(settings, engine=init_db(db_url))
    app.state.gateway = Gateway(
        parse_llm_config(
            {"bench-slow": {"base_url": upstream, "model": "bench-slow", "max_concurrency": 512, "timeout_s": 30}},
            {"default": ["bench-slow"]},
        )
    )
    if not any(getattr(r, "path", "") == "/v1/models/{name}/chat" for r in app.routes):
        app.include_router(router)
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", backlog=2048)


async def stream_many(base: str, key: str, n: int) -> dict[str, float]:
    """n streaming requests at once, each on its own connection, with a minimal raw HTTP client.

    A raw asyncio client rather than httpx: on 2 cores the load generator shares the CPU with the
    API, and httpx costs more CPU per SSE event than the API does, which would measure the client.
    """
    host, port = base.removeprefix("http://").split(":")
    body = json.dumps({"text": "你好", "stream": True}).encode()
    request = (
        f"POST /v1/models/bench-slow/chat HTTP/1.1\r\nhost: {host}\r\ncontent-type: application/json\r\n"
        f"x-api-key: {key}\r\ncontent-length: {len(body)}\r\nconnection: close\r\n\r\n"
    ).encode() + body
    errors = 0
    ttfb: list[float] = []
    totals: list[float] = []

    async def one() -> None:
        nonlocal errors
        t = time.perf_counter()
        try:
            reader, writer = await asyncio.open_connection(host, int(port))
        except OSError:
            errors += 1
            return
        try:
            writer.write(request)
            await writer.drain()
            seen = b""
            first = None
            while True:
                data = await reader.read(65536)
                if not data:
                    break
                seen += data
                if first is None and b"event: delta" in seen:
                    first = time.perf_counter() - t
                if b"event: done" in seen or b"event: error" in seen:
                    break
            if not seen.startswith(b"HTTP/1.1 200") or b"event: done" not in seen:
                errors += 1
                return
            ttfb.append((first or 0) * 1000)
            totals.append((time.perf_counter() - t) * 1000)
        finally:
            writer.close()

    t0 = time.perf_counter()
    await asyncio.gather(*(one() for _ in range(n)))
    wall = time.perf_counter() - t0
    return {
        "requests": n,
        "errors": errors,
        "wall_s": wall,
        "ttfb_p50_ms": statistics.median(ttfb) if ttfb else float("nan"),
        "ttfb_p99_ms": pct(ttfb, 0.99) if ttfb else float("nan"),
        "total_p50_ms": statistics.median(totals) if totals else float("nan"),
    }


def concurrency(upstream: str, n: int) -> dict[str, float]:
    import yizhu.store as store

    with tempfile.TemporaryDirectory() as tmp:
        db_url = f"sqlite:///{tmp}/bench.db"
        key = store.create_api_key(store.init_db(db_url), role="clinician", name="bench")
        port = free_port()
        api = subprocess.Popen([sys.executable, __file__, "_serve_api", str(port), upstream, db_url])
        base = f"http://127.0.0.1:{port}"
        try:
            wait_http(f"{base}/healthz")
            warm = asyncio.run(stream_many(base, key, 10))
            if warm["errors"]:
                raise SystemExit(f"warm-up failed: {warm}")
            time.sleep(0.5)
            baseline = rss_kib(api.pid)
            peak = baseline
            stop = threading.Event()

            def sample() -> None:
                nonlocal peak
                while not stop.is_set():
                    peak = max(peak, rss_kib(api.pid))
                    time.sleep(0.01)

            sampler = threading.Thread(target=sample, daemon=True)
            sampler.start()
            result = asyncio.run(stream_many(base, key, n))
            stop.set()
            sampler.join()
        finally:
            api.terminate()
            api.wait(10)
    result["api_rss_baseline_mib"] = baseline / 1024
    result["api_rss_peak_mib"] = peak / 1024
    result["kib_per_inflight_request"] = (peak - baseline) / n
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=1000, help="requests per side in the overhead test")
    parser.add_argument("--streams", type=int, default=200, help="concurrent streaming requests")
    args = parser.parse_args()
    print(f"cores: {os.cpu_count()}  python: {sys.version.split()[0]}")
    upstream, base = start_upstream(slow=0.1)
    try:
        o = asyncio.run(overhead(base, args.requests))
        print(f"\n1. overhead, {args.requests} requests each side (ms)")
        print(f"   direct  p50 {o['direct_p50_ms']:.3f}  p99 {o['direct_p99_ms']:.3f}")
        print(f"   gateway p50 {o['gateway_p50_ms']:.3f}  p99 {o['gateway_p99_ms']:.3f}")
        ok50, ok99 = o["added_p50_ms"] < 2, o["added_p99_ms"] < 5
        print(f"   added   p50 {o['added_p50_ms']:.3f} ({'ok' if ok50 else 'OVER'} < 2)  "
              f"p99 {o['added_p99_ms']:.3f} ({'ok' if ok99 else 'OVER'} < 5)")
        c = concurrency(base, args.streams)
        print(f"\n2. {c['requests']} concurrent SSE streams through one API process")
        print(f"   errors {c['errors']}  wall {c['wall_s']:.2f} s  first delta p50 {c['ttfb_p50_ms']:.1f} ms "
              f"p99 {c['ttfb_p99_ms']:.1f} ms  total p50 {c['total_p50_ms']:.0f} ms")
        print(f"\n3. memory: API RSS {c['api_rss_baseline_mib']:.1f} MiB warm, {c['api_rss_peak_mib']:.1f} MiB peak "
              f"→ {c['kib_per_inflight_request']:.1f} KiB per in-flight request")
        print(json.dumps({"overhead": o, "concurrency": c}))
        if not (ok50 and ok99) or c["errors"]:
            sys.exit(1)
    finally:
        upstream.terminate()
        upstream.wait(10)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "_serve_api":
        serve_api(int(sys.argv[2]), sys.argv[3], sys.argv[4])
    else:
        main()
