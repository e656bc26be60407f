"""Worklist pages at 10,000 rows: server time of page 1, a middle page and the last page.

A synthetic hospital at scale (合成; ``yizhu.demo.worklist_scale``): 10,000 rx alerts and 10,000 QC findings of
one doctor over 100 encounters, plus encounters up to 10,000 for the doctor's encounter list, in a temporary
SQLite file. The worklist index is built once (``worklist.sync``, timed), then each page is fetched through the
real app in-process (FastAPI TestClient: routing, auth, the SQL page query, template rendering; no socket).
Baseline in the same process: GET /healthz.

    .venv/bin/python benchmarks/worklist_pages.py [--repeat 15]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from fastapi.testclient import TestClient
from pagetiming import pct, timed

from yizhu.api.app import create_app
from yizhu.config import Settings
from yizhu.demo.worklist_scale import seed
from yizhu.store import create_api_key, init_db
from yizhu.web import worklist

DOCTOR = "合成医师甲"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=15)
    ap.add_argument("--rows", type=int, default=10_000, help="alerts and findings (a multiple of 100)")
    args = ap.parse_args()
    n_enc = args.rows // 100
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(env="test", data_dir=tmp, database_url=f"sqlite:///{Path(tmp, 'y.db').as_posix()}")
        engine = init_db(settings.resolved_database_url)
        t0 = time.perf_counter()
        seed(engine, encounters=n_enc, per_encounter=100, doctor=DOCTOR, extra_encounters=args.rows - n_enc)
        seeded = time.perf_counter() - t0
        t0 = time.perf_counter()
        runs = worklist.sync(engine)
        indexed = time.perf_counter() - t0
        h = {"X-API-Key": create_api_key(engine, "clinician", DOCTOR)}  # the doctor's own key, as on the ward
        rx_pages = args.rows // 25
        doc_pages = args.rows // 20
        urls = []
        for sort in ("severity", "ward", "drug"):
            for p in (1, rx_pages // 2, rx_pages):
                urls.append(f"/rx?status=all&floor=all&sort={sort}&page={p}")
        for tab in ("qc", "encounters"):
            for p in (1, doc_pages // 2, doc_pages):
                urls.append(f"/doctor?tab={tab}&status=all&page={p}")
        results = {}
        with TestClient(create_app(settings, engine=engine)) as c:
            for url in urls:
                timed(c, url, h, 2)  # warm: templates compiled
            base = timed(c, "/healthz", h, args.repeat)
            for url in urls:
                results[url] = timed(c, url, h, args.repeat)
    print(f"seeded {args.rows} alerts + {args.rows} findings + {args.rows} encounters in {seeded:.1f} s; "
          f"indexed {runs} audit runs in {indexed:.1f} s")
    print(f"{'/healthz (baseline)':70s} median {statistics.median(base):7.1f} ms  p95 {pct(base, 0.95):7.1f} ms")
    for url, xs in results.items():
        print(f"{url:70s} median {statistics.median(xs):7.1f} ms  p95 {pct(xs, 0.95):7.1f} ms")
    worst = max(statistics.median(xs) for xs in results.values())
    print(f"slowest page median {worst:.1f} ms = {worst / max(statistics.median(base), 1e-9):.1f}x /healthz")


if __name__ == "__main__":
    main()
