"""Several stateless API replicas behind one database: two real uvicorn servers on loopback, one store
(SQLite file, and the embedded PostgreSQL when it can start). A sign-in on one replica holds on the
other (and a sign-out on the other ends it), concurrent audited runs on both keep one intact hash chain, every
run is visible from both, and a rate limit counts the requests of both replicas together."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

import yizhu.store as store
from yizhu.api.replica import Replica

NOTE = """入院记录（合成病历 / synthetic）
姓名：测试甲  性别：男  年龄：63岁
入院时间：2026-11-20 09:00  记录时间：2026-11-20 15:00
主诉：反复胸闷3年，加重2天。
现病史：患者3年前出现活动后胸闷，休息后缓解。2天前胸闷加重。
既往史：高血压10年。
过敏史：否认药物过敏史。
体格检查：BP 150/90mmHg，双肺呼吸音清。
初步诊断：冠状动脉粥样硬化性心脏病
"""


PHARMACIST_LIMIT = 10


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]*)"', html)
    assert found and found.group(1), "no CSRF token in the page"
    return found.group(1)


@pytest.fixture
def replicas(db_url: str, tmp_path: Path) -> Iterator[tuple[Replica, Replica, dict[str, str]]]:
    engine = store.init_db(db_url)
    keys = {role: store.create_api_key(engine, role=role, name=f"replica-{role}")
            for role in ("admin", "clinician", "pharmacist")}
    engine.dispose()
    env = {"YIZHU_RATE_LIMITS": json.dumps({"default.pharmacist": f"{PHARMACIST_LIMIT}/minute", "login": "4/minute"})}
    with Replica(db_url, tmp_path / "a", env=env) as a, Replica(db_url, tmp_path / "b", env=env) as b:
        yield a, b, keys


def test_two_replicas_share_sessions_audit_and_rate_limits(replicas: tuple[Replica, Replica, dict[str, str]]) -> None:
    a, b, keys = replicas
    # a page sign-in on replica A is a session replica B honours, and a sign-out on B ends it on A
    with httpx.Client(base_url=a.url) as ca:
        token = _csrf(ca.get("/login").text)
        r = ca.post("/login", data={"key": keys["clinician"], "next": "/patients", "csrf": token})
        assert r.status_code == 303, r.text
        cookies = dict(ca.cookies)
    with httpx.Client(base_url=b.url, cookies=cookies) as cb:
        page = cb.get("/patients")
        assert page.status_code == 200 and "login" not in str(page.url)
        assert cb.post("/logout", data={"csrf": _csrf(page.text)}).status_code == 303
    with httpx.Client(base_url=a.url, cookies=cookies) as ca:
        gone = ca.get("/patients")
        assert gone.status_code in (302, 303, 307) and "/login" in gone.headers.get("location", ""), gone.status_code

    # concurrent audited runs through both replicas
    def run(i: int) -> str:
        target = a if i % 2 else b
        r = httpx.post(f"{target.url}/v1/tasks/qc.record/run", json={"note": NOTE},
                       headers={"X-API-Key": keys["clinician"]}, timeout=60)
        assert r.status_code == 200, r.text
        return str(r.json()["run_id"])

    with ThreadPoolExecutor(8) as pool:
        run_ids = list(pool.map(run, range(24)))
    assert len(set(run_ids)) == 24
    admin = {"X-API-Key": keys["admin"]}
    for replica in (a, b):
        verify = httpx.get(f"{replica.url}/v1/audit/verify", headers=admin, timeout=60).json()
        assert verify["ok"] is True and verify["rows"] == 24, verify
        listed = httpx.get(f"{replica.url}/v1/task-runs", params={"limit": 100}, headers=admin, timeout=60).json()
        assert {r["id"] if "id" in r else r["run_id"] for r in listed} == set(run_ids)

    # one rate limit over both replicas: 16 concurrent requests with one key, half to each, 10 allowed
    def read(i: int) -> int:
        target = a if i % 2 else b
        r = httpx.get(f"{target.url}/v1/patients", headers={"X-API-Key": keys["pharmacist"]}, timeout=60)
        return r.status_code

    with ThreadPoolExecutor(8) as pool:
        codes = list(pool.map(read, range(16)))
    assert codes.count(200) == PHARMACIST_LIMIT and codes.count(429) == 16 - PHARMACIST_LIMIT, codes
    # sign-in attempts per client address, over both: 1 above, 3 more allowed, then 429 on either replica
    tries = []
    for target in (b, a, b, a, b):
        with httpx.Client(base_url=target.url) as c:
            tries.append(c.post("/login", data={"key": "yz_wrong", "next": "/patients", "csrf": "x"}).status_code)
    assert 429 not in tries[:3] and tries[3:] == [429, 429], tries
