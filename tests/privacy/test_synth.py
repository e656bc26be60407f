"""The synthetic evaluation corpus: labelled 合成, ≥ 10 document types, gold spans that match the text."""

from __future__ import annotations

import json

from yizhu.evaluation.data.deid.synth import DOC_TYPES, SYNTHETIC_LABEL, generate_corpus, write_corpus


def test_every_note_is_labelled_synthetic_and_gold_spans_match() -> None:
    notes = generate_corpus(70, seed=3)
    assert {n.doc_type for n in notes} == set(DOC_TYPES) and len(DOC_TYPES) >= 10
    for n in notes:
        assert n.synthetic and n.text.startswith(SYNTHETIC_LABEL)
        assert n.spans
        assert all(n.text[s.start:s.end] == s.text for s in n.spans)
        assert all(a.end <= b.start for a, b in zip(n.spans, n.spans[1:], strict=False))


def test_same_seed_same_corpus() -> None:
    assert generate_corpus(20, seed=5) == generate_corpus(20, seed=5)
    assert generate_corpus(20, seed=5) != generate_corpus(20, seed=6)


def test_written_corpus_has_texts_and_gold(tmp_path) -> None:
    gold = write_corpus(tmp_path, 14, seed=1)
    rows = [json.loads(line) for line in gold.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 14 and all(r["synthetic"] for r in rows)
    assert (tmp_path / f"{rows[0]['id']}.txt").read_text(encoding="utf-8") == rows[0]["text"]
