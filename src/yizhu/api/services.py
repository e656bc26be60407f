"""Application services shared by the API and the CLI: build contexts, run tasks with audit, load data.

Both front doors call these, so a task run from the CLI is audited exactly like one from the API.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy.engine import Engine

import yizhu.store as repo
from yizhu.clinical.registry import get_task
from yizhu.config import Settings
from yizhu.core import ClinicalContext, Result
from yizhu.core.context import context_from_note
from yizhu.core.parsing import parse_document
from yizhu.errors import InputError
from yizhu.store import audit

if TYPE_CHECKING:
    from yizhu.llm import CallRecord, Gateway


def contexts_from_payload(text: str) -> list[ClinicalContext]:
    """Contexts from a FHIR Bundle, a ClinicalContext JSON, or a printed note."""
    if text.lstrip().startswith("{"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(f"not valid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}") from exc
        if isinstance(data, dict) and data.get("resourceType") == "Bundle":
            from yizhu.interop.fhir import bundle_to_contexts

            return bundle_to_contexts(data)
        if isinstance(data, dict) and "resourceType" in data:
            raise InputError(f"expected a FHIR Bundle, got a {data['resourceType']}; wrap resources in a Bundle")
        try:
            return [ClinicalContext.model_validate(data)]
        except Exception as exc:
            raise InputError(f"JSON is neither a FHIR Bundle nor a ClinicalContext: {exc}") from exc
    if not text.strip():
        raise InputError("empty input: expected a note or a FHIR Bundle")
    return [context_from_note(parse_document(text))]


def context_from_payload(text: str) -> ClinicalContext:
    """Exactly one context (merging documents when a bundle holds several encounters of one patient)."""
    contexts = contexts_from_payload(text)
    if not contexts:
        raise InputError("the bundle holds no patient, encounter or document to work on")
    if len(contexts) == 1:
        return contexts[0]
    first = contexts[0]
    return first.model_copy(update={"documents": [d for c in contexts for d in c.documents]})


def _with_sections(ctx: ClinicalContext) -> ClinicalContext:
    docs = []
    for d in ctx.documents:
        if d.text and not d.sections:
            parsed = parse_document(d.text, doc_id=d.id)
            d = d.model_copy(update={"sections": parsed.sections, "header": d.header or parsed.header})
        docs.append(d)
    return ctx.model_copy(update={"documents": docs})


def run_task(
    engine: Engine, name: str, ctx: ClinicalContext, *, actor: str, encounter_id: str | None = None
) -> tuple[Result, str]:
    """Run a registered task and append it to the audit log; returns (result, audit run id)."""
    task = get_task(name)
    ctx = _with_sections(ctx)
    t0 = time.perf_counter()
    result = task.run(ctx)
    duration_ms = (time.perf_counter() - t0) * 1000
    run_id = audit.record_run(
        engine,
        task=task.name,
        task_version=task.version,
        input_obj=ctx.model_dump(mode="json"),
        output_obj=result.model_dump(mode="json"),
        actor=actor,
        duration_ms=duration_ms,
        model=result.model,
        prompt_version=result.prompt_version,
        encounter_id=encounter_id or (ctx.encounter.id if ctx.encounter else None),
        document_id=ctx.documents[0].id if len(ctx.documents) == 1 else None,
        summarise=getattr(task, "audit_summary", None),  # what a large output keeps in its audit row
    )
    return result, run_id


def import_payload(engine: Engine, text: str, *, actor: str) -> dict[str, Any]:
    """Store what a payload holds and run ``document.structure`` on it; returns a summary."""
    is_note = not text.lstrip().startswith("{")
    contexts = [_with_sections(c) for c in contexts_from_payload(text)]
    findings: list[str] = []
    patients: list[str] = []
    n_docs = 0
    reviews = 0
    for ctx in contexts:
        if is_note and ctx.patient and ctx.encounter:
            # A single note adds to its encounter; it must not replace the encounter's other notes.
            repo.save_patient(engine, ctx.patient)
            repo.save_encounter(engine, ctx.encounter)
            for doc in ctx.documents:
                repo.save_document(engine, doc)
        else:
            repo.save_context(engine, ctx)
        if ctx.patient and ctx.patient.id not in patients:
            patients.append(ctx.patient.id)
        n_docs += len(ctx.documents)
        if ctx.documents:
            result, _ = run_task(engine, "document.structure", ctx, actor=actor)
            findings.extend(f.message for f in result.findings)
        if ctx.encounter and ctx.medication_orders:
            # Orders are reviewed on arrival, so the pharmacist's worklist (/rx) holds them at once.
            reviews += _review_on_arrival(engine, ctx, actor=actor)
    return {
        "patients": patients,
        "encounters": sum(1 for c in contexts if c.encounter),
        "documents": n_docs,
        "findings": findings,
        "reviews": reviews,
    }


def _review_on_arrival(engine: Engine, ctx: ClinicalContext, *, actor: str) -> int:
    """Review an arriving encounter's stored medication orders (``rx.review``, audited); 0 when the orders
    cannot be reviewed (e.g. none active) — the import itself still succeeds."""
    stored = repo.load_context(engine, ctx.encounter.id) if ctx.encounter else ctx
    try:
        run_task(engine, "rx.review", stored, actor=actor)
    except InputError:
        return 0
    return 1


def load_demo(engine: Engine, *, seed: int = 20261123, n_patients: int | None = None) -> int:
    """Load the synthetic demo hospital; run the structure check and QC on every encounter's notes and
    prescription review on its stored medication orders, so the encounter pages and the pharmacist's
    worklist (/rx) show the demo's risky orders on first start."""
    from yizhu.demo import generate_hospital

    hospital = generate_hospital(seed=seed) if n_patients is None else generate_hospital(seed=seed, n_patients=n_patients)
    for ctx in hospital.contexts:
        ctx = _with_sections(ctx)
        repo.save_context(engine, ctx)
        if ctx.documents:
            run_task(engine, "document.structure", ctx, actor="demo-loader")
            run_task(engine, "qc.record", ctx, actor="demo-loader")
        if ctx.medication_orders:
            run_task(engine, "rx.review", ctx, actor="demo-loader")
    return len(hospital.contexts)


def ensure_demo_key(engine: Engine, settings: Settings) -> str:
    """The demo admin key, kept in ``var/demo-api-key.txt`` for development only; made if absent."""
    path = Path(settings.data_dir) / "demo-api-key.txt"
    if path.is_file():
        key = path.read_text(encoding="utf-8").strip()
        if repo.authenticate_api_key(engine, key) is not None:
            return key
    key = repo.create_api_key(engine, role="admin", name="demo")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(key + "\n", encoding="utf-8")
    path.chmod(0o600)
    return key


def llm_audit_sink(engine: Engine) -> Callable[[CallRecord], None]:
    """A gateway sink that appends every model call to the audit log (hashes, model, tokens, latency)."""

    def sink(record: CallRecord) -> None:
        audit.record_run(
            engine,
            task=f"llm.{record.kind}",
            task_version="1",
            input_obj={"task": record.task, "input_sha256": record.input_sha256, "prompt_sha256": record.prompt_sha256},
            output_obj=record.model_dump(mode="json"),
            actor=f"gateway:{record.task}",
            duration_ms=record.latency_ms,
            model=record.model,
            prompt_version=record.prompt_sha256 or record.prompt_version,
            status=record.status,
        )

    return sink


def make_gateway(engine: Engine, settings: Settings, *, install: bool = False) -> Gateway:
    """The model gateway for these settings, auditing every call into this store (and installed as
    the process gateway engines use, when ``install``)."""
    from yizhu.llm import build_gateway
    from yizhu.llm.runtime import use_gateway

    gateway = build_gateway(settings, on_call=llm_audit_sink(engine))
    if install:
        use_gateway(gateway)
    return gateway
