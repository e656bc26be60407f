"""``/v1/notes`` and the clinician pages: draft (plain and streamed), verify, feedback, sign.

The app is the real factory with the notes router and pages mounted as the lead will mount them,
on a fresh SQLite file, with a gateway that has no model (the rule path).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

import yizhu.store as store
from yizhu import value
from yizhu.api.app import create_app
from yizhu.clinical.notes.api import router as notes_router
from yizhu.config import Settings
from yizhu.llm import Gateway, parse_llm_config
from yizhu.value.edits import parse_feedback_reason
from yizhu.web.note_pages import router as pages_router


@pytest.fixture
def env(tmp_path: Path) -> Iterator[tuple[TestClient, object, dict[str, str]]]:
    settings = Settings(data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'notes.db'}")
    engine = store.init_db(settings.resolved_database_url)
    keys = {r: store.create_api_key(engine, role=r, name=f"t-{r}") for r in ("clinician", "qc_officer", "admin")}
    app = create_app(settings, engine=engine)
    app.state.gateway = Gateway(parse_llm_config({}, {}))
    app.include_router(notes_router)
    app.include_router(pages_router)
    with TestClient(app) as client:
        yield client, engine, keys
    app.state.gateway.close()


def H(key: str) -> dict[str, str]:
    return {"X-API-Key": key}


def test_draft_is_audited_and_feedback_stores_the_edit_distance(env, transcript: str) -> None:
    client, engine, keys = env
    r = client.post("/v1/notes/draft", json={"type": "outpatient", "text": transcript}, headers=H(keys["clinician"]))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["type"] == "outpatient" and body["degraded"] == ["no_llm"]
    assert body["sections"][0]["sentences"][0]["status"] == "supported"
    run = store.get_run(engine, body["run_id"])
    assert run.task == "notes.outpatient" and run.actor == "t-clinician"

    final = body["text"].replace("咳嗽伴发热3天", "咳嗽伴发热3天余")
    fb = client.post(f"/v1/notes/drafts/{body['run_id']}/feedback", json={"decision": "edit", "final_text": final,
                     "reason": "补充"}, headers=H(keys["clinician"]))
    assert fb.status_code == 200, fb.text
    assert fb.json()["edit_distance"] == 1
    rec = value.list_feedback(engine, run_id=body["run_id"])[0]
    assert rec.decision == "edit" and rec.edited_text == final
    assert parse_feedback_reason(rec.reason) == {"edit_distance": 1, "draft_chars": len(body["text"]),
                                                 "final_chars": len(final), "edit_ratio": round(1 / len(body["text"]), 4),
                                                 "note": "补充"}
    got = client.get(f"/v1/notes/drafts/{body['run_id']}", headers=H(keys["qc_officer"])).json()
    assert got["feedback"][0]["decision"] == "edit"


def test_draft_streams_sections_then_done(env, transcript: str) -> None:
    client, _, keys = env
    events = []
    with client.stream("POST", "/v1/notes/draft", json={"type": "outpatient", "text": transcript, "stream": True},
                       headers=H(keys["clinician"])) as r:
        assert r.headers["content-type"].startswith("text/event-stream")
        kind = None
        for line in r.iter_lines():
            if line.startswith("event: "):
                kind = line[7:]
            elif line.startswith("data: "):
                events.append((kind, json.loads(line[6:])))
    kinds = [k for k, _ in events]
    assert kinds == ["section"] * 8 + ["done"]
    assert events[0][1]["section"]["name"] == "主诉"
    assert events[-1][1]["run_id"] and events[-1][1]["draft"]["type"] == "outpatient"


def test_stream_reports_errors_as_an_event(env) -> None:
    client, _, keys = env
    with client.stream("POST", "/v1/notes/draft", json={"type": "outpatient", "text": "不是对话", "stream": True},
                       headers=H(keys["clinician"])) as r:
        text = "".join(r.iter_text())
    assert "event: error" in text


def test_stored_encounter_discharge(env, admission_ctx) -> None:
    client, engine, keys = env
    store.save_context(engine, admission_ctx)
    r = client.post("/v1/notes/draft", json={"type": "discharge", "encounter_id": admission_ctx.encounter.id},
                    headers=H(keys["clinician"]))
    assert r.status_code == 200, r.text
    assert store.get_run(engine, r.json()["run_id"]).encounter_id == admission_ctx.encounter.id


def test_verify_and_roles(env, transcript: str) -> None:
    client, _, keys = env
    vendor = "门诊病历\n主诉：咳嗽1周。\n现病史：伴胸痛。\n既往史：否认高血压病史。"
    r = client.post("/v1/notes/verify", json={"source": transcript, "draft": vendor}, headers=H(keys["qc_officer"]))
    assert r.status_code == 200
    statuses = [s["status"] for s in r.json()["sentences"]]
    assert statuses == ["contradicted", "contradicted", "supported"]
    denied = client.post("/v1/notes/draft", json={"type": "outpatient", "text": transcript}, headers=H(keys["qc_officer"]))
    assert denied.status_code == 403
    bad = client.post("/v1/notes/draft", json={"type": "outpatient"}, headers=H(keys["clinician"]))
    assert bad.status_code == 422


def _login(client: TestClient, key: str) -> None:
    from tests.web.signin import sign_in

    client.cookies.clear()
    r = sign_in(client, key)
    assert r.status_code == 303


def test_pages_draft_beside_sources_click_and_sign(env, transcript: str) -> None:
    client, engine, keys = env
    _login(client, keys["clinician"])
    page = client.get("/notes/new")
    assert page.status_code == 200 and "根据医患对话" in page.text
    token = re.search(r'name="csrf" value="([A-Za-z0-9_-]+)"', page.text).group(1)
    r = client.post("/notes/draft", data={"note_type": "outpatient", "transcript": transcript, "csrf": token},
                    follow_redirects=False)
    assert r.status_code == 303, r.text
    url = r.headers["location"]
    run_id = url.rsplit("/", 1)[1]
    plain = client.get(url)
    assert plain.status_code == 200 and "src-hit" not in plain.text
    clicked = client.get(url + "?s=0.0")  # 主诉: its source spans in turn 2 are highlighted
    assert '<mark class="src-hit">咳嗽</mark>' in clicked.text and 'id="hit"' in clicked.text
    sign_token = re.search(r'action="/notes/drafts/[^"]+/sign".*?name="csrf" value="([A-Za-z0-9_-]+)"', clicked.text, re.S).group(1)
    bad = client.post(f"/notes/drafts/{run_id}/sign", data={"decision": "sign", "csrf": "x"}, follow_redirects=False)
    assert bad.status_code == 403
    ok = client.post(f"/notes/drafts/{run_id}/sign", data={"decision": "sign", "csrf": sign_token, "final_text": ""},
                     follow_redirects=False)
    assert ok.status_code == 303
    assert value.list_feedback(engine, run_id=run_id)[0].decision == "accept"
    assert "原样签署" in client.get(url).text


def test_pages_readers_cannot_draft(env, transcript: str) -> None:
    client, _, keys = env
    _login(client, keys["qc_officer"])
    page = client.get("/notes/new")
    token = re.search(r'name="csrf" value="([A-Za-z0-9_-]+)"', page.text).group(1)
    r = client.post("/notes/draft", data={"note_type": "outpatient", "transcript": transcript, "csrf": token})
    assert r.status_code == 403


def test_verify_bounds_every_text_field_with_a_problem(env, transcript: str) -> None:
    """Oversized or too many sources, or an oversized draft: 422 problem+json naming the limit; a body over the
    server's size limit: 413. Nothing is checked, nothing stored."""
    from yizhu.clinical.notes.verify import MAX_DRAFT_CHARS, MAX_SOURCE_CHARS, MAX_SOURCES

    client, _, keys = env
    cases = [
        {"source": transcript, "draft": "主诉：咳嗽。" * (MAX_DRAFT_CHARS // 6 + 1)},
        {"source": ["医生：咳嗽吗？\n患者：咳。"] * (MAX_SOURCES + 1), "draft": "主诉：咳嗽3天。"},
        {"source": "患" * (MAX_SOURCE_CHARS + 1), "draft": "主诉：咳嗽3天。"},
        {"source": [""], "draft": "主诉：咳嗽3天。"},
    ]
    for body in cases:
        r = client.post("/v1/notes/verify", json=body, headers=H(keys["clinician"]))
        assert r.status_code == 422, r.text[:200]
        assert r.headers["content-type"].startswith("application/problem+json")
    r = client.post("/v1/notes/verify", content=b'{"source": "' + b"a" * (6 * 1024 * 1024) + b'", "draft": "x"}',
                    headers={**H(keys["clinician"]), "content-type": "application/json"})
    assert r.status_code == 413 and r.headers["content-type"].startswith("application/problem+json")


def test_draft_context_text_is_bounded(env) -> None:
    from yizhu.clinical.notes.verify import MAX_CONTEXT_CHARS

    client, _, keys = env
    doc = {"id": "d1", "doc_type": "入院记录", "text": "主诉：咳嗽。" + "患" * MAX_CONTEXT_CHARS}
    r = client.post("/v1/notes/draft", json={"type": "discharge", "context": {"documents": [doc]}},
                    headers=H(keys["clinician"]))
    assert r.status_code == 422 and "limit" in r.text


def test_verify_reports_what_the_draft_leaves_out(env) -> None:
    client, _, keys = env
    source = ("医生：哪里不舒服？\n患者：咳了一个礼拜，这两天发烧。\n"
              "医生：考虑支原体肺炎，给你开阿奇霉素，一天一次，吃三天，三天后回来复查。")
    draft = "主诉：咳嗽1周。\n初步诊断：支原体肺炎。\n"
    r = client.post("/v1/notes/verify", json={"source": source, "draft": draft}, headers=H(keys["clinician"]))
    assert r.status_code == 200, r.text
    body = r.json()
    omitted = {(o["kind"], o["text"]) for o in body["omissions"] if o["status"] == "omitted"}
    assert ("medication", "阿奇霉素") in omitted and any(k == "plan" for k, _ in omitted)
    assert body["summary"]["omitted"] == len(omitted) and body["coverage"]["included"] >= 1
