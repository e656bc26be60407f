"""Blind real-world cases for 智能导诊 triage (issue 15, items 1, 2 and 6).

Each case under tests/realworld/triage/cases/ is one YAML file written from a clinical situation and the
public contract only. Its `input` ({text, optional age, sex}) is sent through the CLI contract
`yizhu triage TEXT --format json` (typer CliRunner on `yizhu.cli.main:app`), which must print
`{"departments": [{"name", "score", "reasons"}], "urgency": "emergency|urgent|routine", "red_flags": [...]}`.
`age` / `sex` are passed as `--age` / `--sex` only when `yizhu triage --help` lists those options; every
case text also states the age where routing depends on it.

`expect` (contract level, robust to wording):

* `department_any_of`: acceptable department names or clear synonyms; names are compared after removing
  spaces, a trailing 门诊 and a trailing 科 (so 耳鼻喉 == 耳鼻喉科);
* `rank`: 1 (one of them must be the top department) or 3 (one of them within the top three);
* `urgency`: the urgency level, where it is unambiguous; `urgency_any_of`: a list of acceptable levels
  (e.g. [urgent, emergency] for "must be seen today, not a routine appointment");
* `red_flag: true`: the patient must be sent to 急诊/120 now: `red_flags` non-empty and urgency emergency;
  `red_flag: false`: a look-alike that must NOT raise a red flag: `red_flags` empty and urgency not emergency.

The whole file is skipped (with a reason) while the CLI has no `triage` command. After the cases run, a
summary line prints top-1 / top-3 accuracy and red-flag sensitivity / specificity over all cases.
Cases that fail today are listed in tests/realworld/triage/known_gaps.yaml and run as strict xfail.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

import pytest
import yaml

from tests.realworld.cases import case_params, known_gaps, load_case

HERE = Path(__file__).parent / "triage"
CASES = sorted((HERE / "cases").glob("triage-*.yaml"))
KNOWN_GAPS = known_gaps(HERE)
URGENCY = {"routine", "urgent", "emergency"}
RESULTS: dict[str, dict] = {}


def _check(path: Path, case: dict) -> None:
    exp = case["expect"]
    assert exp.get("department_any_of") and exp.get("rank") in (1, 3), f"{path.name}: bad expect"
    assert exp.get("urgency") in URGENCY | {None}, f"{path.name}: bad urgency"
    assert set(exp.get("urgency_any_of", [])) <= URGENCY, f"{path.name}: bad urgency_any_of"



def _norm(name: str) -> str:
    n = re.sub(r"\s+", "", str(name))
    n = re.sub(r"门诊$", "", n)
    return re.sub(r"科$", "", n)


@lru_cache(maxsize=1)
def _cli():
    """(app, runner, options of `triage`) or a skip reason string."""
    try:
        from typer.testing import CliRunner

        from yizhu.cli.main import app
    except Exception as exc:  # pragma: no cover - environment problem
        return f"cannot import the CLI: {exc!r}"
    runner = CliRunner()
    res = runner.invoke(app, ["triage", "--help"])
    if res.exit_code != 0 or "No such command" in (res.output or ""):
        return "the CLI has no `triage` command yet (issue 15: engine being built on another branch)"
    return app, runner, res.output


@pytest.fixture(scope="module")
def cli(request):
    got = _cli()
    if isinstance(got, str):
        pytest.skip(got)
    yield got
    if RESULTS:
        capman = request.config.pluginmanager.getplugin("capturemanager")
        line = "\ntriage realworld: " + summary(RESULTS)
        if capman is not None:
            with capman.global_and_fixture_disabled():
                print(line)
        else:
            print(line)


def summary(results: dict[str, dict]) -> str:
    n = len(results)
    top1 = sum(r["top1"] for r in results.values())
    top3 = sum(r["top3"] for r in results.values())
    pos = [r for r in results.values() if r["want_red"] is True]
    neg = [r for r in results.values() if r["want_red"] is False]
    tp = sum(r["got_red"] for r in pos)
    tn = sum(not r["got_red"] for r in neg)
    sens = f"{tp}/{len(pos)} = {tp / len(pos):.2f}" if pos else "n/a"
    spec = f"{tn}/{len(neg)} = {tn / len(neg):.2f}" if neg else "n/a"
    return (f"n={n} top-1 {top1}/{n} = {top1 / n:.2f}, top-3 {top3}/{n} = {top3 / n:.2f}; "
            f"red-flag sensitivity {sens}, specificity {spec}")


def run_triage(cli, inp: dict) -> dict:
    app, runner, help_text = cli
    args = ["triage", inp["text"], "--format", "json"]
    if inp.get("age") is not None and "--age" in help_text:
        args += ["--age", str(inp["age"])]
    if inp.get("sex") and "--sex" in help_text:
        args += ["--sex", str(inp["sex"])]
    res = runner.invoke(app, args)
    assert res.exit_code == 0, f"exit {res.exit_code}: {res.output[-800:]} {res.exception!r}"
    out = res.stdout.strip()
    try:
        return json.loads(out)
    except json.JSONDecodeError:
        start = out.find("{")
        return json.loads(out[start:])


@pytest.mark.parametrize("case", case_params(CASES, KNOWN_GAPS, _check))
def test_triage_realworld(case, cli):
    exp = case["expect"]
    result = run_triage(cli, case["input"])
    depts = [d.get("name", "") for d in result.get("departments", [])]
    urgency = result.get("urgency")
    red = list(result.get("red_flags") or [])
    assert urgency in URGENCY, f"urgency {urgency!r} not one of {sorted(URGENCY)}"
    want = {_norm(x) for x in exp["department_any_of"]}
    ranks = [i for i, d in enumerate(depts) if _norm(d) in want]
    got_red = bool(red) or urgency == "emergency"
    RESULTS[case["id"]] = {
        "top1": bool(ranks) and ranks[0] == 0,
        "top3": bool(ranks) and ranks[0] < 3,
        "want_red": exp.get("red_flag"),
        "got_red": bool(red) and urgency == "emergency" if exp.get("red_flag") else got_red,
    }
    brief = f"departments={depts[:5]} urgency={urgency} red_flags={red}"
    problems = []
    if not ranks or ranks[0] >= exp["rank"]:
        problems.append(f"none of {exp['department_any_of']} in top-{exp['rank']}")
    if exp.get("urgency") and urgency != exp["urgency"]:
        problems.append(f"urgency {urgency!r}, expected {exp['urgency']!r}")
    if exp.get("urgency_any_of") and urgency not in exp["urgency_any_of"]:
        problems.append(f"urgency {urgency!r}, expected one of {exp['urgency_any_of']}")
    if exp.get("red_flag") is True and not (red and urgency == "emergency"):
        problems.append("red flag missed: expected red_flags non-empty and urgency emergency")
    if exp.get("red_flag") is False and got_red:
        problems.append("false red flag: expected no red_flags and urgency below emergency")
    assert not problems, "; ".join(problems) + f" — got {brief}"


def test_known_gaps_name_existing_cases():
    ids = {yaml.safe_load(p.read_text(encoding="utf-8"))["id"] for p in CASES}
    assert set(KNOWN_GAPS) <= ids, f"known_gaps names unknown cases: {sorted(set(KNOWN_GAPS) - ids)}"


def test_case_set_shape():
    cases = [load_case(p, _check) for p in CASES]
    assert len(cases) >= 60
    assert sum(c["expect"].get("red_flag") is True for c in cases) >= 15
    assert sum(c["expect"].get("red_flag") is False for c in cases) >= 10
