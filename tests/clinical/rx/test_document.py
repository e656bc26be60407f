"""The order document: validation at the edge, its published JSON Schema, and FHIR Bundles as input."""

from __future__ import annotations

import json
from typing import Any

import pytest

from yizhu.clinical.rx import load_payload, order_document_schema, review
from yizhu.clinical.rx.document import RX_EXTRA_KEY
from yizhu.errors import InputError
from yizhu.knowledge.packs import KnowledgeBase

from .conftest import document, order


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ("", "empty input"),
        ("[1, 2]", "JSON object"),
        ("{not json", "not valid JSON"),
        ({"patient": {}, "orders": []}, "orders"),
        ({"orders": [{"drug": "阿莫西林", "dose": -1}]}, "orders.0.dose"),
        ({"orders": [{"drug": "阿莫西林"}], "patient": {"age_years": 200}}, "patient.age_years"),
        ({"orders": [{"drug": "阿莫西林"}], "patient": {"prescriber_level": "intern"}}, "unknown prescriber level"),
        ({"orders": [{"drug": "阿莫西林"}], "patient": {"colour": "blue"}}, "patient.colour"),
        ({"resourceType": "Patient"}, "expected a FHIR Bundle"),
    ],
)
def test_invalid_input_names_the_field_and_the_fix(payload: Any, message: str) -> None:
    text = payload if isinstance(payload, str) else json.dumps(payload)
    with pytest.raises(InputError, match=message):
        load_payload(text)


def test_document_becomes_a_context_with_rx_facts() -> None:
    ctx = load_payload(document([order("阿莫西林", 0.5, "g")], weight_kg=12, pregnant=True, sex="female",
                                prescriber_level="主治医师", labs={"child_pugh": "B", "alt": 50}))
    assert ctx.extra[RX_EXTRA_KEY] == {"weight_kg": 12, "pregnant": True, "prescriber_level": "attending",
                                       "child_pugh": "B"}
    assert {lab.name: lab.value for lab in ctx.labs} == {"ALT": 50.0}
    assert ctx.medication_orders[0].id == "o1" and ctx.patient is not None and ctx.patient.synthetic


def test_schema_is_published_with_the_fields_of_the_issue() -> None:
    schema = order_document_schema()
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert set(schema["required"]) == {"orders"}
    patient = schema["$defs"]["RxPatient"]["properties"]
    assert {"sex", "age_years", "weight_kg", "pregnant", "lactating", "allergies", "diagnoses", "labs",
            "prescriber_level"} <= set(patient)
    assert {"egfr", "scr_umol_l", "alt"} <= set(schema["$defs"]["RxLabs"]["properties"])
    assert {"drug", "dose", "unit", "route", "frequency", "days"} <= set(schema["$defs"]["RxOrder"]["properties"])
    assert schema["examples"][0]["synthetic"] is True


def _bundle() -> dict[str, Any]:
    """A synthetic (合成) FHIR R4 collection: patient, a condition, an allergy, creatinine, weight and two orders."""
    def med(rid: str, text: str, dose: float, unit: str, per_day: int) -> dict[str, Any]:
        return {"resourceType": "MedicationRequest", "id": rid, "status": "active", "intent": "order",
                "medicationCodeableConcept": {"text": text}, "subject": {"reference": "Patient/p1"},
                "dosageInstruction": [{"route": {"text": "口服"},
                                       "timing": {"repeat": {"frequency": per_day, "period": 1, "periodUnit": "d"}},
                                       "doseAndRate": [{"doseQuantity": {"value": dose, "unit": unit}}]}]}

    resources = [
        {"resourceType": "Patient", "id": "p1", "gender": "female", "birthDate": "1950-03-01"},
        {"resourceType": "Condition", "id": "c1", "subject": {"reference": "Patient/p1"},
         "code": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10", "code": "I10"}], "text": "高血压"}},
        {"resourceType": "AllergyIntolerance", "id": "a1", "patient": {"reference": "Patient/p1"},
         "code": {"text": "青霉素"}},
        {"resourceType": "Observation", "id": "ob1", "status": "final", "subject": {"reference": "Patient/p1"},
         "code": {"coding": [{"system": "http://loinc.org", "code": "14682-9"}], "text": "血肌酐"},
         "valueQuantity": {"value": 220, "unit": "umol/L"}},
        {"resourceType": "Observation", "id": "ob2", "status": "final", "subject": {"reference": "Patient/p1"},
         "category": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/observation-category",
                                   "code": "vital-signs"}]}],
         "code": {"coding": [{"system": "http://loinc.org", "code": "29463-7"}], "text": "体重"},
         "valueQuantity": {"value": 52, "unit": "kg"}},
        med("m1", "盐酸二甲双胍片", 0.5, "g", 2),
        med("m2", "阿莫西林胶囊", 0.5, "g", 3),
    ]
    return {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": r} for r in resources]}


def test_fhir_bundle_is_reviewed_with_labs_weight_allergy_and_diagnoses(kb: KnowledgeBase) -> None:
    ctx = load_payload(_bundle())
    assert ctx.extra[RX_EXTRA_KEY]["weight_kg"] == 52  # a vital-sign the FHIR importer leaves out
    out = review(ctx, kb=kb).as_json()
    rules = {(a["rule_id"], a["drugs"][0]) for a in out["alerts"]}
    assert ("rx.renal.function.v1", "盐酸二甲双胍片") in rules  # eGFR from creatinine, age and sex
    assert ("rx.allergy.same_group.v1", "阿莫西林胶囊") in rules
    assert out["patient"]["egfr"] is not None and out["patient"]["diagnoses"][0]["code"] == "I10"


def test_bundle_without_medication_requests_is_refused() -> None:
    b = _bundle()
    b["entry"] = [e for e in b["entry"] if e["resource"]["resourceType"] != "MedicationRequest"]
    with pytest.raises(InputError, match="no MedicationRequest"):
        load_payload(b)
