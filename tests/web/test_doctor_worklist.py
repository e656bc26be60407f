"""医生工作台 (/doctor): my drafts, QC findings on my notes, alerts on my orders, my encounters; decisions
through the existing feedback path, by each task's declaration.

A small synthetic demo hospital (合成, 12 patients) is loaded and its activity seeded, as ``make run`` does;
the doctors' keys are named as the EMR names them in ``attending`` / ``prescriber``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from tests.web.signin import post_form, sign_in
from yizhu import store
from yizhu.api.app import create_app
from yizhu.api.services import load_demo, run_task
from yizhu.config import Settings
from yizhu.demo.seed import seed_activity
from yizhu.value import list_feedback
from yizhu.web import worklist


@dataclass
class Demo:
    engine: Engine
    settings: Settings
    keys: dict[str, str]
    drafting_doctor: str  # has a draft waiting for signature
    qc_doctor: str  # has QC findings on their notes
    prescriber: str  # has rx alerts on their orders


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    tmp = tmp_path_factory.mktemp("doctor")
    settings = Settings(env="test", data_dir=tmp, database_url=f"sqlite:///{(tmp / 'y.db').as_posix()}")
    engine = store.init_db(settings.resolved_database_url)
    load_demo(engine, n_patients=12)
    seed_activity(engine, settings)
    worklist.sync(engine)
    drafting = worklist.list_items(engine, "draft", limit=1)[0][0].doctor
    qc = worklist.list_items(engine, "qc_finding", limit=1)[0][0].doctor
    rx = worklist.list_items(engine, "rx_alert", status="all", limit=1)[0][0].doctor
    assert drafting and qc and rx
    keys = {name: store.create_api_key(engine, "clinician", name) for name in {drafting, qc, rx}}
    keys["pharmacist"] = store.create_api_key(engine, "pharmacist", "药师测试")
    keys["admin"] = store.create_api_key(engine, "admin", "管理员测试")
    return Demo(engine, settings, keys, drafting, qc, rx)


@pytest.fixture
def as_doctor(demo: Demo) -> Iterator[tuple[TestClient, Demo]]:
    with TestClient(create_app(demo.settings, engine=demo.engine)) as c:
        yield c, demo


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_a_clinician_lands_on_their_worklist_and_sees_only_their_own_rows(as_doctor) -> None:
    c, demo = as_doctor
    assert sign_in(c, demo.keys[demo.qc_doctor], next="/").headers["location"] == "/"
    assert c.get("/", follow_redirects=False).headers["location"] == "/doctor"
    r = c.get("/doctor?tab=qc")
    assert r.status_code == 200
    assert f"医生工作台 · {demo.qc_doctor}" in _text(r.text)
    mine = worklist.list_items(demo.engine, "qc_finding", doctor=demo.qc_doctor, limit=100)[0]
    others = worklist.list_items(demo.engine, "qc_finding", limit=1000)[0]
    for row in mine:
        assert f'id="item-{row.id}"' in r.text
    for row in others:
        if row.doctor != demo.qc_doctor:
            assert f'id="item-{row.id}"' not in r.text
    # a clinician cannot look at a colleague's worklist by changing the address
    other = next((row.doctor for row in others if row.doctor != demo.qc_doctor), None)
    if other:
        assert f"医生工作台 · {other}" not in _text(c.get(f"/doctor?doctor={other}").text)


def test_a_qc_finding_jumps_to_the_highlighted_sentence(as_doctor) -> None:
    c, demo = as_doctor
    sign_in(c, demo.keys[demo.qc_doctor])
    rows = worklist.list_items(demo.engine, "qc_finding", doctor=demo.qc_doctor, limit=100)[0]
    with_evidence = [r for r in rows if r.data.get("evidence")]
    assert with_evidence, "the demo has a QC finding that points at a sentence"
    row = with_evidence[0]
    page = c.get("/doctor?tab=qc").text
    link = f'/documents/{row.data["document"]}#ev-{row.data["evidence"]["start"]}'
    assert f'href="{link}"' in page
    doc = c.get(link.split("#")[0]).text
    m = re.search(rf'<mark id="ev-{row.data["evidence"]["start"]}"[^>]*>([^<]*)</mark>', doc)
    assert m and m.group(1) in row.data["evidence"]["text"]


def test_signing_a_waiting_draft_is_feedback_on_its_run(as_doctor) -> None:
    c, demo = as_doctor
    sign_in(c, demo.keys[demo.drafting_doctor])
    row = worklist.list_items(demo.engine, "draft", doctor=demo.drafting_doctor, limit=1)[0][0]
    assert f'id="item-{row.id}"' in c.get("/doctor?tab=drafts").text
    r = post_form(c, f"/doctor/items/{row.id}/decide", {"decision": "accept", "next": "/doctor?tab=drafts"},
                  page="/doctor")
    assert r.status_code == 303 and r.headers["location"] == "/doctor?tab=drafts"
    fb = list_feedback(demo.engine, run_id=row.run_id)
    assert [(f.decision, f.actor, f.item) for f in fb] == [("accept", demo.drafting_doctor, None)]
    assert '"edit_distance":0' in (fb[0].reason or "")  # the same record the draft page writes
    assert f'id="item-{row.id}"' not in c.get("/doctor?tab=drafts").text  # no longer pending
    assert "已签署" in c.get("/doctor?tab=drafts&status=decided").text


def test_rejecting_needs_a_reason_and_a_partial_update_answers_with_the_row(as_doctor) -> None:
    c, demo = as_doctor
    sign_in(c, demo.keys[demo.qc_doctor])
    row = worklist.list_items(demo.engine, "qc_finding", doctor=demo.qc_doctor, limit=1)[0][0]
    token = re.search(r'name="csrf" value="([^"]*)"', c.get("/doctor?tab=qc").text).group(1)  # type: ignore[union-attr]
    partial = {"X-Partial": "row"}
    r = c.post(f"/doctor/items/{row.id}/decide", data={"decision": "reject", "reason": "", "csrf": token},
               headers=partial)
    assert r.status_code == 422 and "理由" in r.text and f'id="item-{row.id}"' in r.text
    assert not list_feedback(demo.engine, run_id=row.run_id)  # nothing recorded
    r = c.post(f"/doctor/items/{row.id}/decide", data={"decision": "reject", "reason": "合成：该段已在病程中补记",
                                                       "csrf": token}, headers=partial)
    assert r.status_code == 200 and r.text.lstrip().startswith("<li") and "不成立" in r.text
    fb = list_feedback(demo.engine, run_id=row.run_id)
    assert [(f.decision, f.item, f.reason) for f in fb] == [("reject", row.item, "合成：该段已在病程中补记")]
    # without the partial header, a bad decision is a Chinese error page
    other = worklist.list_items(demo.engine, "qc_finding", doctor=demo.qc_doctor, limit=1)[0]
    if other:
        r = c.post(f"/doctor/items/{other[0].id}/decide", data={"decision": "maybe", "csrf": token},
                   follow_redirects=False)
        assert r.status_code == 400 and "请选择" in r.text


def test_prescription_alerts_are_shown_to_the_prescriber_but_decided_by_pharmacists(as_doctor) -> None:
    c, demo = as_doctor
    sign_in(c, demo.keys[demo.prescriber])
    rows, total = worklist.list_items(demo.engine, "rx_alert", doctor=demo.prescriber, status="all", limit=100)
    page = c.get("/doctor?tab=rx&status=all").text
    assert total >= 1 and all(f'id="item-{r.id}"' in page for r in rows[:20])
    assert "查看审方" in page
    r = post_form(c, f"/doctor/items/{rows[0].id}/decide", {"decision": "accept"}, page="/doctor")
    assert r.status_code == 403


def test_a_pharmacist_cannot_sign_a_doctors_draft(as_doctor) -> None:
    c, demo = as_doctor
    row = worklist.list_items(demo.engine, "draft", status="pending", limit=1)[0]
    if not row:
        pytest.skip("every demo draft was signed by an earlier test")
    sign_in(c, demo.keys["pharmacist"])
    r = post_form(c, f"/doctor/items/{row[0].id}/decide", {"decision": "accept"}, page="/patients")
    assert r.status_code == 403
    assert not list_feedback(demo.engine, run_id=row[0].run_id)


def test_an_admin_picks_a_doctor_and_sees_their_encounters(as_doctor) -> None:
    c, demo = as_doctor
    sign_in(c, demo.keys["admin"])
    page = c.get(f"/doctor?doctor={demo.qc_doctor}&tab=encounters").text
    assert f"医生工作台 · {demo.qc_doctor}" in _text(page) and '<select id="doctor"' in page
    n = worklist.count_encounters_of(demo.engine, demo.qc_doctor)
    assert n >= 1 and page.count("/encounters/") >= n


def test_a_run_recorded_by_any_door_reaches_the_worklist(demo: Demo, tmp_path: Path) -> None:
    enc = worklist.encounters_of(demo.engine, demo.qc_doctor, limit=1, offset=0)[0]
    ctx = store.load_context(demo.engine, enc["id"])
    _, run_id = run_task(demo.engine, "qc.record", ctx, actor="cli")
    assert worklist.sync(demo.engine) >= 1
    rows = worklist.list_items(demo.engine, "qc_finding", doctor=demo.qc_doctor, status="all", limit=1000)[0]
    current = {r.run_id for r in rows if r.encounter_id == enc["id"]}
    assert current <= {run_id}  # the older run's findings are no longer current
    assert worklist.sync(demo.engine) == 0  # nothing new: nothing read
