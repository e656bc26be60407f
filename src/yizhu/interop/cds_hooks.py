"""HL7 CDS Hooks 2.0 service for prescription review: ``order-select`` and ``order-sign``.

* ``GET /cds-services`` — discovery: the two services with their prefetch templates (public, no PHI).
* ``POST /cds-services/{id}`` — the EMR sends ``hook``, ``hookInstance``, ``context`` (``userId``,
  ``patientId``, ``draftOrders`` Bundle, and ``selections`` for order-select) and ``prefetch``; the draft
  MedicationRequests are reviewed together with the prefetched Patient, Conditions, AllergyIntolerances,
  Observations (eGFR, creatinine, liver tests, weight, height, pregnancy/breast-feeding status), the
  active MedicationRequests and the ordering Practitioner, and every alert about a draft (order-sign) or
  selected (order-select) order becomes a card. Each review is audited like any other task run.
* ``POST /cds-services/{id}/feedback`` — card outcomes (``accepted`` / ``overridden`` with a reason) are
  recorded as the pharmacist/clinician decision on that alert (see :mod:`yizhu.clinical.rx.api`).

Authentication (a deliberate simplification of the spec's JWT trust model): a call must carry one of our
API keys (``X-API-Key`` or ``Authorization: Bearer <key>``) — unless ``[cds_hooks] allow_anonymous = true``
is set in ``yizhu.toml``, for an EMR on the hospital network that sends its own JWT: the JWT is then
accepted **without verification** and the caller is recorded as ``cds-hooks``. Discovery is always open.

Tolerance: the spec's own examples omit ``Bundle.type`` and (R4 example) put ``doseQuantity`` directly on
the Dosage; both are accepted. A prefetched resource that fails FHIR validation is left out and reported
in an ``info`` card rather than failing the whole call; an invalid *draft order* is a 400.

Never failing open: ``draftOrders`` that is not an R4 Bundle of resources (``entry`` an object or a string,
no ``resourceType``, an entry without ``resource`` — e.g. the resource under ``request`` —, a DSTU2
``MedicationOrder``) is a 400 naming what is wrong, never ``{"cards": []}``, which an EMR reads as "no
problems". A prefetch key the call lacks is fetched from ``fhirServer`` (with ``fhirAuthorization``) when
the server is registered in ``[cds_hooks] fhir_servers``; what still cannot be had is named in a card
listing the checks that could not run.
"""

from __future__ import annotations

import re
import time
import uuid
from typing import Annotated, Any
from urllib.parse import urljoin

import httpx
from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.engine import Engine

import yizhu.store as store
from yizhu.api.deps import EngineDep, Principal, SettingsDep, ensure_may
from yizhu.clinical.rx.api import record_decision, review_context, run_alerts
from yizhu.clinical.rx.document import MAX_ORDERS, RX_EXTRA_KEY, fhir_facts
from yizhu.clinical.rx.engine import TASK_NAME
from yizhu.clinical.rx.rules import Alert
from yizhu.config import Settings
from yizhu.core import ClinicalContext, MedicationOrder
from yizhu.errors import AuthError, FHIRError, InputError, NotFoundError, PermissionDenied, TooLargeError

router = APIRouter(tags=["cds-hooks"])

SPEC_VERSION = "2.0"
CDS_ROLES = ("admin", "pharmacist", "clinician")
ANONYMOUS = "cds-hooks"
SYSTEM_ATC = "http://www.whocc.no/atc"
SYSTEM_ALERT_TYPE = "https://yizhu.invalid/cds/CodeSystem/rx-alert-type"
SYSTEM_OVERRIDE = "https://yizhu.invalid/cds/CodeSystem/rx-override-reason"

_LAB_CODES = ",".join(
    f"http://loinc.org|{c}"
    for c in ("98979-8", "62238-1", "33914-3", "2160-0", "14682-9", "1742-6", "1920-8", "1975-2", "29463-7",
              "8302-2", "82810-3", "63895-7")
)
PREFETCH: dict[str, str] = {
    "patient": "Patient/{{context.patientId}}",
    "conditions": "Condition?patient={{context.patientId}}&clinical-status=active",
    "allergies": "AllergyIntolerance?patient={{context.patientId}}&clinical-status=active",
    "observations": f"Observation?patient={{{{context.patientId}}}}&code={_LAB_CODES}&_sort=-date",
    "medications": "MedicationRequest?patient={{context.patientId}}&status=active",
    "practitioner": "{{context.userId}}",
}
SERVICES: dict[str, dict[str, Any]] = {
    "yizhu-rx-order-select": {
        "hook": "order-select",
        "title": "医助审方（选择医嘱时）",
        "description": "Prescription review when medications are selected: interactions, duplicates, dose, "
                       "allergy, special populations, organ function, drug–disease, antimicrobial grade, 高警示.",
        "id": "yizhu-rx-order-select",
        "prefetch": PREFETCH,
    },
    "yizhu-rx-order-sign": {
        "hook": "order-sign",
        "title": "医助审方（签署医嘱前）",
        "description": "Prescription review of all draft medication orders before signing (前置审方), each alert "
                       "with its rule, evidence and source, and safer alternatives where one exists.",
        "id": "yizhu-rx-order-sign",
        "prefetch": PREFETCH,
    },
}

#: What cannot be checked when a prefetch key is missing (shown in the card that says so).
PREFETCH_CHECKS: dict[str, str] = {
    "patient": "年龄、性别相关审核（儿童、老年人、妊娠，由肌酐估算肾功能）",
    "conditions": "诊断相关审核（禁忌证、妊娠诊断、适应证合用）",
    "allergies": "过敏审核",
    "observations": "肾功能、肝功能、体重（按体重剂量）与妊娠/哺乳状态审核",
    "medications": "与在用药物的相互作用、重复用药审核",
    "practitioner": "抗菌药物分级管理（处方医师级别）审核",
}
#: Cards one call returns at most (most severe first); the rest are counted in one more card.
MAX_CARDS = 50
FETCH_TIMEOUT_S = 5.0
FETCH_BUDGET_S = 10.0
FETCH_MAX_BYTES = 5 * 1024 * 1024
FETCH_MAX_PAGES = 5

SEVERITY_INDICATOR = {"contraindicated": "critical", "major": "critical", "moderate": "warning", "minor": "info"}
SEVERITY_CN = {"contraindicated": "禁忌", "major": "严重", "moderate": "中等", "minor": "提示"}
TYPE_CN = {
    "interaction": "相互作用", "duplicate": "重复用药", "dose": "剂量", "frequency": "频次", "route": "给药途径",
    "allergy": "过敏", "pregnancy": "妊娠期用药", "lactation": "哺乳期用药", "pediatric": "儿童用药",
    "geriatric": "老年人用药", "renal": "肾功能", "hepatic": "肝功能", "contraindication": "禁忌证",
    "antimicrobial": "抗菌药物分级", "high_alert": "高警示药品", "unknown_drug": "未识别药品", "incomplete": "医嘱不完整",
}  # fmt: skip
OVERRIDE_REASONS: list[dict[str, str]] = [
    {"system": SYSTEM_OVERRIDE, "code": "benefit-outweighs-risk", "display": "获益大于风险，已告知患者并监测"},
    {"system": SYSTEM_OVERRIDE, "code": "previously-tolerated", "display": "患者既往已耐受该药"},
    {"system": SYSTEM_OVERRIDE, "code": "regimen-verified", "display": "特殊剂量/方案，已核实"},
    {"system": SYSTEM_OVERRIDE, "code": "data-incorrect", "display": "提示依据的信息有误（过敏史/诊断/检验）"},
]


# ── authentication ──────────────────────────────────────────────────────────────────────────


def _allow_anonymous(request: Request) -> bool:
    section = request.app.state.settings.extra_sections.get("cds_hooks") or {}
    return bool(section.get("allow_anonymous", False))


def _key_from(request: Request) -> str | None:
    key = request.headers.get("x-api-key")
    if key:
        return key.strip()
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip()
    return None  # an EMR calls with a key; a browser's page cookie is no CDS credential


def cds_principal(request: Request, engine: EngineDep) -> Principal:
    """Our API key (X-API-Key or Bearer); or, when allowed by settings, an unverified EMR caller."""
    key = _key_from(request)
    if key:
        found = store.authenticate_api_key(engine, key)
        if found is not None:
            name, role = found
            role = str(getattr(role, "value", role))
            if role not in CDS_ROLES:
                raise PermissionDenied(f"role '{role}' may not call CDS services; needs one of: {', '.join(CDS_ROLES)}")
            return Principal(name=name, role=role)
        if request.headers.get("x-api-key") or not _allow_anonymous(request):
            raise AuthError("invalid or revoked API key for the CDS service")
    elif not _allow_anonymous(request):
        raise AuthError(
            "the CDS service needs an API key (X-API-Key or Authorization: Bearer); or set "
            "[cds_hooks] allow_anonymous = true in yizhu.toml for a trusted network"
        )
    return Principal(name=ANONYMOUS, role="clinician")


CDSCaller = Annotated[Principal, Depends(cds_principal)]


# ── request shapes ──────────────────────────────────────────────────────────────────────────


class HookContext(BaseModel):
    """The order-select / order-sign context (other context fields are tolerated and ignored)."""

    model_config = ConfigDict(extra="allow", str_max_length=1024)
    userId: str = Field(min_length=1)
    patientId: str = Field(min_length=1)
    encounterId: str | None = None
    selections: list[str] | None = None
    draftOrders: Any = Field(description="a FHIR R4 Bundle of the draft orders (checked by the service: 400 if not)")


class HookRequest(BaseModel):
    """A CDS Hooks 2.0 service call."""

    model_config = ConfigDict(extra="forbid", str_max_length=2048)
    hook: str
    hookInstance: str = Field(min_length=1)
    fhirServer: str | None = None
    fhirAuthorization: dict[str, Any] | None = None
    context: HookContext
    prefetch: dict[str, Any] | None = None
    extension: dict[str, Any] | None = None


class FeedbackItem(BaseModel):
    """One card outcome."""

    model_config = ConfigDict(extra="allow", str_max_length=2048)
    card: str
    outcome: str
    acceptedSuggestions: list[dict[str, Any]] | None = None
    overrideReason: dict[str, Any] | None = None
    outcomeTimestamp: str | None = None


class FeedbackRequest(BaseModel):
    model_config = ConfigDict(extra="allow")
    feedback: list[FeedbackItem]


# ── FHIR from the hook ──────────────────────────────────────────────────────────────────────


class CDSRequestError(InputError):
    """A CDS Hooks call the service cannot read (HTTP 400, as the CDS Hooks specification asks)."""

    status = 400
    title = "Bad CDS Hooks request"


#: Medication orders of other FHIR versions: reviewing them as nothing would fail open.
_OLD_MEDICATION_ORDERS = {"MedicationOrder": "DSTU2", "MedicationPrescription": "DSTU1"}


def draft_resources(draft: Any) -> list[dict[str, Any]]:
    """``context.draftOrders`` as its resources; anything but an R4 Bundle of resources is a 400 naming the
    problem (an EMR reads an empty card list as "no problems", so a malformed Bundle must not give one)."""
    if not isinstance(draft, dict):
        raise CDSRequestError(f"context.draftOrders must be a FHIR Bundle (JSON object), got a JSON {type(draft).__name__}")
    rtype = draft.get("resourceType")
    if rtype != "Bundle":
        got = f"resourceType {rtype!r}" if rtype is not None else "no resourceType"
        raise CDSRequestError(f"context.draftOrders must be a FHIR Bundle (resourceType \"Bundle\"), got {got}")
    entries = draft.get("entry", [])
    if entries is None:
        entries = []
    if not isinstance(entries, list):
        raise CDSRequestError(
            f"context.draftOrders.entry must be a list of entries, got a JSON {type(entries).__name__}")
    out: list[dict[str, Any]] = []
    for i, e in enumerate(entries):
        where = f"context.draftOrders.entry[{i}]"
        if not isinstance(e, dict):
            raise CDSRequestError(f"{where} must be an object with a resource, got a JSON {type(e).__name__}")
        res = e.get("resource")
        if not isinstance(res, dict):
            hint = " (it is under request; put the resource in entry.resource)" if isinstance(e.get("request"), dict) else ""
            raise CDSRequestError(f"{where} has no resource{hint}")
        rt = res.get("resourceType")
        if not isinstance(rt, str) or not rt:
            raise CDSRequestError(f"{where}.resource has no resourceType")
        if rt in _OLD_MEDICATION_ORDERS:
            raise CDSRequestError(
                f"{where}.resource is a {_OLD_MEDICATION_ORDERS[rt]} {rt}; this service reviews FHIR R4 "
                "MedicationRequest resources (CDS Hooks 2.0 with FHIR R4)")
        out.append(res)
    return out


def prefetch_problem(value: Any) -> str | None:
    """Why a prefetch value cannot be read (None when it can: null, a resource, or a Bundle of resources).
    An unreadable value is treated as missing — fetched from the FHIR server or named in the card of
    checks not done — never silently read as "no data"."""
    if value is None:
        return None
    if not isinstance(value, dict):
        return f"not a FHIR resource or Bundle (a JSON {type(value).__name__})"
    rtype = value.get("resourceType")
    if not isinstance(rtype, str) or not rtype:
        return "no resourceType"
    if rtype != "Bundle":
        return None
    entries = value.get("entry")
    if entries is None:
        return None
    if not isinstance(entries, list):
        return f"Bundle.entry is a JSON {type(entries).__name__}, not a list"
    for i, e in enumerate(entries):
        if not isinstance(e, dict) or not isinstance(e.get("resource"), dict):
            return f"Bundle.entry[{i}] has no resource"
    return None


def _resources(value: Any) -> list[dict[str, Any]]:
    """A prefetch value (one resource, or a searchset Bundle) as a list of resources."""
    if not isinstance(value, dict):
        return []
    if value.get("resourceType") == "Bundle":
        return [e["resource"] for e in value.get("entry") or [] if isinstance(e, dict) and isinstance(e.get("resource"), dict)]
    return [value] if value.get("resourceType") else []


def _tolerant(resource: dict[str, Any]) -> dict[str, Any]:
    """Accept the shapes the spec's examples use: Dosage.doseQuantity (pre-R4) and a doseAndRate object."""
    if resource.get("resourceType") != "MedicationRequest":
        return resource
    r = dict(resource)
    dosages = []
    for d in r.get("dosageInstruction") or []:
        if not isinstance(d, dict):
            dosages.append(d)
            continue
        d = dict(d)
        dar = d.get("doseAndRate")
        if isinstance(dar, dict):
            d["doseAndRate"] = [dar]
        if "doseQuantity" in d:
            d.setdefault("doseAndRate", []).append({"doseQuantity": d.pop("doseQuantity")})
        dosages.append(d)
    if dosages:
        r["dosageInstruction"] = dosages
    return r


_ENTRY_INDEX = re.compile(r"Bundle\.entry\[(\d+)\]")


def hook_context(
    req: HookRequest, prefetch: dict[str, Any] | None = None
) -> tuple[ClinicalContext, set[str], list[str]]:
    """The review context, the ids of the orders to focus on, and notes on prefetched data left out."""
    from yizhu.interop.fhir import bundle_to_contexts

    draft = [_tolerant(r) for r in draft_resources(req.context.draftOrders)]
    draft_meds = [r for r in draft if r.get("resourceType") == "MedicationRequest"]
    for i, r in enumerate(draft_meds):  # a draft may not have an id yet; cards and suggestions need one
        if not r.get("id"):
            r["id"] = f"draft-{i + 1}"
    draft_keys = {("MedicationRequest", str(r.get("id"))) for r in draft_meds}
    other: list[dict[str, Any]] = []
    seen = set(draft_keys)
    for value in (prefetch if prefetch is not None else req.prefetch or {}).values():
        for r in _resources(value):
            key = (str(r.get("resourceType")), str(r.get("id")))
            if r.get("id") and key in seen:
                continue
            seen.add(key)
            other.append(_tolerant(r))
    resources = draft_meds + other
    left_out: list[str] = []
    while True:
        bundle = {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": r} for r in resources]}
        try:
            contexts = bundle_to_contexts(bundle)
            break
        except FHIRError as exc:
            m = _ENTRY_INDEX.search(str(exc))
            if m is None or int(m.group(1)) < len(draft_meds):
                raise CDSRequestError(f"draftOrders: {exc}") from exc
            bad = resources.pop(int(m.group(1)))
            left_out.append(f"{bad.get('resourceType')}/{bad.get('id', '?')}: {str(exc).split(': ', 1)[-1]}")
    patients = [c for c in contexts if c.patient and c.patient.id == req.context.patientId] or contexts
    ctx = patients[0]
    for c in patients[1:]:
        ctx = ctx.model_copy(update={
            "orders": [*ctx.orders, *(o for o in c.orders if o not in ctx.orders)],
            "diagnoses": [*ctx.diagnoses, *(d for d in c.diagnoses if d not in ctx.diagnoses)],
            "labs": [*ctx.labs, *(x for x in c.labs if x not in ctx.labs)],
            "allergies": [*ctx.allergies, *(a for a in c.allergies if a not in ctx.allergies)],
        })
    facts = fhir_facts(resources)
    ctx = ctx.model_copy(update={"extra": {**ctx.extra, RX_EXTRA_KEY: facts}})
    draft_ids = {str(r.get("id")) for r in draft_meds}
    if req.hook == "order-select" and req.context.selections is not None:
        selected = {s.split("/", 1)[1] for s in req.context.selections if s.startswith("MedicationRequest/")}
        focus = selected & draft_ids
    else:
        focus = draft_ids
    ctx = ctx.model_copy(update={"orders": [
        o.model_copy(update={"status": "draft"}) if isinstance(o, MedicationOrder) and o.id in draft_ids else o
        for o in ctx.orders
    ]})
    return ctx, focus, left_out


# ── prefetch from the FHIR server ─────────────────────────────────────────────────────────────

_TOKEN = re.compile(r"\{\{\s*context\.(\w+)\s*\}\}")


def _allowed_servers(settings: Settings) -> list[str]:
    section = settings.extra_sections.get("cds_hooks") or {}
    servers = section.get("fhir_servers") or []
    return [str(x).rstrip("/") + "/" for x in servers] if isinstance(servers, list) else []


def _query(template: str, req: HookRequest) -> str | None:
    """A prefetch template with the hook context filled in (None when a token has no value)."""
    ctx = req.context.model_dump()
    missing = False

    def fill(m: re.Match[str]) -> str:
        nonlocal missing
        value = ctx.get(m.group(1))
        if not isinstance(value, str) or not value:
            missing = True
            return ""
        return value

    out = _TOKEN.sub(fill, template)
    return None if missing else out


def _get_json(client: httpx.Client, url: str) -> Any:
    with client.stream("GET", url) as resp:
        if resp.status_code == 404:
            return None
        if resp.status_code != 200:
            raise ValueError(f"HTTP {resp.status_code}")
        body = bytearray()
        for chunk in resp.iter_bytes():
            body += chunk
            if len(body) > FETCH_MAX_BYTES:
                raise ValueError(f"response over {FETCH_MAX_BYTES} bytes")
    import json

    return json.loads(bytes(body).decode("utf-8"))


def fetch_prefetch(req: HookRequest, keys: list[str], settings: Settings) -> tuple[dict[str, Any], dict[str, str]]:
    """Fetch the missing prefetch keys from ``fhirServer``: (values fetched, key → why it could not be).

    Only servers registered in ``[cds_hooks] fhir_servers`` are called (a caller-chosen URL would let any
    client make this service fetch anything); no redirects; bounded time, size and paging."""
    base = (req.fhirServer or "").rstrip("/") + "/"
    if not base.startswith(("http://", "https://")):
        return {}, {k: f"fhirServer {req.fhirServer!r} is not an http(s) URL" for k in keys}
    if not any(base.startswith(a) for a in _allowed_servers(settings)):
        return {}, {k: f"fhirServer {req.fhirServer} is not registered in [cds_hooks] fhir_servers" for k in keys}
    headers = {"Accept": "application/fhir+json, application/json"}
    token = (req.fhirAuthorization or {}).get("access_token")
    if isinstance(token, str) and token:
        headers["Authorization"] = f"Bearer {token}"
    fetched: dict[str, Any] = {}
    failed: dict[str, str] = {}
    deadline = time.monotonic() + FETCH_BUDGET_S
    with httpx.Client(timeout=FETCH_TIMEOUT_S, follow_redirects=False, headers=headers) as client:
        for key in keys:
            query = _query(PREFETCH[key], req)
            if query is None:
                failed[key] = "the hook context lacks a value the query needs"
                continue
            url = urljoin(base, query.lstrip("/"))
            try:
                value = _get_json(client, url)
                pages = 1
                while (isinstance(value, dict) and value.get("resourceType") == "Bundle"
                       and pages < FETCH_MAX_PAGES and time.monotonic() < deadline):
                    nxt = next((ln.get("url") for ln in value.get("link") or []
                                if isinstance(ln, dict) and ln.get("relation") == "next"), None)
                    if not isinstance(nxt, str) or not nxt.startswith(base):
                        break
                    more = _get_json(client, nxt)
                    if not isinstance(more, dict):
                        break
                    value = {**value, "entry": [*(value.get("entry") or []), *(more.get("entry") or [])],
                             "link": more.get("link") or []}
                    pages += 1
            except (httpx.HTTPError, ValueError) as exc:
                failed[key] = f"{type(exc).__name__}: {exc}"[:200]
                continue
            if time.monotonic() > deadline:
                failed[key] = "the FHIR server took too long"
                continue
            fetched[key] = value  # None (404) means the server has no such data, as a null prefetch does
    return fetched, failed


def _unchecked_card(failed: dict[str, str]) -> dict[str, Any]:
    lines = [f"- {PREFETCH_CHECKS.get(k, k)}：未获取 `{k}`（{why}）" for k, why in failed.items()]
    return {
        "summary": f"部分患者资料未获取（{len(failed)} 项），以下审核未能进行",
        "indicator": "info",  # information about the review, not a clinical warning (alerts have their own cards)
        "detail": "\n".join(["以下审核未能进行，本次审方结果不完整：", *lines]),
        "source": {"label": "医助审方 yizhu"},
    }


# ── cards ───────────────────────────────────────────────────────────────────────────────────


def card_uuid(run_id: str, alert_key: str) -> str:
    """A card's uuid, derived from the audited run and the alert, so feedback finds both again."""
    return str(uuid.uuid5(uuid.UUID(run_id), alert_key))


def _summary(a: Alert) -> str:
    text = f"【{SEVERITY_CN[a.severity]}·{TYPE_CN.get(a.type, a.type)}】{a.message}"
    return text if len(text) < 140 else text[:138] + "…"


def _detail(a: Alert) -> str:
    lines = [f"**{a.message}**", ""]
    if a.recommendation:
        lines.append(f"- 建议：{a.recommendation}")
    ev = {k: v for k, v in a.evidence.items() if k not in ("alternative_ids", "alternative_atc", "alternative_for") and v not in (None, "", [])}
    if ev:
        lines.append("- 依据：" + "；".join(f"{k}={v}" for k, v in ev.items()))
    lines.append(f"- 规则：`{a.rule_id}`")
    lines.append(f"- 来源：{a.source}")
    return "\n".join(lines)


def _suggestions(a: Alert, patient_id: str, run_id: str) -> list[dict[str, Any]]:
    ids = a.evidence.get("alternative_ids") or []
    atcs = a.evidence.get("alternative_atc") or [None] * len(ids)
    if not ids or not a.orders or len(a.alternatives) != len(ids):
        return []
    order_id = str(a.evidence.get("alternative_for") or a.orders[0])  # the order the alternative replaces
    out = []
    for i, (alt_id, name, atc) in enumerate(zip(ids, a.alternatives, atcs, strict=False)):
        concept: dict[str, Any] = {"text": name}
        if atc:
            concept["coding"] = [{"system": SYSTEM_ATC, "code": atc, "display": name}]
        out.append({
            "label": f"改用 {name}",
            "uuid": str(uuid.uuid5(uuid.UUID(run_id), f"{a.key}:{alt_id}")),
            **({"isRecommended": True} if i == 0 else {}),
            "actions": [
                {"type": "delete", "description": f"撤销医嘱 {order_id}", "resourceId": f"MedicationRequest/{order_id}"},
                {"type": "create", "description": f"新开 {name}（剂量、频次由医师确定）",
                 "resource": {"resourceType": "MedicationRequest", "status": "draft", "intent": "proposal",
                              "medicationCodeableConcept": concept, "subject": {"reference": f"Patient/{patient_id}"}}},
            ],
        })
    return out


def alert_card(a: Alert, *, run_id: str, patient_id: str) -> dict[str, Any]:
    """One alert as a CDS Hooks card (optional fields omitted when empty, as the spec requires)."""
    card: dict[str, Any] = {
        "uuid": card_uuid(run_id, a.key),
        "summary": _summary(a),
        "indicator": SEVERITY_INDICATOR[a.severity],
        "detail": _detail(a),
        "source": {
            "label": "医助审方 yizhu · " + (a.source.split("；")[0][:60]),
            "topic": {"system": SYSTEM_ALERT_TYPE, "code": a.type, "display": TYPE_CN.get(a.type, a.type)},
        },
        "overrideReasons": OVERRIDE_REASONS,
    }
    suggestions = _suggestions(a, patient_id, run_id)
    if suggestions:
        card["suggestions"] = suggestions
        card["selectionBehavior"] = "at-most-one"
    return card


def _left_out_card(notes: list[str]) -> dict[str, Any]:
    return {
        "summary": f"部分预取数据无法读取（{len(notes)} 条），审方可能不完整",
        "indicator": "info",
        "detail": "\n".join(f"- {n}" for n in notes[:10]),
        "source": {"label": "医助审方 yizhu"},
    }


# ── routes ──────────────────────────────────────────────────────────────────────────────────


@router.get("/cds-services")
def discovery() -> dict[str, Any]:
    """CDS Hooks discovery: the services, their hooks and prefetch templates."""
    return {"services": list(SERVICES.values())}


def _service(service_id: str) -> dict[str, Any]:
    try:
        return SERVICES[service_id]
    except KeyError:
        raise NotFoundError(f"no CDS service '{service_id}'; known: {', '.join(SERVICES)}") from None


@router.post("/cds-services/{service_id}")
def call_service(
    service_id: str, req: HookRequest, engine: EngineDep, settings: SettingsDep, caller: CDSCaller
) -> dict[str, Any]:
    """Review the draft medication orders of the hook and answer with cards."""
    service = _service(service_id)
    if req.hook != service["hook"]:
        raise InputError(f"service '{service_id}' answers the '{service['hook']}' hook, not '{req.hook}'")
    if req.hook == "order-select" and req.context.selections is None:
        raise InputError("order-select needs context.selections (the ids of the newly selected orders)")
    drafts = draft_resources(req.context.draftOrders)
    n_meds = sum(1 for r in drafts if r.get("resourceType") == "MedicationRequest")
    if n_meds > MAX_ORDERS:
        raise TooLargeError(f"{n_meds} draft MedicationRequests in one call; the limit is {MAX_ORDERS}")
    if not n_meds:
        return {"cards": []}  # nothing to review: the draft holds no medication order (e.g. a NutritionOrder)
    prefetch = dict(req.prefetch or {})
    unreadable = {k: why for k, v in prefetch.items() if (why := prefetch_problem(v)) is not None}
    for k in unreadable:
        del prefetch[k]
    missing = [k for k in PREFETCH if k not in prefetch]
    failed: dict[str, str] = {}
    if missing:
        if req.fhirServer:
            fetched, failed = fetch_prefetch(req, missing, settings)
            prefetch.update(fetched)
        else:
            failed = {k: "not prefetched and no fhirServer given" for k in missing}
    for k, why in unreadable.items():
        if k in failed:
            failed[k] = f"prefetch unreadable: {why}; {failed[k]}"
    ctx, focus, left_out = hook_context(req, prefetch)
    if not focus:
        return {"cards": [_left_out_card(left_out)] if left_out else []}
    actor = f"{caller.name}:{req.context.userId}"[:128]
    result, run_id = review_context(engine, ctx, actor=actor, focus=focus)
    alerts = [Alert.model_validate(a) for a in result.output.get("alerts") or []]
    patient_id = ctx.patient.id if ctx.patient else req.context.patientId
    cards = [alert_card(a, run_id=run_id, patient_id=patient_id) for a in alerts[:MAX_CARDS]]
    if len(alerts) > MAX_CARDS:
        cards.append({
            "summary": f"另有 {len(alerts) - MAX_CARDS} 条审方提示未逐条显示",
            "indicator": "warning",
            "detail": f"本次审方共 {len(alerts)} 条提示；全部提示见医助审方页 /rx/reviews/{run_id}",
            "source": {"label": "医助审方 yizhu"},
        })
    if failed:
        cards.append(_unchecked_card(failed))
    if left_out:
        cards.append(_left_out_card(left_out))
    return {"cards": cards}


def _find_card(engine: Engine, card: str) -> tuple[str, str] | None:
    """(run id, alert key) of a card uuid among the recent reviews."""
    for run in store.list_runs(engine, task=TASK_NAME, limit=1000):
        for a in run_alerts(run):
            if card_uuid(run.id, a.key) == card:
                return run.id, a.key
    return None


@router.post("/cds-services/{service_id}/feedback")
def feedback(service_id: str, body: FeedbackRequest, engine: EngineDep, caller: CDSCaller) -> dict[str, Any]:
    """Record card outcomes: ``overridden`` → an override with the reason; ``accepted`` → the alert upheld.

    An outcome is a decision on the review's alerts, so the caller needs the ``rx.review`` task's
    decide_roles (a pharmacist key for the EMR's 审方 integration), as at every other door."""
    _service(service_id)
    ensure_may(caller, TASK_NAME, "decide")
    recorded, unknown = 0, []
    for fb in body.feedback:
        found = _find_card(engine, fb.card)
        if found is None:
            unknown.append(fb.card)
            continue
        run_id, key = found
        if fb.outcome == "overridden":
            reason_obj = fb.overrideReason or {}
            coding = reason_obj.get("reason") or {}
            parts = [str(coding.get("display") or coding.get("code") or ""), str(reason_obj.get("userComment") or "")]
            reason = "；".join(p for p in parts if p) or "EMR 未提供理由"
            record_decision(engine, run_id, key, "override", f"[CDS] {reason}", actor=f"{caller.name}:cds"[:128])
        elif fb.outcome == "accepted":
            accepted = ",".join(str(s.get("id")) for s in fb.acceptedSuggestions or [])
            record_decision(engine, run_id, key, "accept", f"[CDS] accepted {accepted}".strip(),
                            actor=f"{caller.name}:cds"[:128])
        else:
            raise InputError(f"feedback outcome must be 'accepted' or 'overridden', got {fb.outcome!r}")
        recorded += 1
    return {"recorded": recorded, **({"unknown_cards": unknown} if unknown else {})}
