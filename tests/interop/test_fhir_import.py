"""FHIR R4 import: a Bundle becomes ClinicalContexts; invalid input fails naming resource and field.

The bundles under data/ are synthetic (合成): invented patients, labelled in Patient.meta.tag.
"""

from __future__ import annotations

import base64
import copy
import json
import uuid
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from fhir.resources.R4B.bundle import Bundle

from yizhu.core import ClinicalContext, EncounterClass
from yizhu.errors import FHIRError, InputError
from yizhu.interop import bundle_to_context, bundle_to_contexts, context_to_bundle
from yizhu.interop.fhir import xhtml_to_text

DATA = Path(__file__).parent / "data"


def load(name: str) -> dict[str, Any]:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def resource(bundle: dict[str, Any], rid: str) -> dict[str, Any]:
    return next(e["resource"] for e in bundle["entry"] if e["resource"].get("id") == rid)


# ---- a realistic inpatient bundle ------------------------------------------------------------------


@pytest.fixture(scope="module")
def inpatient() -> ClinicalContext:
    return bundle_to_context(load("inpatient_bundle.json"))


def test_inpatient_patient_and_encounter(inpatient: ClinicalContext) -> None:
    p, enc = inpatient.patient, inpatient.encounter
    assert p is not None and enc is not None
    assert (p.id, p.name, p.sex.value, p.birth_date, p.mrn) == (
        "syn-zy-0001", "王建国", "male", date(1956, 1, 1), "ZY20240301"  # MRN, not the NI identifier
    )
    assert p.synthetic and p.address == "北京市东城区合成路1号" and p.phone == "13800000000"
    assert enc.encounter_class == EncounterClass.inpatient
    assert (enc.department, enc.bed, enc.attending) == ("呼吸与危重症医学科", "呼吸科病区12床", "李明")
    assert enc.admitted_at == datetime(2024, 3, 1, 9, 30) and enc.discharged_at is None
    assert enc.patient_id == p.id


def test_inpatient_diagnoses_roles_rank_and_problem_list(inpatient: ClinicalContext) -> None:
    got = [(d.text, d.code, d.kind, d.is_main) for d in inpatient.diagnoses]
    assert got == [
        ("社区获得性肺炎", "J18.9", "admission", True),  # Encounter.diagnosis use AD, rank 1
        ("2型糖尿病", "E11.9", "admission", False),  # no text: the ICD-10 display
        ("慢性阻塞性肺疾病？", None, "preliminary", False),  # verificationStatus provisional
        ("高血压病", "I10", "other", False),  # patient-level problem-list item
    ]
    assert inpatient.diagnoses[0].recorded_at == datetime(2024, 3, 1, 10, 0)


def test_inpatient_medication_orders(inpatient: ClinicalContext) -> None:
    got = [(o.id, o.drug, o.dose, o.unit, o.route, o.frequency, o.days, o.code) for o in inpatient.medication_orders]
    assert got == [
        ("syn-rx-1", "注射用头孢曲松钠", 2.0, "g", "静脉滴注", "qd", 7.0, "J01DD04"),  # timing.code GTS QD
        ("syn-rx-2", "二甲双胍片", 0.5, "g", "口服", "tid", 14.0, "A10BA02"),  # 3 per 1 d; 2 wk
        ("syn-rx-3", "氨溴索注射液", 30.0, "mg", "静脉注射", "q8h", None, "R05CB06"),  # Medication in bundle
        ("syn-rx-4", "布洛芬缓释胶囊", 0.3, "g", "口服", "prn", None, None),  # contained Medication
    ]
    first = inpatient.medication_orders[0]
    assert (first.text, first.prescriber, first.status) == ("注射用头孢曲松钠 2g 静脉滴注 qd", "李明", "active")
    assert first.ordered_at == datetime(2024, 3, 1, 10, 15)
    assert inpatient.medication_orders[3].text.startswith("布洛芬缓释胶囊 0.3g 口服 体温")  # dosage text wins


def test_inpatient_labs(inpatient: ClinicalContext) -> None:
    got = [(lab.name, lab.value, lab.unit, lab.reference_range, lab.flag, lab.loinc) for lab in inpatient.labs]
    assert got == [
        ("白细胞计数", 12.5, "10^9/L", "3.5-9.5", "H", "6690-2"),
        ("C反应蛋白", 56.0, "mg/L", "0-10", "H", None),  # no interpretation: flag from the range
        ("血钾", 3.3, "mmol/L", "3.5-5.3", "L", "2823-3"),  # name from the LOINC display
        ("降钙素原", "<0.05", "ng/mL", None, None, None),  # comparator kept
        ("尿蛋白", "+", None, None, "A", None),
    ]
    assert inpatient.labs[1].observed_at == datetime(2024, 3, 1, 11, 0)  # 03:00Z in China Standard Time


def test_inpatient_allergy_is_patient_level_and_joins_the_encounter(inpatient: ClinicalContext) -> None:
    [allergy] = inpatient.allergies
    assert (allergy.substance, allergy.reaction, allergy.severity) == ("青霉素", "皮疹、瘙痒", "moderate")


def test_inpatient_notes_are_parsed(inpatient: ClinicalContext) -> None:
    admission, first = inpatient.documents
    assert (admission.id, admission.doc_type, admission.author) == ("syn-doc-adm", "入院记录", "李明")
    assert admission.recorded_at == datetime(2024, 3, 1, 16, 20)
    assert admission.encounter_id == "syn-zy-0001-ip1" and admission.patient_id == "syn-zy-0001"
    assert admission.synthetic
    assert admission.section("主诉") is not None
    assert admission.section("主诉").text == "咳嗽、咳黄痰伴发热3天。"  # type: ignore[union-attr]
    assert admission.section("过敏史").text == "青霉素过敏（皮疹）。"  # type: ignore[union-attr]
    assert first.doc_type == "首次病程记录"
    assert [s.name for s in first.sections] == ["病例特点", "拟诊讨论", "诊疗计划"]
    assert first.section("诊疗计划").text == "头孢曲松抗感染\n化痰、监测血糖"  # type: ignore[union-attr]
    for doc in inpatient.documents:
        for s in doc.sections:
            assert doc.text[s.start : s.end] == s.text


def test_inpatient_skipped_resources_say_why(inpatient: ClinicalContext) -> None:
    info = inpatient.extra["fhir_import"]
    assert info["bundle_type"] == "collection" and info["encounter_status"] == "in-progress"
    assert [(s["resource"], s["reason"]) for s in info["skipped"]] == [
        ("Condition/syn-pl-2", "problem-list item with clinicalStatus resolved"),
        ("MedicationRequest/syn-rx-5", "status entered-in-error"),
        ("Observation/syn-vs-temp", "category vital-signs, not laboratory"),
    ]


# ---- an outpatient bundle --------------------------------------------------------------------------


def test_outpatient_bundle() -> None:
    ctx = bundle_to_context(load("outpatient_bundle.json"))
    assert ctx.patient is not None and ctx.encounter is not None
    assert (ctx.patient.name, ctx.patient.sex.value, ctx.patient.mrn) == ("李秀英", "female", "MZ0002")
    assert ctx.encounter.encounter_class == EncounterClass.outpatient
    assert ctx.encounter.department == "心血管内科门诊"  # from Encounter.type text
    assert [(d.text, d.code, d.kind) for d in ctx.diagnoses] == [("高血压病", "I10", "outpatient")]
    [rx] = ctx.medication_orders
    assert (rx.drug, rx.dose, rx.unit, rx.frequency, rx.days) == ("苯磺酸氨氯地平片", 5.0, "mg", "qd", 14.0)
    # "no known allergy" is not an allergen, but the context records that 过敏史 was taken
    assert ctx.allergies == [] and ctx.extra["fhir_import"]["no_known_allergies"] is True
    [note] = ctx.documents  # the PDF attachment is passed over for the HTML one
    assert note.doc_type == "门诊病历" and note.header["门诊号"] == "MZ0002"
    assert note.section("主诉").text == "头晕2周。"  # type: ignore[union-attr]
    assert "<p>" not in note.text


# ---- the same content in every bundle type we import ------------------------------------------------


def as_transaction(bundle: dict[str, Any]) -> dict[str, Any]:
    """POST every resource with a urn:uuid fullUrl and no id; references point at the urn:uuids."""
    out = copy.deepcopy(bundle)
    urns = {}
    for e in out["entry"]:
        r = e["resource"]
        urns[f"{r['resourceType']}/{r['id']}"] = f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, r['id'])}"
    text = json.dumps(out, ensure_ascii=False)
    for key, urn in urns.items():
        text = text.replace(f'"{key}"', f'"{urn}"')
    out = json.loads(text)
    out["type"] = "transaction"
    for e in out["entry"]:
        r = e["resource"]
        e["fullUrl"] = urns[f"{r['resourceType']}/{r.pop('id')}"]
        e["request"] = {"method": "POST", "url": r["resourceType"]}
    out["entry"].append({"request": {"method": "DELETE", "url": "Observation/old-1"}})  # no resource
    return out


def as_searchset(bundle: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(bundle)
    out["type"] = "searchset"
    out["total"] = len(out["entry"])
    for e in out["entry"]:
        r = e["resource"]
        e["fullUrl"] = f"https://his.example.invalid/fhir/{r['resourceType']}/{r['id']}"
        e["search"] = {"mode": "match" if r["resourceType"] == "Encounter" else "include"}
    out["entry"].append({
        "resource": {"resourceType": "OperationOutcome", "issue": [{"severity": "information", "code": "informational"}]},
        "search": {"mode": "outcome"},
    })
    return out


def with_type(kind: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
    return lambda b: {**copy.deepcopy(b), "type": kind}


def clinical_content(ctx: ClinicalContext) -> dict[str, Any]:
    """Everything but ids (a transaction POSTs resources without ids) and import bookkeeping."""
    dump = ctx.model_dump(exclude={"extra": True, "patient": {"id"}, "encounter": {"id", "patient_id"}})
    for o in dump["orders"]:
        o.pop("id")
    for d in dump["documents"]:
        for key in ("id", "patient_id", "encounter_id"):
            d.pop(key)
    return dump


@pytest.mark.parametrize("name", ["inpatient_bundle.json", "outpatient_bundle.json"])
@pytest.mark.parametrize(
    "convert",
    [as_transaction, as_searchset, with_type("batch"), with_type("document")],
    ids=["transaction", "searchset", "batch", "document"],
)
def test_bundle_types_import_the_same_content(name: str, convert: Callable[..., dict[str, Any]]) -> None:
    collection = bundle_to_context(load(name))
    converted = bundle_to_context(convert(load(name)))
    assert clinical_content(converted) == clinical_content(collection)


def test_transaction_ids_come_from_the_urn_uuid() -> None:
    ctx = bundle_to_context(as_transaction(load("outpatient_bundle.json")))
    expected = str(uuid.uuid5(uuid.NAMESPACE_URL, "syn-mz-0002"))
    assert ctx.patient is not None and ctx.patient.id == expected
    assert ctx.encounter is not None and ctx.encounter.patient_id == expected


def test_searchset_lists_resources_it_does_not_import() -> None:
    ctx = bundle_to_context(as_searchset(load("outpatient_bundle.json")))
    skipped = ctx.extra["fhir_import"]["skipped"]
    assert {"entry": 6, "resource": "OperationOutcome", "reason": "OperationOutcome is not imported"} in skipped


@pytest.mark.parametrize("kind", ["history", "transaction-response", "batch-response", "message"])
def test_response_and_history_bundles_are_refused(kind: str) -> None:
    with pytest.raises(FHIRError, match=rf"Bundle: field 'type': '{kind}' bundles are not imported"):
        bundle_to_contexts(with_type(kind)(load("outpatient_bundle.json")))


@pytest.mark.parametrize("as_input", [lambda b: b, json.dumps, lambda b: b"\xef\xbb\xbf" + json.dumps(b).encode()],
                         ids=["dict", "str", "bytes-with-bom"])
def test_input_may_be_dict_text_or_bytes(as_input: Callable[[dict[str, Any]], Any]) -> None:
    ctx = bundle_to_context(as_input(load("outpatient_bundle.json")))
    assert ctx.patient is not None and ctx.patient.name == "李秀英"


# ---- grouping into contexts ------------------------------------------------------------------------


def _minimal(*resources: dict[str, Any]) -> dict[str, Any]:
    return {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": r} for r in resources]}


PAT = {"resourceType": "Patient", "id": "p1", "gender": "female", "meta": {"tag": [{"code": "synthetic"}]}}
AMB = {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "AMB"}


def _enc(eid: str, pid: str = "p1") -> dict[str, Any]:
    return {"resourceType": "Encounter", "id": eid, "status": "finished", "class": AMB,
            "subject": {"reference": f"Patient/{pid}"}}


def _obs(oid: str, enc: str | None = None, subject: str | None = "Patient/p1") -> dict[str, Any]:
    r: dict[str, Any] = {"resourceType": "Observation", "id": oid, "status": "final", "code": {"text": oid},
                         "valueQuantity": {"value": 1}}
    if subject:
        r["subject"] = {"reference": subject}
    if enc:
        r["encounter"] = {"reference": f"Encounter/{enc}"}
    return r


ALLERGY = {"resourceType": "AllergyIntolerance", "id": "a1", "code": {"text": "磺胺"}, "patient": {"reference": "Patient/p1"}}


def test_one_context_per_encounter_with_patient_level_resources_in_each() -> None:
    contexts = bundle_to_contexts(_minimal(PAT, _enc("e1"), _enc("e2"), ALLERGY, _obs("lab-e2", "e2"), _obs("lab-any")))
    assert [c.encounter.id for c in contexts if c.encounter] == ["e1", "e2"]
    assert [[a.substance for a in c.allergies] for c in contexts] == [["磺胺"], ["磺胺"]]
    assert [[lab.name for lab in c.labs] for c in contexts] == [["lab-any"], ["lab-e2", "lab-any"]]
    with pytest.raises(InputError, match=r"expected exactly one patient and one encounter.*found 2"):
        bundle_to_context(_minimal(PAT, _enc("e1"), _enc("e2")))


def test_patient_without_encounter_gets_a_patient_level_context() -> None:
    ctx = bundle_to_context(_minimal(PAT, ALLERGY, _obs("lab-1", subject=None)))  # one patient: subject implied
    assert ctx.encounter is None and ctx.patient is not None and ctx.patient.synthetic
    assert [lab.name for lab in ctx.labs] == ["lab-1"] and len(ctx.allergies) == 1


def test_several_patients_give_several_contexts() -> None:
    other = {**PAT, "id": "p2", "gender": "male"}
    contexts = bundle_to_contexts(_minimal(PAT, other, _enc("e1"), _enc("e9", "p2"), _obs("x", "e9", "Patient/p2")))
    assert [(c.patient.id, c.encounter.id, len(c.labs)) for c in contexts if c.patient and c.encounter] == [
        ("p1", "e1", 0), ("p2", "e9", 1),
    ]


def test_a_patient_outside_the_bundle_becomes_a_stub() -> None:
    ctx = bundle_to_context(_minimal(_obs("a", subject="https://his.example.invalid/fhir/Patient/p7/_history/2")))
    assert ctx.patient is not None and ctx.patient.id == "p7" and ctx.patient.name is None


def test_empty_bundle_has_no_context() -> None:
    assert bundle_to_contexts({"resourceType": "Bundle", "type": "collection"}) == []
    with pytest.raises(InputError, match="found 0"):
        bundle_to_context({"resourceType": "Bundle", "type": "searchset"})


def test_note_from_a_binary_in_the_bundle() -> None:
    binary = {"resourceType": "Binary", "id": "b1", "contentType": "text/plain",
              "data": base64.b64encode("日常病程记录\n患者今日体温正常。".encode()).decode()}
    doc_ref = {"resourceType": "DocumentReference", "id": "d1", "status": "current",
               "subject": {"reference": "Patient/p1"}, "content": [{"attachment": {"contentType": "text/plain",
                                                                                    "url": "Binary/b1"}}]}
    [doc] = bundle_to_context(_minimal(PAT, binary, doc_ref)).documents
    assert doc.doc_type == "日常病程记录" and doc.section("正文").text == "患者今日体温正常。"  # type: ignore[union-attr]


def test_xhtml_narrative_to_text() -> None:
    div = '<div xmlns="http://www.w3.org/1999/xhtml"><p>体温 <b>38.6</b>&#8451;</p><br/><table><tr><td>WBC</td><td>12.5</td></tr></table></div>'
    assert xhtml_to_text(div) == "体温 38.6℃\nWBC 12.5"


# ---- invalid input: every error names the resource and the field ------------------------------------

Mutation = Callable[[dict[str, Any]], Any]


def _set(rid: str, path: str, value: Any) -> Mutation:
    """Set (or with value ... delete) a dotted path inside resource ``rid`` of the inpatient bundle."""

    def mutate(bundle: dict[str, Any]) -> dict[str, Any]:
        node: Any = resource(bundle, rid)
        *parents, last = path.split(".")
        for key in parents:
            node = node[int(key)] if isinstance(node, list) else node[key]
        if value is ...:
            del node[last]
        elif isinstance(node, list):
            node[int(last)] = value
        else:
            node[last] = value
        return bundle

    return mutate


PATIENT = "Bundle.entry[0] Patient/syn-zy-0001"
ENCOUNTER = "Bundle.entry[3] Encounter/syn-zy-0001-ip1"
RX1 = "Bundle.entry[10] MedicationRequest/syn-rx-1"
RX2 = "Bundle.entry[11] MedicationRequest/syn-rx-2"
WBC = "Bundle.entry[15] Observation/syn-lab-wbc"

INVALID: list[tuple[str, Mutation, str, str]] = [
    # (case, mutation of the inpatient bundle, resource named, field named)
    ("wrong type for a field", _set("syn-zy-0001", "birthDate", 19560101), PATIENT,
     "field 'birthDate': must be a JSON string such as 2024-03-01, got the number 19560101"),
    ("object expected, text given", _set("syn-zy-0001-ip1", "period", "2024-03-01"), ENCOUNTER,
     "field 'period': expected a JSON object here"),
    ("list expected, text given", _set("syn-zy-0001", "name.0.given", "建国"), PATIENT, "field 'name.0.given'"),
    ("date in a wrong format", _set("syn-zy-0001", "birthDate", "1956/01/01"), PATIENT, "field 'birthDate'"),
    ("dateTime without offset", _set("syn-lab-wbc", "effectiveDateTime", "2024-03-01T11:00:00"), WBC,
     "field 'effectiveDateTime'"),
    ("unknown element", _set("syn-zy-0001", "gendre", "male"), PATIENT, "field 'gendre'"),
    ("unknown gender code", _set("syn-zy-0001", "gender", "X"), PATIENT,
     "field 'gender': 'X' is not one of male, female, other, unknown nor a HIS sex code"),
    ("unknown encounter class", _set("syn-zy-0001-ip1", "class.code", "OBSENC"), ENCOUNTER,
     "field 'class.code': 'OBSENC' is not one of AMB"),
    ("unknown encounter status", _set("syn-zy-0001-ip1", "status", "admitted"), ENCOUNTER,
     "field 'status': 'admitted' is not one of planned"),
    ("MedicationRequest without medication", _set("syn-rx-1", "medicationCodeableConcept", ...), RX1,
     "field 'medication[x]': one of medicationCodeableConcept, medicationReference is required"),
    ("medication without a name", _set("syn-rx-1", "medicationCodeableConcept", {"coding": [{"code": "J01DD04"}]}),
     RX1, "field 'medicationCodeableConcept': has neither text nor a coding display"),
    ("unknown medication status", _set("syn-rx-1", "status", "ongoing"), RX1,
     "field 'status': 'ongoing' is not one of active, on-hold"),
    ("unknown medication intent", _set("syn-rx-1", "intent", "prescription"), RX1, "field 'intent'"),
    ("frequency not an integer", _set("syn-rx-2", "dosageInstruction.0.timing.repeat.frequency", 2.5), RX2,
     "field 'dosageInstruction.0.timing.repeat.frequency': Input should be a valid integer"),
    ("frequency as text", _set("syn-rx-2", "dosageInstruction.0.timing.repeat.frequency", "3"), RX2,
     "field 'dosageInstruction.0.timing.repeat.frequency': must be a JSON number"),
    ("unknown unit of time", _set("syn-rx-2", "dosageInstruction.0.timing.repeat.periodUnit", "day"), RX2,
     "field 'dosageInstruction.0.timing.repeat.periodUnit': 'day' is not one of s, min, h, d, wk, mo, a"),
    ("supply duration not in time", _set("syn-rx-2", "dispenseRequest.expectedSupplyDuration.code", "box"), RX2,
     "field 'dispenseRequest.expectedSupplyDuration.code'"),
    ("valueQuantity.value as text", _set("syn-lab-wbc", "valueQuantity.value", "12.5"), WBC,
     "field 'valueQuantity.value': must be a JSON number, got the string '12.5'"),
    ("valueQuantity.value not a number", _set("syn-lab-wbc", "valueQuantity.value", "偏高"), WBC,
     "field 'valueQuantity.value'"),
    ("valueQuantity without value", _set("syn-lab-wbc", "valueQuantity.value", ...), WBC,
     "field 'valueQuantity.value': is missing"),
    ("unknown comparator", _set("syn-lab-wbc", "valueQuantity.comparator", "~"), WBC, "field 'valueQuantity.comparator'"),
    ("unknown observation status", _set("syn-lab-wbc", "status", "done"), WBC, "field 'status'"),
    ("reference range low as text", _set("syn-lab-wbc", "referenceRange.0.low.value", "3.5"), WBC,
     "field 'referenceRange.0.low.value'"),
    ("unknown condition category", _set("syn-dx-1", "category.0.coding.0.code", "health-concern"),
     "Bundle.entry[4] Condition/syn-dx-1", "field 'category.0.coding.0.code': 'health-concern' is not one of "
     "problem-list-item, encounter-diagnosis"),
    ("unknown clinicalStatus", _set("syn-dx-1", "clinicalStatus.coding.0.code", "current"),
     "Bundle.entry[4] Condition/syn-dx-1", "field 'clinicalStatus.coding.0.code'"),
    ("condition without text", _set("syn-dx-3", "code", {"coding": [{"code": "J44.9"}]}),
     "Bundle.entry[6] Condition/syn-dx-3", "field 'code': has neither text nor a coding display"),
    ("unknown reaction severity", _set("syn-allergy-1", "reaction.0.severity", "serious"),
     "Bundle.entry[21] AllergyIntolerance/syn-allergy-1", "field 'reaction.0.severity'"),
    ("subject is not a patient", _set("syn-dx-1", "subject", {"reference": "Practitioner/doc-li"}),
     "Bundle.entry[4] Condition/syn-dx-1", "field 'subject.reference': points at a Practitioner"),
    ("note data not base64", _set("syn-doc-adm", "content.0.attachment.data", "!!!"),
     "Bundle.entry[22] DocumentReference/syn-doc-adm", "field 'content.0.attachment.data'"),
    ("unknown resource type", _set("syn-lab-k", "resourceType", "Observatoin"),
     "Bundle.entry[17] Observatoin/syn-lab-k", "field 'resourceType'"),
]


@pytest.mark.parametrize(("case", "mutate", "names", "field"), INVALID, ids=[c[0] for c in INVALID])
def test_invalid_resources_name_resource_and_field(case: str, mutate: Mutation, names: str, field: str) -> None:
    with pytest.raises(FHIRError) as info:
        bundle_to_contexts(mutate(load("inpatient_bundle.json")))
    message = str(info.value)
    assert message.startswith(f"{names}: "), message
    assert field in message, message
    assert "; " in message  # and then the fix


def test_several_problems_in_one_resource_are_counted() -> None:
    bundle = _set("syn-zy-0001", "gender", 1)(_set("syn-zy-0001", "birthDate", 1)(load("inpatient_bundle.json")))
    with pytest.raises(FHIRError, match=r"1 more problem\(s\), in: 'gender'"):
        bundle_to_contexts(bundle)


BAD_INPUT: list[tuple[str, Any, str]] = [
    ("not a Bundle at all", {"resourceType": "Patient", "id": "p1"},
     "Bundle: field 'resourceType': expected 'Bundle', got 'Patient'"),
    ("no resourceType", {"type": "collection", "entry": []}, "Bundle: field 'resourceType': expected 'Bundle', got None"),
    ("a JSON array", "[]", "Bundle: expected a JSON object with resourceType 'Bundle', got a JSON list"),
    ("JSON syntax error", '{"resourceType": "Bundle", "type": "collection",}', "Bundle: not valid JSON (line 1, column"),
    ("not UTF-8", "{}".encode("utf-16"), "Bundle: input is not UTF-8 text"),
    ("unknown bundle type", {"resourceType": "Bundle", "type": "list"}, "Bundle: field 'type': 'list' is not one of"),
    ("missing bundle type", {"resourceType": "Bundle"}, "Bundle: field 'type': is required but missing"),
    ("entry not a list", {"resourceType": "Bundle", "type": "collection", "entry": {}}, "Bundle: field 'entry'"),
    ("entry field wrong type", {"resourceType": "Bundle", "type": "collection", "entry": [{"fullUrl": 5}]},
     "Bundle.entry[0]: field 'fullUrl'"),
    ("resource without resourceType", {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": {}}]},
     "Bundle.entry[0]: field 'resource.resourceType': is missing"),
    ("two patients, no subject", _minimal(PAT, {**PAT, "id": "p2"}, _obs("x", subject=None)),
     "Bundle.entry[2] Observation/x: field 'subject': is missing and the bundle holds 2 Patient resources"),
    ("encounter of another patient", _minimal(PAT, {**PAT, "id": "p2"}, _enc("e1"), _obs("x", "e1", "Patient/p2")),
     "Bundle.entry[3] Observation/x: field 'encounter.reference': Encounter/e1 belongs to Patient/p1"),
]


@pytest.mark.parametrize(("case", "data", "expected"), BAD_INPUT, ids=[c[0] for c in BAD_INPUT])
def test_bad_input_says_what_is_wrong(case: str, data: Any, expected: str) -> None:
    with pytest.raises(FHIRError) as info:
        bundle_to_contexts(data)
    assert expected in str(info.value)


# ---- export and round trip -------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["inpatient_bundle.json", "outpatient_bundle.json"])
def test_round_trip_through_an_exported_bundle(name: str) -> None:
    ctx = bundle_to_context(load(name))
    exported = context_to_bundle(ctx)
    assert exported["type"] == "collection"
    Bundle.model_validate(exported)  # a valid R4 (R4B model) Bundle
    back = bundle_to_context(json.dumps(exported, ensure_ascii=False))
    assert back.model_dump(exclude={"extra"}) == ctx.model_dump(exclude={"extra"})


def test_export_labels_synthetic_patients() -> None:
    exported = context_to_bundle(bundle_to_context(load("outpatient_bundle.json")))
    patient = exported["entry"][0]["resource"]
    assert patient["resourceType"] == "Patient"
    assert {t["code"] for t in patient["meta"]["tag"]} == {"synthetic"}
    assert {t["code"] for t in patient["meta"]["security"]} == {"HTEST"}


def test_export_needs_a_patient() -> None:
    with pytest.raises(InputError, match=r"needs ctx\.patient"):
        context_to_bundle(ClinicalContext())
