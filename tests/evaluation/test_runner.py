"""The runner: run directories, resuming, errors kept per case, refusing to mix data, unavailable engines."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from yizhu.config import Settings
from yizhu.errors import InputError, NotFoundError
from yizhu.evaluation.dataset import Case, Dataset, write_dataset
from yizhu.evaluation.metrics import mean_metric
from yizhu.evaluation.runner import (
    eval_root,
    git_commit,
    list_runs,
    read_report,
    read_results,
    read_settings,
    resummarise,
    run_dir_for,
    run_suite,
)
from yizhu.evaluation.suites import Outcome, ResultView, RunEnv, Suite, Summary


class CountingSuite(Suite):
    """A plugin suite: scores 1 for even numbers, fails on 'boom'; counts how often it is asked."""

    name = "test-counting"
    title = "counting"
    engine = "arithmetic"
    headline = ("even",)
    calls = 0

    def run_case(self, case: Case, env: RunEnv, dataset: Dataset) -> Outcome:
        type(self).calls += 1
        if case.inputs.get("n") == "boom":
            raise RuntimeError("engine crashed")
        return Outcome(scores={"even": float(case.inputs["n"] % 2 == 0)})

    def summarise(self, dataset: Dataset, results: Sequence[ResultView], *, seed: int = 0) -> Summary:
        return Summary(metrics={"even": mean_metric("even", [r.scores.get("even") or 0.0 for r in results], seed=seed)})


def _data(tmp_path: Path, values: list[object]) -> Path:
    ds = Dataset(name="numbers", synthetic=True, cases=[Case(id=f"c{i}", inputs={"n": v}) for i, v in enumerate(values)])
    return write_dataset(ds, tmp_path / "numbers.jsonl")


def test_a_run_directory_has_everything(settings: Settings, tmp_path: Path) -> None:
    suite = CountingSuite()
    o = run_suite(suite, data=_data(tmp_path, [1, 2, 3, 4]), settings=settings)
    assert o.run_dir.parent == eval_root(settings) and o.run_dir.name.startswith("test-counting-")
    assert {p.name for p in o.run_dir.iterdir()} == {"run.json", "results.jsonl", "report.json", "report.html"}
    rs = read_settings(o.run_dir)
    assert rs.status == "done" and rs.finished_at is not None and rs.cases_done == 4
    assert rs.dataset["cases"] == 4 and len(rs.dataset["sha256"]) == 64
    assert read_report(o.run_dir).models[0].summary.metrics["even"].value == 0.5
    assert [r.run_id for r in list_runs(eval_root(settings))] == [o.report.run_id]


def test_a_failing_case_is_recorded_and_retried_on_resume(settings: Settings, tmp_path: Path) -> None:
    suite = CountingSuite()
    data = _data(tmp_path, [2, "boom", 4])
    out = tmp_path / "run"
    o = run_suite(suite, data=data, out=out, settings=settings)
    m = o.report.models[0]
    assert (m.ok, m.errors) == (2, 1)
    row = next(r for r in read_results(out) if r.status == "error")
    assert row.case_id == "c1" and "RuntimeError: engine crashed" in row.error
    CountingSuite.calls = 0
    run_suite(suite, data=data, out=out, settings=settings)
    assert CountingSuite.calls == 1  # only the failed case is asked again


def test_an_interrupted_run_resumes_where_it_stopped(settings: Settings, tmp_path: Path) -> None:
    suite = CountingSuite()
    data = _data(tmp_path, list(range(10)))
    out = tmp_path / "run"
    run_suite(suite, data=data, out=out, settings=settings)
    lines = (out / "results.jsonl").read_text(encoding="utf-8").splitlines()
    (out / "results.jsonl").write_text("\n".join(lines[:4]) + "\n" + lines[4][:20], encoding="utf-8")  # torn line
    CountingSuite.calls = 0
    o = run_suite(suite, data=data, out=out, settings=settings)
    assert CountingSuite.calls == 6
    assert o.report.models[0].cases == 10 and o.report.models[0].summary.metrics["even"].value == 0.5


def test_a_run_directory_is_not_reused_for_other_data(settings: Settings, tmp_path: Path) -> None:
    out = tmp_path / "run"
    run_suite(CountingSuite(), data=_data(tmp_path, [1, 2]), out=out, settings=settings)
    with pytest.raises(InputError, match="pass a new --out"):
        run_suite(CountingSuite(), data=_data(tmp_path, [1, 2, 3]), out=out, settings=settings)


def test_resummarise_rebuilds_the_report(settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import yizhu.evaluation.suites as registry

    registry.list_suites()
    monkeypatch.setitem(registry._registry, CountingSuite.name, CountingSuite())
    o = run_suite(CountingSuite(), data=_data(tmp_path, [1, 2]), out=tmp_path / "run", settings=settings)
    (o.run_dir / "report.json").unlink()
    (o.run_dir / "report.html").unlink()
    report = resummarise(o.run_dir)
    assert report.models[0].summary.metrics["even"].value == 0.5
    assert (o.run_dir / "report.html").is_file()


def test_run_ids_cannot_escape_the_eval_directory(settings: Settings) -> None:
    with pytest.raises(InputError):
        run_dir_for(eval_root(settings), "../../etc")
    with pytest.raises(NotFoundError, match="run `yizhu eval run SUITE` first"):
        read_settings(eval_root(settings) / "missing")


def test_unavailable_engine_writes_a_report_that_says_so(settings: Settings, tmp_path: Path) -> None:
    class Missing(CountingSuite):
        name = "test-missing"

        def unavailable(self) -> str | None:
            return "engine not available: nothing registered"

    o = run_suite(Missing(), out=tmp_path / "run", settings=settings)
    assert o.report.status == "engine_unavailable" and o.report.models == []
    assert read_settings(o.run_dir).status == "engine_unavailable"


def test_code_version_is_read_without_running_git() -> None:
    commit = git_commit()
    assert commit is None or len(commit) == 40
