"""Encounter page server time: GET /encounters/{id} for the demo's largest encounter (target < 300 ms).

The demo hospital (合成, default 50 patients) is loaded into a temporary SQLite file with its
first-start activity (reviews, QC, drafts, decisions); the largest encounter is the one with the most
documents + orders + audited runs. Timed through the real app in-process (FastAPI TestClient: routing,
auth, store reads, template rendering; no socket). Baseline in the same process: GET /healthz, so the
ratio shows what the page costs above the app's fixed overhead. Also times the /value dashboard.

    .venv/bin/python benchmarks/web_encounter.py [--patients 50] [--repeat 30]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
from pathlib import Path

from fastapi.testclient import TestClient
from pagetiming import pct, timed

from yizhu.api.app import create_app
from yizhu.api.services import load_demo
from yizhu.config import Settings
from yizhu.demo.seed import seed_activity
from yizhu.store import create_api_key, init_db, list_encounters, load_context
from yizhu.store.audit import count_runs


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--patients", type=int, default=50)
    ap.add_argument("--repeat", type=int, default=30)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        engine = init_db(f"sqlite:///{Path(tmp, 'yizhu.db').as_posix()}")
        settings = Settings(env="test", data_dir=tmp)
        load_demo(engine, n_patients=args.patients)
        seed_activity(engine, settings)
        key = create_api_key(engine, "admin", "bench")

        def size(enc_id: str) -> int:
            ctx = load_context(engine, enc_id)
            return len(ctx.documents) + len(ctx.orders) + len(ctx.medication_orders) + count_runs(engine, enc_id)

        encs = list_encounters(engine, limit=1000)
        largest = max(encs, key=lambda e: size(e.id))
        largest_size = size(largest.id)
        h = {"X-API-Key": key}
        with TestClient(create_app(settings, engine=engine)) as c:
            timed(c, f"/encounters/{largest.id}", h, 3)  # warm: templates compiled, knowledge loaded
            base = timed(c, "/healthz", h, args.repeat)
            page = timed(c, f"/encounters/{largest.id}", h, args.repeat)
            value = timed(c, "/value", h, args.repeat)
    print(f"demo: {args.patients} patients, {len(encs)} encounters; largest {largest.id} "
          f"(documents + orders + audited runs = {largest_size})")
    for name, xs in (("/healthz (baseline)", base), (f"/encounters/{largest.id}", page), ("/value", value)):
        print(f"{name:45s} median {statistics.median(xs):7.1f} ms  p95 {pct(xs, 0.95):7.1f} ms")
    ratio = statistics.median(page) / max(statistics.median(base), 1e-9)
    verdict = "OK" if pct(page, 0.95) < 300 else "OVER"
    print(f"encounter page / baseline: {ratio:.1f}x; p95 vs 300 ms target: {verdict}")


if __name__ == "__main__":
    main()
