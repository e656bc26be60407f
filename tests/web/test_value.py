"""Value metrics (/v1/value/..., /value): computed from the audit log and the feedback stored through the
real paths (the note-draft feedback API, the rx decision path), with figures checked by hand.

The store is a fresh SQLite file per module holding the web tests' synthetic hospital (合成).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from yizhu.api.app import create_app
from yizhu.config import Settings
from yizhu.store import create_api_key
from yizhu.value import levenshtein, list_feedback, metrics

from .conftest import Hospital, build_hospital
from .signin import sign_in


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, Hospital, dict[str, str]]]:
    tmp = tmp_path_factory.mktemp("value")
    hospital = build_hospital(tmp / "yizhu.db")
    keys = {
        "admin": create_api_key(hospital.engine, "admin", "value-admin"),
        "qc": create_api_key(hospital.engine, "qc_officer", "value-qc"),
        "dr_a": create_api_key(hospital.engine, "clinician", "dr-a"),
        "dr_b": create_api_key(hospital.engine, "clinician", "dr-b"),
    }
    with TestClient(create_app(Settings(env="test", data_dir=tmp), engine=hospital.engine)) as client:
        yield client, hospital, keys


def _draft(client: TestClient, key: str, encounter_id: str) -> tuple[str, str]:
    r = client.post("/v1/notes/draft", json={"type": "progress", "encounter_id": encounter_id, "use_llm": False},
                    headers={"X-API-Key": key})
    assert r.status_code == 200, r.text
    return r.json()["run_id"], r.json()["text"]


def _decide(client: TestClient, key: str, run_id: str, decision: str, final: str | None = None) -> dict:
    body = {"decision": decision, "reason": "测试"} | ({"final_text": final} if final is not None else {})
    r = client.post(f"/v1/notes/drafts/{run_id}/feedback", json=body, headers={"X-API-Key": key})
    assert r.status_code == 200, r.text
    return r.json()


def test_adoption_edit_distance_and_time_saved_match_the_feedback_given(world) -> None:
    client, hospital, keys = world
    enc = hospital.encounter_id
    r1, t1 = _draft(client, keys["dr_a"], enc)
    r2, t2 = _draft(client, keys["dr_a"], enc)
    r3, _ = _draft(client, keys["dr_b"], enc)
    r4, t4 = _draft(client, keys["dr_b"], enc)
    _decide(client, keys["dr_a"], r1, "accept")
    edited = t2 + "\n医师补充：一周后复查。"
    _decide(client, keys["dr_a"], r2, "edit", edited)
    _decide(client, keys["dr_b"], r3, "reject")
    # dr_b first rejects r4, then accepts it: only the latest decision counts.
    _decide(client, keys["dr_b"], r4, "reject")
    _decide(client, keys["dr_b"], r4, "accept")

    admin = {"X-API-Key": keys["admin"]}
    rows = {r["doctor"]: r for r in client.get("/v1/value/adoption?by=doctor", headers=admin).json()["rows"]}
    assert (rows["dr-a"]["accepted"], rows["dr-a"]["edited"], rows["dr-a"]["rejected"]) == (1, 1, 0)
    assert (rows["dr-b"]["accepted"], rows["dr-b"]["edited"], rows["dr-b"]["rejected"]) == (1, 0, 1)
    assert rows["dr-b"]["adoption_rate"] == 0.5 and rows["dr-a"]["adoption_rate"] == 1.0
    assert rows["dr-a"]["synthetic"] == 0

    by_task = {r["task"]: r for r in client.get("/v1/value/drafts?by=task", headers=admin).json()["rows"]}
    d = by_task["notes.progress"]
    assert (d["drafts_decided"], d["signed"], d["rejected"]) == (4, 3, 1)
    dist = levenshtein(t2, edited)
    assert dist == len("\n医师补充：一周后复查。")
    assert d["edit_distance"]["median"] == 0.0 and d["edit_distance"]["mean"] == round(dist / 3, 4)
    assert d["minutes_to_signature"]["median"] is not None and d["minutes_to_signature"]["median"] >= 0

    saved = client.get("/v1/value/time-saved?chars_per_minute=20", headers=admin).json()
    expect = (len(t1) + (len(edited) - dist) + len(t4)) / 20
    assert saved["drafts"] == 3 and abs(saved["minutes"] - expect) <= 0.051
    assert "20 字/分钟" in saved["method"]

    summary = client.get("/v1/value/summary?by=department", headers=admin).json()
    assert summary["synthetic"] is False and summary["decisions"] == 4
    assert [r["department"] for r in summary["adoption"]] == ["心内科"]


def test_alert_override_rate_and_reasons_come_from_rx_decisions(world) -> None:
    from yizhu.clinical.rx.api import TASK_NAME, record_decision, run_alerts
    from yizhu.store.audit import get_run, list_runs

    client, hospital, keys = world
    from yizhu.api.services import load_demo

    load_demo(hospital.engine, n_patients=4)  # the demo's risky orders, reviewed on arrival (合成)
    reviews = [r for r in list_runs(hospital.engine, task=TASK_NAME, actor="demo-loader", limit=1000)
               if run_alerts(get_run(hospital.engine, r.id))]
    assert reviews, "the demo's orders raise no rx alert"
    run_id = reviews[0].id
    a = run_alerts(get_run(hospital.engine, run_id))[0]
    record_decision(hospital.engine, run_id, a.key, "override", "已会诊，继续用药", actor="ph-1")
    rows = client.get("/v1/value/alerts?by=rule", headers={"X-API-Key": keys["qc"]}).json()["rows"]
    row = next(r for r in rows if r["rule"] == a.key.split(":", 1)[0])
    assert row["overridden"] >= 1 and row["top_reasons"][0] == {"reason": "已会诊，继续用药", "count": 1}
    assert row["override_rate"] == round(row["overridden"] / row["decisions"], 4)


def test_csv_export_has_a_header_and_one_row_per_group(world) -> None:
    client, _, keys = world
    r = client.get("/v1/value/adoption?by=doctor&format=csv", headers={"X-API-Key": keys["admin"]})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert r.text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(r.text.lstrip("\ufeff"))))
    assert {"doctor", "accepted", "edited", "rejected", "adoption_rate"} <= set(rows[0])
    assert len({row["doctor"] for row in rows}) == len(rows)


def test_bad_grouping_is_a_problem_and_clinicians_may_not_read_per_doctor_figures(world) -> None:
    client, _, keys = world
    r = client.get("/v1/value/adoption?by=ward", headers={"X-API-Key": keys["admin"]})
    assert r.status_code == 422 and r.headers["content-type"] == "application/problem+json"
    r = client.get("/v1/value/summary", headers={"X-API-Key": keys["dr_a"]})
    assert r.status_code == 403 and r.headers["content-type"] == "application/problem+json"
    r = client.get("/v1/value/time-saved?chars_per_minute=0", headers={"X-API-Key": keys["admin"]})
    assert r.status_code == 422


def test_the_dashboard_shows_the_figures_the_method_and_csv_links(world, tmp_path: Path) -> None:
    _client, hospital, keys = world
    with TestClient(create_app(Settings(env="test", data_dir=tmp_path), engine=hospital.engine)) as c:
        assert sign_in(c, keys["qc"], "/value").status_code == 303
        page = c.get("/value?by=doctor")
        assert page.status_code == 200
        assert "价值度量" in page.text and "计算方法" in page.text and "/value/adoption.csv?by=doctor" in page.text
        assert "dr-a" in page.text and 'id="value-synthetic"' not in page.text
        bad = c.get("/value?by=ward")
        assert bad.status_code == 400 and "分组方式" in bad.text
        csv_page = c.get("/value/drafts.csv?by=task")
        assert csv_page.status_code == 200 and "notes.progress" in csv_page.text
        c.post("/logout", data={})
    with TestClient(create_app(Settings(env="test", data_dir=tmp_path), engine=hospital.engine)) as c:
        sign_in(c, keys["dr_a"], "/patients")
        assert c.get("/value").status_code == 403


def test_synthetic_decisions_are_labelled_and_can_be_left_out(world) -> None:
    client, hospital, keys = world
    run_id = list_feedback(hospital.engine, limit=1)[0].run_id
    from yizhu.value import record_feedback

    record_feedback(hospital.engine, run_id=run_id, actor="合成·演示医师", decision="accept", item="demo-item")
    admin = {"X-API-Key": keys["admin"]}
    with_synth = client.get("/v1/value/summary", headers=admin).json()
    without = client.get("/v1/value/summary?include_synthetic=false", headers=admin).json()
    assert with_synth["synthetic"] is True and with_synth["synthetic_decisions"] == 1
    assert without["synthetic"] is False and without["decisions"] == with_synth["decisions"] - 1
    assert metrics.is_synthetic_actor("合成·x") and not metrics.is_synthetic_actor("dr-a")
