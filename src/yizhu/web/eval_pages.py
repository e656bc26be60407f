"""Evaluation results pages: the runs, one run's report inside the site frame, and the full report file.

Same sign-in, roles and error pages as the clinician pages (``yizhu.web.pages``): any reader role may
look. The report's own component styles and inline SVG plots are embedded, so these pages allow inline
styles (still no script). ``/eval/runs/{id}/report.html`` serves the standalone report a user can save.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup

from yizhu.api.deps import SettingsDep
from yizhu.errors import NotFoundError
from yizhu.evaluation.records import RunSettings
from yizhu.evaluation.report import COMPONENT_CSS, badges, report_body
from yizhu.evaluation.runner import eval_root, list_runs, read_report, read_settings, run_dir_for
from yizhu.web.pages import PageRoute, PageUser, templates

router = APIRouter(route_class=PageRoute, include_in_schema=False)

STATUS = {"running": "运行中", "done": "已完成", "failed": "失败", "engine_unavailable": "引擎未就绪（未评测）"}
#: The site's policy, plus inline styles for the report's shaded tables; still no script at all.
CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'none'; "
       "frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
RUNS_SHOWN = 200


def _headline(rs: RunSettings, run_dir: Path) -> str:
    """The first headline metric of the first model, for the list (empty when there is no report)."""
    try:
        report = read_report(run_dir)
    except NotFoundError:
        return ""
    if not report.models:
        return ""
    from yizhu.evaluation.suites import get_suite

    try:
        names = get_suite(report.suite).headline
    except Exception:  # a run of a suite no longer installed still lists
        names = ()
    m = report.models[0]
    for n in (*names, *m.summary.metrics):
        if n in m.summary.metrics and m.summary.metrics[n].value is not None:
            return f"{m.model}: {n} {m.summary.metrics[n].fmt()}"
    return ""


def _page(request: Request, name: str, user: object, **context: object) -> HTMLResponse:
    response = templates.TemplateResponse(request, name, {"user": user, "STATUS": STATUS, **context})
    response.headers["Content-Security-Policy"] = CSP
    return response


@router.get("/eval")
def eval_runs_page(request: Request, settings: SettingsDep, user: PageUser) -> HTMLResponse:
    """评测结果: every evaluation run, newest first."""
    root = eval_root(settings)
    rows = []
    for rs in list_runs(root)[:RUNS_SHOWN]:
        rows.append({"run_id": rs.run_id, "suite": rs.suite, "models": [m.name for m in rs.models],
                     "dataset": rs.dataset.get("name"), "synthetic": rs.dataset.get("synthetic"),
                     "status": rs.status, "started_at": rs.started_at, "headline": _headline(rs, root / rs.run_id)})
    return _page(request, "eval/runs.html", user, runs=rows)


@router.get("/eval/runs/{run_id}")
def eval_run_page(run_id: str, request: Request, settings: SettingsDep, user: PageUser) -> HTMLResponse:
    """One run: per-model comparison, breakdowns, confusion matrices and calibration, with its settings."""
    run_dir = run_dir_for(eval_root(settings), run_id)
    rs = read_settings(run_dir)
    from yizhu.evaluation.api import run_status

    live = run_status(run_id, rs.status)
    try:
        report = read_report(run_dir)
    except NotFoundError:
        return _page(request, "eval/pending.html", user, run_id=run_id, suite=rs.suite, status=live["status"],
                     progress=live.get("progress"), reason=rs.reason)
    return _page(request, "eval/run.html", user, report=report, status=live["status"], progress=live.get("progress"),
                 body=Markup(report_body(report)), badges=Markup(badges(report)), component_css=Markup(COMPONENT_CSS))


@router.get("/eval/runs/{run_id}/report.html")
def eval_report_file(run_id: str, settings: SettingsDep, user: PageUser) -> Response:
    """The standalone report of a run, as written to its directory."""
    path = run_dir_for(eval_root(settings), run_id) / "report.html"
    if not path.is_file():
        raise NotFoundError(f"run {run_id} has no report yet")
    return HTMLResponse(path.read_text(encoding="utf-8"), headers={"Content-Security-Policy": CSP})
