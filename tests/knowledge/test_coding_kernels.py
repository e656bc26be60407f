"""The compiled loops of diagnosis coding give exactly the numbers of their numpy / LightGBM twins."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from yizhu.knowledge.terminology import kernels
from yizhu.knowledge.terminology.coding import CharIndex

pytestmark = pytest.mark.skipif(not kernels.available(), reason="numba is not importable here")


def _booster(X: np.ndarray, y: np.ndarray, **params: object) -> object:
    import lightgbm as lgb

    p = {"objective": "binary", "num_leaves": 15, "learning_rate": 0.1, "min_data_in_leaf": 5, "verbose": -1,
         "num_threads": 1, "seed": 1, "deterministic": True, **params}
    return lgb.train(p, lgb.Dataset(X, y), num_boost_round=40)


def _data(seed: int, n: int = 600, d: int = 8) -> tuple[np.ndarray, np.ndarray]:
    rs = np.random.RandomState(seed)
    X = rs.rand(n, d).astype(np.float32)
    X[rs.rand(n, d) < 0.3] = 0.0  # many exact zeros, as candidate features have
    y = ((X[:, 0] + X[:, 1] * X[:, 2] + 0.2 * rs.rand(n)) > 0.7).astype(np.float32)
    return X, y


def test_forest_predicts_exactly_what_lightgbm_predicts() -> None:
    X, y = _data(0)
    Xt, _ = _data(1, n=300)
    for leaves, layout in ((15, "qs"), (100, "flat")):  # QuickScorer up to 64 leaves a tree, else level by level
        b = _booster(X, y, num_leaves=leaves)
        f = kernels.Forest.from_booster(b)
        assert f.qs == (layout == "qs")
        assert np.array_equal(f.predict(Xt), b.predict(Xt, num_threads=1))  # type: ignore[attr-defined]
        assert f.predict(Xt[:0]).shape == (0,)


def test_forest_decides_values_at_a_threshold_exactly_as_lightgbm() -> None:
    """The compiled trees compare float32 rows with each threshold rounded down to a float32: rows at every
    threshold, one float32 step below and above it, and at its float32 rounding, score as LightGBM scores
    them (thresholds are doubles, mostly between two float32 values)."""
    X, y = _data(6)
    b = _booster(X, y)
    f = kernels.Forest.from_booster(b)
    assert f.qs
    t32 = kernels.float32_below(f.qs_thr)
    assert (t32.astype(np.float64) <= f.qs_thr).all()
    assert (np.nextafter(t32, np.float32(np.inf)).astype(np.float64) > f.qs_thr).all()
    rows = []
    rs = np.random.RandomState(7)
    for feat in range(len(f.qs_ptr) - 1):
        for t in f.qs_thr[f.qs_ptr[feat]:f.qs_ptr[feat + 1]]:
            for v in (np.float32(t), np.nextafter(np.float32(t), np.float32(-np.inf)),
                      np.nextafter(np.float32(t), np.float32(np.inf))):
                r = X[rs.randint(len(X))].copy()
                r[feat] = v
                rows.append(r)
    Xt = np.array(rows, dtype=np.float32)
    assert len(Xt) > 300
    assert np.array_equal(f.predict(Xt), b.predict(Xt, num_threads=1))  # type: ignore[attr-defined]


def test_forest_follows_lightgbm_on_missing_values_and_zero_as_missing() -> None:
    X, y = _data(2)
    X[::7, 3] = np.nan  # NaN seen in training: splits with a default direction
    for params in ({}, {"zero_as_missing": True}):
        b = _booster(X, y, **params)
        f = kernels.Forest.from_booster(b)
        Xt, _ = _data(3, n=300)
        Xt[::5, 3] = np.nan
        Xt[::11, 0] = np.nan
        assert np.allclose(f.predict(Xt), b.predict(Xt, num_threads=1), rtol=0, atol=1e-12)  # type: ignore[attr-defined]


def test_forest_refuses_what_it_cannot_read() -> None:
    X, y = _data(4)
    X[:, 5] = np.floor(X[:, 5] * 4)
    y = np.isin(X[:, 5], (1.0, 3.0)).astype(np.float32)  # only a categorical split separates these
    import lightgbm as lgb

    b = lgb.train({"objective": "binary", "verbose": -1, "num_threads": 1, "min_data_in_leaf": 5},
                  lgb.Dataset(X, y, categorical_feature=[5]), num_boost_round=10)
    assert any(t.get("decision_type") == "==" for t in _splits(b.dump_model()["tree_info"]))
    with pytest.raises(ValueError, match="categorical"):
        kernels.Forest.from_booster(b)
    b = lgb.train({"objective": "regression", "verbose": -1, "num_threads": 1}, lgb.Dataset(X, y), num_boost_round=3)
    with pytest.raises(ValueError, match="binary"):
        kernels.Forest.from_booster(b)


def _splits(trees: list[dict[str, object]]) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []

    def walk(node: dict[str, object]) -> None:
        if "split_index" in node:
            out.append(node)
            walk(node["left_child"])  # type: ignore[arg-type]
            walk(node["right_child"])  # type: ignore[arg-type]

    for t in trees:
        walk(t["tree_structure"])  # type: ignore[arg-type]
    return out


def test_compiled_topk_equals_the_numpy_query_best_first_ties_by_document() -> None:
    # synthetic keys (合成): repeated names make exact score ties, so the tie order is checked too
    keys = ["高血压", "高血压病", "原发性高血压", "2型糖尿病", "1型糖尿病", "糖尿病", "冠心病", "冠状动脉粥样硬化性心脏病",
            "慢性胃炎", "急性胃炎", "胃炎", "高血压", "肺炎", "社区获得性肺炎", "右肺腺癌", "肺恶性肿瘤"] * 3
    ix = CharIndex(keys)
    tk = kernels.TopK(ix.n)
    for q in ["高血压3级", "糖尿病肾病", "胃", "急性社区获得性肺炎", "冠心病 高血压", "无关"]:
        feats = np.array(sorted({ix.feat_ids[f] for f in ix.feat_ids if f in set(q) or f[1:] in _bigrams(q)}),
                         dtype=np.int64)
        if not len(feats):
            continue
        qw = ix.idf[feats] / np.float32(np.sqrt((ix.idf[feats] ** 2).sum()))
        for k in (1, 5, 30):
            a = tk(ix.ptr, ix.post_doc, ix.post_w, feats, qw, k, 0.05)
            b = kernels.topk_numpy(ix.ptr, ix.post_doc, ix.post_w, feats, qw, k, 0.05, ix.n)
            assert a[0].tolist() == b[0].tolist() and a[1].tolist() == b[1].tolist()
            s = list(zip((-a[1]).tolist(), a[0].tolist(), strict=True))
            assert s == sorted(s)
    hits = ix.query("高血压", 3)
    assert [keys[i] for i, _ in hits] == ["高血压", "高血压", "高血压"] and hits[0][0] < hits[1][0] < hits[2][0]


def _bigrams(q: str) -> set[str]:
    return {a + b for a, b in itertools.pairwise(q)}


def _random_queries(keys: list[str], n: int, seed: int) -> list[str]:
    """Synthetic queries (合成): slices and concatenations of keys, typos, spaces, Latin letters, very long
    strings (more than 128 features, so numpy's pairwise sum splits its blocks)."""
    import random

    rnd = random.Random(seed)
    chars = [*sorted(set("".join(keys))), " ", "a", "B", "3", "\u3000"]
    out = ["", " ", "高", "高血压", "高 血 压", "2型糖尿病 高血压3级", "".join(keys)[:200]]
    for _ in range(n):
        r = rnd.random()
        if r < 0.4:
            k = rnd.choice(keys)
            a = rnd.randrange(len(k))
            out.append(k[a:a + rnd.randint(1, 8)] + rnd.choice(["", "待查", "伴", " "]) + rnd.choice(keys))
        elif r < 0.8:
            out.append("".join(rnd.choice(chars) for _ in range(rnd.randint(1, 30))))
        else:
            out.append("".join(rnd.choice(keys) for _ in range(rnd.randint(5, 25))))
    return out


def test_compiled_query_and_fuzzy_return_exactly_what_the_python_path_returns() -> None:
    """The one-call compiled query (features from code points, rare-feature filter, float32 weights and
    norm, top-k) and fuzzy re-score (LCS edit ratio, stable order) against their Python/numpy/rapidfuzz
    reference, number for number, on synthetic keys with exact ties."""
    keys = ["高血压", "高血压病", "原发性高血压", "2型糖尿病", "1型糖尿病", "糖尿病", "冠心病", "冠状动脉粥样硬化性心脏病",
            "慢性胃炎", "急性胃炎", "胃炎", "高血压", "肺炎", "社区获得性肺炎", "右肺腺癌", "肺恶性肿瘤", "COPD",
            "心房颤动[心房纤颤]", "下肢未特指的损伤,水平未特指", "胫骨外髁骨折", "骨折", "腰椎间盘突出", "腺癌"] * 2
    ix = CharIndex(keys)
    assert ix._compiled() is not None
    for q in _random_queries(keys, 600, seed=7):
        a, b = ix.query_arrays(q, 30), ix.query_reference(q, 30)
        assert a[0].tolist() == b[0].tolist() and a[1].tolist() == b[1].tolist(), q
        assert ix.query(q, 30) == list(zip(b[0].tolist(), b[1].tolist(), strict=True)), q
        for kq, k in ((30, 12), (5, 5), (3, 1)):
            a, b = ix.fuzzy(q, kq, k), ix.fuzzy_reference(q, kq, k)
            assert a[0].tolist() == b[0].tolist() and a[1].tolist() == b[1].tolist(), q
            assert ix.fuzzy_list(q, kq, k) == list(zip(b[0].tolist(), b[1].tolist(), strict=True)), q


def test_compiled_pairwise_sum_is_numpys_float32_sum() -> None:
    kernels.available()
    rs = np.random.RandomState(3)
    for n in [*range(0, 40), 127, 128, 129, 135, 136, 255, 256, 257, 1000, 4099]:
        x = (rs.rand(n) * rs.choice([1e-3, 1.0, 1e3])).astype(np.float32)
        assert kernels._JIT["pairwise_sum_f32"](x, 0, n) == x.sum()


def test_compiled_shape_features_equal_the_python_rows(tmp_path: object) -> None:
    """cov_name, name_in_text, seg_len, cov_seg and lcs_name of every candidate, compiled and in Python,
    on synthetic diagnosis strings (合成) against the shipped pack's dictionary."""
    from yizhu.knowledge.terminology import Terminology
    from yizhu.knowledge.terminology.text import fold

    coder = Terminology(tmp_path).coder  # type: ignore[arg-type]
    d = coder.d
    names = d.compiled_names()
    assert names is not None
    texts = ["高血压3级 很高危", "2型糖尿病伴肾病，冠心病", "右肺腺癌术后化疗", "慢阻肺急性加重;肺部感染", "胃炎?",
             "高 血 压", "COPD", "左胫骨外髁骨折", "肝硬化门脉高压.脾肿大.脾功能亢进，食道胃底静脉曲张", "无"]
    n = 0
    for t in texts:
        sc = coder.candidates(t)
        folded = fold(t)
        if not sc.cands:
            continue
        cands = [*sc.cands, *[type(c)(c.entry, c.feats, 0, len(t), -1, "neighbours") for c in sc.cands[:3]]]
        entries = np.array([c.entry for c in cands], dtype=np.int64)
        segments = np.array([c.segment for c in cands], dtype=np.int64)
        got = kernels.shape_features(folded, sc.segments, len(t), entries, segments, names)
        want = np.array(coder.shape_rows(folded, sc.segments, len(t), cands), dtype=np.float64)
        assert got.tolist() == want.tolist(), t
        M = np.full((len(cands), 30), 7.0, dtype=np.float32)  # written in place, float32 as numpy rounds
        cols = np.array([3, 20, 21, 4, 5])
        kernels.shape_features_into(M, cols, folded, sc.segments, len(t), entries, segments, names)
        assert M[:, cols].tolist() == want.astype(np.float32).tolist(), t
        assert (np.delete(M, cols, axis=1) == 7.0).all()
        n += len(cands)
    assert n > 50


def test_candidate_rows_filled_in_one_compiled_call_equal_the_numpy_assignments(tmp_path: object) -> None:
    """Shape, name, text and prior columns of every candidate's row from ``kernels.candidate_rows_into``
    are the float32 values the numpy assignments give (the dictionary index's compiled loops switched off)."""
    from yizhu.knowledge.terminology import Terminology

    coder = Terminology(tmp_path).coder  # type: ignore[arg-type]
    d = coder.d

    class Priors:  # the model's neighbours: no neighbours, a prior per name (float64, rounded when stored)
        def entry_candidates(self, folded: str, d: object) -> tuple[()]:
            return ()

        def prior_table(self, d: object) -> np.ndarray:
            return np.linspace(-1.0, 7.3, 2 * len(coder.d.entries)).reshape(-1, 2) / 3.0

    texts = ["高血压3级 很高危", "2型糖尿病伴肾病，冠心病", "右肺腺癌术后化疗", "慢阻肺急性加重;肺部感染?", "左胫骨外髁骨折",
             "肝硬化门脉高压.脾肿大.脾功能亢进，食道胃底静脉曲张"]  # synthetic (合成)
    for neighbours in (None, Priors()):
        fast = [coder.candidates(t, neighbours).matrix for t in texts]  # type: ignore[arg-type]
        saved = d.index._topk
        d.index._topk = False
        try:
            slow = [coder.candidates(t, neighbours).matrix for t in texts]  # type: ignore[arg-type]
        finally:
            d.index._topk = saved
        for a, b in zip(fast, slow, strict=True):
            assert a is not None and b is not None and a.tobytes() == b.tobytes()


def test_feature_numbers_follow_first_appearance_not_the_string_hash_seed() -> None:
    """The order in which a query sums its features is the order of their numbers; numbered in order of
    first appearance, it is the same in every process (a set's order would follow PYTHONHASHSEED)."""
    from yizhu.knowledge.terminology.coding import _features

    docs = ["高血压病", "2型糖尿病", "冠心病 高血压"]  # synthetic (合成)
    ix = CharIndex(docs)
    want = list(dict.fromkeys(f for d in docs for f in _features(d)))
    assert list(ix.feat_ids) == want and list(ix.feat_ids.values()) == list(range(len(want)))


def test_feature_table_finds_every_key_and_nothing_else() -> None:
    """The n-gram feature look-up (a hash table with linear probing, at most half full) answers exactly
    what a binary search over the sorted keys answers: each key's number, -1 for absent keys, also when
    many keys crowd into neighbouring slots."""
    kernels.available()
    rs = np.random.RandomState(3)
    for n in (1, 7, 8, 9, 1000, 5000):
        keys = np.unique(np.concatenate([rs.randint(0, 1 << 42, n), np.arange(0x4E00, 0x4E00 + n // 2)]))
        ids = rs.permutation(len(keys)).astype(np.int64)
        bits = 4
        while (1 << bits) < 2 * len(keys):
            bits += 1
        table = kernels._JIT["feature_table"](keys.astype(np.int64), ids, bits)
        assert kernels._JIT["table_bits"](table) == bits
        number = kernels._JIT["feature_number"]
        for k, i in zip(keys.tolist(), ids.tolist(), strict=True):
            assert number(table, bits, k) == i
        absent = np.setdiff1d(np.concatenate([rs.randint(0, 1 << 42, 300), keys + 1, np.arange(0x4E00 - 50, 0x4E00)]), keys)
        for k in absent.tolist():
            assert number(table, bits, k) == -1


def test_forest_reads_a_missing_value_only_where_a_split_does() -> None:
    """NaN in a feature no tree splits on changes nothing (the fast loop answers); NaN where a split reads
    it sends the rows to the loop with LightGBM's rules for missing values. Both equal LightGBM."""
    X, y = _data(5, d=9)
    X[:, 8] = 0.0  # a constant feature: no split on it
    b = _booster(X, y)
    f = kernels.Forest.from_booster(b)
    assert f.qs
    Xt, _ = _data(6, n=200, d=9)
    Xt[::3, 8] = np.nan
    assert np.array_equal(f.predict(Xt), b.predict(Xt, num_threads=1))  # type: ignore[attr-defined]
    Xt[::4, 0] = np.nan
    assert np.allclose(f.predict(Xt), b.predict(Xt, num_threads=1), rtol=0, atol=1e-12)  # type: ignore[attr-defined]


def test_compiled_votes_equal_the_python_loop_over_the_query() -> None:
    """The query and its hits' votes in one compiled call (what the trained normaliser's neighbours and
    training segments use) equal a Python loop over ``query``: labels in order of first appearance,
    sums of squared cosines and of cosines added one by one, max cosines, share of the hits — also with
    documents without labels and a label given twice."""
    keys = ["高血压", "高血压病", "原发性高血压", "2型糖尿病", "1型糖尿病", "糖尿病", "冠心病", "冠状动脉粥样硬化性心脏病",
            "慢性胃炎", "急性胃炎", "胃炎", "高血压", "肺炎", "社区获得性肺炎", "右肺腺癌", "肺恶性肿瘤"] * 2  # 合成
    import random

    rnd = random.Random(5)
    labels = [tuple(rnd.randrange(12) for _ in range(rnd.choice([0, 1, 1, 2, 3]))) for _ in keys]
    labels[3] = (4, 4)
    ix = CharIndex(keys)
    csr = kernels.labels_csr(labels)
    n = 0
    for q in _random_queries(keys, 300, seed=11):
        for k in (1, 5, 10):
            got = ix.votes(q, k, csr)
            assert got is not None
            want: dict[int, list[float]] = {}
            hits = ix.query(q, k)
            for d, s in hits:
                for e in labels[d]:
                    sq, sm, mx, cnt = want.get(e, [0.0, 0.0, 0.0, 0.0])
                    want[e] = [sq + s * s, sm + s, max(mx, s), cnt + 1]
            assert got[0] == list(want), q
            assert [list(x) for x in zip(*got[1], strict=True)] == [
                [sq, sm, mx, cnt / len(hits)] for sq, sm, mx, cnt in want.values()], q
            n += len(want)
    assert n > 500
