"""Shared helpers for CLI commands: reading input, printing JSON, failing with one line."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import typer
from rich.console import Console

from yizhu.core.context import decode_text
from yizhu.errors import InputError, NotFoundError

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from yizhu.core import ClinicalContext

console = Console()
err_console = Console(stderr=True)


class OutputFormat(StrEnum):
    """Output formats most commands offer."""

    json = "json"
    text = "text"


def fail(message: str, code: int = 2) -> NoReturn:
    """Print one line on stderr and exit (2: bad input or usage)."""
    err_console.print(f"[red]error:[/red] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def read_text(path: str) -> str:
    """Read a UTF-8 (or GB18030) text file, or stdin for ``-``; unreadable input is an InputError."""
    if path == "-":
        return sys.stdin.read()
    p = Path(path)
    if not p.exists():
        raise InputError(f"{path}: no such file")
    if p.is_dir():
        raise InputError(f"{path}: is a directory, expected a file")
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from exc
    text = decode_text(data)
    if text is not None:
        return text
    raise InputError(f"{path}: not UTF-8 or GB18030 text")


def print_json(obj: Any) -> None:
    """Print JSON to stdout unformatted by Rich (so it pipes cleanly), keeping Chinese readable."""
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2, default=str))
    sys.stdout.write("\n")


# ── the database: found the same way from any directory ─────────────────────────────────────

#: the database this process opened and how it was found (for "not found in …" messages)
OPENED: dict[str, str] = {}


def database(*, create: bool) -> Engine:
    """Open the database (settings → YIZHU_DATABASE_URL → data directory → nearest ``var/yizhu.db``).

    ``create=False`` (commands that read records) refuses a SQLite file that does not exist, naming where
    it looked, instead of creating an empty database in the current directory. ``create=True`` (init,
    serve, import, audited runs) creates it, and says so when the place is only the default."""
    from yizhu.config import get_settings
    from yizhu.store.db import init_db

    url, how = get_settings().locate_database()
    path = Path(url[len("sqlite:///"):]) if url.startswith("sqlite:///") else None
    OPENED.update(url=url, how=how)
    if path is not None and not path.is_file():
        if not create:
            raise InputError(
                f"no yizhu database at {path} ({how}); run `yizhu init` to create it there, or point "
                "YIZHU_DATABASE_URL or YIZHU_DATA_DIR (or yizhu.toml) at yours"
            )
        if "default" in how:
            err_console.print(f"creating a new database at {path} ({how})", highlight=False, soft_wrap=True)
    return init_db(url)


def where() -> str:
    """' (database: URL, found via …)' for messages, or '' when no database was opened."""
    if not OPENED:
        return ""
    from yizhu.store.db import safe_url

    try:
        shown = safe_url(OPENED["url"])
    except Exception:  # a URL SQLAlchemy cannot parse is shown as the setting said it
        shown = OPENED["url"]
    return f" (looked in database {shown}, {OPENED['how']})"


def stored_context(encounter_id: str) -> ClinicalContext:
    """A stored encounter's context; a missing one is an error naming the database that was searched."""
    from yizhu.store import load_context

    engine = database(create=False)
    try:
        return load_context(engine, encounter_id)
    except NotFoundError as exc:
        raise NotFoundError(f"{exc}{where()}") from exc


def _quiet_flag_types() -> None:
    """Typer prints a type column for every option, ``<bool>`` for on/off flags, which tells nothing:
    show the type only for options that take a value."""
    from typer.core import TyperOption

    original = TyperOption.display_type_rich
    if getattr(original, "_yizhu_quiet", False):
        return

    def display_type_rich(self: TyperOption, ctx: Any) -> str | None:
        if self.is_flag and not self.count:
            return None
        return original(self, ctx)

    display_type_rich._yizhu_quiet = True  # type: ignore[attr-defined]
    TyperOption.display_type_rich = display_type_rich  # type: ignore[method-assign]


_quiet_flag_types()
