"""CPU per request of QC check and Rx review through the whole app (middlewares, authentication, rate limit
counter, validation, the engine, the audit write, serialisation), in one process, one request at a time.

Load on a shared machine makes latency figures noisy (benchmarks/load.py); CPU time per request is what the
request path costs whatever else runs, so this is the figure to compare two versions of the code with. The
app is driven through ``httpx.ASGITransport`` (no sockets); the client's own CPU is included (the same for
both versions). Best of 3 passes over 200 synthetic (合成) requests each, after 20 warm-up requests.

    .venv/bin/python benchmarks/request_cpu.py
    PYTHONPATH=/path/to/other/checkout/src .venv/bin/python benchmarks/request_cpu.py   # another version
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).parent))
import load

import yizhu.store as store
from yizhu.api.app import create_app
from yizhu.config import Settings


async def measure(n: int = 200, passes: int = 3) -> dict[str, float]:
    tmp = Path(tempfile.mkdtemp(prefix="yizhu-cpu-"))
    settings = Settings(data_dir=tmp, database_url=f"sqlite:///{tmp / 'cpu.db'}",
                        rate_limits={"default": "10000000/minute"})
    engine = store.init_db(settings.resolved_database_url)
    clinician = store.create_api_key(engine, role="clinician", name="cpu-clinician")
    pharmacist = store.create_api_key(engine, role="pharmacist", name="cpu-pharmacist")
    scenarios = (("qc.check", "/v1/qc/check", clinician, [{"text": t} for t in load._qc_notes(n)]),
                 ("rx.review", "/v1/rx/review", pharmacist, load._rx_orders(n)))
    out: dict[str, float] = {}
    app = create_app(settings, engine=engine)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bench") as client:
        for name, path, key, bodies in scenarios:
            headers = {"X-API-Key": key}
            for body in bodies[:20]:
                (await client.post(path, json=body, headers=headers)).raise_for_status()
            best = float("inf")
            for _ in range(passes):
                c0 = time.process_time()
                for body in bodies:
                    r = await client.post(path, json=body, headers=headers)
                    r.raise_for_status()
                best = min(best, (time.process_time() - c0) * 1000 / len(bodies))
            out[name] = round(best, 2)
    engine.dispose()
    return out


def main() -> int:
    for name, ms in asyncio.run(measure()).items():
        print(f"{name:<10} {ms:6.2f} ms CPU per request")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
