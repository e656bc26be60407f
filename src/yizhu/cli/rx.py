"""``yizhu rx``: prescription review (智能审方) of an order document or FHIR Bundle, and its rules and schema."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from yizhu.cli.common import OutputFormat, console, fail, print_json, read_text
from yizhu.errors import YizhuError

app = typer.Typer(
    help="Prescription review (智能审方): interactions, dose, allergy, special populations and more.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

SEVERITY_COLOUR = {"contraindicated": "red", "major": "red", "moderate": "yellow", "minor": "cyan"}
SEVERITY_CN = {"contraindicated": "禁忌", "major": "严重", "moderate": "中等", "minor": "提示"}


class FailOn(StrEnum):
    """The severity at or above which ``review`` exits with code 1 (for scripts and batch checks)."""

    never = "never"
    contraindicated = "contraindicated"
    major = "major"
    moderate = "moderate"
    minor = "minor"


def _review_one(text: str, *, audit: bool, kb: Any = None) -> dict[str, Any]:
    from yizhu.clinical.rx import load_payload, review

    ctx = load_payload(text)
    if not audit:
        return review(ctx, kb=kb).as_json()
    from yizhu.cli.common import database
    from yizhu.clinical.rx.api import review_context

    result, run_id = review_context(database(create=True), ctx, actor="cli")
    return {"run_id": run_id, **result.output}


def _print_text(name: str | None, out: dict[str, Any]) -> None:
    head = f"[bold]{name}[/bold]  " if name else ""
    s = out["summary"]
    console.print(f"{head}{s['alerts']} alert(s); most severe: {s['max_severity'] or '—'}"
                  + (f"  (audit run {out['run_id']})" if out.get("run_id") else ""), highlight=False)
    for o in out["orders"]:
        if not o["resolved"]:
            console.print(f"  [red]未识别[/red] {o['drug']}", highlight=False)
    for a in out["alerts"]:
        colour = SEVERITY_COLOUR[a["severity"]]
        console.print(f"  [{colour}]{SEVERITY_CN[a['severity']]:<2}[/{colour}] [{a['type']}] {a['message']}", highlight=False)
        if a.get("recommendation"):
            console.print(f"       建议：{a['recommendation']}", highlight=False)
        console.print(f"       [dim]{a['rule_id']} · {a['source']}[/dim]", highlight=False)
    if not out["alerts"]:
        console.print("  [green]未发现问题[/green]")


_RANK = {"contraindicated": 0, "major": 1, "moderate": 2, "minor": 3}


@app.command("review")
def review_cmd(
    file: Annotated[str, typer.Argument(help="Order document or FHIR Bundle (.json), a .jsonl of them (one per line), a directory, or - for stdin.")],
    fmt: Annotated[OutputFormat, typer.Option("--format", help="json or text.")] = OutputFormat.text,
    audit: Annotated[bool, typer.Option("--audit", help="Record the review in the audit log (uses the database).")] = False,
    fail_on: Annotated[FailOn, typer.Option("--fail-on", help="Exit 1 when an alert is at least this severe.")] = FailOn.never,
    packs: Annotated[Path | None, typer.Option("--packs", help="Review against the packs in this folder instead.")] = None,
) -> None:
    """Review a prescription and print the alerts (rule, drugs, message, recommendation, source).

    Example: yizhu rx review order.json --format json
    """
    try:
        kb = None
        if packs is not None:
            if audit:
                fail("--packs and --audit do not combine: audited reviews use the service's packs")
            from yizhu.knowledge.packs import KnowledgeBase

            if not packs.is_dir():
                fail(f"{packs}: not a folder of knowledge packs")
            kb = KnowledgeBase.load([packs])
        path = Path(file)
        many = file != "-" and (path.is_dir() or path.suffix.lower() == ".jsonl")
        if file != "-" and path.suffix.lower() == ".jsonl":
            lines = [ln for ln in read_text(file).splitlines() if ln.strip()]
            results = [(f"{path.name}:{i}", _review_one(ln, audit=audit, kb=kb)) for i, ln in enumerate(lines, 1)]
        elif file != "-" and path.is_dir():
            files = sorted(p for p in path.iterdir() if p.suffix.lower() == ".json" and p.is_file())
            if not files:
                fail(f"{file}: no .json files to review")
            results = [(p.name, _review_one(read_text(str(p)), audit=audit, kb=kb)) for p in files]
        else:
            results = [(None if file == "-" else path.name, _review_one(read_text(file), audit=audit, kb=kb))]
    except YizhuError as exc:
        fail(str(exc))
    if fmt is OutputFormat.json:
        if not many:
            print_json(results[0][1])
        else:
            print_json([{"file": name, **out} for name, out in results])
    else:
        for name, out in results:
            _print_text(name, out)
    if fail_on is not FailOn.never:
        worst = min((_RANK[a["severity"]] for _, out in results for a in out["alerts"]), default=9)
        if worst <= _RANK[fail_on.value]:
            raise typer.Exit(1)


@app.command("rules")
def rules_cmd(
    fmt: Annotated[OutputFormat, typer.Option("--format", help="json or text.")] = OutputFormat.text,
) -> None:
    """List the review rules with type, default severity and source.

    Example: yizhu rx rules
    """
    from yizhu.clinical.rx import default_rules

    rs = default_rules()
    if fmt is OutputFormat.json:
        print_json({"version": rs.version, "rules": [r.model_dump() for r in rs.rules]})
        return
    table = Table("rule id", "type", "severity", "source", title=f"rx rules v{rs.version}")
    for r in rs.rules:
        table.add_row(r.id, r.type, r.severity, r.source[:60])
    console.print(table)


@app.command("schema")
def schema_cmd() -> None:
    """Print the JSON Schema of the order document (the same as GET /v1/rx/schema).

    Example: yizhu rx schema > order.schema.json
    """
    from yizhu.clinical.rx import order_document_schema

    print_json(order_document_schema())

