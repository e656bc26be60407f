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


def _layer(rnd: random.Random, extra: tuple[str, ...] = ()) -> CompiledLayer:
    labels = ["O", "B-x", "I-x", "E-x", "S-x", "B-y", "E-y", *extra]
    trans = {(a, b): rnd.uniform(-2, 2) for a in labels for b in labels}
    return CompiledLayer.from_weights(labels, trans, {})


@pytest.mark.parametrize("extra", [(), ("S-y",), ("S-y", "I-y")])  # 7, 8 and 9 labels: padded to 8, 8, 12
def test_span_probabilities_equal_the_sum_over_every_labelling(extra: tuple[str, ...]) -> None:
    """Forward-backward span probabilities against brute force: every labelling of a short text scored and
    normalised, a span's probability the mass of the labellings that put B I … I E (or S) on it. The label
    axis is padded inside the kernel to a multiple of 4; the padding must add nothing."""
    import itertools

    rnd = random.Random(7)
    for _ in range(4 if not extra else 2):
        layer = _layer(rnd, extra)
        n, k = (5 if not extra else 4), len(layer.labels)
        em = np.array([[rnd.uniform(-2, 2) for _ in range(k)] for _ in range(n)])
        mass: dict[tuple[int, int, str], float] = {}
        z = 0.0
        for path in itertools.product(range(k), repeat=n):
            w = np.exp(sum(em[i, y] for i, y in enumerate(path)) + sum(layer.trans[a, b] for a, b in
                                                                         itertools.pairwise(path)))
            z += w
            for span in decode([layer.labels[y] for y in path]):
                s, e, typ = span
                want = ["S-" + typ] if e - s == 1 else ["B-" + typ, *["I-" + typ] * (e - s - 2), "E-" + typ]
                if [layer.labels[y] for y in path[s:e]] == want:  # a proper run, not a decoding repair
                    mass[span] = mass.get(span, 0.0) + w
        got = {(s, e, t): p for s, e, t, p in layer.span_probs(em, 1e-6)}
        want = {span: w / z for span, w in mass.items() if w / z >= 1e-6}
        assert got.keys() == want.keys()
        for span, p in want.items():
            assert got[span] == pytest.approx(p, rel=1e-9)


def test_marginal_decoding_names_a_span_the_best_labelling_leaves_out() -> None:
    """The best labelling is O O O (27 % of the mass: Viterbi names nothing), yet B E on 0–2 holds 22 %; the
    marginal decoder names it at a threshold below that, and not above. Overlapping spans: the likelier wins."""
    layer = CompiledLayer.from_weights(["O", "B-x", "I-x", "E-x", "S-x"], {}, {})
    em = np.array([[1.0, 0.9, -9, -9, -9], [1.0, -9, -9, 0.9, -9], [1.0, -9, -9, -9, -9]])
    assert layer.viterbi(em) == []
    [p] = [x[3] for x in layer.span_probs(em, 0.1) if x[:3] == (0, 2, "x")]
    assert 0.2 < p < 0.25
    assert layer.marginal_decode(em, 0.2) == [(0, 2, "x")]
    assert layer.marginal_decode(em, 0.25) == []
    em2 = np.array([[-9, 2.0, -9, -9, 0.0], [-9, -9, -9, 2.0, 1.0], [1.0, -9, -9, -9, -9]])
    assert layer.marginal_decode(em2, 0.05) == [(0, 2, "x")]  # not the S at 1 it overlaps (less likely)


def _match_positions_one_by_one(matches: list[tuple[int, int, str]], n: int, tag_ids: dict[str, int]) -> list:
    """The reference: one term at a time, as the attribute strings of ``features`` list them."""
    unknown = len(tag_ids) + 1
    out: list[list[tuple[int, int]]] = [[], [], []]
    for s, e, typ in matches:
        if e > n:
            continue
        tid = tag_ids.get(typ, unknown)
        out[0].append((s, tid))
        out[1].append((e - 1, tid))
        out[2].extend((i, tid) for i in range(s + 1, e - 1))
    return out


def test_dictionary_term_positions_keep_the_order_of_terms_and_positions() -> None:
    """``as=``/``ae=``/``ai=`` positions and type ids, in the order the weights are added (terms as given, the
    inside of a term left to right), so the state scores are the same sums to the last bit."""
    from yizhu.knowledge.terminology.crf_compiled import _match_positions

    tag_ids = {"disease": 3, "symptom": 4}
    rnd = random.Random(11)
    for _ in range(200):
        n = rnd.randint(1, 30)
        matches = []
        for _ in range(rnd.randint(0, 12)):
            s = rnd.randrange(n)
            e = s + rnd.randint(1, 8)  # some run past the text: left out
            matches.append((s, e, rnd.choice(["disease", "symptom", "drug"])))
        got = [list(zip(pos.tolist(), ids.tolist(), strict=True)) for pos, ids in _match_positions(matches, n, tag_ids)]
        assert got == _match_positions_one_by_one(matches, n, tag_ids)


def test_tag_codes_are_the_ids_of_the_dictionary_tags() -> None:
    """B-/I-/E-/S-<type> of each mention as the layer's tag ids; a tag the model never saw gets the unknown id."""
    layer = _layer(random.Random(1))
    layer.tag_ids = {"O": 0, "B-disease": 1, "I-disease": 2, "E-disease": 3, "S-symptom": 4}
    ments = [Entity("肺炎", "disease", 0, 2), Entity("咳", "symptom", 3, 4), Entity("高血压病", "disease", 5, 9),
             Entity("头痛", "symptom", 10, 12)]
    unknown = len(layer.tag_ids) + 1
    assert layer.tag_codes(12, ments).tolist() == [1, 3, 0, 4, 0, 1, 2, 2, 3, 0, unknown, unknown]
    want = [layer.tag_ids.get(t, unknown) if t != "O" else 0 for t in dictionary_tags(12, ments)]
    assert layer.tag_codes(12, ments).tolist() == want


def test_term_index_finds_every_term_in_the_automatons_order() -> None:
    """Every occurrence of every term, overlapping and nested ones too, by end and longest first at one end:
    the compiled trie walk against pyahocorasick's ``iter`` on random texts made of the terms themselves."""
    import ahocorasick

    from yizhu.knowledge.terminology.crf_compiled import TermIndex

    terms = {"心肌": 0, "心肌梗死": 1, "急性心肌梗死": 1, "梗死": 2, "肌梗": 0, "咳嗽": 3, "咳": 3, "ct": 4, "ct检查": 4,
             "a": 2, "\U00020000病": 1}
    auto = ahocorasick.Automaton()
    for k, v in terms.items():
        auto.add_word(k, (len(k), v))
    auto.make_automaton()
    keys = list(terms)
    index = TermIndex(keys)
    rnd = random.Random(5)
    pieces = [*terms, "的", "，", "急", "性", " ", "b"]
    for _ in range(500):
        t = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 15)))
        want = [(end - length + 1, end + 1, v) for end, (length, v) in auto.iter(t)] if t else []
        s, e, ty = index.matches(t)
        assert [(a, b, terms[keys[i]]) for a, b, i in zip(s.tolist(), e.tolist(), ty.tolist(), strict=True)] == want
    assert [x.tolist() for x in TermIndex([]).matches("心肌梗死")] == [[], [], []]


def test_extractor_every_term_pass_equals_the_automaton() -> None:
    """``Extractor.all_matches`` (the model's dictionary features) answers as the automaton over the same terms,
    ignored phrases left out, on clinical wordings."""
    from yizhu.knowledge.packs import get_kb
    from yizhu.knowledge.terminology import Extractor
    from yizhu.knowledge.terminology.text import fold

    ext = Extractor.build(get_kb())
    for text in ["患者急性心肌梗死，予阿司匹林100mg口服，血红蛋白 85 g/L ↓", "否认高血压病史，抗血小板治疗",
                 "咳嗽咳痰3天，伴发热，胸部CT示右下肺炎", "", "ＣＴ检查：双肺纹理增粗"]:
        t = fold(text)
        want = [(end - length + 1, end + 1, e.type) for end, (length, e) in ext._auto.iter(t) if e.type != "ignore"]
        assert ext.all_matches(t) == want
