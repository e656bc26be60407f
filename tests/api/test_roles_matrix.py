"""Every route × every role, asserted against ONE table: the one in docs/store.md ("Who may do what").

The routes are enumerated from the app itself (every API route, whether in the OpenAPI or not, and every
page), so a new route fails this test until the table has a row for it — a decision, written down. The
generic task doors (``POST /v1/tasks/{name}/run``, ``POST /v1/task-runs/{run_id}/feedback``) have one row
per registered task, so a new task needs its rows too, and those rows must equal the task's declaration
(``run_roles`` / ``decide_roles``), which the dedicated routes and pages of the task also enforce.

Each cell is probed with a real request: ✓ means the role got past authorisation (any status but 401,
403 or a redirect to /login), ✗ that it was refused. Regenerate the table after a deliberate change with
``.venv/bin/python -m tests.api.test_roles_matrix`` and paste it into docs/store.md.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

import yizhu.store as store
from yizhu.api.app import create_app
from yizhu.api.services import context_from_payload, run_task
from yizhu.clinical.notes.engine import dialogue_context
from yizhu.clinical.registry import list_tasks, task_roles
from yizhu.clinical.rx.api import run_alerts
from yizhu.config import Settings
from yizhu.errors import InputError
from yizhu.web import worklist

DOCS = Path(__file__).resolve().parents[2] / "docs" / "store.md"
ROLES = ("admin", "clinician", "pharmacist", "qc_officer", "patient_app")
COLUMNS = (*ROLES, "anonymous")
GENERIC_RUN = "POST /v1/tasks/{name}/run"
GENERIC_FEEDBACK = "POST /v1/task-runs/{run_id}/feedback"

NOTE = """入院记录（合成病历）
姓名：测试丙　性别：女　年龄：66岁　科别：心内科　住院号：ZY-M-0001　入院日期：2026-03-01 09:30
主诉：反复胸闷3年，加重2天。
现病史：患者3年前起活动后胸闷，休息后缓解。
既往史：高血压病史10年。
体格检查：BP 150/90mmHg。
初步诊断：不稳定型心绞痛
"""
TRANSCRIPT = "医生：哪里不舒服？\n患者：咳嗽三天了，没有发烧。\n医生：先查个血常规。"
RX_DOC = {
    "synthetic": True,
    "setting": "outpatient",
    "patient": {"sex": "female", "age_years": 72, "weight_kg": 52},
    "orders": [
        {"drug": "华法林钠片", "dose": 3, "unit": "mg", "route": "口服", "frequency": "qd"},
        {"drug": "布洛芬缓释胶囊", "dose": 0.3, "unit": "g", "route": "口服", "frequency": "bid"},
    ],
}


def app_routes(app: Any) -> list[str]:
    """``METHOD path`` of every route the app serves (HEAD left out: it follows GET)."""
    try:  # FastAPI >= 0.165 includes routers lazily; this walks them with their prefixes
        from fastapi.routing import iter_route_contexts
    except ImportError:
        contexts: list[Any] = list(app.routes)
    else:
        contexts = list(iter_route_contexts(app.routes))
    out = []
    for r in contexts:
        if isinstance(getattr(r, "original_route", r), APIRoute):
            for m in sorted(set(r.methods or ()) - {"HEAD"}):
                out.append(f"{m} {r.path}")
    return sorted(set(out))


def matrix_rows(app: Any) -> list[str]:
    """The table's row names: every route, the generic task doors once per task."""
    rows = []
    for route in app_routes(app):
        if route in (GENERIC_RUN, GENERIC_FEEDBACK):
            rows.extend(f"{route} · {t.name}" for t in list_tasks())
        else:
            rows.append(route)
    return rows


def read_table(path: Path = DOCS) -> dict[str, dict[str, bool]]:
    """The matrix from docs/store.md: between the roles-matrix markers, ✓ allowed and ✗ refused."""
    text = path.read_text(encoding="utf-8")
    m = re.search(r"<!-- roles-matrix:start -->(.*?)<!-- roles-matrix:end -->", text, re.S)
    assert m, f"{path} has no roles-matrix table"
    table: dict[str, dict[str, bool]] = {}
    for line in m.group(1).strip().splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != len(COLUMNS) + 1 or cells[0] in ("route", "") or set(cells[1]) <= {"-", ":"}:
            continue
        table[cells[0].strip("`")] = {col: cell == "✓" for col, cell in zip(COLUMNS, cells[1:], strict=True)}
    return table


def render_table(observed: dict[str, dict[str, bool]]) -> str:
    lines = ["| route | " + " | ".join(COLUMNS) + " |", "|---|" + "---|" * len(COLUMNS)]
    for row, cells in observed.items():
        lines.append(f"| `{row}` | " + " | ".join("✓" if cells[c] else "✗" for c in COLUMNS) + " |")
    return "\n".join(lines)


class Probe:
    """A live app with one key per role, a stored encounter, and one audited run of every task."""

    def __init__(self, tmp: Path) -> None:
        settings = Settings(data_dir=tmp, database_url=f"sqlite:///{tmp / 'm.db'}")
        self.engine = store.init_db(settings.resolved_database_url)
        self.keys = {r: store.create_api_key(self.engine, role=r, name=f"m-{r}") for r in ROLES}
        self.app = create_app(settings, engine=self.engine)
        self.client = TestClient(self.app, follow_redirects=False)
        ctx = context_from_payload(NOTE)
        store.save_context(self.engine, ctx)
        self.encounter_id = ctx.encounter.id if ctx.encounter else "none"
        self.runs: dict[str, str] = {}
        dialogue = dialogue_context(TRANSCRIPT)
        for t in list_tasks():
            if t.name == "rx.review":
                task_ctx = context_from_payload(_rx_context())
            else:
                task_ctx = dialogue if t.name.startswith("notes.") else ctx
            try:
                _, self.runs[t.name] = run_task(self.engine, t.name, task_ctx, actor="matrix")
            except InputError:  # a note type that needs more than a dialogue: any run of the task will do
                self.runs[t.name] = store.record_run(self.engine, task=t.name, task_version=t.version, input_obj={},
                                                     output_obj={"output": {"text": ""}}, actor="matrix", duration_ms=0)
        rx_run = store.get_run(self.engine, self.runs["rx.review"])
        self.alert = run_alerts(rx_run)[0].key
        worklist.sync(self.engine)  # the worklists' rows: a draft decides who may act on /doctor/items/{id}
        self.worklist_item = str(worklist.list_items(self.engine, "draft", limit=1)[0][0].id)

    def feedback_body(self, task: str) -> dict[str, Any]:
        decisions = task_roles(task).decisions
        if task == "rx.review":
            return {"decision": "accept", "item": self.alert}
        return {"decision": "reject" if "reject" in decisions else decisions[0]}

    def request(self, row: str, role: str) -> tuple[str, str, dict[str, Any]]:
        """(method, url, httpx kwargs) for one cell."""
        route, _, task = row.partition(" · ")
        method, path = route.split(" ", 1)
        headers = {} if role == "anonymous" else {"X-API-Key": self.keys[role]}
        kw: dict[str, Any] = {"headers": headers}
        ids = {
            "name": task or "qc.record",
            "run_id": self.runs.get(task) or self.runs["rx.review"],
            "encounter_id": self.encounter_id,
            "patient_id": "probe-id",
            "document_id": "probe-id",
            "service_id": "yizhu-rx-order-sign",
            "name:path": "style.css",
            "item_id": self.worklist_item,
        }
        if route.startswith(("GET /notes/drafts", "POST /notes/drafts", "GET /v1/notes/drafts", "POST /v1/notes/drafts")):
            ids["run_id"] = self.runs["notes.outpatient"]
        url = re.sub(r"\{([^}]+)\}", lambda m: ids.get(m.group(1), "probe-id"), path)
        if route == GENERIC_RUN:
            kw["json"] = {"context": json.loads(_rx_context())} if task == "rx.review" else {"note": NOTE}
        elif route == GENERIC_FEEDBACK:
            kw["json"] = self.feedback_body(task)
        elif route == "POST /v1/notes/draft":
            kw["json"] = {"type": "outpatient", "text": TRANSCRIPT, "use_llm": False}
        elif route == "POST /v1/notes/drafts/{run_id}/feedback":
            kw["json"] = {"decision": "reject"}
        elif route == "POST /v1/rx/reviews/{run_id}/decisions":
            kw["json"] = {"alert": self.alert, "decision": "accept"}
        elif route == "POST /v1/triage":
            kw["json"] = {"text": "咳嗽三天"}
        elif route == "POST /cds-services/{service_id}/feedback":
            kw["json"] = {"feedback": []}
        elif route == "POST /rx/review":
            kw["data"] = {"document": "{}"}
        elif route == "POST /rx/reviews/{run_id}/decide":
            kw["data"] = {"alert": self.alert, "decision": "accept"}
        elif route == "POST /notes/draft":
            kw["data"] = {"note_type": "outpatient", "transcript": TRANSCRIPT}
        elif route == "POST /notes/drafts/{run_id}/sign":
            kw["data"] = {"decision": "reject"}
        elif route == "POST /login":  # the browser's flow: the form's token, then the role's key
            token = re.search(r'name="csrf" value="([^"]*)"', self.client.get("/login").text)
            kw = {"data": {"key": self.keys.get(role, ""), "csrf": token.group(1) if token else ""}}
        elif route == "POST /logout":
            kw["data"] = {}
        elif method in ("POST", "PUT"):
            kw["json"] = {}  # invalid on purpose: an authorised role gets 422, a refused one 401/403
        return method, url, kw

    def allowed(self, row: str, role: str) -> bool:
        method, url, kw = self.request(row, role)
        r = self.client.request(method, url, **kw)
        self.client.cookies.clear()  # each cell on its own: no session carried from one to the next
        if r.status_code in (401, 403):
            return False
        if row == "POST /logout":  # signing out ends at /login; not being signed in goes to /login?next=
            return r.status_code == 303 and r.headers.get("location") == "/login"
        if row == "POST /login":
            return r.status_code == 303
        return not (r.status_code in (302, 303, 307) and r.headers.get("location", "").startswith("/login"))

    def observe(self) -> dict[str, dict[str, bool]]:
        return {row: {col: self.allowed(row, col) for col in COLUMNS} for row in matrix_rows(self.app)}


def _rx_context() -> str:
    from yizhu.clinical.rx.document import load_payload

    return json.dumps(load_payload(RX_DOC).model_dump(mode="json"), ensure_ascii=False)


@pytest.fixture(scope="module")
def probe(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Probe]:
    p = Probe(tmp_path_factory.mktemp("roles-matrix"))
    with p.client:
        yield p


def test_every_route_has_a_row_in_the_one_table(probe: Probe) -> None:
    table = read_table()
    rows = matrix_rows(probe.app)
    missing = [r for r in rows if r not in table]
    stale = [r for r in table if r not in rows]
    assert not missing, f"routes without a decision in docs/store.md: {missing}"
    assert not stale, f"rows in docs/store.md for routes that no longer exist: {stale}"


def test_every_route_and_role_behaves_as_the_table_says(probe: Probe) -> None:
    table = read_table()
    observed = probe.observe()
    wrong = [
        f"{row} × {col}: table says {'✓' if table[row][col] else '✗'}, got {'✓' if ok else '✗'}"
        for row, cells in observed.items() if row in table
        for col, ok in cells.items() if table[row][col] != ok
    ]
    assert not wrong, "\n".join(wrong)


def test_the_generic_doors_follow_each_task_declaration() -> None:
    table = read_table()
    for t in list_tasks():
        roles = task_roles(t)
        run = table[f"{GENERIC_RUN} · {t.name}"]
        decide = table[f"{GENERIC_FEEDBACK} · {t.name}"]
        for role in ROLES:
            assert run[role] == roles.may_run(role), (t.name, "run", role)
            assert decide[role] == roles.may_decide(role), (t.name, "decide", role)


def test_a_qc_officer_cannot_override_an_rx_alert_through_any_door(probe: Probe) -> None:
    """The incident that started this: qc_officer overrode warfarin + ibuprofen through generic feedback."""
    h = {"X-API-Key": probe.keys["qc_officer"]}
    run_id = probe.runs["rx.review"]
    body = {"decision": "override", "item": probe.alert, "reason": "合成理由"}
    assert probe.client.post(f"/v1/task-runs/{run_id}/feedback", json=body, headers=h).status_code == 403
    assert probe.client.post(f"/v1/rx/reviews/{run_id}/decisions", json={
        "alert": probe.alert, "decision": "override", "reason": "合成理由"}, headers=h).status_code == 403
    assert probe.client.post(f"/rx/reviews/{run_id}/decide", data={
        "alert": probe.alert, "decision": "override", "reason": "合成理由"}, headers=h).status_code == 403
    # and the decision is a typed field: free text claiming an override records nothing of the kind
    ph = {"X-API-Key": probe.keys["pharmacist"]}
    text_only = {"decision": "accept", "reason": f"override {probe.alert} | 合成"}
    assert probe.client.post(f"/v1/task-runs/{run_id}/feedback", json=text_only, headers=ph).status_code == 422
    typed = probe.client.post(f"/v1/task-runs/{run_id}/feedback", json=body, headers=ph)
    assert typed.status_code == 201 and typed.json()["decision"] == "override"
    got = probe.client.get(f"/v1/rx/reviews/{run_id}", headers=ph).json()
    assert next(a for a in got["alerts"] if a["key"] == probe.alert)["decision"]["decision"] == "override"


if __name__ == "__main__":  # print the observed table, to paste into docs/store.md after a deliberate change
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        p = Probe(Path(d))
        with p.client:
            sys.stdout.write(render_table(p.observe()) + "\n")
