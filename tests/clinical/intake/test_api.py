"""预问诊 over HTTP on a real app and a real SQLite store: the visit token opens one interview and nothing
else; answers are stored with their questions; the doctor reads the traced record; the outpatient note
draft of the encounter uses it as a source. Synthetic patients and answers."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from fastapi.testclient import TestClient

import yizhu.store as store
from yizhu.clinical.intake.store import answers
from yizhu.core import ClinicalContext, Encounter, EncounterClass, Patient, Sex
from yizhu.store.db import transaction, utcnow
from yizhu.store.schema import intake_sessions


def H(key: str) -> dict[str, str]:
    return {"X-API-Key": key}


def T(token: str) -> dict[str, str]:
    return {"X-Visit-Token": token}


def open_visit(client: TestClient, key: str, **body: object) -> dict:
    r = client.post("/v1/intake/visits", json=body, headers=H(key))
    assert r.status_code == 201, r.text
    return r.json()


def run_through(client: TestClient, token: str, plan: dict[str, dict]) -> dict:
    v = client.post("/v1/intake/session/consent", headers=T(token)).json()
    while v["question"] is not None:
        q = v["question"]
        body = plan.get(q["id"]) or {"options": [next((o["id"] for o in q["options"] if o["exclusive"]),
                                                    q["options"][0]["id"] if q["options"] else None)]}
        r = client.post("/v1/intake/session/answers", json={"question_id": q["id"], **body}, headers=T(token))
        assert r.status_code == 200, r.text
        v = r.json()
    return v


def test_a_visit_token_runs_one_interview_to_a_traced_record(client: TestClient, engine, keys) -> None:
    visit = open_visit(client, keys["clinician"], complaint="肚子疼", age=35, sex="male", encounter_id="enc-x")
    assert visit["token"] and visit["url"].endswith(visit["token"]) and visit["qr_svg"].lstrip().startswith("<svg")
    token = visit["token"]
    first = client.get("/v1/intake/session", headers=T(token)).json()
    assert first["consent"] is False and first["question"] is None  # consent first
    v = run_through(client, token, {"duration": {"text": "两天了"}, "associated": {"text": "有点恶心，没发烧"},
                                    "meds": {"text": "奥美拉唑，一天一次"}})
    assert v["status"] == "complete" and v["answered"] <= v["max_questions"]
    s = client.get(f"/v1/intake/sessions/{visit['session_id']}", headers=H(keys["clinician"])).json()
    rec = s["record"]
    assert rec["chief_complaint"]["text"] == "腹痛2天" and len(rec["chief_complaint"]["text"]) <= 20
    names = [sec["name"] for sec in rec["sections"]]
    assert names[:4] == ["现病史", "既往史", "过敏史", "用药史"]
    seqs = {a["seq"] for a in s["answers"]}
    for sec in rec["sections"]:
        for sent in sec["sentences"]:
            assert sent["sources"] and set(sent["sources"]) <= seqs, sent  # every sentence traced to answers
    hpi = "".join(x["text"] for x in rec["sections"][0]["sentences"])
    assert "恶心" in hpi and "无发热" in hpi
    stored = answers(engine, visit["session_id"])
    assert stored[0]["question_id"] == "complaint" and all(a["question"] for a in stored)
    listed = client.get("/v1/intake/sessions", params={"encounter_id": "enc-x"}, headers=H(keys["clinician"]))
    assert [x["session_id"] for x in listed.json()["sessions"]] == [visit["session_id"]]


def test_the_token_alone_opens_the_session(client: TestClient, engine, keys) -> None:
    visit = open_visit(client, keys["patient_app"])
    for headers in ({}, H(keys["admin"]), T("not-a-token")):
        r = client.get("/v1/intake/session", headers=headers)
        assert r.status_code == 401 and r.headers["content-type"].startswith("application/problem+json")
    # the answers route checks the token before reading the body
    assert client.post("/v1/intake/session/answers", json={}, headers=H(keys["admin"])).status_code == 401
    with transaction(engine) as conn:
        conn.execute(intake_sessions.update().where(intake_sessions.c.id == visit["session_id"])
                     .values(expires_at=utcnow() - timedelta(seconds=1)))
    r = client.get("/v1/intake/session", headers=T(visit["token"]))
    assert r.status_code == 401 and "expired" in r.json()["detail"]


def test_who_may_open_and_read_interviews(client: TestClient, keys) -> None:
    for role, status in (("pharmacist", 403), ("qc_officer", 403), ("patient_app", 201), ("clinician", 201)):
        assert client.post("/v1/intake/visits", json={}, headers=H(keys[role])).status_code == status
    visit = open_visit(client, keys["clinician"])
    assert client.get(f"/v1/intake/sessions/{visit['session_id']}", headers=H(keys["patient_app"])).status_code == 403
    assert client.get("/v1/intake/sessions/nope", headers=H(keys["clinician"])).status_code == 404


def test_bad_input_is_problem_json_and_loses_nothing(client: TestClient, engine, keys) -> None:
    visit = open_visit(client, keys["clinician"], complaint="头疼")
    t = T(visit["token"])
    assert client.post("/v1/intake/session/answers", json={"question_id": "duration", "options": ["d1"]},
                       headers=t).status_code == 422  # before consent
    client.post("/v1/intake/session/consent", headers=t)
    for body in ({"question_id": "onset", "options": ["sudden"]}, {"question_id": "duration", "options": ["zz"]},
                 {"question_id": "duration", "options": ["d1"], "extra": 1}, {"question_id": "duration", "text": "x" * 1001}):
        r = client.post("/v1/intake/session/answers", json=body, headers=t)
        assert r.status_code == 422 and r.headers["content-type"].startswith("application/problem+json"), body
    assert len(answers(engine, visit["session_id"])) == 1  # only the check-in complaint
    assert client.post("/v1/intake/visits", json={"age": 200}, headers=H(keys["clinician"])).status_code == 422


def test_a_red_flag_answer_ends_the_interview_with_the_120_message(client: TestClient, keys) -> None:
    visit = open_visit(client, keys["clinician"], complaint="胸口疼", age=60, sex="male")
    v = run_through(client, visit["token"], {"associated": {"options": ["sweat", "radiate"]}})
    assert v["status"] == "red_flag" and v["question"] is None
    assert "120" in v["red_flag"]["message"]
    rec = client.get("/v1/intake/session/record", headers=T(visit["token"])).json()
    assert any("红旗征" in s["text"] for s in rec["sections"][0]["sentences"])
    assert client.post("/v1/intake/session/answers", json={"question_id": "course", "options": ["none"]},
                       headers=T(visit["token"])).status_code == 422


def test_the_outpatient_draft_of_the_encounter_reads_the_interview(client: TestClient, engine, keys) -> None:
    ctx = ClinicalContext(patient=Patient(id="pat-intake-1", name="合成甲", sex=Sex.female, synthetic=True),
                          encounter=Encounter(id="enc-intake-1", patient_id="pat-intake-1",
                                              encounter_class=EncounterClass.outpatient, department="消化内科"))
    store.save_context(engine, ctx)
    visit = open_visit(client, keys["clinician"], complaint="胃疼", age=45, sex="female", encounter_id="enc-intake-1")
    run_through(client, visit["token"], {"duration": {"options": ["d3"]}, "menstrual": {"options": ["menopause"]}})
    r = client.post("/v1/notes/draft", json={"type": "outpatient", "encounter_id": "enc-intake-1", "use_llm": False},
                    headers=H(keys["clinician"]))
    assert r.status_code == 200, r.text
    sections = {sec["name"]: sec for sec in r.json()["sections"]}
    chief = sections["主诉"]["sentences"][0]
    assert chief["text"].startswith("上腹痛3天")
    assert {p["source"] for p in chief["provenance"]} == {"preconsult#主诉"}  # drafted from the interview
    with transaction(engine) as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(intake_sessions)).scalar_one() == 1
