"""The compiled CRF (numpy tables + exact Viterbi) against crfsuite on the same weights.

A tiny model is trained here on synthetic sequences (合成) so every template of the extractor's features
has weights; the compiled form must label every sequence exactly as crfsuite's tagger does.
"""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pycrfsuite
import pytest

from yizhu.knowledge.terminology.crf_compiled import CompiledLayer, merge_layers
from yizhu.knowledge.terminology.extract import Entity
from yizhu.knowledge.terminology.extract_model import decode, dictionary_tags, features, layer_labels
from yizhu.knowledge.terminology.ner_data import Span

_WORDS = [("咳嗽", "symptom"), ("发热", "symptom"), ("肺炎", "disease"), ("头孢", "drug"), ("ct", "exam"),
          ("胸闷", "symptom"), ("糖尿病", "disease")]
_FILL = ["患者", "三天", "，", "伴", "无", "予", "。", "x", "2", " ", "𠀋"]  # 𠀋: beyond the basic plane


def _sample(rnd: random.Random) -> tuple[str, list[Span], list[Entity], list[tuple[int, int, str]]]:
    text, spans, ments = "", [], []
    for _ in range(rnd.randint(2, 8)):
        if rnd.random() < 0.5:
            w, typ = rnd.choice(_WORDS)
            spans.append(Span(len(text), len(text) + len(w), typ))
            if rnd.random() < 0.7:
                ments.append(Entity(w, typ, len(text), len(text) + len(w)))  # type: ignore[arg-type]
            text += w
        else:
            text += rnd.choice(_FILL)
    matches = [(m.start, m.end, m.type) for m in ments] + [(0, min(3, len(text)), "lab")]
    return text, spans, ments, matches


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[tuple[str, list[Entity], list]]]:
    rnd = random.Random(3)
    d = tmp_path_factory.mktemp("crf")
    data = [_sample(rnd) for _ in range(300)]
    types = {frozenset({"symptom", "disease"}): "a.crfsuite", frozenset({"drug", "exam"}): "b.crfsuite"}
    for ts, name in types.items():
        tr = pycrfsuite.Trainer(verbose=False)
        for text, spans, ments, matches in data:
            bounds = bytearray(len(text) + 1)
            bounds[::2] = b"\x01" * len(bounds[::2])
            tr.append(pycrfsuite.ItemSequence(features(text, dictionary_tags(len(text), ments), matches, bounds,
                                                       clause=True)),
                      layer_labels(len(text), spans, ts))
        tr.set_params({"c1": 0.01, "c2": 0.01, "max_iterations": 30, "feature.possible_transitions": True})
        tr.train(str(d / name))
    tests = [(_sample(rnd)) for _ in range(60)]
    return d, [(t, m, mt) for t, _, m, mt in tests]


@pytest.mark.parametrize(("with_bounds", "numba"), [(False, True), (True, True), (True, False)])
def test_compiled_layers_label_exactly_as_crfsuite(trained: tuple[Path, list], with_bounds: bool, numba: bool,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    d, tests = trained
    if not numba:  # the numpy-only decoder (used when numba is missing) must agree too
        from yizhu.knowledge.terminology import crf_compiled

        for name in ("_score_jit", "_viterbi_jit", "_pairs_jit", "_classes_jit"):
            monkeypatch.setattr(crf_compiled, name, None)
    layers = [CompiledLayer.from_crfsuite(d / n) for n in ("a.crfsuite", "b.crfsuite")]
    saved = d / "a.npz"
    layers[0].save(saved)
    layers[0] = CompiledLayer.load(saved)  # the cached form reads back the same
    merged = merge_layers(layers)
    taggers = []
    for n in ("a.crfsuite", "b.crfsuite"):
        tg = pycrfsuite.Tagger()
        tg.open(str(d / n))
        taggers.append(tg)
    for text, ments, matches in tests:
        bounds = None
        if with_bounds:
            bounds = bytearray(len(text) + 1)
            bounds[::3] = b"\x01" * len(bounds[::3])
            bounds[-1] = 1
        seq = pycrfsuite.ItemSequence(features(text, dictionary_tags(len(text), ments), matches, bounds, clause=True))
        em = merged.scores(text, merged.tag_codes(len(text), ments), matches, bounds)
        at = 0
        for layer, tg in zip(layers, taggers, strict=True):
            w = len(layer.labels)
            got = layer.viterbi(np.ascontiguousarray(em[:, at:at + w]))
            at += w
            assert got == decode(tg.tag(seq)), text
            assert layer.viterbi(layer.scores(text, layer.tag_codes(len(text), ments), matches, bounds)) == got
