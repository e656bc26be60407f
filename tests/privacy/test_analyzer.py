"""The combined scan finds what the naive one-regex-per-recognizer scan finds; overlaps settle."""

from __future__ import annotations

import itertools

import pytest

from tests.privacy.conftest import spans_ok
from yizhu.evaluation.data.deid.synth import generate_corpus
from yizhu.privacy import (
    Analyzer,
    Entity,
    Explanation,
    default_analyzer,
    default_recognizers,
    resolve_overlaps,
)

NOTES = generate_corpus(140, seed=11)


def _key(entities: list[Entity]) -> list[tuple[str, int, int, str, float]]:
    return [(e.type, e.start, e.end, e.recognizer, round(e.score, 6)) for e in entities]


def test_combined_and_naive_scans_agree_on_the_synthetic_corpus() -> None:
    combined, naive = default_analyzer("combined"), default_analyzer("naive")
    differing = [n.id for n in NOTES if _key(combined.analyze(n.text)) != _key(naive.analyze(n.text))]
    assert differing == []


def test_entities_point_into_the_text_and_explain_themselves() -> None:
    an = default_analyzer()
    for note in NOTES[:30]:
        ents = an.analyze(note.text)
        assert spans_ok(note.text, ents)
        assert all(isinstance(e.explanation, Explanation) and e.explanation.recognizer == e.recognizer for e in ents)
        assert all(a.end <= b.start for a, b in itertools.pairwise(ents))


def _e(start: int, end: int, score: float, typ: str = "X") -> Entity:
    return Entity(typ, start, end, "", "r", score, Explanation("r", "p", score))


@pytest.mark.parametrize(
    ("entities", "kept"),
    [
        ([_e(0, 5, 0.9), _e(3, 8, 0.8)], [(0, 5)]),
        ([_e(0, 5, 0.7), _e(3, 8, 0.8)], [(3, 8)]),
        ([_e(0, 5, 0.8), _e(0, 9, 0.8)], [(0, 9)]),
        ([_e(0, 2, 0.8), _e(2, 4, 0.8), _e(1, 3, 0.5)], [(0, 2), (2, 4)]),
        ([_e(10, 12, 0.6), _e(0, 2, 0.6)], [(0, 2), (10, 12)]),
    ],
)
def test_overlaps_keep_the_higher_score_then_the_longer_span(entities: list[Entity], kept) -> None:
    assert [(e.start, e.end) for e in resolve_overlaps(entities)] == kept


def test_threshold_drops_weak_spans() -> None:
    # a bare 15-digit number scores 0.4 without a 身份证 context word
    text = "号码110105491231002"
    assert Analyzer(default_recognizers(), threshold=0.3).analyze(text)
    assert not Analyzer(default_recognizers(), threshold=0.5).analyze(text)
