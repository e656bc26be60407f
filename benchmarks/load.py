"""Load on loopback: p50/p99 latency, throughput and errors for QC check and Rx review at 100 concurrent
clients against a real uvicorn server, with a 1-client baseline in the same run.

The server is ``yizhu.api.replica.Replica``: ``uvicorn yizhu.api.app:create_app --factory`` in its own
process (``--workers`` uvicorn workers) on a fresh SQLite file (or ``--database-url``, e.g. a PostgreSQL).
Each client is a coroutine with its own keep-alive connection that sends its next request as soon as the
last one is answered (closed loop), for ``--seconds`` per scenario after a warm-up. Requests are synthetic
(合成): 入院记录 from the QC evaluation generator, 10-drug orders from benchmarks/rx.py. QC check stores
nothing; every Rx review is appended to the audit log (one row, hash-chained), as in production. The client
runs in this process on the same machine, so at high concurrency it competes with the server for the CPU;
its own CPU time is reported.

    .venv/bin/python benchmarks/load.py [--seconds 20] [--concurrency 1 100] [--workers 2] [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

import yizhu.store as store
from yizhu.api.replica import Replica
from yizhu.evaluation.qc_cases import generate


def _rx_orders(n: int) -> list[dict[str, Any]]:
    spec = importlib.util.spec_from_file_location("bench_rx", Path(__file__).with_name("rx.py"))
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    rng = random.Random(20261123)
    return [mod.make_order(rng) for _ in range(n)]


def _qc_notes(n: int) -> list[str]:
    cases = generate(seed=11, n_base=max(20, n // 4))
    notes = [d.text for c in cases for d in c.ctx.documents if d.doc_type == "入院记录"]
    return (notes * (n // max(1, len(notes)) + 1))[:n]


def server_cpu_s(pgid: int) -> float:
    """CPU seconds (user + system) used so far by every process of the server's process group (uvicorn and
    its workers): per request, the cost that does not depend on how busy the rest of the machine is."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:  # field 5 of /proc/PID/stat: the process group
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / tick


def pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))] if xs else float("nan")


async def _scenario(url: str, path: str, key: str, bodies: list[Any], concurrency: int, seconds: float,
                    server_pgid: int | None = None) -> dict[str, Any]:
    lat: list[float] = []
    errors: dict[str, int] = {}
    stop_at = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)

    async with httpx.AsyncClient(base_url=url, headers={"X-API-Key": key}, limits=limits, timeout=120) as client:
        async def one_client(i: int) -> None:
            n = i
            while time.perf_counter() < stop_at:
                body = bodies[n % len(bodies)]
                n += concurrency
                t0 = time.perf_counter()
                try:
                    r = await client.post(path, json=body)
                    ok = r.status_code == 200
                    kind = str(r.status_code)
                except httpx.HTTPError as exc:
                    ok, kind = False, type(exc).__name__
                dt = (time.perf_counter() - t0) * 1000
                if ok:
                    lat.append(dt)
                else:
                    errors[kind] = errors.get(kind, 0) + 1

        c0, t0 = time.process_time(), time.perf_counter()
        s0 = server_cpu_s(server_pgid) if server_pgid else 0.0
        await asyncio.gather(*(one_client(i) for i in range(concurrency)))
        wall = time.perf_counter() - t0
        client_cpu = time.process_time() - c0
        server_cpu = (server_cpu_s(server_pgid) - s0) if server_pgid else float("nan")
    return {
        "concurrency": concurrency,
        "requests": len(lat) + sum(errors.values()),
        "ok": len(lat),
        "errors": errors,
        "p50_ms": round(statistics.median(lat), 1) if lat else None,
        "p99_ms": round(pct(lat, 0.99), 1) if lat else None,
        "max_ms": round(max(lat), 1) if lat else None,
        "throughput_rps": round(len(lat) / wall, 1),
        "client_cpu_s": round(client_cpu, 1),
        "server_cpu_ms_per_request": round(1000 * server_cpu / max(1, len(lat) + sum(errors.values())), 2),
        "wall_s": round(wall, 1),
    }


async def _warm(url: str, path: str, key: str, bodies: list[Any]) -> None:
    async with httpx.AsyncClient(base_url=url, headers={"X-API-Key": key}, timeout=120) as client:
        for body in bodies[:20]:
            r = await client.post(path, json=body)
            r.raise_for_status()


def run(seconds: float, levels: list[int], workers: int, database_url: str | None) -> dict[str, Any]:
    tmp = Path(tempfile.mkdtemp(prefix="yizhu-load-"))
    url = database_url or f"sqlite:///{tmp / 'load.db'}"
    engine = store.init_db(url)
    keys = {role: store.create_api_key(engine, role=role, name=f"load-{role}") for role in ("clinician", "pharmacist")}
    engine.dispose()
    scenarios = {
        "qc.check": ("/v1/qc/check", keys["clinician"], [{"text": t} for t in _qc_notes(400)]),
        "rx.review": ("/v1/rx/review", keys["pharmacist"], _rx_orders(400)),
    }
    out: dict[str, Any] = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "load_avg_start": os.getloadavg()},
        "server": {"workers": workers, "database": url.split("://")[0]},
        "seconds_per_level": seconds,
        "results": {},
    }
    # One key per scenario stands for a whole ward's traffic here: its rate limit is raised so the benchmark
    # measures the service (the counter is still updated on every request, as in production).
    env = {"YIZHU_RATE_LIMITS": json.dumps({"default": "10000000/minute"})}
    with Replica(url, tmp / "server", workers=workers, env=env) as server:
        assert server.proc is not None
        for name, (path, key, bodies) in scenarios.items():
            asyncio.run(_warm(server.url, path, key, bodies))
            out["results"][name] = [asyncio.run(_scenario(server.url, path, key, bodies, c, seconds, server.proc.pid))
                                    for c in levels]
    out["machine"]["load_avg_end"] = os.getloadavg()
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=20.0, help="per scenario and concurrency level")
    ap.add_argument("--concurrency", type=int, nargs="+", default=[1, 100], help="levels; the first is the baseline")
    ap.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    ap.add_argument("--database-url", default=None, help="default: a fresh SQLite file")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    r = run(args.seconds, args.concurrency, args.workers, args.database_url)
    if args.json:
        sys.stdout.write(json.dumps(r, indent=2, ensure_ascii=False) + "\n")
        return 0
    m = r["machine"]
    print(f"{m['cpus']} CPUs, Python {m['python']}, load average {m['load_avg_start'][0]:.1f} at start; "
          f"server: {r['server']['workers']} uvicorn worker(s) on {r['server']['database']}; "
          f"{r['seconds_per_level']:g} s per level")
    print(f"{'scenario':<10} {'clients':>7} {'ok':>6} {'errors':>8} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} {'req/s':>7} "
          f"{'srv CPU ms/req':>14}")
    for name, rows in r["results"].items():
        base = rows[0]
        for row in rows:
            errs = sum(row["errors"].values())
            print(f"{name:<10} {row['concurrency']:>7} {row['ok']:>6} {errs:>8} {row['p50_ms']!s:>8} {row['p99_ms']!s:>8} "
                  f"{row['max_ms']!s:>8} {row['throughput_rps']:>7} {row['server_cpu_ms_per_request']:>14}")
        for row in rows:
            if row["errors"]:
                print(f"{'':<10} errors at {row['concurrency']} clients: {row['errors']}")
        if len(rows) > 1 and base["throughput_rps"]:
            print(f"{'':<10} throughput at {rows[-1]['concurrency']} clients / 1 client: "
                  f"{rows[-1]['throughput_rps'] / base['throughput_rps']:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
