"""Measure audit-chain append and verify rates: ``python -m yizhu.store.bench URL [N]``.

Writes N synthetic runs into the database at URL (use a scratch database: audit rows cannot be
removed) and prints appends per second and verified rows per second.
"""

from __future__ import annotations

import sys
import time

from yizhu.store.audit import record_run, verify_chain
from yizhu.store.db import init_db, safe_url


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; returns the process exit code."""
    args = sys.argv[1:] if argv is None else argv
    if not args:
        sys.stderr.write("usage: python -m yizhu.store.bench URL [N]  (URL of a scratch database)\n")
        return 2
    url, n = args[0], int(args[1]) if len(args) > 1 else 2000
    engine = init_db(url)
    output = {"findings": [{"rule_id": "qc.admission.allergy_history.v1", "message": "缺少过敏史（合成）"}]}
    start = time.perf_counter()
    for i in range(n):
        record_run(
            engine,
            task="bench.append",
            task_version="1",
            input_obj={"i": i},
            output_obj=output,
            actor="bench",
            duration_ms=5,
        )
    appended = time.perf_counter() - start
    start = time.perf_counter()
    report = verify_chain(engine)
    verified = time.perf_counter() - start
    sys.stdout.write(
        f"{safe_url(engine.url)}: {n / appended:.0f} appends/s; verify {report.rows} rows "
        f"at {report.rows / verified:.0f} rows/s, ok={report.ok}\n"
    )
    engine.dispose()
    return 0 if report.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
