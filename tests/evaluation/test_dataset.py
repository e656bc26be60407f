"""The Case/Dataset file format: round trips, headers, and errors that say the fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from yizhu.errors import InputError
from yizhu.evaluation.dataset import Case, Dataset, read_yizhu_dataset, shipped, write_dataset
from yizhu.evaluation.loaders import load_dataset

CASES = [
    Case(id="c1", inputs={"question": "问题一", "options": {"A": "甲", "B": "乙"}}, expected={"answer": "A"},
         metadata={"category": "内科", "synthetic": True}),
    Case(id="c2", inputs={"text": "发热3天"}, expected=None, metadata={}),
]


@pytest.mark.parametrize("suffix", [".jsonl", ".json", ".yaml"])
def test_round_trip_keeps_cases_and_header(tmp_path: Path, suffix: str) -> None:
    ds = Dataset(name="demo", source="合成 synthetic", synthetic=True, extra={"top_k": 2}, cases=CASES)
    path = write_dataset(ds, tmp_path / f"demo{suffix}")
    back = read_yizhu_dataset(path)
    assert back.cases == CASES
    assert (back.name, back.source, back.synthetic, back.extra) == ("demo", "合成 synthetic", True, {"top_k": 2})
    assert back.fingerprint() == ds.fingerprint()  # the path is not part of the data's identity


def test_jsonl_without_header_takes_the_file_name(tmp_path: Path) -> None:
    p = tmp_path / "mine.jsonl"
    p.write_text('{"id": "a", "inputs": {"text": "x"}}\n\n{"id": "b"}\n', encoding="utf-8")
    ds = load_dataset(p)
    assert ds.name == "mine" and [c.id for c in ds.cases] == ["a", "b"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"id": "a"}\n{"id": "a"}\n', "duplicate case id 'a'"),
        ('{"id": "a"}\nnot json\n', ":2: not JSON"),
        ('{"id": "a", "input": {}}\n', "at input: "),
        ('{"id": ""}\n', "at id: "),
    ],
)
def test_bad_files_fail_with_the_line_and_the_fix(tmp_path: Path, content: str, message: str) -> None:
    p = tmp_path / "bad.jsonl"
    p.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        read_yizhu_dataset(p)


def test_missing_file_and_unknown_shipped_name() -> None:
    with pytest.raises(InputError, match="no such file"):
        load_dataset(Path("/nonexistent/cases.jsonl"))
    with pytest.raises(InputError, match="shipped: "):
        shipped("nope.json")


def test_limited_and_category() -> None:
    ds = Dataset(cases=CASES)
    assert [c.id for c in ds.limited(1).cases] == ["c1"]
    assert ds.limited(None) is ds
    assert CASES[0].category == "内科" and CASES[1].category is None
    assert CASES[0].fingerprint() != CASES[1].fingerprint()
