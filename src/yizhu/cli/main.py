"""The ``yizhu`` command: set-up, service, import, parsing, audit and keys.

Every command has ``--help`` with an example. Bad input prints one line on stderr and exits with
code 2; tracebacks only with ``yizhu --debug …``.
"""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from yizhu import __version__
from yizhu.cli.common import OutputFormat, console, err_console, fail, print_json, read_text
from yizhu.errors import AuditIntegrityError, NotFoundError, YizhuError

app = typer.Typer(
    name="yizhu",
    help="yizhu (医助): the hospital's own clinical AI copilot.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
doc_app = typer.Typer(help="Clinical documents: parse printed notes.", no_args_is_help=True)
audit_app = typer.Typer(help="The hash-chained audit log of every task run.", no_args_is_help=True)
keys_app = typer.Typer(help="API keys (stored hashed) with roles.", no_args_is_help=True)
task_app = typer.Typer(help="Clinical tasks: list and run.", no_args_is_help=True)
app.add_typer(doc_app, name="doc")
app.add_typer(audit_app, name="audit")
app.add_typer(keys_app, name="keys")
app.add_typer(task_app, name="task")

_state = {"debug": False}


@app.callback()
def _root(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")] = False,
    version: Annotated[bool, typer.Option("--version", help="Print the version and exit.")] = False,
) -> None:
    _state["debug"] = debug
    if version:
        console.print(f"yizhu {__version__}")
        raise typer.Exit(0)


def _engine(*, create: bool = True):
    """The database, found the same way from any directory (``cli.common.database``)."""
    from yizhu.cli.common import database

    return database(create=create)


# ── set-up and service ────────────────────────────────────────────────────────────────────


@app.command()
def init(
    demo: Annotated[bool, typer.Option("--demo", help="Also load the synthetic demo hospital.")] = False,
    seed: Annotated[int, typer.Option(help="Seed of the demo hospital (same seed, same hospital).")] = 20261123,
) -> None:
    """Create the database (or upgrade it) and optionally load the demo hospital.

    Example: yizhu init --demo
    """
    from yizhu.api.services import ensure_demo_key, load_demo
    from yizhu.config import get_settings

    settings = get_settings()
    engine = _engine()
    console.print(f"database ready: {settings.locate_database()[0]}")
    if demo:
        n = load_demo(engine, seed=seed)
        console.print(f"demo hospital: {n} encounters (合成数据 / synthetic)")
        from yizhu.demo.seed import seed_activity

        seeded = seed_activity(engine, settings)
        console.print(f"demo activity (合成 / synthetic): {seeded.drafts} drafts, "
                      f"{seeded.alert_decisions} alert decisions, evaluation run {seeded.eval_run or '-'}")
        key = ensure_demo_key(engine, settings)
        console.print(f"demo API key (admin): {key}", soft_wrap=True)


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Address to bind (default from settings: 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default 8000).")] = None,
    demo: Annotated[bool, typer.Option("--demo", help="Initialise the demo hospital first if absent.")] = False,
) -> None:
    """Start the HTTP service (API, CDS Hooks and pages).

    Example: yizhu serve --port 8000
    """
    import uvicorn

    import yizhu.store as repo
    from yizhu.api.app import create_app
    from yizhu.api.services import ensure_demo_key, load_demo
    from yizhu.config import get_settings

    settings = get_settings()
    settings.check_production()
    engine = _engine()
    key = None
    if demo:
        if repo.count_patients(engine) == 0:
            console.print("loading the demo hospital (合成数据 / synthetic)…")
            load_demo(engine)
        from yizhu.demo.seed import seed_activity

        seeded = seed_activity(engine, settings)  # drafts, decisions, an evaluation run; idempotent
        if seeded.drafts or seeded.alert_decisions or seeded.eval_run:
            console.print(f"demo activity (合成 / synthetic): {seeded.drafts} drafts, "
                          f"{seeded.alert_decisions} alert decisions, evaluation run {seeded.eval_run or '-'}")
        for note in seeded.notes:
            console.print(note)
        key = ensure_demo_key(engine, settings)
    h, p = host or settings.host, port or settings.port
    console.print(f"yizhu is serving at [bold]http://{h}:{p}/[/bold]  (API docs: http://{h}:{p}/docs)", soft_wrap=True)
    if key:
        console.print(f"demo API key (admin): [bold]{key}[/bold]", soft_wrap=True)
        console.print(f"  sign in at http://{h}:{p}/login, or: curl -H 'X-API-Key: {key}' http://{h}:{p}/v1/patients", soft_wrap=True)
    uvicorn.run(create_app(settings, engine=engine), host=h, port=p, log_level="info")


@app.command("import")
def import_(
    file: Annotated[str, typer.Argument(help="A FHIR R4 Bundle (.json) or a note as text (.txt); - for stdin.")],
    fmt: Annotated[OutputFormat, typer.Option("--format", help="json or text.")] = OutputFormat.text,
) -> None:
    """Import a FHIR Bundle or a printed note into the store, and check its structure.

    Example: yizhu import admission.json
    """
    from yizhu.api.services import import_payload

    text = read_text(file)
    summary = import_payload(_engine(), text, actor="cli")
    if fmt is OutputFormat.json:
        print_json(summary)
        return
    console.print(
        f"imported {summary['encounters']} encounter(s), {summary['documents']} document(s) "
        f"for patient(s) {', '.join(summary['patients'])}"
    )
    for f in summary["findings"]:
        console.print(f"  [yellow]{f}[/yellow]")


# ── documents ────────────────────────────────────────────────────────────────────────────


@doc_app.command("parse")
def doc_parse(
    file: Annotated[str, typer.Argument(help="A note as UTF-8 text; - for stdin.")],
    fmt: Annotated[OutputFormat, typer.Option("--format", help="json or text.")] = OutputFormat.text,
) -> None:
    """Parse a printed Chinese note into type, header fields and sections with offsets.

    Example: yizhu doc parse note.txt --format json
    """
    from yizhu.core.parsing import parse_document

    text = read_text(file)
    doc = parse_document(text)
    if fmt is OutputFormat.json:
        print_json(
            {
                "doc_type": doc.doc_type,
                "header": doc.header,
                "sections": [{"name": s.name, "start": s.start, "end": s.end, "text": s.text} for s in doc.sections],
            }
        )
        return
    from rich.table import Table

    console.print(f"[bold]{doc.doc_type}[/bold]" + (f"  ({doc.title})" if doc.title else ""))
    for k, v in doc.header.items():
        console.print(f"  {k}：{v}", highlight=False)
    table = Table("section", "heading", "span", "text")
    for s in doc.sections:
        name = s.name if s.known else f"{s.name} (未识别)"
        table.add_row(name, s.heading, f"{s.start}-{s.end}", s.text[:60].replace("\n", " "))
    console.print(table)


# ── tasks ────────────────────────────────────────────────────────────────────────────────


@task_app.command("list")
def task_list(
    fmt: Annotated[OutputFormat, typer.Option("--format", help="json or text.")] = OutputFormat.text,
) -> None:
    """List registered tasks.

    Example: yizhu task list
    """
    from yizhu.clinical.registry import list_tasks

    if fmt is OutputFormat.json:
        print_json([{"name": t.name, "version": t.version, "description": (type(t).__doc__ or "").strip().splitlines()[0]}
                    for t in list_tasks()])
        return
    for t in list_tasks():
        console.print(f"{t.name}  v{t.version}  {(type(t).__doc__ or '').strip().splitlines()[0]}")


@task_app.command("run")
def task_run(
    name: Annotated[str, typer.Argument(help="Task name, e.g. document.structure.")],
    file: Annotated[str, typer.Argument(help="A note (.txt) or FHIR Bundle (.json); - for stdin.")],
    fmt: Annotated[OutputFormat, typer.Option("--format", help="json or text.")] = OutputFormat.text,
) -> None:
    """Run a task on a note or bundle, record it in the audit log and print the result.

    Example: yizhu task run document.structure note.txt --format json
    """
    from yizhu.api.services import context_from_payload, run_task

    ctx = context_from_payload(read_text(file))
    result, run_id = run_task(_engine(), name, ctx, actor="cli")
    if fmt is OutputFormat.json:
        print_json({"run_id": run_id, **result.model_dump(mode="json")})
        return
    console.print(f"{result.task} v{result.task_version}  (audit run {run_id})")
    if not result.findings:
        console.print("[green]no findings[/green]")
    for f in result.findings:
        console.print(f"  [{f.severity}] {f.message}  — {f.rule_id}; {f.source}", highlight=False)


# ── audit ────────────────────────────────────────────────────────────────────────────────


@audit_app.command("verify")
def audit_verify(
    fmt: Annotated[OutputFormat, typer.Option("--format", help="json or text.")] = OutputFormat.text,
    against: Annotated[str | None, typer.Option("--against", help="Anchor file (JSON lines from `yizhu audit anchor`).")] = None,
) -> None:
    """Verify the audit hash chain; exit 1 if any row was edited, deleted or reordered.

    With --against, also check every anchored head is still in the chain with its hash: catches a tail
    cut with the head moved back, a full wipe, and a re-sealed chain.

    Example: yizhu audit verify --against /mnt/worm/yizhu-anchors.jsonl
    """
    from yizhu.store.anchor import current_head, read_anchors, verify_against
    from yizhu.store.audit import verify_chain

    engine = _engine(create=False)
    anchors = read_anchors(against) if against else None
    report = verify_against(engine, anchors) if anchors is not None else verify_chain(engine)
    if fmt is OutputFormat.json:
        head = current_head(engine)
        print_json({"ok": report.ok, "rows": report.rows, "problems": list(report.problems),
                    "anchors_matched": len(anchors) if anchors is not None and report.ok else None,
                    "head": head.model_dump(mode="json")})
        if not report.ok:
            raise typer.Exit(1)
        return
    if report.ok:
        head = current_head(engine)
        extra = f", {len(anchors)} anchor(s) matched" if anchors is not None else ""
        console.print(f"[green]audit log intact[/green]: {report.rows} rows verified{extra}")
        console.print(f"head: seq {head.seq} hash {head.hash}", highlight=False)
        return
    for p in report.problems:
        err_console.print(f"[red]{p}[/red]", highlight=False)
    raise AuditIntegrityError(f"audit log FAILED verification: {len(report.problems)} problem(s) in {report.rows} rows")


@audit_app.command("head")
def audit_head_cmd(fmt: Annotated[OutputFormat, typer.Option("--format", help="text or json")] = OutputFormat.text) -> None:
    """Print the head of the audit chain (seq and hash of the newest row) and the row count.

    Example: yizhu audit head --format json
    """
    from yizhu.store.anchor import current_head

    head = current_head(_engine(create=False))
    if fmt == OutputFormat.json:
        print_json(head.model_dump(mode="json"))
    else:
        console.print(f"seq {head.seq}  rows {head.rows}  hash {head.hash}", highlight=False)


@audit_app.command("anchor")
def audit_anchor(
    to: Annotated[str, typer.Option("--to", help="File to append to, or an http(s) URL to POST the anchor to.")],
    every: Annotated[float, typer.Option("--every", help="Repeat every N seconds (0: once).", min=0)] = 0,
    fmt: Annotated[OutputFormat, typer.Option("--format", help="text or json (one anchor object per line)")] = (
        OutputFormat.text
    ),
) -> None:
    """Copy the head of the audit chain outside the database, where `audit verify --against` can check it.

    Run it on a schedule (cron, a systemd timer, or --every) to a place the database administrator cannot
    rewrite. Example: yizhu audit anchor --to /mnt/worm/yizhu-anchors.jsonl --every 3600
    """
    import time

    from yizhu.store.anchor import current_head, write_anchor

    engine = _engine(create=False)  # anchoring an empty new database would anchor nothing
    while True:
        head = current_head(engine)
        where = write_anchor(head, to)
        if fmt == OutputFormat.json:
            sys.stdout.write(json.dumps({**head.model_dump(mode="json"), "written": where}, ensure_ascii=False) + "\n")
            sys.stdout.flush()
        else:
            console.print(f"anchor seq {head.seq} hash {head.hash} {where}", highlight=False)
        if not every:
            return
        time.sleep(every)


# ── keys ─────────────────────────────────────────────────────────────────────────────────

ROLES = ("admin", "clinician", "pharmacist", "qc_officer", "patient_app")


@keys_app.command("create")
def keys_create(
    role: Annotated[str, typer.Option("--role", help=f"One of: {', '.join(ROLES)}.")],
    name: Annotated[str, typer.Option("--name", help="Who or what uses the key.")] = "",
    fmt: Annotated[OutputFormat, typer.Option("--format", help="json or text (the key alone).")] = OutputFormat.text,
) -> None:
    """Create an API key; it is shown once and stored only as a hash.

    Example: yizhu keys create --role clinician --name "EMR 心内科"
    """
    import yizhu.store as repo

    if role not in ROLES:
        fail(f"unknown role '{role}'; use one of: {', '.join(ROLES)}")
    key = repo.create_api_key(_engine(), role=role, name=name or role)
    if fmt is OutputFormat.json:
        print_json({"key": key, "role": role, "name": name or role})
        return
    console.print(f"{key}")
    err_console.print(f"created {role} key '{name or role}'; store it now, it is not shown again.")


def _mount_optional() -> None:
    """Mount sub-commands that live in their own modules."""
    from yizhu.cli.qc import qc

    app.command("qc")(qc)
    from yizhu.cli.note import app as note_app
    from yizhu.cli.rx import app as rx_app
    from yizhu.evaluation.cli import app as eval_app
    from yizhu.llm.cli import app as models_app
    from yizhu.privacy.cli import deid

    app.add_typer(models_app, name="models")
    app.add_typer(note_app, name="note")
    app.add_typer(rx_app, name="rx")
    app.add_typer(eval_app, name="eval")
    from yizhu.jobs.cli import app as jobs_app

    app.add_typer(jobs_app, name="jobs")
    app.command("deid")(deid)
    from yizhu.knowledge.cli_terms import code_cmd, extract_cmd

    app.command("code")(code_cmd)
    app.command("extract")(extract_cmd)
    from yizhu.learn.cli import train_cmd

    app.command("train")(train_cmd)
    from yizhu.cli.triage import triage_cmd

    app.command("triage")(triage_cmd)
    try:
        from yizhu.knowledge.cli import app as kb_app
    except ImportError:  # pragma: no cover - packages are all in one distribution
        return
    app.add_typer(kb_app, name="kb")


_mount_optional()


def main() -> None:
    """Entry point: run the app, mapping our errors to one line and an exit code."""
    try:
        rv = app(standalone_mode=False)
        if isinstance(rv, int):
            sys.exit(rv)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        err_console.print("aborted")
        sys.exit(130)
    except YizhuError as exc:
        if _state["debug"]:
            raise
        code = 1 if isinstance(exc, AuditIntegrityError) else 2
        from yizhu.cli.common import where

        detail = where() if isinstance(exc, NotFoundError) and "looked in database" not in str(exc) else ""
        err_console.print(f"[red]error:[/red] {exc}{detail}", highlight=False, soft_wrap=True)
        sys.exit(code)
    except Exception as exc:  # usage errors (typer's vendored click) and the unexpected
        if hasattr(exc, "show") and isinstance(getattr(exc, "exit_code", None), int):
            exc.show()
            sys.exit(exc.exit_code)
        if _state["debug"]:
            raise
        err_console.print(f"[red]error:[/red] {type(exc).__name__}: {exc} (run with --debug for details)")
        sys.exit(1)


if __name__ == "__main__":
    main()
