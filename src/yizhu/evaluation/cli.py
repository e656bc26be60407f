"""``yizhu eval``: list suites, run one against models, re-report a run, gate a release on two runs.

Mounted by the main CLI (``app.add_typer(eval_app, name="eval")``). Exit codes: 0 ok, 1 a
regression (``compare``), 2 bad input or configuration, 3 the engine under test is not available
(nothing was measured).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from yizhu.errors import YizhuError

app = typer.Typer(
    help="Clinical validation: run evaluation suites against models, report, and gate releases.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console()
err_console = Console(stderr=True)

EXIT_REGRESSION = 1
EXIT_INPUT = 2
EXIT_UNAVAILABLE = 3


class OutFormat(StrEnum):
    """What every command that prints data offers (``--json`` is kept, hidden, for old scripts)."""

    json = "json"
    text = "text"


FormatOpt = Annotated[OutFormat, typer.Option("--format", help="json or text.")]
JsonAlias = Annotated[bool, typer.Option("--json", hidden=True, help="Same as --format json.")]


def _fail(message: str, code: int = EXIT_INPUT) -> NoReturn:
    err_console.print(f"[red]error:[/red] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


@contextmanager
def _errors() -> Iterator[None]:
    """Our errors as one line on stderr and exit code 2, as every yizhu command does."""
    try:
        yield
    except YizhuError as exc:
        _fail(str(exc))


def _settings() -> Any:
    from yizhu.config import load_settings

    return load_settings()


def _resolve_run(arg: str) -> Path:
    """A run directory, or a run id under ``<data_dir>/eval``."""
    from yizhu.evaluation.runner import eval_root, run_dir_for

    p = Path(arg)
    if p.is_dir():
        return p
    candidate = run_dir_for(eval_root(_settings()), arg)
    if candidate.is_dir():
        return candidate
    _fail(f"no run directory '{arg}' (neither a path nor a run id under {eval_root(_settings())})")


def _print_json(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2, default=str) + "\n")


def _summary_table(report: Any) -> Table:
    names: list[str] = []
    for m in report.models:
        for k in m.summary.metrics:
            if k not in names:
                names.append(k)
    table = Table("metric", *[m.model for m in report.models], title=f"{report.suite} · {report.run_id}")
    for n in names:
        mv = next((m.summary.metrics[n] for m in report.models if n in m.summary.metrics), None)
        arrow = "" if mv is None else ("↑" if mv.higher_is_better else "↓")
        table.add_row(f"{n} {arrow}", *[m.summary.metrics[n].fmt() if n in m.summary.metrics else "—"
                                        for m in report.models])
    table.add_row("cases ok/abstained/errors", *[f"{m.ok}/{m.abstained}/{m.errors}" for m in report.models])
    if any(m.degraded for m in report.models):
        table.add_row("degraded results", *[str(m.degraded) for m in report.models])
    return table


@app.command("list")
def list_cmd(fmt: FormatOpt = OutFormat.text, as_json: JsonAlias = False) -> None:
    """List the evaluation suites, what each tests and whether its engine is here.

    Example: yizhu eval list --format json
    """
    as_json = as_json or fmt is OutFormat.json
    from yizhu.evaluation.suites import list_suites

    with _errors():
        rows = [{"name": s.name, "title": s.title, "engine": s.engine, "uses_model": s.uses_model,
                 "formats": list(s.formats), "default_data": s.default_data or "generated", "unavailable": s.unavailable()}
                for s in list_suites()]
    if as_json:
        _print_json(rows)
        return
    table = Table("suite", "what it measures", "model", "status")
    for r in rows:
        status = "[green]ready[/green]" if r["unavailable"] is None else "[yellow]engine not available[/yellow]"
        table.add_row(r["name"], r["title"], "yes" if r["uses_model"] else "no", status)
    console.print(table)
    console.print("details (engine, data, layouts): yizhu eval list --format json", highlight=False)


def _progress_bar() -> tuple[Progress, Callable[[int, int], None]]:
    progress = Progress(
        TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        TextColumn("ETA"), TimeRemainingColumn(), console=err_console, disable=not err_console.is_terminal,
    )
    task = progress.add_task("evaluating", total=None)

    def update(done: int, total: int) -> None:
        progress.update(task, completed=done, total=total)

    return progress, update


@app.command("run")
def run_cmd(
    suite: Annotated[str, typer.Argument(help="Suite name (see `yizhu eval list`).")],
    data: Annotated[Path | None, typer.Option("--data", help="Dataset file (default: the shipped synthetic data).")] = None,
    fmt: Annotated[str | None, typer.Option("--format", help="json or text (what is printed; a dataset layout name is still read as --layout).")] = None,
    layout: Annotated[str | None, typer.Option("--layout", help="Force a dataset layout (mcq, cdn, cmeee, imcs-ner, imcs-mrg, healthbench, phi-spans, yizhu).")] = None,
    model: Annotated[list[str] | None, typer.Option("--model", help="Model from yizhu.toml, 'none' (no-LLM path), or an endpoint URL 'http://host:port/v1#MODEL_ID'. Repeat for several.")] = None,
    grader: Annotated[str | None, typer.Option("--grader", help="Grader model for rubric suites (default: [eval] grader in yizhu.toml).")] = None,
    out: Annotated[Path | None, typer.Option("--out", help="Run directory (default var/eval/<run-id>); an existing run there is resumed.")] = None,
    limit: Annotated[int | None, typer.Option("--limit", min=1, help="Only the first N cases.")] = None,
    seed: Annotated[int, typer.Option("--seed", help="Sampling and bootstrap seed.")] = 0,
    temperature: Annotated[float, typer.Option("--temperature", min=0.0, max=2.0, help="Sampling temperature.")] = 0.0,
    max_tokens: Annotated[int | None, typer.Option("--max-tokens", min=1, help="Reply length limit.")] = None,
    concurrency: Annotated[int | None, typer.Option("--concurrency", min=1, help="Cases at once per model (never above the model's max_concurrency).")] = None,
    docs: Annotated[Path | None, typer.Option("--docs", help="Also write the results section of this markdown file (docs/evaluation.md).")] = None,
    as_json: JsonAlias = False,
    local_endpoint: Annotated[bool, typer.Option("--local-endpoint", help="Declare URL endpoints on loopback (127.0.0.1, localhost) inside the hospital: no de-identification. Without it every URL endpoint is external.")] = False,
) -> None:
    """Run a suite on its data against one or more models; write run.json, results.jsonl, report.json/.html.

    Example: yizhu eval run qc
    Example: yizhu eval run exam --data cmexam_test.csv --model qwen-local --model none
    Example: yizhu eval run exam --model 'http://127.0.0.1:8000/v1#Qwen2.5-7B-Instruct'
    """
    from yizhu.evaluation.report import markdown, write_docs_section
    from yizhu.evaluation.runner import run_suite
    from yizhu.evaluation.suites import get_suite

    if fmt in (OutFormat.json, OutFormat.text):
        as_json = as_json or fmt == OutFormat.json
    elif fmt is not None:
        layout = layout or fmt  # the old meaning of --format
    with _errors():
        s = get_suite(suite)
        progress, update = _progress_bar()
        with progress:
            outcome = run_suite(s, data=data, format=layout, models=model or [], out=out, settings=_settings(),
                                grader=grader, temperature=temperature, seed=seed, max_tokens=max_tokens, limit=limit,
                                concurrency=concurrency, progress=update, local_endpoints=local_endpoint)
        report = outcome.report
        if docs is not None:
            cmd = "yizhu eval run " + suite + (f" --data {data}" if data else "") + "".join(
                f" --model {m}" for m in model or []) + (f" --seed {seed}" if seed else "")
            write_docs_section(docs, markdown(report, cmd), report.suite)
    if as_json:
        _print_json(report.model_dump(mode="json"))
    elif report.status == "engine_unavailable":
        err_console.print(f"[yellow]{suite}: {report.reason}[/yellow]", highlight=False, soft_wrap=True)
    else:
        console.print(_summary_table(report))
        for note in {n for m in report.models for n in m.summary.notes}:
            console.print(f"  {note}", highlight=False, soft_wrap=True)
    err_console.print(f"report: {outcome.run_dir / 'report.html'}", highlight=False, soft_wrap=True)
    if report.status == "engine_unavailable":
        raise typer.Exit(EXIT_UNAVAILABLE)


@app.command("report")
def report_cmd(
    run_dir: Annotated[str, typer.Argument(help="A run directory or run id.")],
    fmt: FormatOpt = OutFormat.text,
    as_json: JsonAlias = False,
) -> None:
    """Recompute report.json and report.html of a run from its results.

    Example: yizhu eval report var/eval/qc-20260301-101500-ab12
    """
    as_json = as_json or fmt is OutFormat.json
    from yizhu.evaluation.runner import resummarise

    path = _resolve_run(run_dir)
    with _errors():
        report = resummarise(path)
    if as_json:
        _print_json(report.model_dump(mode="json"))
    elif report.status == "engine_unavailable":
        err_console.print(f"[yellow]{report.suite}: {report.reason}[/yellow]", highlight=False, soft_wrap=True)
    else:
        console.print(_summary_table(report))
    err_console.print(f"report: {path / 'report.html'}", highlight=False, soft_wrap=True)


@app.command("compare")
def compare_cmd(
    run_a: Annotated[str, typer.Argument(help="Baseline run (directory or id).")],
    run_b: Annotated[str, typer.Argument(help="New run (directory or id).")],
    max_drop: Annotated[float, typer.Option("--max-drop", min=0.0, help="Largest allowed drop of a gated metric.")] = 0.02,
    metric: Annotated[list[str] | None, typer.Option("--metric", help="Gate only these metrics (default: every gated one).")] = None,
    fmt: FormatOpt = OutFormat.text,
    as_json: JsonAlias = False,
) -> None:
    """Compare run B with baseline A; exit 1 when a metric drops by more than --max-drop (a release gate).

    Example: yizhu eval compare var/eval/qc-old var/eval/qc-new --max-drop 0.02
    """
    as_json = as_json or fmt is OutFormat.json
    from yizhu.evaluation.report import compare
    from yizhu.evaluation.runner import read_report

    with _errors():
        comparison = compare(read_report(_resolve_run(run_a)), read_report(_resolve_run(run_b)), max_drop=max_drop,
                             metrics=metric)
    if as_json:
        _print_json({**comparison.model_dump(mode="json"), "ok": comparison.ok})
    else:
        table = Table("model", "metric", "A", "B", "drop", "", title=f"{comparison.suite}: {comparison.run_a} → {comparison.run_b}")
        for d in comparison.deltas:
            verdict = "[red]REGRESSION[/red]" if d.regression else "[green]ok[/green]"
            table.add_row(d.model, d.metric, f"{d.a:.4f}" if d.a is not None else "—",
                          f"{d.b:.4f}" if d.b is not None else "—", f"{d.drop:+.4f}" if d.drop is not None else "—", verdict)
        console.print(table)
        for p in comparison.problems:
            err_console.print(f"[red]{p}[/red]", highlight=False)
        console.print("[green]no metric dropped beyond the margin[/green]" if comparison.ok
                      else f"[red]gate failed: a metric dropped by more than {max_drop}[/red]")
    if not comparison.ok:
        raise typer.Exit(EXIT_REGRESSION)


@app.command("data")
def data_cmd(fmt: FormatOpt = OutFormat.text) -> None:
    """List the shipped synthetic example datasets and the layouts the loaders read.

    Example: yizhu eval data
    """
    from yizhu.evaluation.dataset import DATA_DIR, shipped_examples
    from yizhu.evaluation.loaders import LOADERS

    if fmt is OutFormat.json:
        _print_json({"layouts": [{"name": x.name, "description": x.description} for x in LOADERS.values()],
                     "examples": [str(p) for p in shipped_examples()]})
        return

    table = Table("layout", "what")
    for loader in LOADERS.values():
        table.add_row(loader.name, loader.description)
    console.print(table)
    console.print(f"shipped synthetic examples ({DATA_DIR}):")
    for p in shipped_examples():
        console.print(f"  {p.name}", highlight=False)


@app.command("docs")
def docs_cmd(
    out: Annotated[Path, typer.Option("--out", help="Markdown file whose results sections are rewritten.")] = Path("docs/evaluation.md"),
    seed: Annotated[int, typer.Option("--seed", help="Bootstrap seed.")] = 0,
) -> None:
    """Run every suite on its shipped data (no-LLM path for model suites) and write the results into the docs.

    Example: yizhu eval docs --out docs/evaluation.md
    """
    from yizhu.evaluation.report import markdown, write_docs_section
    from yizhu.evaluation.runner import run_suite
    from yizhu.evaluation.suites import NO_LLM, list_suites

    with _errors():
        settings = _settings()
        for s in list_suites():
            models = [NO_LLM] if s.uses_model else []
            outcome = run_suite(s, models=models, settings=settings, seed=seed)
            cmd = f"yizhu eval run {s.name}" + (" --model none" if s.uses_model else "")
            write_docs_section(out, markdown(outcome.report, cmd), s.name)
            state = outcome.report.status
            err_console.print(f"{s.name}: {state} → {outcome.run_dir}", highlight=False)
    console.print(f"wrote {out}")


if __name__ == "__main__":  # python -m yizhu.evaluation.cli (the main CLI mounts ``app`` as ``yizhu eval``)
    app()
