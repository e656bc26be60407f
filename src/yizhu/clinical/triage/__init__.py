"""智能导诊 triage: the patient's words → departments (scores, reasons), urgency, red flags.

Registered as the ``triage`` task (entry point ``yizhu.tasks``); CLI ``yizhu triage``; API
``POST /v1/triage``; trainable model ``yizhu train triage``. See docs/triage.md.
"""

from __future__ import annotations

from typing import Any

from yizhu.clinical.triage.engine import MAX_TEXT, TASK_NAME, TASK_VERSION, TriageEngine, engine_for

__all__ = ["MAX_TEXT", "TASK_NAME", "TASK_VERSION", "TriageEngine", "TriageTask", "engine_for", "run_triage"]


def run_triage(text: str, *, age: float | None = None, sex: str | None = None, pregnant: bool | None = None,
               departments: list[str] | None = None, use_model: bool = True, top: int = 5,
               gateway: Any = None, use_llm: bool = True) -> dict[str, Any]:
    """The contract shape: ``{"departments": [{"name","score","reasons"}], "urgency", "red_flags", …}``.

    With a model routed for ``triage.rerank`` (the process gateway unless one is given), the model may re-order
    the top departments (``rerank.py``); ``use_llm=False`` answers from knowledge (and the trained model) only."""
    eng = engine_for(departments, use_model=use_model)
    res = eng.triage(text, age=age, sex=sex, pregnant=pregnant, top=top)
    if use_llm:
        from yizhu.clinical.triage.rerank import rerank

        if gateway is None:
            try:
                from yizhu.llm.runtime import current_gateway

                gateway = current_gateway()
            except Exception:  # a broken model config must not stop triage: the knowledge path needs none
                gateway = None
        res = rerank(res, text, gateway, age=age, sex=sex)
    return res.as_json()


class TriageTask:
    """The ``triage`` task: reads ``ctx.extra["triage"]`` ({"complaint" or "text", "age", "sex",
    "pregnant", "departments"}) and the patient's age and sex."""

    name = TASK_NAME
    version = TASK_VERSION
    #: the generic task door (``/v1/tasks/triage/run``) is for clinicians, as it reads stored encounters;
    #: the patient's phone triages through ``POST /v1/triage``, which admits patient_app as well
    run_roles = ("clinician",)
    decide_roles = ("clinician",)

    def run(self, ctx: Any) -> Any:
        from yizhu.core import Result
        from yizhu.core.models import Citation, Finding, Severity
        from yizhu.errors import InputError

        inp = dict(ctx.extra.get("triage") or {})
        text = inp.get("complaint") or inp.get("text") or ctx.extra.get("text")
        if not text and ctx.documents:
            text = ctx.documents[0].text
        if not isinstance(text, str) or not text.strip():
            raise InputError("triage needs the complaint: extra.triage.complaint (or text)")
        age = inp.get("age")
        sex = inp.get("sex")
        if ctx.patient is not None:
            age = ctx.patient.age_years if age is None else age
            if sex is None and ctx.patient.sex is not None:
                sex = str(getattr(ctx.patient.sex, "value", ctx.patient.sex))
        depts = inp.get("departments")
        if depts is not None and not (isinstance(depts, list) and all(isinstance(d, str) for d in depts)):
            raise InputError("departments must be a list of department names")
        out = run_triage(text, age=float(age) if isinstance(age, int | float) else None,
                         sex=sex if isinstance(sex, str) else None,
                         pregnant=inp.get("pregnant") if isinstance(inp.get("pregnant"), bool) else None,
                         departments=depts)
        findings = [Finding(rule_id=f"triage.{f['id']}.v1", severity=Severity.critical, category="red_flag",
                            message=f["message"], source=f["source"], data={"evidence": f["evidence"]})
                    for f in out["red_flags"]]
        cites = [Citation(id=f["id"], title=f["name"], source=f["source"]) for f in out["red_flags"]]
        return Result(task=self.name, task_version=self.version, output=out, findings=findings, citations=cites,
                      degraded=list(out.get("degraded") or []))
