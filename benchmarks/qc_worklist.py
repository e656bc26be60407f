"""QC worklist at 10,000 records: index sync throughput and page server time at the first, middle and last page.

A temporary SQLite file gets N synthetic (合成) patients and encounters (12 departments, 40 doctors, 12 months)
and one audited ``qc.record`` run per encounter, appended through the real audit chain (``record_run``) with
scores, grades and 0-6 findings each. Then:

1. ``qcindex.sync`` indexes the N runs (runs/s);
2. ``GET /qc?page=P`` for the first, middle and last page, unfiltered and filtered (one department, 丙 only),
   and ``/qc/dashboard?by=department`` and ``?by=rule``, through the real app in-process (TestClient: routing,
   auth, SQL, templates); baseline ``GET /healthz`` in the same process;
3. ``/qc/worklist.csv`` (all N rows).

    .venv/bin/python benchmarks/qc_worklist.py [--records 10000] [--repeat 15]
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from fastapi.testclient import TestClient
from pagetiming import timed

from yizhu.api.app import create_app
from yizhu.config import Settings
from yizhu.store import create_api_key, init_db, qcindex, record_run
from yizhu.store.db import transaction, utcnow
from yizhu.store.schema import encounters, patients

DEPARTMENTS = ["心血管内科", "呼吸内科", "消化内科", "神经内科", "内分泌科", "肾内科", "普通外科", "骨科", "妇科",
               "产科", "儿科", "急诊科"]
RULES = [("qc.admission.family_history.v1", 1), ("qc.admission.past_history.v1", 2),
         ("qc.timeliness.first_progress_8h.v1", 3), ("qc.consistency.sex_content.v1", 5),
         ("qc.discharge.discharge_orders.v1", 5), ("qc.standard.abbreviation.v1", 0.5),
         ("qc.copy_paste.duplicate.v1", 2)]


def populate(engine: sa.Engine, n: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    now = utcnow()
    base = datetime(2026, 1, 1, 8, 0)
    pats, encs = [], []
    for i in range(n):
        pid, eid = f"BP{i:06d}", f"BP{i:06d}-E1"
        admitted = base + timedelta(days=rng.randrange(330), hours=rng.randrange(12))
        discharged = admitted + timedelta(days=rng.randrange(2, 15)) if rng.random() < 0.7 else None
        dept = DEPARTMENTS[i % len(DEPARTMENTS)]
        doctor = f"合成医师{(i * 7) % 40:02d}"
        pats.append({"id": pid, "name": f"合成患者{i:05d}", "sex": "female" if i % 2 else "male", "birth_date": None,
                     "mrn": f"M{i:06d}", "synthetic": True, "data": {"id": pid, "synthetic": True}, "created_at": now,
                     "updated_at": now})
        encs.append({"id": eid, "patient_id": pid, "encounter_class": "inpatient", "department": dept,
                     "admitted_at": admitted, "discharged_at": discharged,
                     "data": {"id": eid, "patient_id": pid, "attending": doctor}, "created_at": now, "updated_at": now})
    with transaction(engine) as conn:
        conn.execute(patients.insert(), pats)
        conn.execute(encounters.insert(), encs)
    for e in encs:
        findings = []
        for rule, points in rng.sample(RULES, rng.randrange(0, 5)):
            start = rng.randrange(0, 400)
            findings.append({"rule_id": rule, "severity": "major", "category": "completeness", "message": "合成缺陷",
                             "evidence": {"start": start, "end": start + 4, "text": ""}, "section": None,
                             "source": "合成", "data": {"points": points, "document": f"{e['id']}-ADM"}})
        score = max(0.0, 100.0 - sum(f["data"]["points"] for f in findings) - rng.choice([0, 0, 5, 12, 30]))
        grade = "甲" if score >= 90 else "乙" if score >= 75 else "丙"
        record_run(engine, task="qc.record", task_version="1.0.0", input_obj={"encounter": e["id"]},
                   output_obj={"task": "qc.record", "task_version": "1.0.0",
                               "output": {"score": score, "grade": grade, "mode": "encounter", "vetoes": []},
                               "findings": findings, "degraded": []},
                   actor="合成·benchmark", duration_ms=5, encounter_id=e["id"])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--records", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=15)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        engine = init_db(f"sqlite:///{Path(tmp) / 'bench.db'}")
        t0 = time.perf_counter()
        populate(engine, args.records)
        print(f"populated {args.records} encounters + audited qc.record runs in {time.perf_counter() - t0:.1f} s")
        t0 = time.perf_counter()
        read = qcindex.sync(engine)
        dt = time.perf_counter() - t0
        print(f"sync: {read} runs in {dt:.2f} s = {read / dt:,.0f} runs/s; a second sync (nothing new): ", end="")
        t0 = time.perf_counter()
        qcindex.sync(engine)
        print(f"{(time.perf_counter() - t0) * 1000:.1f} ms")
        key = create_api_key(engine, "qc_officer", "bench")
        headers = {"X-API-Key": key}
        pages = -(-args.records // 50)
        with TestClient(create_app(Settings(env="test", data_dir=Path(tmp)), engine=engine)) as client:
            urls = [("/healthz", "/healthz (baseline)"), ("/qc?page=1", "worklist page 1"),
                    (f"/qc?page={pages // 2}", f"worklist page {pages // 2}"),
                    (f"/qc?page={pages}", f"worklist page {pages} (last)"),
                    ("/qc?department=心血管内科&grade=丙&page=2", "filtered: 心血管内科, 丙, page 2"),
                    ("/qc/dashboard?by=department", "dashboard by department"),
                    ("/qc/dashboard?by=rule", "dashboard by rule")]
            for url, _ in urls:  # warm up
                client.get(url, headers=headers)
            print(f"{'request':<36} {'median ms':>10} {'p95 ms':>8}")
            base = None
            for url, name in urls:
                xs = timed(client, url, headers, args.repeat)
                med = statistics.median(xs)
                base = base or med
                p95 = sorted(xs)[min(len(xs) - 1, int(0.95 * len(xs)))]
                print(f"{name:<36} {med:>10.1f} {p95:>8.1f}   ({med / base:.1f}× baseline)")
            t0 = time.perf_counter()
            r = client.get("/qc/worklist.csv", headers=headers)
            lines = r.content.count(b"\n") - 1
            print(f"worklist CSV: {lines} rows, {len(r.content) / 1e6:.2f} MB in {(time.perf_counter() - t0) * 1000:.0f} ms")
        engine.dispose()


if __name__ == "__main__":
    main()
