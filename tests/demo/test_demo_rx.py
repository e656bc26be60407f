"""The demo hospital's risky orders reach the pharmacist on first start (issue 13, "done when").

``load_demo`` (what ``make run`` → ``yizhu serve --demo`` calls) reviews the stored medication orders of
every encounter, so the encounter page shows the alerts beside the orders and /rx lists the reviews to
decide on: the synthetic patient on metformin at eGFR 26 shows the contraindication at once."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

import yizhu.store as store
from yizhu.api.app import create_app
from yizhu.api.services import load_demo
from yizhu.clinical.registry import register
from yizhu.clinical.rx import RxReviewTask
from yizhu.config import Settings


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, str, object]]:
    tmp: Path = tmp_path_factory.mktemp("demo-rx")
    settings = Settings(data_dir=tmp, database_url=f"sqlite:///{tmp / 'demo.db'}")
    engine = store.init_db(settings.resolved_database_url)
    register(RxReviewTask())  # the shipped packs (other modules register fixture-pack tasks)
    load_demo(engine)
    key = store.create_api_key(engine, role="pharmacist", name="demo-pharmacist")
    with TestClient(create_app(settings, engine=engine)) as client:
        yield client, key, engine


def _metformin_encounter(engine: object) -> str:
    for run in store.list_runs(engine, task="rx.review", limit=200):  # type: ignore[arg-type]
        for a in run.output["output"]["alerts"]:
            if a["type"] == "renal" and "二甲双胍" in a["drugs"][0] and a["evidence"]["value"] < 30:
                return str(run.encounter_id)
    raise AssertionError("no demo encounter with metformin at eGFR < 30 was reviewed")


def test_every_encounter_with_medication_orders_is_reviewed_on_load(demo) -> None:
    _, _, engine = demo
    with_meds = {e.id for e in store.list_encounters(engine) if store.load_context(engine, e.id).medication_orders}
    reviewed = {r.encounter_id for r in store.list_runs(engine, task="rx.review", limit=1000)}
    assert with_meds and with_meds == reviewed


def test_encounter_page_shows_the_metformin_alert(demo) -> None:
    client, key, engine = demo
    enc = _metformin_encounter(engine)
    html = client.get(f"/encounters/{enc}", headers={"X-API-Key": key}).text
    assert "审方提示" in html and "eGFR" in html and "二甲双胍" in html and "禁忌" in html


def test_pharmacist_worklist_lists_it_first_among_the_most_severe(demo) -> None:
    client, key, engine = demo
    enc = _metformin_encounter(engine)
    pending = client.get("/v1/rx/pending", headers={"X-API-Key": key}).json()
    mine = [p for p in pending if any(a["type"] == "renal" and "二甲双胍" in a["drugs"][0] for a in p["open_alerts"])]
    assert mine and mine[0]["max_severity"] == "contraindicated"
    assert {store.get_run(engine, p["run_id"]).encounter_id for p in mine} >= {enc}
    assert "二甲双胍" in client.get("/rx", headers={"X-API-Key": key}).text
