"""Timing pages through the real app in-process, shared by the page benchmarks (not a benchmark itself)."""

from __future__ import annotations

import time

from fastapi.testclient import TestClient


def timed(client: TestClient, url: str, headers: dict[str, str], repeat: int) -> list[float]:
    """Milliseconds of each of ``repeat`` GETs of ``url``; any answer but 200 stops the benchmark."""
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        r = client.get(url, headers=headers)
        out.append((time.perf_counter() - t0) * 1000)
        assert r.status_code == 200, (url, r.status_code, r.text[:300])
    return out


def pct(xs: list[float], q: float) -> float:
    """The q-quantile (nearest rank) of ``xs``."""
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))]
