"""The rate limit counter in the database: one fixed window per bucket, exact under concurrent hits."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

from sqlalchemy.engine import Engine

from yizhu.store import ratelimit


def test_a_window_counts_then_starts_again(engine: Engine) -> None:
    t0 = datetime(2026, 12, 7, 3, 0, 0)
    hits = [ratelimit.hit(engine, "key:a:default", 60, now=t0 + timedelta(seconds=i)) for i in range(3)]
    assert [w.hits for w in hits] == [1, 2, 3]
    assert {w.resets_at for w in hits} == {t0 + timedelta(seconds=60)}
    assert ratelimit.hit(engine, "key:b:default", 60, now=t0).hits == 1  # buckets are apart
    later = ratelimit.hit(engine, "key:a:default", 60, now=t0 + timedelta(seconds=60))
    assert later.hits == 1 and later.resets_at == t0 + timedelta(seconds=120)


def test_concurrent_hits_are_all_counted(engine: Engine) -> None:
    with ThreadPoolExecutor(8) as pool:
        counts = sorted(pool.map(lambda _: ratelimit.hit(engine, "addr:10.0.0.1:login", 60).hits, range(40)))
    assert counts == list(range(1, 41))


def test_idle_buckets_are_pruned(engine: Engine) -> None:
    t0 = datetime(2026, 12, 1, 0, 0, 0)
    ratelimit.hit(engine, "addr:old", 60, now=t0)
    ratelimit.hit(engine, "addr:new", 60, now=t0 + timedelta(days=2))
    assert ratelimit.prune(engine, now=t0 + timedelta(days=2)) == 1
    assert ratelimit.hit(engine, "addr:new", 60, now=t0 + timedelta(days=2)).hits == 2
