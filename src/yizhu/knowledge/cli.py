"""``yizhu kb …`` commands: inspect the knowledge packs (the lead mounts ``app`` as ``yizhu kb``)."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from yizhu.knowledge.packs import BUILTIN_PACKS_DIR, KnowledgeBase, StatsRow

app = typer.Typer(help="Knowledge packs: counts, sources and lookups.", no_args_is_help=True)


class OutFormat(StrEnum):
    json = "json"
    text = "text"


def stats_table(rows: list[StatsRow]) -> Table:
    """Render stats rows as a Rich table (kept separate so tests and the API can reuse it)."""
    table = Table(title="yizhu knowledge packs")
    for col in ("kind", "version", "items", "synonyms", "no source", "collisions", "dangling refs", "files"):
        table.add_column(col, justify="right" if col in ("items", "synonyms", "collisions") else "left")
    for r in rows:
        table.add_row(
            r.kind,
            r.version,
            str(r.items),
            str(r.synonyms),
            ", ".join(r.missing_source[:5]) + (" …" if len(r.missing_source) > 5 else "") or "0",
            str(r.collisions),
            str(len(r.dangling_refs)),
            ", ".join(r.files) or "(none)",
        )
    return table


@app.command()
def stats(
    packs_dir: list[Path] | None = typer.Option(
        None, "--dir", help="extra folder of pack files (repeatable); default: the built-in packs only"
    ),
    fmt: OutFormat = typer.Option(OutFormat.text, "--format", help="json or text."),
    as_json: bool = typer.Option(False, "--json", hidden=True, help="Same as --format json."),
) -> None:
    """Counts per pack, items lacking a source, synonym collisions and dangling department references.

    Example: yizhu kb stats --format json
    """
    dirs = [BUILTIN_PACKS_DIR, *packs_dir] if packs_dir else None
    rows = KnowledgeBase.load(dirs).stats()
    if as_json or fmt is OutFormat.json:
        typer.echo(json.dumps([r.__dict__ for r in rows], ensure_ascii=False, indent=2))
        return
    Console().print(stats_table(rows))
    from yizhu.learn.store import describe_active

    typer.echo(f"diagnosis coding (yizhu code --decide): {describe_active('normaliser')}")
    typer.echo(f"entity extraction (yizhu extract): {describe_active('extractor')}")


@app.command()
def lookup(
    term: str = typer.Argument(..., help="a name, synonym, abbreviation, ICD-10 code or item id"),
    kind: str | None = typer.Option(None, help="diagnosis, symptom, lab, department, drug, interaction, guideline"),
    fmt: OutFormat = typer.Option(OutFormat.json, "--format", help="json (one item per line) or text."),
) -> None:
    """Show the items a term names (头疼, 冠心病, HGB, 心内科, E11.9 …).

    Example: yizhu kb lookup 冠心病 --format text
    """
    from yizhu.knowledge.packs import get_kb

    kb = get_kb()
    if kind:
        kb.pack(kind)  # type: ignore[arg-type]  # unknown kinds fail with the list of known ones
    hits = []
    if ":" in term:
        hits = [kb.get(term)]
    else:
        dx = kb.diagnosis_by_code(term)
        hits = [dx] if dx else kb.find(term, kind)  # type: ignore[arg-type]
    if not hits:
        typer.echo(f"no item named '{term}'", err=True)
        raise typer.Exit(1)
    for item in hits:
        if fmt is OutFormat.text:
            code = getattr(item, "code", None)
            typer.echo(f"{item.id}  {item.name}" + (f"  {code}" if code else "") + f"  — {item.source}")
        else:
            typer.echo(json.dumps(item.model_dump(exclude_none=True), ensure_ascii=False))


@app.command()
def build(
    check: bool = typer.Option(False, "--check", help="write nothing; exit 1 when a compiled file is stale"),
    fmt: OutFormat = typer.Option(OutFormat.text, "--format", help="json or text."),
) -> None:
    """Compile the reviewed YAML sources (packs/<stem>/) into the JSONL the engines load.

    Example: yizhu kb build --check
    """
    from yizhu.knowledge.sources import build_packs

    results = build_packs(BUILTIN_PACKS_DIR, check=check)
    if fmt is OutFormat.json:
        typer.echo(json.dumps([{"kind": r.kind, "file": str(r.path), "items": r.items, "changed": r.changed}
                               for r in results], ensure_ascii=False, indent=2))
    for r in results if fmt is OutFormat.text else ():
        state = ("stale" if check else "rewritten") if r.changed else "up to date"
        typer.echo(f"{r.kind:<12} {r.items:>5} items  {r.path.name:<20} {state}")
    if check and any(r.changed for r in results):
        typer.echo("compiled packs differ from their YAML sources; run `yizhu kb build`", err=True)
        raise typer.Exit(1)


@app.command("fmt")
def fmt_cmd(
    check: bool = typer.Option(False, "--check", help="write nothing; exit 1 when a source file is not canonical"),
    fmt: OutFormat = typer.Option(OutFormat.text, "--format", help="json or text."),
) -> None:
    """Rewrite the reviewed YAML in canonical form (schema key order, inline word lists), for stable diffs.

    Example: yizhu kb fmt --check
    """
    from yizhu.errors import ConfigError
    from yizhu.knowledge.schema import PACK_FILE_STEMS
    from yizhu.knowledge.sources import format_source, source_folder

    changed = []
    try:
        for kind in PACK_FILE_STEMS:
            folder = source_folder(BUILTIN_PACKS_DIR, kind)
            if not folder.is_dir():
                continue
            for path, text in format_source(folder, kind).items():
                if path.read_text(encoding="utf-8") != text:
                    changed.append(path)
                    if not check:
                        path.write_text(text, encoding="utf-8")
    except ConfigError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    if fmt is OutFormat.json:
        typer.echo(json.dumps({"check": check, "files": [str(p) for p in changed]}, ensure_ascii=False, indent=2))
    else:
        for path in changed:
            typer.echo(f"{'not canonical' if check else 'reformatted'}: {path}")
        typer.echo(f"{len(changed)} file(s) {'to reformat' if check else 'reformatted'}")
    if check and changed:
        raise typer.Exit(1)


@app.command()
def validate(
    pack: list[str] | None = typer.Option(None, "--pack", help="only this pack (kind or file name; repeatable)"),
    overrides: Path | None = typer.Option(
        None, "--overrides", help="hospital overrides folder; default: the knowledge_overrides setting"
    ),
    fmt: OutFormat = typer.Option(OutFormat.text, "--format", help="json or text."),
) -> None:
    """Check every pack: schema, unique ids, references, sources, review state, compiled files, overrides.

    Exit 2 when any content is invalid (one line per problem on stderr, naming file, line and item).
    Example: yizhu kb validate --pack drugs
    """
    from yizhu.config import get_settings
    from yizhu.errors import ConfigError
    from yizhu.knowledge.validate import resolve_pack_name
    from yizhu.knowledge.validate import validate as run_validate

    try:
        kinds = [resolve_pack_name(p) for p in pack] if pack else None
        folder = overrides if overrides is not None else get_settings().knowledge_overrides_dir()
        report = run_validate(BUILTIN_PACKS_DIR, kinds=kinds, overrides=folder)
    except ConfigError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    if fmt is OutFormat.json:
        typer.echo(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
    else:
        with_overrides = any(r.pack.startswith("overrides") for r in report.packs)
        table = Table(title="yizhu kb validate")
        cols = ["pack", "files", "items", "errors", "reviewed", "unreviewed", "no source", "no year"]
        for col in [*cols, *(["applied"] if with_overrides else [])]:
            table.add_column(col, justify="left" if col == "pack" else "right", no_wrap=True)
        for r in report.packs:
            cells = [r.pack, str(r.files), str(r.items), f"[red]{r.errors}[/red]" if r.errors else "0",
                     str(r.reviewed), str(r.unreviewed), str(r.no_source), str(r.no_year)]
            if with_overrides:
                cells.append(str(r.overridden) if r.pack.startswith("overrides") else "")
            table.add_row(*cells)
        Console().print(table)
        for w in report.warnings:
            typer.echo(f"warning: {w}")
        for e in report.errors:
            typer.echo(f"error: {e}", err=True)
        typer.echo(f"{'OK' if report.ok else 'INVALID'}: {len(report.errors)} error(s), {len(report.warnings)} "
                   f"warning(s); {sum(r.unreviewed for r in report.packs)} item(s) await review")
    if not report.ok:
        raise typer.Exit(2)


# ---- retrieval and import (terminology helper): thin registrations of yizhu.knowledge.cli_terms

from yizhu.knowledge.cli_terms import import_cmd, search_cmd  # noqa: E402

app.command("search")(search_cmd)
app.command("import")(import_cmd)
