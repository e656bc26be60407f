"""The worklists page correctly at 10,000 rows: 10,000 rx alerts, 10,000 QC findings and 10,000 encounters of
one doctor (synthetic, 合成; ``yizhu.demo.worklist_scale``). Page 1, a middle page and the last page render
the right rows; walking all pages gives every row once, in order. Speed is measured in
benchmarks/worklist_pages.py, not here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from yizhu import store
from yizhu.api.app import create_app
from yizhu.config import Settings
from yizhu.demo.worklist_scale import seed
from yizhu.web import worklist
from yizhu.web.doctor_pages import PER_PAGE as DOCTOR_PAGE
from yizhu.web.rx_pages import PER_PAGE as RX_PAGE

N = 10_000
DOCTOR = "合成医师甲"


@dataclass
class Big:
    engine: Engine
    settings: Settings
    key: str


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Big:
    tmp = tmp_path_factory.mktemp("scale")
    settings = Settings(env="test", data_dir=tmp, database_url=f"sqlite:///{(tmp / 'y.db').as_posix()}")
    engine = store.init_db(settings.resolved_database_url)
    summary = seed(engine, encounters=100, per_encounter=100, doctor=DOCTOR, extra_encounters=N - 100)
    assert (summary.alerts, summary.findings, summary.encounters) == (N, N, N)
    worklist.sync(engine)
    return Big(engine, settings, store.create_api_key(engine, "clinician", DOCTOR))


def _ids(html: str) -> list[str]:
    return re.findall(r'id="item-(\d+)"', html)


def test_walking_every_page_gives_every_row_once_in_order(big: Big) -> None:
    for kind in ("rx_alert", "qc_finding"):
        for sort in ("severity", "ward"):
            seen: list[worklist.Row] = []
            for offset in range(0, N, 500):
                rows, total = worklist.list_items(big.engine, kind, status="all", sort=sort, limit=500, offset=offset)
                assert total == N
                seen += rows
            assert len({r.id for r in seen}) == N == len(seen)
            if sort == "severity":
                ranks = [worklist.SEVERITY_RANK[r.severity] for r in seen]
                assert ranks == sorted(ranks)
            elif sort == "ward":
                assert [r.department for r in seen] == sorted(r.department for r in seen)  # type: ignore[type-var]


@pytest.mark.parametrize("where", ["first", "middle", "last", "past the end"])
def test_the_pharmacists_worklist_pages(big: Big, where: str) -> None:
    pages = N // RX_PAGE
    page = {"first": 1, "middle": pages // 2, "last": pages, "past the end": pages + 7}[where]
    shown = min(page, pages)
    expected, _ = worklist.list_items(big.engine, "rx_alert", status="all", limit=RX_PAGE, offset=(shown - 1) * RX_PAGE)
    with TestClient(create_app(big.settings, engine=big.engine)) as c:
        html = c.get(f"/rx?status=all&floor=all&page={page}", headers={"X-API-Key": big.key}).text
    assert _ids(html) == [str(r.id) for r in expected] and len(expected) == RX_PAGE
    assert f"第 {shown} / {pages} 页 · 共 {N} 条" in html


@pytest.mark.parametrize("tab", ["qc", "rx", "encounters"])
@pytest.mark.parametrize("where", ["first", "middle", "last"])
def test_the_doctors_worklist_pages(big: Big, tab: str, where: str) -> None:
    pages = N // DOCTOR_PAGE
    page = {"first": 1, "middle": pages // 2, "last": pages}[where]
    with TestClient(create_app(big.settings, engine=big.engine)) as c:
        html = c.get(f"/doctor?tab={tab}&status=all&page={page}", headers={"X-API-Key": big.key}).text
    assert f"第 {page} / {pages} 页 · 共 {N} 条" in html
    if tab == "encounters":
        expected = worklist.encounters_of(big.engine, DOCTOR, limit=DOCTOR_PAGE, offset=(page - 1) * DOCTOR_PAGE)
        found = re.findall(r'<td><a href="/encounters/([^"]+)">', html)
        assert found == [e["id"] for e in expected] and len(found) == DOCTOR_PAGE
    else:
        kind = {"qc": "qc_finding", "rx": "rx_alert"}[tab]
        expected_rows, _ = worklist.list_items(big.engine, kind, doctor=DOCTOR, status="all",  # type: ignore[arg-type]
                                               limit=DOCTOR_PAGE, offset=(page - 1) * DOCTOR_PAGE)
        assert _ids(html) == [str(r.id) for r in expected_rows] and len(expected_rows) == DOCTOR_PAGE
