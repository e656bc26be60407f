"""``yizhu qc``: medical-record QC of a note, a FHIR Bundle, a directory, or the store."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from yizhu.cli.common import console, err_console, fail, print_json


class QCFormat(StrEnum):
    json = "json"
    text = "text"
    html = "html"


def _json_loader(text: str) -> list[Any]:
    from yizhu.api.services import contexts_from_payload

    return contexts_from_payload(text)


def _install_gateway() -> None:
    """Model calls from the CLI are audited like the service's."""
    from yizhu.api.services import make_gateway
    from yizhu.cli.common import database
    from yizhu.config import get_settings

    make_gateway(database(create=True), get_settings(), install=True)


def _print_rules(fmt: QCFormat) -> None:
    from yizhu.clinical.qc import default_rules

    rs = default_rules()
    if fmt is QCFormat.json:
        print_json({"version": rs.version, "rules": [r.model_dump() for r in rs.rules],
                    "vetoes": [v.model_dump() for v in rs.vetoes]})
        return
    if fmt is QCFormat.html:
        fail("qc rules list prints json or text; use --format json or --format text")
    table = Table("rule id", "category", "severity", "points", "message", "source", title=f"QC rules v{rs.version}")
    for r in rs.rules:
        table.add_row(r.id, r.category, r.severity, f"{r.points:g}", r.message.split("（")[0][:40], r.source)
    console.print(table)
    vetoes = Table("veto id", "caps grade at", "rules", "reason", "source", title="单项否决 (veto)")
    for v in rs.vetoes:
        vetoes.add_row(v.id, v.cap, ", ".join(v.rules), v.reason, v.source)
    console.print(vetoes)


def _text_report(rows: list[dict[str, Any]]) -> None:
    for r in rows:
        colour = {"甲": "green", "乙": "yellow", "丙": "red"}.get(r["grade"], "white")
        score = "—" if r["score"] is None else r["score"]
        console.print(
            f"[bold]{r['document']}[/bold]  {r['doc_type']}  score [{colour}]{score} {r['grade']}[/{colour}]"
            f"  ({r.get('mode', 'encounter')} mode)", highlight=False,
        )
        for v in r.get("vetoes", []):
            console.print(f"  [red]单项否决 → {v['cap']}[/red]: {v['reason']}  ({v['id']}; {v['source'][:40]})", highlight=False)
        for f in r["findings"]:
            where = f" [{f['section']}]" if f.get("section") else ""
            console.print(f"  -{f['points']:g} {f['severity']:<8} {f['message']}{where}  ({f['rule_id']})", highlight=False)
        skipped = r.get("skipped_rules", [])
        if skipped:
            console.print(
                f"  [dim]skipped {len(skipped)} encounter rule(s) (document checked alone): "
                + ", ".join(x["rule_id"] for x in skipped) + "[/dim]", highlight=False,
            )


def qc(
    path: Annotated[str, typer.Argument(help="A note (.txt), a FHIR Bundle (.json), a directory, or 'rules'.")],
    action: Annotated[str | None, typer.Argument(help="With 'rules': 'list'.", show_default=False)] = None,
    fmt: Annotated[QCFormat, typer.Option("--format", help="json, text or html.")] = QCFormat.text,
    out: Annotated[Path | None, typer.Option("--out", help="Directory for results.jsonl, report.html and results.csv (batch; resumable).")] = None,
    store: Annotated[bool, typer.Option("--store", help="Check every discharged encounter in the store instead of PATH (use PATH '-').")] = False,
    llm: Annotated[bool, typer.Option("--llm", help="Add the model's semantic checks (route 'qc.semantic' in yizhu.toml).")] = False,
) -> None:
    """Check medical records against the QC rules: score (百分制), grade (甲/乙/丙) and findings.

    Example: yizhu qc admission.txt --format json
    Example: yizhu qc notes/ --out qc-report/     (a sub-directory per admission; rerun to resume)
    Example: yizhu qc rules list
    """
    from yizhu.clinical.qc import evaluate
    from yizhu.clinical.qc.batch import discover, record_json, render_html, run_batch, statistics, write_csv

    if path == "rules" and not Path(path).exists():
        if action not in (None, "list"):
            fail(f"unknown action '{action}'; use: yizhu qc rules list")
        _print_rules(fmt)
        return
    if action is not None:
        fail(f"unexpected argument '{action}'")
    errors: list[dict[str, str]] = []
    if llm:
        _install_gateway()
    if store:
        import yizhu.store as st
        from yizhu.cli.common import database

        engine = database(create=False)
        rows = []
        offset = 0
        while page := st.list_encounters(engine, limit=1000, offset=offset):  # the store pages by ≤ 1000
            offset += len(page)
            for enc in page:
                if enc.discharged_at is None:
                    continue
                ctx = st.load_context(engine, enc.id)
                rows.append(record_json(enc.id, evaluate(ctx, with_llm=llm, mode="encounter"), ctx))
        single = False
    else:
        p = Path(path)
        sources = discover(p)  # raises InputError (exit 2) for a missing path
        single = p.is_file()
        if single:
            rows, errors = run_batch(p, json_loader=_json_loader, with_llm=llm)
            if errors:
                fail(errors[0]["error"])
        else:
            with Progress(
                TextColumn("[progress.description]{task.description}"), BarColumn(), MofNCompleteColumn(),
                TimeRemainingColumn(), console=err_console, transient=True, disable=not sys.stderr.isatty(),
            ) as progress:
                task = progress.add_task("质控中", total=len(sources))
                rows, errors = run_batch(
                    p, out, json_loader=_json_loader, with_llm=llm,
                    on_progress=lambda i, n, name: progress.update(task, completed=i, description=f"质控 {name}"),
                )
            for e in errors:
                err_console.print(f"[yellow]skipped[/yellow] {e['record']}: {e['error']}", highlight=False)
    for r in rows:
        r.pop("_key", None)
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        (out / "report.html").write_text(render_html(rows, errors), encoding="utf-8")
        write_csv(rows, out / "results.csv")
        (out / "summary.json").write_text(json.dumps(statistics(rows), ensure_ascii=False, indent=2), encoding="utf-8")
        err_console.print(f"wrote {out / 'report.html'}, {out / 'results.csv'}, {out / 'summary.json'}")
    if fmt is QCFormat.json:
        print_json(rows[0] if single and rows else rows)
    elif fmt is QCFormat.html:
        sys.stdout.write(render_html(rows, errors))
    else:
        _text_report(rows)
        if not single:
            st_ = statistics(rows)
            rate = "—" if st_["grade_a_rate"] is None else f"{st_['grade_a_rate'] * 100:.1f}%"
            console.print(
                f"\n{st_['records']} records, mean score {st_['mean_score']}, 甲级率 {rate}, 甲/乙/丙/未评级 "
                f"{st_['grades']['甲']}/{st_['grades']['乙']}/{st_['grades']['丙']}/{st_['grades']['未评级']}, "
                f"单项否决 {st_['vetoed']}, {len(errors)} skipped", highlight=False,
            )
