"""Blind real-world cases for 病历质控 QC (docs/qc.md).

Each case under tests/realworld/qc/cases/ is one YAML file written from a clinical situation and the
public contract only. Its `input` is sent through the public contract:

* default (`via` absent or `api`): `POST /v1/qc/check` with `{"text": …}` (plus `context` when the
  case gives one), on the FastAPI app over a temporary SQLite store;
* `via: cli`: the text is written to a file and checked with `yizhu qc FILE --format json` (the
  command run in-process with typer's CliRunner);
* `via: cli_encounter`: `files` are written into one admission sub-directory and checked in batch with
  `yizhu qc DIR --out OUT` (终末质控); the record's line of `results.jsonl` is the result.

`expect` is contract level and robust to wording:

* `findings`: each item needs a finding whose `rule_id` starts with `rule_prefix`; optional
  `mentions_any` (one of the strings appears somewhere in the finding) and `min_severity`;
* `no_findings`: no finding whose `rule_id` starts with `rule_prefix`;
* `grade` (exact) / `grade_not` (list); `max_severity`: no finding above it;
* `rejection_ok: true`: refusing the input (HTTP 4xx, or the CLI exiting non-zero) also satisfies the
  grade expectations — an unusable document may be refused, but never graded 甲.

Cases that fail today are listed in tests/realworld/qc/known_gaps.yaml and run as strict xfail.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.realworld.cases import case_params, known_gaps, load_case

HERE = Path(__file__).parent / "qc"
CASES = sorted((HERE / "cases").glob("qc-*.yaml"))
KNOWN_GAPS = known_gaps(HERE)
SEVERITY = {"info": 0, "minor": 1, "major": 2, "critical": 3}



@pytest.fixture(scope="module")
def api(tmp_path_factory):
    from fastapi.testclient import TestClient

    from yizhu.api.app import create_app
    from yizhu.store import create_api_key, init_db

    db = tmp_path_factory.mktemp("qcdb") / "yizhu.db"
    engine = init_db(f"sqlite:///{db}")
    key = create_api_key(engine, "qc_officer", "realworld-qc")
    with TestClient(create_app(engine=engine)) as client:
        yield client, {"X-API-Key": key}


def _cli(args: list[str], cwd: Path) -> tuple[int, str, str]:
    """Run the `yizhu` command in-process (typer's CliRunner on `yizhu.cli.main.app`, the entry point)."""
    from typer.testing import CliRunner

    from yizhu.cli.main import app

    env = {
        "YIZHU_DATABASE_URL": f"sqlite:///{cwd / 'cli.db'}",
        "YIZHU_DATA_DIR": str(cwd / "var"),
        "COLUMNS": "200",
    }
    old = Path.cwd()
    os.chdir(cwd)
    try:
        r = CliRunner().invoke(app, args, env=env)
    finally:
        os.chdir(old)
    err = getattr(r, "stderr", "") if r.stderr_bytes is not None else ""
    return r.exit_code, r.stdout, err or (repr(r.exception) if r.exception else "")


def run_case(case: dict, api, tmp_path: Path) -> tuple[dict | None, str]:
    """Return (result, how): result None means the input was refused (how says why)."""
    inp = case["input"]
    via = inp.get("via", "api")
    if via == "api":
        client, headers = api
        body = {"text": inp["text"]}
        if "context" in inp:
            body["context"] = inp["context"]
        r = client.post("/v1/qc/check", json=body, headers=headers)
        if 400 <= r.status_code < 500:
            return None, f"HTTP {r.status_code}: {r.text[:300]}"
        assert r.status_code == 200, f"HTTP {r.status_code}: {r.text[:500]}"
        return r.json(), "api"
    if via == "cli":
        note = tmp_path / "note.txt"
        note.write_text(inp["text"], encoding="utf-8")
        code, out, err = _cli(["qc", str(note), "--format", "json"], tmp_path)
        if code != 0:
            return None, f"exit {code}: {err.strip()[:300]}"
        return json.loads(out), "cli"
    if via == "cli_encounter":
        adm = tmp_path / "in" / "admission-1"
        adm.mkdir(parents=True)
        for name, text in inp["files"].items():
            (adm / name).write_text(text, encoding="utf-8")
        out = tmp_path / "out"
        code, _, err = _cli(["qc", str(tmp_path / "in"), "--out", str(out)], tmp_path)
        if code != 0:
            return None, f"exit {code}: {err.strip()[:300]}"
        lines = [json.loads(x) for x in (out / "results.jsonl").read_text(encoding="utf-8").splitlines() if x.strip()]
        assert len(lines) == 1, f"expected one record, got {len(lines)}"
        return lines[0], "cli_encounter"
    raise AssertionError(f"unknown input.via {via!r}")


def _describe(result: dict) -> str:
    fs = [(f.get("rule_id"), f.get("severity"), f.get("message")) for f in result.get("findings", [])]
    return f"doc_type={result.get('doc_type')} score={result.get('score')} grade={result.get('grade')} findings={fs}"


def check_expect(expect: dict, result: dict | None, how: str) -> None:
    if result is None:
        assert expect.get("rejection_ok"), f"input refused: {how}"
        # refused: no grade given, which satisfies grade expectations; nothing else may be expected
        assert not expect.get("findings"), f"input refused ({how}) but findings were expected"
        return
    findings = result.get("findings", [])
    info = _describe(result)
    for want in expect.get("findings", []):
        prefix = want["rule_prefix"]
        hits = [f for f in findings if str(f.get("rule_id", "")).startswith(prefix)]
        if "mentions_any" in want:
            hits = [f for f in hits if any(m in json.dumps(f, ensure_ascii=False) for m in want["mentions_any"])]
        if "min_severity" in want:
            hits = [f for f in hits if SEVERITY.get(f.get("severity"), 0) >= SEVERITY[want["min_severity"]]]
        assert hits, f"no finding {want}; got {info}"
    for unwanted in expect.get("no_findings", []):
        prefix = unwanted["rule_prefix"]
        hits = [f for f in findings if str(f.get("rule_id", "")).startswith(prefix)]
        assert not hits, f"unexpected finding {prefix}: {hits}"
    if "grade" in expect:
        assert result.get("grade") == expect["grade"], f"grade should be {expect['grade']}; got {info}"
    if "grade_not" in expect:
        assert result.get("grade") not in expect["grade_not"], f"grade must not be in {expect['grade_not']}; got {info}"
    if "max_severity" in expect:
        limit = SEVERITY[expect["max_severity"]]
        above = [f for f in findings if SEVERITY.get(f.get("severity"), 0) > limit and not f.get("model_generated")]
        assert not above, f"findings above {expect['max_severity']}: {[(f['rule_id'], f['severity'], f['message']) for f in above]}"


@pytest.mark.parametrize("case", case_params(CASES, KNOWN_GAPS))
def test_qc_realworld(case, api, tmp_path):
    result, how = run_case(case, api, tmp_path)
    check_expect(case["expect"], result, how)


def test_known_gaps_name_existing_cases():
    ids = {load_case(p)["id"] for p in CASES}
    assert set(KNOWN_GAPS) <= ids, f"known_gaps names unknown cases: {sorted(set(KNOWN_GAPS) - ids)}"
    assert len(ids) == len(CASES), "duplicate case ids"
