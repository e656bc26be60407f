"""Compiled inner loops of diagnosis coding: the n-gram query, the fuzzy re-score, the candidates' shape
features and the reranker's trees.

All are plain loops compiled by numba (LLVM, on this machine, cached on disk beside this file or in
numba's user cache), so they run at C speed without a C toolchain at install or run time. Each has a
numpy/LightGBM twin that gives the same numbers (tests compare them), used when numba is missing or
``YIZHU_NO_NUMBA=1`` (the callers check ``available()``).

- ``topk``: the cosine scores of every document sharing a feature with the query, summed posting
  list by posting list exactly as ``np.bincount`` sums them (float32 products accumulated in float64),
  then the k best above a floor, best first, ties by document number.
- ``Query``: the whole query in one call from the query's code points — its unigram and bigram
  feature numbers (sorted key look-up), the rare-feature filter, the float32 idf weights normalised
  with numpy's pairwise float32 sum, then ``topk``; and ``fuzzy``: the same followed by rapidfuzz's
  ``fuzz.ratio`` (100·(1 − indel distance / summed lengths), the LCS by one DP row) of each hit and
  a stable best-first order. Twin: ``CharIndex.query_reference`` / ``fuzzy_reference``.
- ``shape_features``: per candidate, coverage of its name by the text and of the segment by its name,
  name-in-text, segment length and LCS ratio, over the dictionary's keys as code points (made once per
  dictionary). Twin: ``DiagnosisCoder.shape_rows``.
- ``Forest``: a LightGBM binary model read from its text dump (numerical splits only; anything else
  is refused and the caller keeps LightGBM), evaluated tree by tree in double precision with
  LightGBM's rules for missing values, then its sigmoid.
"""

from __future__ import annotations

import itertools
import math
import os
import re
from collections.abc import Sequence
from typing import Any

import numpy as np

_JIT: dict[str, Any] = {}


def available() -> bool:
    """Whether the compiled loops can be used (numba imports; not disabled by ``YIZHU_NO_NUMBA``).

    numba is imported on the first call only, so importing yizhu does not pay for it."""
    if "ok" not in _JIT:
        ok = not os.environ.get("YIZHU_NO_NUMBA")
        if ok:
            try:
                from numba import njit
            except ImportError:  # a dependency, but coding stays correct without it
                ok = False
            else:
                for name, f in _PY.items():
                    _JIT[name] = njit(cache=True)(f)
                # the loops that call other loops find them as module globals when they compile
                for name in _CALLED:
                    globals()["_" + name] = _JIT[name]
        _JIT["ok"] = ok
    return bool(_JIT["ok"])


def _run(name: str, *args: Any) -> Any:
    """Call a compiled loop; where numba finds no writable cache directory, compile it uncached."""
    try:
        return _JIT[name](*args)
    except RuntimeError as exc:
        if "cannot cache" not in str(exc):
            raise
        from numba import njit

        for n, f in _PY.items():  # every loop, so that the loops they call are uncached too
            _JIT[n] = njit(cache=False)(f)
        for n in _CALLED:
            globals()["_" + n] = _JIT[n]
        return _JIT[name](*args)


def _topk(ptr: np.ndarray, post_doc: np.ndarray, post_w: np.ndarray, feats: np.ndarray, qw: np.ndarray, k: int,
          floor: float, acc: np.ndarray, mark: np.ndarray, touched: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    nt = 0
    for j in range(feats.shape[0]):
        f = feats[j]
        q = qw[j]
        for p in range(ptr[f], ptr[f + 1]):
            d = post_doc[p]
            a = acc[d]
            # every weight is positive, so a document is new exactly when its sum is still 0 (one random
            # access a posting instead of two; were a product ever 0, the repeat is skipped below as <= floor)
            if a == 0.0:
                touched[nt] = d
                nt += 1
            acc[d] = a + np.float64(post_w[p] * q)  # float32 product, float64 sum: as np.bincount does
    top_d = np.empty(k, dtype=np.int64)
    top_s = np.empty(k, dtype=np.float64)
    m = 0
    for t in range(nt):
        d = touched[t]
        s = acc[d]
        acc[d] = 0.0
        if s <= floor:
            continue
        if m == k and (s < top_s[m - 1] or (s == top_s[m - 1] and d > top_d[m - 1])):
            continue
        i = m - 1 if m == k else m
        while i > 0 and (top_s[i - 1] < s or (top_s[i - 1] == s and top_d[i - 1] > d)):
            top_s[i] = top_s[i - 1]
            top_d[i] = top_d[i - 1]
            i -= 1
        top_s[i] = s
        top_d[i] = d
        if m < k:
            m += 1
    return top_d[:m], top_s[:m]


class TopK:
    """Scratch space for ``topk`` over one posting index (the compiled loop holds the GIL: one at a time).
    ``mark`` is no longer read (a document's running sum being 0 says it is new) but stays in the loops'
    signatures."""

    def __init__(self, n: int) -> None:
        self.acc = np.zeros(n, dtype=np.float64)
        self.mark = np.zeros(n, dtype=np.uint8)
        self.touched = np.zeros(n, dtype=np.int64)

    def __call__(self, ptr: np.ndarray, post_doc: np.ndarray, post_w: np.ndarray, feats: np.ndarray, qw: np.ndarray,
                 k: int, floor: float) -> tuple[np.ndarray, np.ndarray]:
        return _run("topk", ptr, post_doc, post_w, feats, qw, k, floor, self.acc, self.mark, self.touched)


def topk_numpy(ptr: np.ndarray, post_doc: np.ndarray, post_w: np.ndarray, feats: np.ndarray, qw: np.ndarray, k: int,
               floor: float, n: int) -> tuple[np.ndarray, np.ndarray]:
    """The same as the compiled ``topk`` with numpy calls (one gather over every posting list)."""
    starts = ptr[feats]
    lens = ptr[feats + 1] - starts
    total = int(lens.sum())
    offs = np.cumsum(lens) - lens
    pos = np.arange(total, dtype=np.int64) + np.repeat(starts - offs, lens)
    scores = np.bincount(post_doc[pos], weights=post_w[pos] * np.repeat(qw, lens), minlength=n)
    nz = np.flatnonzero(scores > floor)
    order = np.lexsort((nz, -scores[nz]))[:k]  # best first, ties by document number
    top = nz[order]
    return top, scores[top]


# ---- the whole n-gram query and the fuzzy re-score in one call
#
# ``CharIndex.query_arrays`` and ``DiagnosisCoder._fuzzy_uncached`` did their preparation in Python and
# numpy (features of the query, the rare-feature filter, the query weights and their norm; then the edit
# ratios of the 30 keys and a stable sort), about as much time as the scatter-add itself. These loops do
# all of it from the query's code points with the same float32/float64 arithmetic, so the answers are
# the same numbers (tests compare them with the Python path on real and random strings).


def _pairwise_block_f32(a: np.ndarray, lo: int, n: int) -> np.float32:
    """numpy's pairwise summation of float32 for n <= 128: in order below 8, else 8 float32 accumulators."""
    if n < 8:
        res = np.float32(0.0)
        for i in range(lo, lo + n):
            res = np.float32(res + a[i])
        return res
    r0, r1, r2, r3 = a[lo], a[lo + 1], a[lo + 2], a[lo + 3]
    r4, r5, r6, r7 = a[lo + 4], a[lo + 5], a[lo + 6], a[lo + 7]
    i = 8
    while i < n - (n % 8):
        r0 = np.float32(r0 + a[lo + i])
        r1 = np.float32(r1 + a[lo + i + 1])
        r2 = np.float32(r2 + a[lo + i + 2])
        r3 = np.float32(r3 + a[lo + i + 3])
        r4 = np.float32(r4 + a[lo + i + 4])
        r5 = np.float32(r5 + a[lo + i + 5])
        r6 = np.float32(r6 + a[lo + i + 6])
        r7 = np.float32(r7 + a[lo + i + 7])
        i += 8
    res = np.float32(np.float32(np.float32(r0 + r1) + np.float32(r2 + r3))
                     + np.float32(np.float32(r4 + r5) + np.float32(r6 + r7)))
    while i < n:
        res = np.float32(res + a[lo + i])
        i += 1
    return res


def _pairwise_sum_f32(a: np.ndarray, lo: int, n: int) -> np.float32:
    """numpy's pairwise summation of float32 (``ndarray.sum``): blocks of at most 128 summed by
    ``_pairwise_block_f32``, larger runs split in two halves (the first a multiple of 8) and added.
    The recursion is unrolled onto a stack: numba's disk cache does not keep recursive loops reliably."""
    if n <= 128:
        return _pairwise_block_f32(a, lo, n)
    s_lo = np.empty(64, dtype=np.int64)
    s_n = np.empty(64, dtype=np.int64)
    s_state = np.zeros(64, dtype=np.int64)
    vals = np.empty(64, dtype=np.float32)
    sp = 1
    s_lo[0], s_n[0], s_state[0] = lo, n, 0
    vp = 0
    while sp > 0:
        t = sp - 1
        m = s_n[t]
        if m <= 128:
            vals[vp] = _pairwise_block_f32(a, s_lo[t], m)
            vp += 1
            sp -= 1
            continue
        m2 = m // 2
        m2 -= m2 % 8
        if s_state[t] == 0:  # the first half
            s_state[t] = 1
            s_lo[sp], s_n[sp], s_state[sp] = s_lo[t], m2, 0
            sp += 1
        elif s_state[t] == 1:  # the second half
            s_state[t] = 2
            s_lo[sp], s_n[sp], s_state[sp] = s_lo[t] + m2, m - m2, 0
            sp += 1
        else:  # both done: their sum
            vals[vp - 2] = np.float32(vals[vp - 2] + vals[vp - 1])
            vp -= 1
            sp -= 1
    return vals[0]


_HASH_MUL = 0x9E3779B97F4A7C15  # Fibonacci hashing: the top bits of key × 2^64/φ pick the slot


def _feature_table(keys: np.ndarray, ids: np.ndarray, bits: int) -> np.ndarray:
    """An open-addressing hash table of feature key → feature number (linear probing; slot i is
    ``table[2i]`` = key or -1 when empty, ``table[2i + 1]`` = number): one or two cache lines a look-up,
    where a binary search over the sorted keys cost about sixteen dependent ones."""
    size = 1 << bits
    table = np.full(2 * size, -1, dtype=np.int64)
    mask = size - 1
    for j in range(keys.shape[0]):
        i = np.int64((np.uint64(keys[j]) * np.uint64(_HASH_MUL)) >> np.uint64(64 - bits))
        while table[2 * i] != -1:
            i = (i + 1) & mask
        table[2 * i] = keys[j]
        table[2 * i + 1] = ids[j]
    return table


def _table_bits(table: np.ndarray) -> int:
    """log2 of a ``_feature_table``'s number of slots."""
    bits = 0
    while (1 << bits) < table.shape[0] // 2:
        bits += 1
    return bits


def _feature_number(table: np.ndarray, bits: int, k: np.int64) -> np.int64:
    """The feature number of key ``k`` in a ``_feature_table`` of 2^bits slots, or -1."""
    mask = (1 << bits) - 1
    i = np.int64((np.uint64(k) * np.uint64(_HASH_MUL)) >> np.uint64(64 - bits))
    while True:
        key = table[2 * i]
        if key == k:
            return table[2 * i + 1]
        if key == -1:
            return np.int64(-1)
        i = (i + 1) & mask


def _query_weights(cps: np.ndarray, ftab: np.ndarray, idf: np.ndarray,
                   common_idf: np.float32) -> tuple[np.ndarray, np.ndarray]:
    """The query's features (unigrams and bigrams of its non-space code points) as sorted distinct feature
    numbers, the rare-feature filter, and the L2-normalised idf weights (float32, as numpy computes them)."""
    n = cps.shape[0]
    got = np.empty(max(2 * n - 1, 1), dtype=np.int64)
    m = 0
    bits = _table_bits(ftab)
    for i in range(2 * n - 1):
        if i < n:
            k = np.int64(cps[i])
        else:
            j = i - n
            k = ((np.int64(cps[j]) + 1) << 21) | np.int64(cps[j + 1])
        f = _feature_number(ftab, bits, k)
        if f >= 0:
            got[m] = f
            m += 1
    got = np.sort(got[:m])
    fa = np.empty(m, dtype=np.int64)
    nf = 0
    for i in range(m):
        if i == 0 or got[i] != got[i - 1]:
            fa[nf] = got[i]
            nf += 1
    fa = fa[:nf]
    if nf > 4:
        nr = 0
        for i in range(nf):
            if idf[fa[i]] > common_idf:
                nr += 1
        if nr:
            rare = np.empty(nr, dtype=np.int64)
            nr = 0
            for i in range(nf):
                if idf[fa[i]] > common_idf:
                    rare[nr] = fa[i]
                    nr += 1
            fa = rare
    qw = np.empty(fa.shape[0], dtype=np.float32)
    sq = np.empty(fa.shape[0], dtype=np.float32)
    for i in range(fa.shape[0]):
        qw[i] = idf[fa[i]]
        sq[i] = np.float32(qw[i] * qw[i])
    norm = np.float32(math.sqrt(np.float64(_pairwise_sum_f32(sq, 0, sq.shape[0]))))
    if norm == 0:
        norm = np.float32(1.0)
    for i in range(fa.shape[0]):
        qw[i] = np.float32(qw[i] / norm)
    return fa, qw


def _query(cps: np.ndarray, ftab: np.ndarray, idf: np.ndarray, common_idf: np.float32,
           ptr: np.ndarray, post_doc: np.ndarray, post_w: np.ndarray, k: int, floor: float, acc: np.ndarray,
           mark: np.ndarray, touched: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    fa, qw = _query_weights(cps, ftab, idf, common_idf)
    if fa.shape[0] == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
    return _topk(ptr, post_doc, post_w, fa, qw, k, floor, acc, mark, touched)


def _lcs_len(a: np.ndarray, b_cps: np.ndarray, b0: int, b1: int, row: np.ndarray) -> int:
    """Length of the longest common subsequence of ``a`` and ``b_cps[b0:b1]`` (one DP row)."""
    n = a.shape[0]
    for j in range(n + 1):
        row[j] = 0
    for i in range(b0, b1):
        c = b_cps[i]
        prev = 0  # row[j - 1] of the previous line
        for j in range(1, n + 1):
            cur = row[j]
            if a[j - 1] == c:
                row[j] = prev + 1
            elif row[j - 1] > cur:
                row[j] = row[j - 1]
            prev = cur
    return row[n]


def _fuzzy(cps: np.ndarray, full: np.ndarray, ftab: np.ndarray, idf: np.ndarray,
           common_idf: np.float32, ptr: np.ndarray, post_doc: np.ndarray, post_w: np.ndarray, doc_ptr: np.ndarray,
           doc_cps: np.ndarray, k_query: int, k: int, floor: float, acc: np.ndarray, mark: np.ndarray,
           touched: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The ``k_query`` nearest documents of ``cps`` (its non-space code points) re-scored by
    ``0.5·cosine + 0.005·ratio(full, document)`` (rapidfuzz's ``fuzz.ratio``: 100·(1 − indel distance /
    summed lengths)); the ``k`` best, best first, ties in the query's order (numpy's stable sort)."""
    top, cos = _query(cps, ftab, idf, common_idf, ptr, post_doc, post_w, k_query, floor, acc, mark, touched)
    m = top.shape[0]
    score = np.empty(m, dtype=np.float64)
    row = np.empty(full.shape[0] + 1, dtype=np.int64)
    for i in range(m):
        d = top[i]
        b0, b1 = doc_ptr[d], doc_ptr[d + 1]
        lensum = full.shape[0] + (b1 - b0)
        if lensum == 0:
            ratio = 100.0
        else:
            dist = lensum - 2 * _lcs_len(full, doc_cps, b0, b1, row)
            ratio = (1.0 - np.float64(dist) / np.float64(lensum)) * 100.0
        score[i] = 0.5 * cos[i] + 0.005 * ratio
    kk = min(k, m)
    out_d = np.empty(kk, dtype=np.int64)
    out_s = np.empty(kk, dtype=np.float64)
    used = np.zeros(m, dtype=np.uint8)
    for r in range(kk):  # selection: the best left, the earliest of equals (a stable sort's order)
        b = -1
        for i in range(m):
            if not used[i] and (b < 0 or score[i] > score[b]):
                b = i
        used[b] = 1
        out_d[r] = top[b]
        out_s[r] = score[b]
    return out_d, out_s


def _decode(b: bytes) -> np.ndarray:
    """The code points of a string from its Python "utf-32" encoding (a 4-byte byte-order mark, then 4
    bytes a character in the machine's order): read here, so the caller passes the bytes object as it is
    (no numpy array to make for every query)."""
    n = (len(b) - 4) // 4
    out = np.empty(n, dtype=np.int32)
    little = b[0] == 0xFF
    for i in range(n):
        j = 4 + 4 * i
        if little:
            out[i] = np.int32(b[j] | (b[j + 1] << 8) | (b[j + 2] << 16) | (b[j + 3] << 24))
        else:
            out[i] = np.int32(b[j + 3] | (b[j + 2] << 8) | (b[j + 1] << 16) | (b[j] << 24))
    return out


def _query_into(qb: bytes, ftab: np.ndarray, idf: np.ndarray, common_idf: np.float32, ptr: np.ndarray,
                post_doc: np.ndarray, post_w: np.ndarray, k: int, floor: float, acc: np.ndarray, mark: np.ndarray,
                touched: np.ndarray, out_d: np.ndarray, out_s: np.ndarray) -> int:
    """``_query`` of the string whose "utf-32" bytes are ``qb``, its hits written into ``out_d``/``out_s``
    (at least k long); returns their number. (Returning arrays from a compiled call costs more than the
    call itself.)"""
    top, s = _query(_decode(qb), ftab, idf, common_idf, ptr, post_doc, post_w, k, floor, acc, mark, touched)
    m = top.shape[0]
    for i in range(m):
        out_d[i] = top[i]
        out_s[i] = s[i]
    return m


def _fuzzy_into(qb: bytes, fullb: bytes, ftab: np.ndarray, idf: np.ndarray, common_idf: np.float32, ptr: np.ndarray,
                post_doc: np.ndarray, post_w: np.ndarray, doc_ptr: np.ndarray, doc_cps: np.ndarray, k_query: int, k: int,
                floor: float, acc: np.ndarray, mark: np.ndarray, touched: np.ndarray, out_d: np.ndarray,
                out_s: np.ndarray) -> int:
    """``_fuzzy`` of the strings whose "utf-32" bytes are ``qb`` (without spaces) and ``fullb``, written
    into ``out_d``/``out_s`` (at least k long); returns the number of hits."""
    full = _decode(fullb)
    cps = full if len(qb) == len(fullb) else _decode(qb)  # nonspace(q) is q when nothing was left out
    top, s = _fuzzy(cps, full, ftab, idf, common_idf, ptr, post_doc, post_w, doc_ptr, doc_cps, k_query, k, floor,
                    acc, mark, touched)
    m = top.shape[0]
    for i in range(m):
        out_d[i] = top[i]
        out_s[i] = s[i]
    return m


def _shape_features(text: np.ndarray, seg_s: np.ndarray, seg_e: np.ndarray, tlen: int, entries: np.ndarray,
                    segments: np.ndarray, ent_ptr: np.ndarray, ent_cps: np.ndarray) -> np.ndarray:
    """Per candidate (entry, segment): how its name's key covers the text and the segment — the columns
    cov_name, name_in_text, seg_len, cov_seg, lcs_name of ``coding.FEATURES`` (float64; the caller stores
    them as float32): share of the key's characters found in the text, whether the key is a substring of
    the text, the segment's length (the text's for a whole-text candidate), share of the segment's
    characters found in the key, and the longest common subsequence of segment (or text) and key over
    the key's length."""
    n = entries.shape[0]
    out = np.zeros((n, 5), dtype=np.float64)
    tn = text.shape[0]
    row = np.empty(tn + 1, dtype=np.int64)
    nsegs = seg_s.shape[0]
    for r in range(n):
        e = entries[r]
        k0, k1 = ent_ptr[e], ent_ptr[e + 1]
        kl = k1 - k0
        nl = kl if kl > 0 else 1
        cov = 0
        for i in range(k0, k1):
            c = ent_cps[i]
            for j in range(tn):
                if text[j] == c:
                    cov += 1
                    break
        out[r, 0] = np.float64(cov) / np.float64(nl)
        found = kl == 0
        for st in range(tn - kl + 1):
            if found:
                break
            ok = True
            for i in range(kl):
                if text[st + i] != ent_cps[k0 + i]:
                    ok = False
                    break
            found = ok
        out[r, 1] = 1.0 if found else 0.0
        sg = segments[r]
        if 0 <= sg < nsegs:
            a, b = seg_s[sg], seg_e[sg]
            sl = b - a
            out[r, 2] = np.float64(sl)
            cs = 0
            for j in range(a, b):
                c = text[j]
                for i in range(k0, k1):
                    if ent_cps[i] == c:
                        cs += 1
                        break
            out[r, 3] = np.float64(cs) / np.float64(sl if sl > 0 else 1)
            out[r, 4] = np.float64(_lcs_len(text[a:b], ent_cps, k0, k1, row)) / np.float64(nl)
        else:
            out[r, 2] = np.float64(tlen)
            out[r, 3] = 0.0
            out[r, 4] = np.float64(_lcs_len(text, ent_cps, k0, k1, row)) / np.float64(nl)
    return out


def _votes_into(qb: bytes, ftab: np.ndarray, idf: np.ndarray, common_idf: np.float32, ptr: np.ndarray,
                post_doc: np.ndarray, post_w: np.ndarray, k: int, floor: float, acc: np.ndarray, mark: np.ndarray,
                touched: np.ndarray, gptr: np.ndarray, gent: np.ndarray, out_e: np.ndarray, out_v: np.ndarray) -> int:
    """``_query`` of the string whose "utf-32" bytes are ``qb``, then every hit's labels (``gent[gptr[d]:
    gptr[d + 1]]`` for document d) voted for with the hit's cosine: per label, in order of first
    appearance, ``out_e`` = the label and ``out_v[:, j]`` = (sum of squared cosines, sum of cosines, max
    cosine, share of the hits that voted for it), each sum added hit by hit in float64 as a Python loop
    adds. Returns the number of labels (0 without hits)."""
    top, s = _query(_decode(qb), ftab, idf, common_idf, ptr, post_doc, post_w, k, floor, acc, mark, touched)
    m = top.shape[0]
    n = 0
    for h in range(m):
        d = top[h]
        x = s[h]
        for p in range(gptr[d], gptr[d + 1]):
            e = gent[p]
            j = 0
            while j < n and out_e[j] != e:
                j += 1
            if j == n:
                out_e[n] = e
                out_v[0, n] = x * x
                out_v[1, n] = x
                out_v[2, n] = x
                out_v[3, n] = 1.0
                n += 1
            else:
                out_v[0, j] = out_v[0, j] + x * x
                out_v[1, j] = out_v[1, j] + x
                if x > out_v[2, j]:
                    out_v[2, j] = x
                out_v[3, j] = out_v[3, j] + 1.0
    for j in range(n):
        out_v[3, j] = out_v[3, j] / np.float64(m)
    return n


def labels_csr(labels: Sequence[Sequence[int]]) -> tuple[np.ndarray, np.ndarray, int]:
    """(offsets, labels, longest) of each document's labels, for ``votes``."""
    lens = np.fromiter(map(len, labels), dtype=np.int64, count=len(labels))
    ptr = np.zeros(len(labels) + 1, dtype=np.int64)
    np.cumsum(lens, out=ptr[1:])
    flat = np.fromiter(itertools.chain.from_iterable(labels), dtype=np.int64, count=int(ptr[-1]))
    return ptr, flat, int(lens.max()) if len(lens) else 0


def _shape_into(tb: bytes, segs: np.ndarray, tlen: int, entries: np.ndarray, segments: np.ndarray,
                ent_ptr: np.ndarray, ent_cps: np.ndarray, M: np.ndarray, cols: np.ndarray) -> None:
    """``_shape_features`` of the text whose "utf-32" bytes are ``tb`` (segments as start, end pairs)
    stored straight into the float32 columns ``cols`` of ``M`` (the same rounding as numpy's assignment
    of the float64 values)."""
    n_s = segs.shape[0] // 2
    seg_s = np.empty(n_s, dtype=np.int64)
    seg_e = np.empty(n_s, dtype=np.int64)
    for i in range(n_s):
        seg_s[i] = segs[2 * i]
        seg_e[i] = segs[2 * i + 1]
    out = _shape_features(_decode(tb), seg_s, seg_e, tlen, entries, segments, ent_ptr, ent_cps)
    for r in range(out.shape[0]):
        for j in range(5):
            M[r, cols[j]] = np.float32(out[r, j])


def _rows_into(tb: bytes, segs: np.ndarray, tlen: int, entries: np.ndarray, segments: np.ndarray, ent_ptr: np.ndarray,
               ent_cps: np.ndarray, M: np.ndarray, cols: np.ndarray, static: np.ndarray, n_segments: int,
               uncertain: float, prior: np.ndarray) -> None:
    """Every per-name and per-text column of the candidates' float32 rows ``M`` at once: the shape
    features (``_shape_into``; ``cols[0:5]``), the name's static columns (``static[entry]``, 4 adjacent
    columns from ``cols[5]``), the text's columns (segments, length, uncertainty: ``cols[6:9]``) and, when
    ``prior`` has rows, the name's priors (2 adjacent columns from ``cols[9]``), each stored as numpy
    would store it (float32 rounding)."""
    _shape_into(tb, segs, tlen, entries, segments, ent_ptr, ent_cps, M, cols)
    s0 = cols[5]
    p0 = cols[9]
    has_prior = prior.shape[0] > 0
    for r in range(entries.shape[0]):
        e = entries[r]
        for j in range(4):
            M[r, s0 + j] = static[e, j]
        M[r, cols[6]] = np.float32(n_segments)
        M[r, cols[7]] = np.float32(tlen)
        M[r, cols[8]] = np.float32(uncertain)
        if has_prior:
            M[r, p0] = np.float32(prior[e, 0])
            M[r, p0 + 1] = np.float32(prior[e, 1])


def _memory_rows(X: np.ndarray, M: np.ndarray, new_row: np.ndarray, new_ids: np.ndarray, new_cov: np.ndarray,
                 static: np.ndarray, prior: np.ndarray, cols: np.ndarray, n_segments: int, tlen: int,
                 extra_rows: np.ndarray, extra_vals: np.ndarray) -> None:
    """The trained normaliser's feature matrix ``X`` (zeros on entry) in one call: the dictionary
    candidates' rows ``M`` first; then a row per candidate only the memory proposed (``new_row`` with its
    name's static columns from ``cols[0]``, the text's segments and length at ``cols[1]``/``cols[2]``, its
    name's coverage at ``cols[3]``, its priors from ``cols[4]``); then the memory's own columns (after
    ``M``'s) of the rows ``extra_rows``: ``extra_vals`` five a row. Each value stored as numpy would store it."""
    m = M.shape[0]
    nf = M.shape[1]
    for r in range(m):
        for j in range(nf):
            X[r, j] = M[r, j]
    for i in range(new_ids.shape[0]):
        r = m + i
        e = new_ids[i]
        for j in range(nf):
            X[r, j] = new_row[j]
        for j in range(4):
            X[r, cols[0] + j] = static[e, j]
        X[r, cols[1]] = np.float32(n_segments)
        X[r, cols[2]] = np.float32(tlen)
        X[r, cols[3]] = np.float32(new_cov[i])
        X[r, cols[4]] = np.float32(prior[e, 0])
        X[r, cols[4] + 1] = np.float32(prior[e, 1])
    for i in range(extra_rows.shape[0]):
        r = extra_rows[i]
        for j in range(5):
            X[r, nf + j] = np.float32(extra_vals[5 * i + j])


def memory_rows(X: np.ndarray, M: np.ndarray, new_row: np.ndarray, new_ids: Sequence[int], new_cov: Sequence[float],
                static: np.ndarray, prior: np.ndarray, cols: np.ndarray, n_segments: int, tlen: int,
                extra_rows: Sequence[int], extra_vals: Sequence[Sequence[float]]) -> None:
    """``_memory_rows`` from Python lists."""
    _run("memory_rows", X, M, new_row, np.array(new_ids, dtype=np.int64), np.array(new_cov, dtype=np.float64),
         static, prior, cols, n_segments, tlen, np.array(extra_rows, dtype=np.int64),
         np.fromiter(itertools.chain.from_iterable(extra_vals), dtype=np.float64, count=5 * len(extra_vals)))


_NO_PRIOR = np.zeros((0, 2), dtype=np.float64)


def candidate_rows_into(M: np.ndarray, cols: np.ndarray, text: str, segs: Sequence[tuple[int, int]], tlen: int,
                        entries: np.ndarray, segments: np.ndarray, names: tuple[np.ndarray, np.ndarray],
                        static: np.ndarray, n_segments: int, uncertain: float, prior: np.ndarray | None) -> None:
    """``_rows_into`` for a folded text (one compiled call instead of five numpy assignments)."""
    _run("rows_into", text.encode("utf-32"), np.fromiter(itertools.chain.from_iterable(segs), dtype=np.int64,
                                                          count=2 * len(segs)),
         tlen, entries, segments, names[0], names[1], M, cols, static, n_segments, uncertain,
         _NO_PRIOR if prior is None else prior)


def shape_features_into(M: np.ndarray, cols: np.ndarray, text: str, segs: Sequence[tuple[int, int]], tlen: int,
                        entries: np.ndarray, segments: np.ndarray, names: tuple[np.ndarray, np.ndarray]) -> None:
    """``shape_features`` written into the float32 matrix ``M`` (C order), its five columns at ``cols``."""
    _run("shape_into", text.encode("utf-32"), np.fromiter(itertools.chain.from_iterable(segs), dtype=np.int64,
                                                           count=2 * len(segs)),
         tlen, entries, segments, names[0], names[1], M, cols)


def shape_features(text: str, segs: Sequence[tuple[int, int]], tlen: int, entries: np.ndarray,
                   segments: np.ndarray, names: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    """``_shape_features`` for a folded text: ``names`` are the dictionary keys' (offsets, code points)."""
    seg_a = np.array(segs, dtype=np.int64).reshape(-1, 2)
    return _run("shape_features", codepoints(text), np.ascontiguousarray(seg_a[:, 0]),
                np.ascontiguousarray(seg_a[:, 1]), tlen, entries, segments, names[0], names[1])


def strings_csr(docs: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """(offsets, code points) of several strings, for the compiled loops."""
    lens = np.fromiter(map(len, docs), dtype=np.int64, count=len(docs))
    ptr = np.zeros(len(docs) + 1, dtype=np.int64)
    np.cumsum(lens, out=ptr[1:])
    return ptr, codepoints("".join(docs))


class Query:
    """The compiled ``query`` / ``fuzzy`` over one ``CharIndex``: its feature look-up as sorted keys
    (code point for a unigram, (first + 1) << 21 | second for a bigram), the documents' code points,
    and the scratch space of ``topk``."""

    def __init__(self, feat_ids: dict[str, int], docs: Sequence[str] | None, idf: np.ndarray, common_idf: float,
                 n: int) -> None:
        keys = np.empty(len(feat_ids), dtype=np.int64)
        ids = np.empty(len(feat_ids), dtype=np.int64)
        for j, (f, i) in enumerate(feat_ids.items()):
            keys[j] = ord(f) if len(f) == 1 else ((ord(f[1]) + 1) << 21) | ord(f[2])
            ids[j] = i
        order = np.argsort(keys, kind="stable")
        self.fkeys = np.ascontiguousarray(keys[order])
        self.fids = np.ascontiguousarray(ids[order])
        bits = 4
        while (1 << bits) < 2 * len(keys):  # at most half full
            bits += 1
        self.ftab = _run("feature_table", self.fkeys, self.fids, bits)
        self.idf = idf
        self.common_idf = np.float32(common_idf)  # numpy compares float32 with a Python float in float32
        self.scratch = TopK(n)
        self._docs = docs
        self._doc_arrays: tuple[np.ndarray, np.ndarray] | None = None

    def doc_arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """(offsets, code points) of the documents, made on the first fuzzy query."""
        if self._doc_arrays is None:
            self._doc_arrays = strings_csr(self._docs or [])
        return self._doc_arrays

    def query(self, q: str, ptr: np.ndarray, post_doc: np.ndarray, post_w: np.ndarray, k: int,
              floor: float) -> tuple[np.ndarray, np.ndarray]:
        top = np.empty(k, dtype=np.int64)
        score = np.empty(k, dtype=np.float64)
        m = self.query_into(q, ptr, post_doc, post_w, k, floor, top, score)
        return top[:m], score[:m]

    def query_into(self, q: str, ptr: np.ndarray, post_doc: np.ndarray, post_w: np.ndarray, k: int, floor: float,
                   top: np.ndarray, score: np.ndarray) -> int:
        """``query`` written into ``top``/``score`` (at least k long, the caller's: no state shared between
        threads); returns the number of hits."""
        s = self.scratch
        return _run("query_into", nonspace(q).encode("utf-32"), self.ftab, self.idf, self.common_idf, ptr, post_doc,
                    post_w, k, floor, s.acc, s.mark, s.touched, top, score)

    def fuzzy(self, q: str, ptr: np.ndarray, post_doc: np.ndarray, post_w: np.ndarray, k_query: int, k: int,
              floor: float) -> tuple[np.ndarray, np.ndarray]:
        top = np.empty(k, dtype=np.int64)
        score = np.empty(k, dtype=np.float64)
        m = self.fuzzy_into(q, ptr, post_doc, post_w, k_query, k, floor, top, score)
        return top[:m], score[:m]

    def fuzzy_into(self, q: str, ptr: np.ndarray, post_doc: np.ndarray, post_w: np.ndarray, k_query: int, k: int,
                   floor: float, top: np.ndarray, score: np.ndarray) -> int:
        """``fuzzy`` written into ``top``/``score`` (at least k long); returns the number of hits."""
        s = self.scratch
        full = q.encode("utf-32")
        ns = nonspace(q)
        doc_ptr, doc_cps = self.doc_arrays()
        return _run("fuzzy_into", full if ns is q else ns.encode("utf-32"), full, self.ftab, self.idf,
                    self.common_idf, ptr, post_doc, post_w, doc_ptr, doc_cps, k_query, k, floor, s.acc, s.mark,
                    s.touched, top, score)

    def votes(self, q: str, ptr: np.ndarray, post_doc: np.ndarray, post_w: np.ndarray, k: int, floor: float,
              labels: tuple[np.ndarray, np.ndarray, int]) -> tuple[list[int], list[list[float]]]:
        """``query`` followed by ``_votes_into`` over ``labels`` (``labels_csr``): (labels, [sums of squared
        cosines, sums of cosines, max cosines, shares of the hits]), in order of first appearance."""
        s = self.scratch
        cap = max(k * labels[2], 1)
        ents = np.empty(cap, dtype=np.int64)
        vals = np.empty((4, cap), dtype=np.float64)
        n = _run("votes_into", nonspace(q).encode("utf-32"), self.ftab, self.idf, self.common_idf, ptr, post_doc,
                 post_w, k, floor, s.acc, s.mark, s.touched, labels[0], labels[1], ents, vals)
        return ents[:n].tolist(), vals[:, :n].tolist()



_I32 = np.dtype(np.int32)


def codepoints(s: str) -> np.ndarray:
    """The code points of ``s`` as an int32 array. (Python encodes "utf-32" by a fast path, in the
    machine's byte order after a 4-byte byte-order mark, which is skipped: twice as fast as "utf-32-le".)"""
    return np.frombuffer(s.encode("utf-32"), _I32, -1, 4)


def nonspace(s: str) -> str:
    """``s`` without whitespace (``str.isspace``), the characters the n-gram features are made of."""
    return s if s.isprintable() and " " not in s else "".join(c for c in s if not c.isspace())


# ---- the reranker's trees

_MISSING = {0: 0, 1: 1, 2: 2}  # LightGBM decision_type bits 2-3: None, Zero, NaN
_K_ZERO = 1e-35


def _forest(X: np.ndarray, roots: np.ndarray, feat: np.ndarray, thr: np.ndarray, left: np.ndarray,
            right: np.ndarray, dleft: np.ndarray, missing: np.ndarray, leaf: np.ndarray, sigmoid: float) -> np.ndarray:
    n = X.shape[0]
    out = np.empty(n, dtype=np.float64)
    for r in range(n):
        raw = 0.0
        for t in range(roots.shape[0]):
            node = roots[t]
            while node >= 0:
                v = np.float64(X[r, feat[node]])
                mt = missing[node]
                if math.isnan(v) and mt != 2:
                    v = 0.0
                if (mt == 1 and -_K_ZERO <= v <= _K_ZERO) or (mt == 2 and math.isnan(v)):
                    node = left[node] if dleft[node] else right[node]
                elif v <= thr[node]:
                    node = left[node]
                else:
                    node = right[node]
            raw += leaf[~node]
        out[r] = 1.0 / (1.0 + math.exp(-sigmoid * raw))
    return out


def _forest_flat(X: np.ndarray, roots: np.ndarray, depths: np.ndarray, feat: np.ndarray, thr: np.ndarray,
                 left: np.ndarray, right: np.ndarray, value: np.ndarray, sigmoid: float) -> np.ndarray:
    """Tree by tree, all rows a level at a time (independent rows overlap in the CPU); leaves are
    self-looping nodes (threshold +inf), so every step is one branch-free select."""
    n = X.shape[0]
    raw = np.zeros(n, dtype=np.float64)
    nodes = np.empty(n, dtype=np.int64)
    for t in range(roots.shape[0]):
        root = roots[t]
        for r in range(n):
            nodes[r] = root
        for _ in range(depths[t]):
            for r in range(n):
                node = nodes[r]
                nodes[r] = left[node] if np.float64(X[r, feat[node]]) <= thr[node] else right[node]
        for r in range(n):
            raw[r] += value[nodes[r]]
    out = np.empty(n, dtype=np.float64)
    for r in range(n):
        out[r] = 1.0 / (1.0 + math.exp(-sigmoid * raw[r]))
    return out


_DEBRUIJN = 0x03F79D71B4CB0A89
_DEBRUIJN_TABLE = np.zeros(64, dtype=np.int64)
for _i in range(64):
    _DEBRUIJN_TABLE[((1 << _i) * _DEBRUIJN & 0xFFFFFFFFFFFFFFFF) >> 58] = _i


def _forest_qs(X: np.ndarray, feat_ptr: np.ndarray, qs_thr32: np.ndarray, qs_tm: np.ndarray, leaf_base: np.ndarray,
               leaf_value: np.ndarray, table: np.ndarray, sigmoid: float, out: np.ndarray) -> bool:
    """QuickScorer (Lucchese et al., SIGIR 2015): per feature, the splits sorted by threshold; every split
    the row fails (x > threshold) clears its left subtree's leaves from its tree's bit mask; each tree's
    exit leaf is then the leftmost leaf left. Sums the exit leaves' values in tree order, into ``out`` (the
    caller's: an array returned from a compiled call costs microseconds); False when a value a split reads is
    missing (NaN).

    The rows are float32 and each threshold t is stored as the largest float32 <= t, so ``x > t`` is
    decided exactly by one float32 comparison (x > t ⇔ x > that float32, for every float32 x); a split's
    tree and mask sit side by side in ``qs_tm`` (tree, mask, tree, mask, …): one cache line for both."""
    n = X.shape[0]
    n_trees = leaf_base.shape[0]
    n_feat = feat_ptr.shape[0] - 1
    masks = np.empty(n_trees, dtype=np.uint64)
    ones = np.uint64(0xFFFFFFFFFFFFFFFF)
    mul = np.uint64(_DEBRUIJN)
    for r in range(n):
        for t in range(n_trees):
            masks[t] = ones
        for f in range(n_feat):
            a = feat_ptr[f]
            b = feat_ptr[f + 1]
            if a == b:
                continue
            x = X[r, f]
            if x != x:
                return False  # a missing value a split reads: the caller's general loop
            # the failed splits are a prefix: its end by a binary search written without branches (the
            # scan that stopped at the first kept split mispredicted its exit once per feature)
            lo = a
            ln = b - a
            while ln > 1:
                half = ln >> 1
                lo = lo + half if qs_thr32[lo + half - 1] < x else lo
                ln -= half
            if qs_thr32[lo] < x:
                lo += 1
            for j in range(a, lo):
                masks[qs_tm[2 * j]] &= qs_tm[2 * j + 1]
        raw = 0.0
        for t in range(n_trees):
            m = masks[t]
            low = m & (~m + np.uint64(1))
            raw += leaf_value[leaf_base[t] + table[(low * mul) >> np.uint64(58)]]
        out[r] = 1.0 / (1.0 + math.exp(-sigmoid * raw))
    return True


def float32_below(t: np.ndarray) -> np.ndarray:
    """The largest float32 <= each float64 of ``t`` (so that x > t ⇔ x > it, for a float32 x)."""
    t32 = t.astype(np.float32)
    over = t32.astype(np.float64) > t
    t32[over] = np.nextafter(t32[over], np.float32(-np.inf))
    return t32


_PY = {"topk": _topk, "forest": _forest, "forest_flat": _forest_flat, "forest_qs": _forest_qs,
       "pairwise_block_f32": _pairwise_block_f32, "pairwise_sum_f32": _pairwise_sum_f32, "query_weights": _query_weights, "query": _query, "lcs_len": _lcs_len,
       "feature_table": _feature_table, "feature_number": _feature_number, "table_bits": _table_bits,
       "fuzzy": _fuzzy, "shape_features": _shape_features, "decode": _decode, "query_into": _query_into,
       "fuzzy_into": _fuzzy_into, "shape_into": _shape_into, "votes_into": _votes_into, "rows_into": _rows_into, "memory_rows": _memory_rows}
_CALLED = ("topk", "pairwise_block_f32", "pairwise_sum_f32", "query_weights", "query", "lcs_len", "feature_number",
           "table_bits", "fuzzy", "shape_features", "decode", "shape_into")


class Forest:
    """A LightGBM binary classifier's trees as flat arrays, evaluated by a compiled loop."""

    def __init__(self, model_str: str) -> None:
        head, _, body = model_str.partition("\nTree=")
        m = re.search(r"^objective=binary(?: sigmoid:([0-9.eE+-]+))?\s*$", head, re.M)
        if m is None:
            raise ValueError("not a binary LightGBM model")
        if re.search(r"^average_output", head, re.M):
            raise ValueError("averaged (random forest) output is not supported")
        self.sigmoid = float(m.group(1) or 1.0)
        feat: list[int] = []
        thr: list[float] = []
        left: list[int] = []
        right: list[int] = []
        dleft: list[int] = []
        missing: list[int] = []
        leaf: list[float] = []
        roots: list[int] = []
        for block in ("Tree=" + body).split("\nTree=")[0:]:
            if "end of trees" in block:
                block = block.split("end of trees")[0]
            kv = dict(line.split("=", 1) for line in block.splitlines() if "=" in line)
            if "num_leaves" not in kv:
                continue
            n_leaves = int(kv["num_leaves"])
            values = [float(x) for x in kv["leaf_value"].split()]
            base_node, base_leaf = len(feat), len(leaf)
            leaf.extend(values)
            if n_leaves == 1:  # a single leaf: its value for every row
                roots.append(~base_leaf)
                continue
            dts = [int(x) for x in kv["decision_type"].split()]
            if any(dt & 1 for dt in dts):
                raise ValueError("categorical splits are not supported")
            feat.extend(int(x) for x in kv["split_feature"].split())
            thr.extend(float(x) for x in kv["threshold"].split())
            for x in kv["left_child"].split():
                c = int(x)
                left.append(base_node + c if c >= 0 else ~(base_leaf + ~c))
            for x in kv["right_child"].split():
                c = int(x)
                right.append(base_node + c if c >= 0 else ~(base_leaf + ~c))
            dleft.extend(1 if dt & 2 else 0 for dt in dts)
            missing.extend(_MISSING[(dt >> 2) & 3] for dt in dts)
            roots.append(base_node)
        if not roots:
            raise ValueError("no trees")
        self.roots = np.asarray(roots, dtype=np.int64)
        self.feat = np.asarray(feat, dtype=np.int64)
        self.thr = np.asarray(thr, dtype=np.float64)
        self.left = np.asarray(left, dtype=np.int64)
        self.right = np.asarray(right, dtype=np.int64)
        self.dleft = np.asarray(dleft, dtype=np.uint8)
        self.missing = np.asarray(missing, dtype=np.uint8)
        self.leaf = np.asarray(leaf, dtype=np.float64)
        # the flat layout: splits then leaves as nodes that point at themselves with threshold +inf
        ns = len(feat)
        self.simple = not bool((self.missing == 1).any())  # no zero-as-missing split
        relabel = lambda c: c if c >= 0 else ns + ~c  # noqa: E731
        self.f_feat = np.concatenate([self.feat, np.zeros(len(leaf), dtype=np.int64)])
        self.f_thr = np.concatenate([self.thr, np.full(len(leaf), np.inf)])
        self.f_left = np.concatenate([np.array([relabel(int(c)) for c in self.left], dtype=np.int64),
                                      np.arange(ns, ns + len(leaf), dtype=np.int64)])
        self.f_right = np.concatenate([np.array([relabel(int(c)) for c in self.right], dtype=np.int64),
                                       np.arange(ns, ns + len(leaf), dtype=np.int64)])
        self.f_value = np.concatenate([np.zeros(ns), self.leaf])
        self.f_roots = np.array([relabel(int(r)) for r in self.roots], dtype=np.int64)
        self.f_depths = np.array([self._depth(int(r)) for r in self.roots], dtype=np.int64)
        self._quickscorer()

    def _quickscorer(self) -> None:
        """Arrays for ``_forest_qs`` (trees of at most 64 leaves; otherwise the flat loop answers)."""
        n_feat = int(self.feat.max()) + 1 if len(self.feat) else 0
        self.qs = False
        values: list[float] = []
        bases: list[int] = []
        rows: list[tuple[int, float, int, int]] = []  # feature, threshold, tree, mask
        for t, root in enumerate(self.roots.tolist()):
            bases.append(len(values))
            order: list[int] = []  # leaves left to right

            def walk(node: int, t: int = t, order: list[int] = order) -> tuple[int, int]:
                """(first, last) in-order leaf position under ``node``; records each split's mask."""
                if node < 0:
                    order.append(~node)
                    return len(order) - 1, len(order) - 1
                a, b = walk(int(self.left[node]))
                _, d = walk(int(self.right[node]))
                left_bits = ((1 << (b - a + 1)) - 1) << a
                rows.append((int(self.feat[node]), float(self.thr[node]), t, ~left_bits & 0xFFFFFFFFFFFFFFFF))
                return a, d

            walk(root)
            if len(order) > 64:
                return
            values.extend(float(self.leaf[i]) for i in order)
        rows.sort(key=lambda x: (x[0], x[1]))
        self.qs_ptr = np.zeros(n_feat + 1, dtype=np.int64)
        for f, *_ in rows:
            self.qs_ptr[f + 1] += 1
        np.cumsum(self.qs_ptr, out=self.qs_ptr)
        self.qs_thr = np.array([x[1] for x in rows], dtype=np.float64)
        self.qs_tree = np.array([x[2] for x in rows], dtype=np.int64)
        self.qs_mask = np.array([x[3] for x in rows], dtype=np.uint64)
        self.qs_thr32 = float32_below(self.qs_thr)
        self.qs_tm = np.empty(2 * len(rows), dtype=np.uint64)
        self.qs_tm[0::2] = self.qs_tree.astype(np.uint64)
        self.qs_tm[1::2] = self.qs_mask
        self.qs_base = np.array(bases, dtype=np.int64)
        self.qs_value = np.array(values, dtype=np.float64)
        self.qs = True

    def _depth(self, node: int) -> int:
        if node < 0:
            return 0
        return 1 + max(self._depth(int(self.left[node])), self._depth(int(self.right[node])))

    @classmethod
    def from_booster(cls, booster: Any) -> Forest:
        return cls(booster.model_to_string())

    def predict(self, X: np.ndarray) -> np.ndarray:
        X = np.ascontiguousarray(X, dtype=np.float32)
        if self.simple and self.qs and X.shape[1] >= len(self.qs_ptr) - 1:
            # every split is plain x <= threshold unless a value it reads is missing (NaN): then the kernel
            # returns nothing and the general loop below answers, with LightGBM's rules for missing values
            out = np.empty(X.shape[0], dtype=np.float64)
            if _run("forest_qs", X, self.qs_ptr, self.qs_thr32, self.qs_tm, self.qs_base, self.qs_value,
                    _DEBRUIJN_TABLE, self.sigmoid, out):
                return out
        elif self.simple and not np.isnan(X).any():  # then every split is plain x <= threshold
            return _run("forest_flat", X, self.f_roots, self.f_depths, self.f_feat, self.f_thr, self.f_left, self.f_right,
                                self.f_value, self.sigmoid)
        return _run("forest", np.ascontiguousarray(X, dtype=np.float32), self.roots, self.feat, self.thr, self.left,
                       self.right, self.dleft, self.missing, self.leaf, self.sigmoid)
