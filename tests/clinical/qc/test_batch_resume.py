"""Batch QC resumes after an interruption that tore the last line of results.jsonl (合成病历)."""

from __future__ import annotations

import json
from pathlib import Path

from yizhu.clinical.qc.batch import run_batch, truncate_torn_tail

NOTE = """入院记录（合成病历）
姓名：测试{n}　性别：男　年龄：5{n}岁　科别：心内科　住院号：ZY00{n}　入院日期：2026-03-0{n} 09:30
主诉：反复胸闷3年，加重2天。
现病史：患者3年前起活动后胸闷，休息后缓解。
既往史：高血压病史10年。
体格检查：T 36.5℃ P 88次/分 R 18次/分 BP 150/90mmHg。
初步诊断：不稳定型心绞痛
医师签名：李合成
"""


def test_a_torn_last_line_is_cut_then_redone(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    for n in (1, 2, 3):
        (notes / f"n{n}.txt").write_text(NOTE.format(n=n), encoding="utf-8")
    out = tmp_path / "out"
    first, _ = run_batch(notes, out)
    path = out / "results.jsonl"
    data = path.read_bytes()
    torn = data[: data.rstrip(b"\n").rfind(b"\n") + 1 + 40]  # the third row cut mid-write, no newline
    path.write_bytes(torn)
    again, _ = run_batch(notes, out)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 3
    assert [json.loads(x)["_key"] for x in lines] == [r["_key"] for r in first]  # parseable, none twice
    assert again == first


def test_truncate_leaves_a_clean_file_alone(tmp_path: Path) -> None:
    p = tmp_path / "r.jsonl"
    p.write_bytes(b'{"a": 1}\n{"b": 2}\n')
    assert truncate_torn_tail(p) == 0 and p.read_bytes() == b'{"a": 1}\n{"b": 2}\n'
    p.write_bytes(b'{"a": 1')
    assert truncate_torn_tail(p) == 7 and p.read_bytes() == b""
