"""The `yizhu` command and the app, run in-process for the drafting and grounding runners.

One temporary working directory and database for both: no ``yizhu.toml`` from the checkout is read there,
so no model is configured and the rule path runs, as a new install would.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
import tempfile
from functools import cache
from typing import Any

TMP = tempfile.mkdtemp(prefix="yizhu-rw-")
os.environ.setdefault("YIZHU_DATABASE_URL", f"sqlite:///{TMP}/rw.db")


def run_cli(args: list[str]) -> tuple[int, str, str]:
    """Run the `yizhu` console entry point in-process; return (exit code, stdout, stderr)."""
    from yizhu.cli.main import main

    out, err = io.StringIO(), io.StringIO()
    old_argv, old_cwd = sys.argv, os.getcwd()
    sys.argv = ["yizhu", *args]
    code = 0
    try:
        os.chdir(TMP)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            main()
    except SystemExit as e:  # typer exits
        code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    finally:
        sys.argv = old_argv
        os.chdir(old_cwd)
    return code, out.getvalue(), err.getvalue()


@cache
def api_client() -> tuple[Any, dict[str, str]]:
    """A TestClient on the app (`yizhu.api.app.create_app`) and a clinician key in the temp database."""
    from fastapi.testclient import TestClient

    from yizhu.api.app import create_app

    code, _, err = run_cli(["init"])
    assert code == 0, err
    code, out, err = run_cli(["keys", "create", "--role", "clinician", "--name", "realworld"])
    assert code == 0, err
    return TestClient(create_app()), {"X-API-Key": out.strip().split()[-1]}
