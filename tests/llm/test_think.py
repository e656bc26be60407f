"""<think> reasoning never reaches clinical text; it is kept for the audit."""

from __future__ import annotations

import pytest

from yizhu.llm.think import ThinkSplitter, split_think

CASES = [
    ("诊断：高血压", "诊断：高血压", None),
    ("<think>先看血压</think>\n\n诊断：高血压", "诊断：高血压", "先看血压"),
    ("先看血压</think>诊断：高血压", "诊断：高血压", "先看血压"),  # DeepSeek-R1: opening tag was in the prompt
    ("<think>还在想", "", "还在想"),  # cut off while reasoning: no clinical text
    ("a<think>x</think>b<think>y</think>c", "abc", "xy"),
    ("<thin>not a tag", "<thin>not a tag", None),
]


@pytest.mark.parametrize(("raw", "text", "reasoning"), CASES)
def test_split_think(raw: str, text: str, reasoning: str | None) -> None:
    assert split_think(raw) == (text, reasoning)


@pytest.mark.parametrize("size", [1, 2, 3, 5, 8])
@pytest.mark.parametrize(("raw", "text", "reasoning"), [c for c in CASES if "</think>" not in c[0] or "<think>" in c[0]])
def test_streamed_split_matches_whole_split_for_any_chunking(raw: str, text: str, reasoning: str | None, size: int) -> None:
    splitter = ThinkSplitter()
    out_text, out_reasoning = "", ""
    for i in range(0, len(raw), size):
        t, r = splitter.feed(raw[i: i + size])
        out_text += t
        out_reasoning += r
    t, r = splitter.close()
    assert (out_text + t).strip() == text
    assert (out_reasoning + r) == (reasoning or "")
