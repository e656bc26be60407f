"""审方工作台 (/rx): a worklist built from stored orders, reviewed on arrival; one row per alert with the
order's drug, dose, route, frequency and days; sortable; accept or override with a reason (recorded as
feedback); and the override history of one rule.

Synthetic encounters (合成) arrive through the real import door, POST /v1/import.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from tests.web.signin import sign_in, token_in
from yizhu import store
from yizhu.api.app import create_app
from yizhu.config import Settings
from yizhu.value import list_feedback
from yizhu.web import worklist

#: (encounter, department, admitted, orders as (drug, dose, unit, route, frequency, days))
WARDS = [
    ("enc-rx-1", "心内科", "2026-11-02T09:00:00", [("华法林钠片", 3.0, "mg", "po", "qd", 7.0),
                                                 ("布洛芬缓释胶囊", 0.3, "g", "po", "bid", 5.0)]),
    ("enc-rx-2", "呼吸内科", "2026-11-03T10:00:00", [("克拉霉素缓释片", 0.5, "g", "口服", "bid", 7.0),
                                                  ("辛伐他汀片", 20.0, "mg", "口服", "qn", 30.0)]),
    ("enc-rx-3", "儿科", "2026-11-04T11:00:00", [("左氧氟沙星片", 0.2, "g", "po", "qd", 5.0)]),
]


def encounter_payload(enc_id: str, department: str, admitted: str, orders: list[tuple]) -> dict:
    n = enc_id.rsplit("-", 1)[1]
    age = 5 if department == "儿科" else 68
    return {
        "patient": {"id": f"pat-rx-{n}", "name": f"合成审方{n}", "sex": "female", "age_years": age, "synthetic": True},
        "encounter": {"id": enc_id, "patient_id": f"pat-rx-{n}", "class": "inpatient", "department": department,
                      "bed": f"{n}0", "admitted_at": admitted, "attending": "合成主治"},
        "orders": [
            {"id": f"{enc_id}-M{i}", "kind": "medication", "text": f"{d} {dose}{unit} {route} {freq}", "drug": d,
             "dose": dose, "unit": unit, "route": route, "frequency": freq, "days": days, "prescriber": "合成开方医师",
             "ordered_at": admitted}
            for i, (d, dose, unit, route, freq, days) in enumerate(orders, 1)
        ],
    }


@dataclass
class Env:
    engine: Engine
    settings: Settings
    keys: dict[str, str]


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> Env:
    tmp = tmp_path_factory.mktemp("rx-worklist")
    settings = Settings(env="test", data_dir=tmp, database_url=f"sqlite:///{(tmp / 'y.db').as_posix()}")
    engine = store.init_db(settings.resolved_database_url)
    keys = {r: store.create_api_key(engine, r, f"合成{r}") for r in ("pharmacist", "clinician", "admin")}
    with TestClient(create_app(settings, engine=engine)) as c:
        for enc in WARDS:
            r = c.post("/v1/import", json={"content": json.dumps(encounter_payload(*enc), ensure_ascii=False)},
                       headers={"X-API-Key": keys["clinician"]})
            assert r.status_code == 201, r.text
            assert r.json()["reviews"] == 1  # reviewed on arrival
    return Env(engine, settings, keys)


@pytest.fixture
def pharmacist(env: Env) -> Iterator[TestClient]:
    with TestClient(create_app(env.settings, engine=env.engine)) as c:
        sign_in(c, env.keys["pharmacist"], next="/")
        yield c


def _rows(html: str) -> list[str]:
    return re.findall(r'<tr id="item-(\d+)"', html)


def test_orders_are_reviewed_on_arrival_and_land_on_the_worklist(env: Env, pharmacist: TestClient) -> None:
    for enc_id, *_ in WARDS:
        assert store.count_runs(env.engine, enc_id, task="rx.review") == 1
    assert pharmacist.get("/", follow_redirects=False).headers["location"] == "/rx"  # the pharmacist's home
    html = pharmacist.get("/rx?status=all&floor=all").text
    rows, total = worklist.list_items(env.engine, "rx_alert", status="all", limit=100)
    assert total >= 3 and {r.encounter_id for r in rows} == {e[0] for e in WARDS}
    assert set(_rows(html)) == {str(r.id) for r in rows[:25]}


def test_the_row_shows_dose_route_frequency_and_days_as_a_chart_writes_them(env: Env, pharmacist: TestClient) -> None:
    html = pharmacist.get("/rx?status=all&floor=all&ward=心内科").text
    row = re.search(r'<tr id="item-\d+".*?</tr>', html, re.S)
    assert row is not None
    cells = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row.group(0)))
    for shown in ("华法林钠片", "3 mg", "0.3 g", "口服", "qd（每日1次）", "bid（每日2次）", "7天", "5天"):
        assert shown in cells, shown
    assert "3.0" not in cells and "7.0" not in cells  # no spurious .0
    assert "证据与来源" in cells and "依据：" in cells
    # the rule id is there for those who need it, behind 详情
    assert re.search(r'<details class="ids"><summary>详情</summary>.*?rx\.', row.group(0), re.S)


@pytest.mark.parametrize("sort", ["severity", "ward", "drug", "time", "patient"])
def test_every_sort_orders_the_whole_list_and_reverse_flips_it(env: Env, pharmacist: TestClient, sort: str) -> None:
    forward, _ = worklist.list_items(env.engine, "rx_alert", status="all", sort=sort, limit=100)
    backward, _ = worklist.list_items(env.engine, "rx_alert", status="all", sort=sort, reverse=True, limit=100)
    key = {"severity": lambda r: worklist.SEVERITY_RANK[r.severity], "ward": lambda r: r.department,
           "drug": lambda r: r.drug, "time": lambda r: r.at, "patient": lambda r: r.patient_id}[sort]
    values = [key(r) for r in forward]
    assert values == sorted(values, reverse=sort == "time")
    assert [key(r) for r in backward] == sorted(values, reverse=sort != "time")
    html = pharmacist.get(f"/rx?status=all&floor=all&sort={sort}").text
    assert _rows(html) == [str(r.id) for r in forward[:25]]


def test_override_needs_a_reason_and_is_recorded_as_feedback(env: Env, pharmacist: TestClient) -> None:
    row = worklist.list_items(env.engine, "rx_alert", status="pending", department="心内科", limit=1)[0][0]
    token = token_in(pharmacist.get("/rx?floor=all").text)
    partial = {"X-Partial": "row"}
    url = f"/rx/reviews/{row.run_id}/decide"
    r = pharmacist.post(url, data={"alert": row.item, "decision": "override", "reason": "", "csrf": token},
                        headers=partial)
    assert r.status_code == 422 and "需要填写理由" in r.text and f'id="item-{row.id}"' in r.text
    assert not list_feedback(env.engine, run_id=row.run_id)
    r = pharmacist.post(url, data={"alert": row.item, "decision": "override", "reason": "合成：已与医师沟通，监测INR",
                                   "csrf": token}, headers=partial)
    assert r.status_code == 200 and r.text.lstrip().startswith("<tr") and "药师已放行" in r.text
    fb = list_feedback(env.engine, run_id=row.run_id)
    assert [(f.decision, f.item, f.actor, f.reason) for f in fb] == [
        ("override", row.item, "合成pharmacist", "合成：已与医师沟通，监测INR")]
    assert f'id="item-{row.id}"' not in pharmacist.get("/rx?floor=all").text  # decided: off the pending list


def test_upholding_from_the_worklist_returns_to_it(env: Env, pharmacist: TestClient) -> None:
    row = worklist.list_items(env.engine, "rx_alert", status="pending", limit=1)[0][0]
    token = token_in(pharmacist.get("/rx?floor=all").text)
    r = pharmacist.post(f"/rx/reviews/{row.run_id}/decide", follow_redirects=False,
                        data={"alert": row.item, "decision": "accept", "next": "/rx?floor=all", "csrf": token})
    assert r.status_code == 303 and r.headers["location"] == "/rx?floor=all"
    assert worklist.find_item(env.engine, row.run_id, row.item).decision.decision == "accept"  # type: ignore[union-attr]


def test_a_rules_override_history_counts_rates_and_reasons(env: Env, pharmacist: TestClient) -> None:
    decided = worklist.list_items(env.engine, "rx_alert", status="decided", limit=100)[0]
    overridden = next(r for r in decided if r.decision and r.decision.decision == "override")
    html = pharmacist.get(f"/rx/rules/{overridden.rule_id}/overrides").text
    history = worklist.rule_history(env.engine, overridden.rule_id)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert f"已处理提示 {history.decisions}" in text and f"放行（超越） {len(history.overrides)}" in text
    rate = len(history.overrides) * 100 / history.decisions
    assert f"放行率 {rate:.1f}".rstrip("0").rstrip(".") in text
    assert "合成：已与医师沟通，监测INR" in text
    # the override report links each rule to its history
    assert f'href="/rx/rules/{overridden.rule_id}/overrides"' in pharmacist.get("/rx/overrides").text
    assert pharmacist.get("/rx/rules/rx.no.such.v1/overrides").status_code == 404


def test_clinicians_see_the_worklist_without_decision_forms(env: Env) -> None:
    with TestClient(create_app(env.settings, engine=env.engine)) as c:
        sign_in(c, env.keys["clinician"])
        html = c.get("/rx?status=all&floor=all").text
        assert _rows(html) and 'action="/rx/reviews/' not in html and "待药师处理" in html


def test_a_large_backlog_is_indexed_over_several_views_and_the_page_says_so(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    tmp = tmp_path_factory.mktemp("rx-backlog")
    settings = Settings(env="test", data_dir=tmp, database_url=f"sqlite:///{(tmp / 'y.db').as_posix()}")
    engine = store.init_db(settings.resolved_database_url)
    key = store.create_api_key(engine, "pharmacist", "合成药师")
    monkeypatch.setattr(worklist, "PAGE_SYNC_RUNS", 2)
    with TestClient(create_app(settings, engine=engine)) as c:
        admin = store.create_api_key(engine, "admin", "合成管理")
        for enc in WARDS:  # three reviews arrive before anyone opens the worklist
            c.post("/v1/import", json={"content": json.dumps(encounter_payload(*enc), ensure_ascii=False)},
                   headers={"X-API-Key": admin})
        h = {"X-API-Key": key}
        first = c.get("/rx?status=all&floor=all", headers=h).text
        assert "工作清单正在更新" in first  # two of three runs read: the page says the list is not complete
        second = c.get("/rx?status=all&floor=all", headers=h).text
        assert "工作清单正在更新" not in second
        assert len(_rows(second)) == worklist.list_items(engine, "rx_alert", status="all", limit=100)[1]
