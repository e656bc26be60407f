"""CDS Hooks 2.0 service for prescription review, tested with the specification's own example requests.

``data/cds_hooks/order-sign-r4.json`` and ``order-select-r4.json`` are the R4 examples of the CDS Hooks
order-sign and order-select hook pages (HL7 / cds-hooks.org, CC BY 4.0), with the ``hook`` and
``hookInstance`` fields every call carries added. They include a NutritionOrder, a Bundle without ``type``
and a pre-R4 ``Dosage.doseQuantity``: the service must accept all three. Drug facts come from the rx test
fixture pack; patients are synthetic.
"""

from __future__ import annotations

import copy
import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

import yizhu.store as store
from yizhu.api.app import create_app
from yizhu.clinical.registry import register
from yizhu.clinical.rx import RxReviewTask
from yizhu.clinical.rx.api import overrides_report
from yizhu.config import Settings
from yizhu.interop.cds_hooks import PREFETCH, SERVICES, router
from yizhu.knowledge.packs import KnowledgeBase

DATA = Path(__file__).parent / "data" / "cds_hooks"
PACKS = Path(__file__).parents[1] / "clinical" / "rx" / "data" / "packs"
SIGN = "yizhu-rx-order-sign"
SELECT = "yizhu-rx-order-select"


def example(name: str) -> dict[str, Any]:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def make_env(tmp: Path, **toml: Any) -> tuple[TestClient, dict[str, str], Any]:
    settings = Settings(data_dir=tmp, database_url=f"sqlite:///{tmp / 'cds.db'}")
    settings.extra_sections = {"cds_hooks": toml} if toml else {}
    engine = store.init_db(settings.resolved_database_url)
    keys = {r: store.create_api_key(engine, role=r, name=f"emr-{r}") for r in ("clinician", "qc_officer", "pharmacist")}
    app = create_app(settings, engine=engine)
    app.include_router(router)
    return TestClient(app), keys, engine


@pytest.fixture(scope="module")
def kb() -> Iterator[KnowledgeBase]:
    kb = KnowledgeBase.load([PACKS])
    register(RxReviewTask(kb=kb))
    yield kb
    register(RxReviewTask())


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory, kb: KnowledgeBase) -> Iterator[tuple[TestClient, dict[str, str], Any]]:
    client, keys, engine = make_env(tmp_path_factory.mktemp("cds"))
    with client:
        yield client, keys, engine


def auth(keys: dict[str, str]) -> dict[str, str]:
    return {"Authorization": f"Bearer {keys['clinician']}"}


def med(rid: str, text: str, dose: float, unit: str, per_day: int, status: str = "draft",
        route: str = "口服") -> dict[str, Any]:
    return {"resourceType": "MedicationRequest", "id": rid, "status": status, "intent": "order",
            "medicationCodeableConcept": {"text": text}, "subject": {"reference": "Patient/syn-1"},
            "dosageInstruction": [{"timing": {"repeat": {"frequency": per_day, "period": 1, "periodUnit": "d"}},
                                   "route": {"text": route},
                                   "doseAndRate": [{"doseQuantity": {"value": dose, "unit": unit}}]}]}


def hook(hook_name: str, drafts: list[dict[str, Any]], prefetch: dict[str, Any] | None = None,
         selections: list[str] | None = None) -> dict[str, Any]:
    ctx: dict[str, Any] = {"userId": "Practitioner/syn-dr", "patientId": "syn-1",
                           "draftOrders": {"resourceType": "Bundle", "type": "collection",
                                           "entry": [{"resource": r} for r in drafts]}}
    if selections is not None:
        ctx["selections"] = selections
    body: dict[str, Any] = {"hook": hook_name, "hookInstance": str(uuid.uuid4()), "context": ctx}
    # every prefetch key present; null = the EHR has no such data (CDS Hooks 2.0 prefetch rules)
    body["prefetch"] = {**dict.fromkeys(PREFETCH), **(prefetch or {})}
    return body


def alert_cards(cards: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The cards about alerts (not the notes on data that could not be had)."""
    return [c for c in cards if "topic" in c["source"]]


PATIENT = {"resourceType": "Patient", "id": "syn-1", "gender": "female", "birthDate": "1956-05-01"}


def searchset(*resources: dict[str, Any]) -> dict[str, Any]:
    return {"resourceType": "Bundle", "type": "searchset", "entry": [{"resource": r} for r in resources]}


# ── discovery ─────────────────────────────────────────────────────────────────────────────


def test_discovery_lists_both_hooks_with_prefetch_and_needs_no_key(env) -> None:
    client, _, _ = env
    services = client.get("/cds-services").json()["services"]
    assert {(s["id"], s["hook"]) for s in services} == {(SIGN, "order-sign"), (SELECT, "order-select")}
    for s in services:
        assert s["description"] and s["title"]
        assert s["prefetch"]["patient"] == "Patient/{{context.patientId}}"
        assert {"conditions", "allergies", "observations", "medications"} <= set(s["prefetch"])
        assert all("{{context." in t for t in s["prefetch"].values())


# ── the specification's examples ──────────────────────────────────────────────────────────


@pytest.mark.parametrize(("service", "name"), [(SIGN, "order-sign-r4.json"), (SELECT, "order-select-r4.json")])
def test_spec_examples_are_accepted(env, service: str, name: str) -> None:
    client, keys, _ = env
    r = client.post(f"/cds-services/{service}", json=example(name), headers=auth(keys))
    assert r.status_code == 200, r.text
    cards = r.json()["cards"]
    assert alert_cards(cards) == []  # amoxicillin/clavulanate for a patient with no known risk: no alert
    # but the example sends no prefetch and no fhirServer: the call says what went unchecked
    [note] = cards
    assert note["indicator"] == "info" and "过敏审核" in note["detail"] and "no fhirServer" in note["detail"]


@pytest.mark.parametrize(("service", "name"), [(SIGN, "order-sign-r4.json"), (SELECT, "order-select-r4.json")])
def test_spec_examples_with_a_penicillin_allergy_get_a_critical_card(env, service: str, name: str) -> None:
    client, keys, _ = env
    body = example(name)
    body["prefetch"] = {
        "patient": {"resourceType": "Patient", "id": "1288992", "gender": "male", "birthDate": "1925-12-23"},
        "allergies": searchset({"resourceType": "AllergyIntolerance", "id": "syn-a1",
                                "patient": {"reference": "Patient/1288992"}, "code": {"text": "青霉素"}}),
    }
    cards = alert_cards(client.post(f"/cds-services/{service}", json=body, headers=auth(keys)).json()["cards"])
    assert len(cards) == 1
    card = cards[0]
    assert card["indicator"] == "critical" and len(card["summary"]) < 140
    assert "Amoxicillin" in card["summary"] and "rx.allergy.same_group.v1" in card["detail"]
    assert card["source"]["label"].startswith("医助审方") and card["source"]["topic"]["code"] == "allergy"
    assert all(r["display"] for r in card["overrideReasons"])
    uuid.UUID(card["uuid"])


def test_cards_follow_the_spec_shape(env) -> None:
    client, keys, _ = env
    body = hook("order-sign", [med("m1", "克拉霉素片", 0.5, "g", 2), med("m2", "辛伐他汀片", 20, "mg", 1)],
                prefetch={"patient": PATIENT})
    cards = client.post(f"/cds-services/{SIGN}", json=body, headers=auth(keys)).json()["cards"]
    card = next(c for c in cards if c["source"]["topic"]["code"] == "interaction")
    allowed = {"uuid", "summary", "detail", "indicator", "source", "suggestions", "selectionBehavior",
               "overrideReasons", "links"}
    for c in cards:
        assert set(c) <= allowed and c["indicator"] in ("info", "warning", "critical")
        assert all(v not in (None, "", [], {}) for v in c.values())  # the spec forbids null and empty values
    assert card["selectionBehavior"] == "at-most-one"
    suggestion = card["suggestions"][0]
    assert suggestion["label"] == "改用 阿奇霉素" and suggestion["isRecommended"] is True
    kinds = [(a["type"], a.get("resourceId"), a.get("resource", {}).get("resourceType")) for a in suggestion["actions"]]
    assert kinds == [("delete", "MedicationRequest/m1", None), ("create", None, "MedicationRequest")]
    created = suggestion["actions"][1]["resource"]
    assert created["medicationCodeableConcept"]["coding"][0]["code"] == "J01FA10"
    assert created["subject"] == {"reference": "Patient/syn-1"}


def test_prefetched_labs_and_active_medications_are_used(env) -> None:
    client, keys, _ = env
    prefetch = {
        "patient": PATIENT,
        "observations": searchset({"resourceType": "Observation", "id": "o-cr", "status": "final",
                                   "subject": {"reference": "Patient/syn-1"},
                                   "code": {"coding": [{"system": "http://loinc.org", "code": "14682-9"}], "text": "肌酐"},
                                   "valueQuantity": {"value": 230, "unit": "umol/L"}}),
        "medications": searchset(med("active-1", "华法林钠片", 3, "mg", 1, status="active")),
    }
    body = hook("order-sign", [med("m1", "盐酸二甲双胍片", 0.5, "g", 2), med("m2", "布洛芬片", 0.2, "g", 3)], prefetch)
    cards = client.post(f"/cds-services/{SIGN}", json=body, headers=auth(keys)).json()["cards"]
    topics = {c["source"]["topic"]["code"] for c in cards}
    assert {"renal", "interaction"} <= topics  # eGFR from prefetched creatinine; warfarin already taken + NSAID
    assert not any("华法林钠片 为高警示" in c["summary"] for c in cards)  # nothing about the active order alone


def test_order_select_focuses_on_the_selected_orders(env) -> None:
    client, keys, _ = env
    drafts = [med("m1", "甘精胰岛素", 10, "U", 1, route="皮下注射"), med("m2", "氯雷他定片", 10, "mg", 1)]
    only_loratadine = hook("order-select", drafts, {"patient": PATIENT}, selections=["MedicationRequest/m2"])
    assert client.post(f"/cds-services/{SELECT}", json=only_loratadine, headers=auth(keys)).json()["cards"] == []
    with_insulin = hook("order-select", drafts, {"patient": PATIENT}, selections=["MedicationRequest/m1"])
    cards = client.post(f"/cds-services/{SELECT}", json=with_insulin, headers=auth(keys)).json()["cards"]
    assert [c["source"]["topic"]["code"] for c in cards] == ["high_alert"]


def test_drafts_without_ids_are_still_reviewed(env) -> None:
    client, keys, _ = env
    drafts = [med("x", "克拉霉素片", 0.5, "g", 2), med("y", "辛伐他汀片", 20, "mg", 1)]
    for d in drafts:
        del d["id"]
    cards = client.post(f"/cds-services/{SIGN}", json=hook("order-sign", drafts, {"patient": PATIENT}),
                        headers=auth(keys)).json()["cards"]
    assert any(c["source"]["topic"]["code"] == "interaction" for c in cards)


def test_invalid_prefetch_is_left_out_with_an_info_card(env) -> None:
    client, keys, _ = env
    bad_obs = {"resourceType": "Observation", "id": "bad", "status": "final", "subject": {"reference": "Patient/syn-1"},
               "code": {"text": "肌酐"}, "valueQuantity": {"value": "high"}}
    body = hook("order-sign", [med("m1", "甘精胰岛素", 10, "U", 1, route="皮下注射")],
                {"patient": PATIENT, "observations": searchset(bad_obs)})
    cards = client.post(f"/cds-services/{SIGN}", json=body, headers=auth(keys)).json()["cards"]
    assert cards[-1]["indicator"] == "info" and "Observation/bad" in cards[-1]["detail"]


@pytest.mark.parametrize(
    ("mutate", "status"),
    [
        (lambda b: b.update(hook="order-select"), 422),          # wrong hook for the service
        (lambda b: b.pop("hookInstance"), 422),                   # required by the spec
        (lambda b: b["context"].pop("draftOrders"), 422),
    ],
)
def test_malformed_calls_are_4xx(env, mutate: Any, status: int) -> None:
    client, keys, _ = env
    body = copy.deepcopy(example("order-sign-r4.json"))
    mutate(body)
    assert client.post(f"/cds-services/{SIGN}", json=body, headers=auth(keys)).status_code == status


def test_unknown_service_is_404(env) -> None:
    client, keys, _ = env
    assert client.post("/cds-services/nope", json=example("order-sign-r4.json"), headers=auth(keys)).status_code == 404


# ── authentication ────────────────────────────────────────────────────────────────────────


def test_key_is_required_unless_settings_allow_anonymous(tmp_path: Path, kb: KnowledgeBase) -> None:
    client, keys, _ = make_env(tmp_path / "strict")
    with client:
        assert client.post(f"/cds-services/{SIGN}", json=example("order-sign-r4.json")).status_code == 401
        jwt = {"Authorization": "Bearer eyJhbGciOiJSUzM4NCJ9.e30.sig"}
        assert client.post(f"/cds-services/{SIGN}", json=example("order-sign-r4.json"), headers=jwt).status_code == 401
        qc = {"X-API-Key": keys["qc_officer"]}
        assert client.post(f"/cds-services/{SIGN}", json=example("order-sign-r4.json"), headers=qc).status_code == 403
    client, _, _ = make_env(tmp_path / "open", allow_anonymous=True)
    with client:
        jwt = {"Authorization": "Bearer eyJhbGciOiJSUzM4NCJ9.e30.sig"}
        assert client.post(f"/cds-services/{SIGN}", json=example("order-sign-r4.json"), headers=jwt).status_code == 200
        assert client.post(f"/cds-services/{SIGN}", json=example("order-sign-r4.json")).status_code == 200
        bad_key = {"X-API-Key": "yz_wrong"}
        assert client.post(f"/cds-services/{SIGN}", json=example("order-sign-r4.json"), headers=bad_key).status_code == 401


# ── feedback ──────────────────────────────────────────────────────────────────────────────


def test_override_feedback_is_recorded_as_a_decision(env) -> None:
    client, keys, engine = env
    body = hook("order-sign", [med("m1", "克拉霉素片", 0.5, "g", 2), med("m2", "辛伐他汀片", 20, "mg", 1)],
                prefetch={"patient": PATIENT})
    card = client.post(f"/cds-services/{SIGN}", json=body, headers=auth(keys)).json()["cards"][0]
    fb = {"feedback": [{"card": card["uuid"], "outcome": "overridden", "outcomeTimestamp": "2026-01-02T03:04:05Z",
                        "overrideReason": {"reason": card["overrideReasons"][0], "userComment": "合成：已停他汀"}}]}
    # the prescriber's key may not decide on the review's alerts (rx.review decide_roles); the pharmacist's may
    assert client.post(f"/cds-services/{SIGN}/feedback", json=fb, headers=auth(keys)).status_code == 403
    r = client.post(f"/cds-services/{SIGN}/feedback", json=fb, headers={"Authorization": f"Bearer {keys['pharmacist']}"})
    assert r.status_code == 200 and r.json() == {"recorded": 1}
    items = overrides_report(engine)["items"]
    assert any(i["rule_id"] == "rx.interaction.pair.v1" and "合成：已停他汀" in i["reason"] for i in items)
    unknown = {"feedback": [{"card": str(uuid.uuid4()), "outcome": "accepted", "outcomeTimestamp": "2026-01-02T03:04:05Z"}]}
    ph = {"Authorization": f"Bearer {keys['pharmacist']}"}
    assert client.post(f"/cds-services/{SIGN}/feedback", json=unknown, headers=ph).json()["recorded"] == 0


def test_services_table_matches_discovery() -> None:
    assert set(SERVICES) == {SIGN, SELECT}


# ── never failing open ────────────────────────────────────────────────────────────────────

DRAFT = med("m1", "盐酸二甲双胍片", 0.5, "g", 2)
MALFORMED: list[tuple[str, Any, str]] = [
    ("entry as an object", {"resourceType": "Bundle", "entry": {"resource": DRAFT}}, "entry must be a list"),
    ("entry as a string", {"resourceType": "Bundle", "entry": "MedicationRequest/m1"}, "entry must be a list"),
    ("Bundle without resourceType", {"type": "collection", "entry": [{"resource": DRAFT}]}, "no resourceType"),
    ("DSTU2 MedicationOrder", {"resourceType": "Bundle", "entry": [{"resource": {**DRAFT, "resourceType": "MedicationOrder"}}]},
     "DSTU2 MedicationOrder"),
    ("resource under request", {"resourceType": "Bundle", "entry": [{"request": {"method": "POST", "resource": DRAFT}}]},
     "under request"),
    ("entry that is a string", {"resourceType": "Bundle", "entry": ["MedicationRequest/m1"]}, "entry[0] must be an object"),
    ("draftOrders as a string", "MedicationRequest/m1", "must be a FHIR Bundle"),
    ("a bare MedicationRequest", DRAFT, "resourceType 'MedicationRequest'"),
]


@pytest.mark.parametrize(("case", "draft", "says"), MALFORMED, ids=[m[0] for m in MALFORMED])
def test_malformed_draft_orders_are_400_never_an_empty_card_list(env, case: str, draft: Any, says: str) -> None:
    client, keys, _ = env
    body = hook("order-sign", [DRAFT], {"patient": PATIENT})
    body["context"]["draftOrders"] = draft
    r = client.post(f"/cds-services/{SIGN}", json=body, headers=auth(keys))
    assert r.status_code == 400, (case, r.text)
    assert r.headers["content-type"].startswith("application/problem+json") and says in r.json()["detail"]


def test_too_many_draft_orders_is_413(env) -> None:
    client, keys, _ = env
    body = hook("order-sign", [med(f"m{i}", "氯雷他定片", 10, "mg", 1) for i in range(501)], {"patient": PATIENT})
    r = client.post(f"/cds-services/{SIGN}", json=body, headers=auth(keys))
    assert r.status_code == 413 and "the limit is 500" in r.json()["detail"]


def test_cards_are_capped_with_a_card_saying_how_many_more(env) -> None:
    client, keys, _ = env
    body = hook("order-sign", [med(f"m{i}", f"合成未知药{i}号片", 1, "片", 1) for i in range(60)], {"patient": PATIENT})
    cards = client.post(f"/cds-services/{SIGN}", json=body, headers=auth(keys)).json()["cards"]
    assert len(alert_cards(cards)) == 50
    assert any("另有 10 条" in c["summary"] for c in cards)


def _obs(oid: str, loinc: str, value: float, unit: str) -> dict[str, Any]:
    """An observation coded only by LOINC: no code.text, no display (as many LIS interfaces send them)."""
    return {"resourceType": "Observation", "id": oid, "status": "final", "subject": {"reference": "Patient/syn-1"},
            "code": {"coding": [{"system": "http://loinc.org", "code": loinc}]},
            "valueQuantity": {"value": value, "unit": unit}}


@pytest.mark.parametrize(("obs", "what"), [(_obs("o1", "98979-8", 26, "mL/min/{1.73_m2}"), "eGFR 26"),
                                           (_obs("o2", "2160-0", 2.4, "mg/dL"), "CKD-EPI")])
def test_observations_coded_only_by_loinc_reach_the_renal_check(env, obs: dict[str, Any], what: str) -> None:
    client, keys, _ = env
    body = hook("order-sign", [DRAFT], {"patient": PATIENT, "observations": searchset(obs)})
    cards = client.post(f"/cds-services/{SIGN}", json=body, headers=auth(keys)).json()["cards"]
    renal = [c for c in alert_cards(cards) if c["source"]["topic"]["code"] == "renal"]
    assert renal and what in renal[0]["detail"]
    assert not any("无法读取" in c["summary"] for c in cards)  # not left out as unreadable


# ── prefetch fetched from the EHR's FHIR server (a real server on loopback) ───────────────


class _FHIRServer:
    """A minimal FHIR server on 127.0.0.1: GET Patient/<id>, searches answered with searchsets (the next
    page of observations on a second request), every request and its Authorization header recorded."""

    def __init__(self, fail: set[str] | None = None) -> None:
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        self.requests: list[tuple[str, str | None]] = []
        self.fail = fail or set()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # quiet
                pass

            def do_GET(self) -> None:
                outer.requests.append((self.path, self.headers.get("Authorization")))
                status, body = outer.answer(self.path)
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/fhir+json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}/fhir"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def answer(self, path: str) -> tuple[int, dict[str, Any]]:
        resource = path.removeprefix("/fhir/").split("?")[0]
        if resource.split("/")[0] in self.fail:
            return 500, {"resourceType": "OperationOutcome"}
        if resource == "Patient/syn-1":
            return 200, PATIENT
        if resource == "Observation" and "page=2" not in path:
            page = searchset(_obs("o-egfr", "98979-8", 26, "mL/min/{1.73_m2}"))
            page["link"] = [{"relation": "next", "url": f"{self.base}/Observation?patient=syn-1&page=2"}]
            return 200, page
        if resource == "Observation":
            return 200, searchset(_obs("o-wt", "29463-7", 61, "kg"))
        if resource in ("Condition", "AllergyIntolerance", "MedicationRequest"):
            return 200, searchset()
        if resource == "Practitioner/syn-dr":
            return 200, {"resourceType": "Practitioner", "id": "syn-dr",
                         "qualification": [{"code": {"text": "主治医师"}}]}
        return 404, {"resourceType": "OperationOutcome"}

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def fhir_server() -> Iterator[_FHIRServer]:
    srv = _FHIRServer()
    yield srv
    srv.close()


def _no_prefetch(base: str | None) -> dict[str, Any]:
    body = hook("order-sign", [DRAFT])
    del body["prefetch"]
    if base:
        body["fhirServer"] = base
        body["fhirAuthorization"] = {"access_token": "syn-token", "token_type": "Bearer", "expires_in": 300,
                                     "scope": "patient/*.read", "subject": "yizhu"}
    return body


def test_missing_prefetch_is_fetched_from_the_registered_fhir_server(
    tmp_path: Path, kb: KnowledgeBase, fhir_server: _FHIRServer
) -> None:
    client, keys, _ = make_env(tmp_path, fhir_servers=[fhir_server.base])
    with client:
        cards = client.post(f"/cds-services/{SIGN}", json=_no_prefetch(fhir_server.base), headers=auth(keys)).json()["cards"]
    renal = [c for c in alert_cards(cards) if c["source"]["topic"]["code"] == "renal"]
    assert renal and "eGFR 26" in renal[0]["detail"]  # metformin at eGFR 26, from an observation the server sent
    assert not any("未获取" in c["summary"] for c in cards)
    paths = [p for p, _ in fhir_server.requests]
    assert "/fhir/Patient/syn-1" in paths and any(p.startswith("/fhir/Observation?patient=syn-1&code=") for p in paths)
    assert any("page=2" in p for p in paths)  # the next page was followed
    assert {a for _, a in fhir_server.requests} == {"Bearer syn-token"}


def test_what_the_server_cannot_give_is_named_in_a_card(tmp_path: Path, kb: KnowledgeBase) -> None:
    srv = _FHIRServer(fail={"Observation"})
    try:
        client, keys, _ = make_env(tmp_path, fhir_servers=[srv.base])
        with client:
            cards = client.post(f"/cds-services/{SIGN}", json=_no_prefetch(srv.base), headers=auth(keys)).json()["cards"]
    finally:
        srv.close()
    [note] = [c for c in cards if "未获取" in c["summary"]]
    assert "observations" in note["detail"] and "肾功能" in note["detail"] and "HTTP 500" in note["detail"]
    assert "patient" not in note["detail"].split("未获取")[1]  # what was fetched is not listed


def test_an_unregistered_fhir_server_is_not_called(env, fhir_server: _FHIRServer) -> None:
    client, keys, _ = env
    cards = client.post(f"/cds-services/{SIGN}", json=_no_prefetch(fhir_server.base), headers=auth(keys)).json()["cards"]
    [note] = [c for c in cards if "未获取" in c["summary"]]
    assert "not registered in [cds_hooks] fhir_servers" in note["detail"]
    assert fhir_server.requests == []


def test_an_unreachable_fhir_server_gives_the_card_not_an_error(tmp_path: Path, kb: KnowledgeBase) -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed once the block ends: nothing listens there
    base = f"http://127.0.0.1:{port}/fhir"
    client, keys, _ = make_env(tmp_path, fhir_servers=[base])
    with client:
        r = client.post(f"/cds-services/{SIGN}", json=_no_prefetch(base), headers=auth(keys))
    assert r.status_code == 200
    [note] = [c for c in r.json()["cards"] if "未获取" in c["summary"]]
    assert "ConnectError" in note["detail"]


def test_without_prefetch_or_server_the_call_says_what_was_not_checked(env) -> None:
    client, keys, _ = env
    cards = client.post(f"/cds-services/{SIGN}", json=_no_prefetch(None), headers=auth(keys)).json()["cards"]
    [note] = [c for c in cards if "未获取" in c["summary"]]
    assert note["indicator"] == "info"
    for check in ("过敏审核", "肾功能", "相互作用"):
        assert check in note["detail"]
