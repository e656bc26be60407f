"""A trained CRF layer compiled to numpy tables: the extractor's features scored and decoded without strings.

crfsuite scores a character by looking up every attribute string (``c=咳``, ``pc=咳嗽``, ``d=B-symptom`` …)
and adds the weights of each (attribute, label) pair; building those strings in Python and handing them
to crfsuite cost most of the model's time. Here every feature template of ``extract_model.features`` is a
sorted integer key table (a character is its code point; a bigram two code points in one 64-bit key;
a dictionary tag a small id) with one weight row per key, so the per-character label scores of a whole
text are a few vectorised look-ups (``np.searchsorted``) and row sums.

Decoding is exact Viterbi over the same weights (crfsuite's linear chain has no start or end weights).
It is split where the answer is certain: at position i, label O is on the best path whenever switching
any other label y to O there cannot lower a path's score (O's state-score margin over y plus the worst
case of the transition changes on both sides is positive), so the text falls into short independent
pieces between such positions, decoded together in lock-step. The tables are built from crfsuite's model
dump once, when the model is trained (``layer-N.npz`` beside ``layer-N.crfsuite``); an older model without
them is compiled on first load.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

#: template name → offsets of the characters in its key (``p`` is the previous character, ``cnn`` the
#: character and the next two); text is padded with \x02\x02 before and \x03\x03 after, as in ``features``
CHAR_TEMPLATES: dict[str, tuple[int, ...]] = {
    "c": (0,), "p": (-1,), "n": (1,), "pp": (-2,), "nn": (2,),
    "pc": (-1, 0), "cn": (0, 1), "pn": (-1, 1), "ppc": (-2, -1, 0), "cnn": (0, 1, 2),
}
#: dictionary-tag templates: offset of the tag (``d`` is the tag at i, ``dp`` at i-1, ``dn`` at i+1)
TAG_TEMPLATES = {"d": 0, "dp": -1, "dn": 1}
MATCH_TEMPLATES = ("as", "ae", "ai")
SEG_VALUES = ("B", "BE", "I", "IE")
_CLASSES = "hdasp"
_SHIFT = np.uint64(21)  # code points are < 2^21


def _keys(cps: Sequence[int]) -> int:
    k = 0
    for cp in cps:
        k = (k << 21) | cp
    return k


class _Group:
    """Sorted integer keys shared by several templates, each with one weight row per key (zeros where the
    template never saw the key) and a last zero row for keys the model never saw."""

    __slots__ = ("keys", "rows")

    def __init__(self, keys: np.ndarray, rows: dict[str, np.ndarray]) -> None:
        order = np.argsort(keys, kind="stable")
        self.keys = keys[order]
        self.rows = {t: np.vstack([r[order], np.zeros((1, r.shape[1]), dtype=r.dtype)]) for t, r in rows.items()}

    def index(self, q: np.ndarray) -> np.ndarray:
        """Row index of each query key; unknown keys → the zero row."""
        k = len(self.keys)
        if not k:
            return np.zeros(len(q), dtype=np.intp)
        idx = np.searchsorted(self.keys, q)
        idx[idx >= k] = k - 1
        idx[self.keys[idx] != q] = k
        return idx


#: key groups: templates whose keys are the same kind of thing share one search
GROUPS: dict[str, tuple[str, ...]] = {
    "uni": ("c", "p", "n", "pp", "nn"), "bi": ("pc", "cn"), "skip": ("pn",), "tri": ("ppc", "cnn"), "cls": ("k",),
    "tag": ("d", "dp", "dn"), "dc": ("dc",), "match": MATCH_TEMPLATES, "seg": ("w",), "segc": ("wc",), "bias": ("b",),
    "clause": ("q",),
}
_GROUP_OF = {t: g for g, ts in GROUPS.items() for t in ts}


class CompiledLayer:
    """One CRF layer as numpy tables: label names, transitions, and a key table per feature template."""

    def __init__(self, labels: list[str], trans: np.ndarray, groups: dict[str, _Group], tag_ids: dict[str, int],
                 skipped: int = 0) -> None:
        self.labels = labels
        self.trans = np.ascontiguousarray(trans, dtype=np.float64)
        self.groups = groups
        self.tag_ids = tag_ids  # dictionary tag string ("B-disease", "O", "^", "$") or term type → small id
        self.skipped = skipped  # attributes of the model no template reads (0 for models of this code)
        self.o = labels.index("O") if "O" in labels else 0
        self._cut_in, self._cut_out = self._cut_bounds()
        self._trans_t = np.ascontiguousarray(self.trans.T)
        self._flat_cache: tuple[Any, ...] | None = None
        self._kinds_cache: tuple[list[str], np.ndarray] | None = None
        self._tag_cache: dict[str, tuple[int, int, int, int]] = {}  # mention type → ids of B-, I-, E-, S-<type>

    @property
    def _flat(self) -> tuple[Any, ...]:
        if self._flat_cache is None:  # built on first use: a merged model's own layers never need theirs
            self._flat_cache = self._flatten()
        return self._flat_cache

    def _flatten(self) -> tuple[Any, ...]:
        """Every template's keys in one open-addressing hash table with their rows (for ``_score_jit``)."""
        names = [t for g in self.groups.values() for t in g.rows if t in _PARTS]
        parts = np.zeros((len(names), 3, 2), dtype=np.int64)
        nparts = np.zeros(len(names), dtype=np.int64)
        keys, tpls, rows = [], [], []
        for j, t in enumerate(names):
            g = self.groups[_GROUP_OF[t]]
            r = g.rows[t][:-1]
            used = r.any(axis=1)
            for c, part in enumerate(_PARTS[t]):
                parts[j, c] = part
            nparts[j] = len(_PARTS[t])
            keys.append(g.keys[used])
            tpls.append(np.full(int(used.sum()), j, dtype=np.int64))
            rows.append(r[used])
        n_lab = len(self.labels)
        allk = np.concatenate(keys) if keys else np.zeros(0, dtype=np.uint64)
        allt = np.concatenate(tpls) if tpls else np.zeros(0, dtype=np.int64)
        bits = max(4, int(len(allk) * 2).bit_length())
        size = 1 << bits
        shift = np.uint64(64 - bits)
        slots = np.zeros((size, 2), dtype=np.uint64)
        with np.errstate(over="ignore"):
            where = ((allk * _MUL) ^ (allt.astype(np.uint64) * _MUL_T)) >> shift
        for r, (h, k, t) in enumerate(zip(where.tolist(), allk.tolist(), allt.tolist(), strict=True)):
            while slots[h, 1]:
                h = (h + 1) & (size - 1)
            slots[h, 0] = k
            slots[h, 1] = (r << 8) | (t + 1)
        table = np.ascontiguousarray(np.vstack(rows), dtype=np.float32) if rows else np.zeros((0, n_lab), np.float32)
        positional = np.array([t not in MATCH_TEMPLATES for t in names], dtype=bool)
        seen = np.zeros(1 << (_FILTER_BITS - 6), dtype=np.uint64)
        with np.errstate(over="ignore"):
            bit = ((allk * _MUL) ^ (allt.astype(np.uint64) * _MUL_T)) >> _FILTER_SHIFT
        np.bitwise_or.at(seen, (bit >> np.uint64(6)).astype(np.intp), np.left_shift(np.uint64(1), bit & np.uint64(63)))
        return parts, nparts, slots, shift, table, seen, positional, {t: j for j, t in enumerate(names)}

    # ----- building -------------------------------------------------------------------------------------------
    @classmethod
    def from_weights(cls, labels: list[str], transitions: dict[tuple[str, str], float],
                     state: dict[tuple[str, str], float]) -> CompiledLayer:
        lid = {lab: i for i, lab in enumerate(labels)}
        n_lab = len(labels)
        trans = np.zeros((n_lab, n_lab))
        for (a, b), w in transitions.items():
            trans[lid[a], lid[b]] = w
        tag_ids: dict[str, int] = {}

        def tag_id(tag: str) -> int:
            return tag_ids.setdefault(tag, len(tag_ids))

        for t in ("O", "^", "$"):
            tag_id(t)
        weights: dict[str, dict[int, dict[str, np.ndarray]]] = {}
        skipped: set[str] = set()
        for (attr, lab), w in state.items():
            key = cls._key_of(attr, tag_id)
            if key is None:
                skipped.add(attr)
                continue
            name, k = key
            by_t = weights.setdefault(_GROUP_OF[name], {}).setdefault(k, {})
            row = by_t.get(name)
            if row is None:
                row = by_t[name] = np.zeros(n_lab)
            row[lid[lab]] += w
        groups = {}
        for g, by_key in weights.items():
            keys = np.fromiter(by_key, dtype=np.uint64, count=len(by_key))
            rows = {}
            for t in GROUPS[g]:
                m = np.zeros((len(by_key), n_lab))
                for i, per in enumerate(by_key.values()):
                    if t in per:
                        m[i] = per[t]
                if m.any():
                    rows[t] = m
            groups[g] = _Group(keys, rows)
        return cls(labels, trans, groups, tag_ids, len(skipped))

    @staticmethod
    def _key_of(attr: str, tag_id: Any) -> tuple[str, int] | None:
        """(template, integer key) of an attribute string of ``extract_model.features``; None if none reads it."""
        if attr == "b":
            return "b", 0
        name, eq, val = attr.partition("=")
        if not eq:
            return None
        if name in CHAR_TEMPLATES:
            if len(val) != len(CHAR_TEMPLATES[name]):
                return None
            return name, _keys([ord(c) for c in val])
        if name == "k":
            return (name, _CLASSES.index(val)) if len(val) == 1 and val in _CLASSES else None
        if name in TAG_TEMPLATES:
            return name, tag_id(val)
        if name == "dc" and len(val) >= 2:
            return name, (tag_id(val[:-1]) << 21) | ord(val[-1])
        if name in MATCH_TEMPLATES:
            return name, tag_id(val)
        if name == "q":
            return ("q", int(val)) if val.isdigit() else None
        if name == "w":
            if val in SEG_VALUES:
                return "w", SEG_VALUES.index(val)
            for i in (1, 0, 3, 2):  # longest first: "BE" + c before "B" + c
                s = SEG_VALUES[i]
                if len(val) == len(s) + 1 and val.startswith(s):
                    return "wc", (i << 21) | ord(val[-1])
        return None

    @classmethod
    def from_crfsuite(cls, model_file: Path | str) -> CompiledLayer:
        """Read a crfsuite model's labels, transitions and state weights (through its text dump)."""
        import pycrfsuite

        tagger = pycrfsuite.Tagger()
        tagger.open(str(model_file))
        with tempfile.TemporaryDirectory() as tmp:
            dump = Path(tmp) / "dump.txt"
            tagger.dump(str(dump))
            lines = dump.read_text(encoding="utf-8", errors="replace").splitlines()
        labels: list[str] = []
        transitions: dict[tuple[str, str], float] = {}
        state: dict[tuple[str, str], float] = {}
        section = ""
        for raw in lines:
            line = raw.lstrip()
            if line.endswith(" = {"):
                section = line[:-4]
                continue
            if line == "}":
                section = ""
                continue
            if section == "LABELS":
                labels.append(line.partition(": ")[2])
            elif section in ("TRANSITIONS", "STATE_FEATURES"):
                head, sep, w = line.rpartition(": ")
                left, arrow, lab = head.rpartition(" --> ")
                if not sep or not arrow or ") " not in left:
                    continue  # an attribute with a line break in it: not one of ours
                src = left.split(") ", 1)[1]
                (transitions if section == "TRANSITIONS" else state)[(src, lab)] = float(w)
        return cls.from_weights(labels, transitions, state)

    def save(self, path: Path) -> None:
        arrays: dict[str, np.ndarray] = {"trans": self.trans, "labels": np.array(self.labels),
                                         "tags": np.array(sorted(self.tag_ids, key=self.tag_ids.__getitem__)),
                                         "skipped": np.array(self.skipped)}
        for g, grp in self.groups.items():
            arrays[f"k.{g}"] = grp.keys
            for t, rows in grp.rows.items():
                arrays[f"w.{g}.{t}"] = rows[:-1]
        with path.open("wb") as fh:
            np.savez(fh, **arrays)  # type: ignore[arg-type]

    @classmethod
    def load(cls, path: Path) -> CompiledLayer:
        with np.load(path, allow_pickle=False) as z:
            groups = {}
            for f in z.files:
                if f.startswith("k."):
                    g = f[2:]
                    groups[g] = _Group(z[f], {t: z[f"w.{g}.{t}"] for t in GROUPS[g] if f"w.{g}.{t}" in z.files})
            tags = [str(t) for t in z["tags"]]
            return cls([str(x) for x in z["labels"]], z["trans"], groups, {t: i for i, t in enumerate(tags)},
                       int(z["skipped"]))

    # ----- scoring --------------------------------------------------------------------------------------------
    def scores(self, t: str, dtags: np.ndarray, matches: Sequence[tuple[int, int, str]],
               bounds: bytearray | None) -> np.ndarray:
        """State scores (n × labels) of folded text ``t``; ``dtags``: dictionary tag ids (``tag_codes``)."""
        n = len(t)
        cp = np.frombuffer(("\x02\x02" + t + "\x03\x03").encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
        gs = self.groups
        out = np.zeros((n, len(self.labels)))
        if _score_jit is not None:
            src = np.zeros((5, n + 4), dtype=np.uint64)
            if "clause" in gs:
                src[4, 2:2 + n] = clause_codes(cp[2:2 + n])
            src[0] = cp
            src[1, :2] = self.tag_ids["^"]
            src[1, 2:2 + n] = dtags
            src[1, 2 + n:] = self.tag_ids["$"]
            _classes_jit(cp, _class_table(), src[2])
            if cp.max() > 0xFFFF:  # beyond the basic plane: ask Python
                src[2, 2:2 + n] = _char_classes(cp[2:2 + n])
            if bounds is not None:
                b = np.frombuffer(bytes(bounds), dtype=np.uint8).astype(np.uint64)
                src[3, 2:2 + n] = np.where(b[:n] == 1, 0, 2).astype(np.uint64) + b[1:n + 1]
            parts, nparts, slots, shift, rows, seen, positional, index = self._flat
            active = positional & ((parts[:, 0, 0] != 3) | (nparts == 0) | (bounds is not None))  # segments if given
            _score_jit(src, n, parts, nparts, active, slots, shift, rows, seen, out)
            if matches and "match" in gs:
                for tname, (pos, ids) in zip(MATCH_TEMPLATES, _match_positions(matches, n, self.tag_ids), strict=True):
                    j = index.get(tname)
                    if j is not None and len(pos):
                        _pairs_jit(pos, ids, j, slots, shift, rows, out)
            return out
        g = gs.get("bias")
        if g is not None:
            out += g.rows["b"][0]
        g = gs.get("uni")
        if g is not None:  # one search over the padded text; each template reads it at its offset
            idx = g.index(cp)
            for tname, rows in g.rows.items():
                o = 2 + CHAR_TEMPLATES[tname][0]
                out += rows[idx[o:o + n]]
        g = gs.get("bi")
        if g is not None:  # pairs of neighbours starting at padded j: pc at i is j = i + 1, cn is j = i + 2
            idx = g.index((cp[:-1] << _SHIFT) | cp[1:])
            for tname, rows in g.rows.items():
                o = 1 if tname == "pc" else 2
                out += rows[idx[o:o + n]]
        g = gs.get("skip")
        if g is not None:
            out += g.rows["pn"][g.index((cp[1:1 + n] << _SHIFT) | cp[3:3 + n])]
        g = gs.get("tri")
        if g is not None:  # triples starting at padded j: ppc at i is j = i, cnn is j = i + 2
            idx = g.index((cp[:-2] << (_SHIFT + _SHIFT)) | (cp[1:-1] << _SHIFT) | cp[2:])
            for tname, rows in g.rows.items():
                o = 0 if tname == "ppc" else 2
                out += rows[idx[o:o + n]]
        g = gs.get("cls")
        if g is not None:
            out += g.rows["k"][g.index(_char_classes(cp[2:2 + n]))]
        g = gs.get("clause")
        if g is not None:
            out += g.rows["q"][g.index(clause_codes(cp[2:2 + n]))]
        d = np.concatenate([[self.tag_ids["^"]], dtags, [self.tag_ids["$"]]]).astype(np.uint64)
        g = gs.get("tag")
        if g is not None:
            idx = g.index(d)
            for tname, rows in g.rows.items():
                o = 1 + TAG_TEMPLATES[tname]
                out += rows[idx[o:o + n]]
        g = gs.get("dc")
        if g is not None:
            out += g.rows["dc"][g.index((d[1:1 + n] << _SHIFT) | cp[2:2 + n])]
        g = gs.get("match")
        if matches and g is not None:
            self._add_matches(out, g, matches, n)
        if bounds is not None and ("seg" in gs or "segc" in gs):
            b = np.frombuffer(bytes(bounds), dtype=np.uint8).astype(np.uint64)
            seg = np.where(b[:n] == 1, 0, 2).astype(np.uint64) + b[1:n + 1]  # B=0, BE=1, I=2, IE=3
            if "seg" in gs:
                out += gs["seg"].rows["w"][gs["seg"].index(seg)]
            if "segc" in gs:
                out += gs["segc"].rows["wc"][gs["segc"].index((seg << _SHIFT) | cp[2:2 + n])]
        return out

    def _add_matches(self, out: np.ndarray, g: _Group, matches: Sequence[tuple[int, int, str]], n: int) -> None:
        """``as=``/``ae=``/``ai=`` attributes: one per dictionary term starting, ending or inside a position."""
        for tname, (pos, ids) in zip(MATCH_TEMPLATES, _match_positions(matches, n, self.tag_ids), strict=True):
            rows = g.rows.get(tname)
            if rows is not None and len(pos):
                np.add.at(out, pos, rows[g.index(ids)])

    def tag_codes(self, n: int, mentions: Sequence[Any]) -> np.ndarray:
        """Ids of ``extract_model.dictionary_tags`` (B-/I-/E-/S-<type> of the covering mention, else O)."""
        ids = self.tag_ids
        unknown = len(ids) + 1  # a tag the model never saw: no weights
        by_type = self._tag_cache
        out = [0] * n
        for m in mentions:
            s, e = m.start, min(m.end, n)
            b_i_e_s = by_type.get(m.type)
            if b_i_e_s is None:
                b_i_e_s = by_type[m.type] = tuple(ids.get(x + "-" + m.type, unknown) for x in "BIES")
            if e - s == 1:
                out[s] = b_i_e_s[3]
                continue
            out[s] = b_i_e_s[0]
            if e - 1 > s + 1:
                out[s + 1:e - 1] = [b_i_e_s[1]] * (e - 2 - s)
            if e - 1 > s:
                out[e - 1] = b_i_e_s[2]
        return np.array(out, dtype=np.int64)

    # ----- decoding -------------------------------------------------------------------------------------------
    def _cut_bounds(self) -> tuple[np.ndarray, np.ndarray]:
        tr, o = self.trans, self.o
        cut_in = (tr[:, [o]] - tr).min(axis=0)  # for y: min over previous labels of T[prev, O] - T[prev, y]
        cut_out = (tr[[o], :] - tr).min(axis=1)  # for y: min over next labels of T[O, next] - T[y, next]
        return cut_in, cut_out

    def viterbi(self, em: np.ndarray) -> list[tuple[int, int, str]]:
        """Entity spans of the best label sequence for state scores ``em`` (n × labels), as crfsuite decodes it."""
        n, n_lab = em.shape
        if n == 0:
            return []
        if _viterbi_jit is not None:
            return self.spans_of(_viterbi_jit(em, self._trans_t))
        o = self.o
        path = np.full(n, o, dtype=np.int64)
        if n > 2:
            margin = em[:, [o]] - em + self._cut_in + self._cut_out
            margin[:, o] = np.inf
            sure = margin[1:-1].min(axis=1) > 1e-9
            free = np.ones(n, dtype=bool)
            free[1:-1] = ~sure
        else:
            free = np.ones(n, dtype=bool)
        # pieces: maximal runs of positions not known to be O
        edges = np.flatnonzero(np.diff(np.concatenate([[0], free.view(np.int8), [0]])))
        starts, ends = edges[0::2], edges[1::2]
        if not len(starts):
            return []
        lens = ends - starts
        order = np.argsort(-lens, kind="stable")  # longest first: the pieces still running are a prefix
        starts, ends, lens = starts[order], ends[order], lens[order]
        k, width = len(starts), int(lens[0])
        tr = self.trans
        steps = np.arange(width)
        block = em[np.minimum(starts[:, None] + steps[None, :], n - 1)]  # (pieces × width × labels)
        running = (lens[None, :] > steps[:, None]).sum(axis=1)  # pieces still running at each step
        delta = block[:, 0, :].copy()
        delta[starts > 0] += tr[o]
        back = np.zeros((width, k, n_lab), dtype=np.intp)
        for s in range(1, width):
            m = int(running[s])
            cand = delta[:m, :, None] + tr[None, :, :]  # (pieces, from, to)
            back[s, :m] = cand.argmax(axis=1)
            delta[:m] = cand.max(axis=1) + block[:m, s, :]
        delta[ends < n] += tr[:, o]
        y = delta.argmax(axis=1)
        rows = np.arange(k)
        for s in range(width - 1, -1, -1):
            m = int(running[s])
            path[starts[:m] + s] = y[:m]
            if s:
                y[:m] = back[s, rows[:m], y[:m]]
        return self.spans_of(path)

    def _span_kinds(self) -> tuple[list[str], np.ndarray]:
        """The layer's entity types and, per type, the label indices of B, I, E, S (-1 where missing)."""
        if self._kinds_cache is None:
            types = sorted({lab[2:] for lab in self.labels if lab != "O"})
            at = {lab: i for i, lab in enumerate(self.labels)}
            kinds = np.array([[at.get(f"{x}-{t}", -1) for x in "BIES"] for t in types], dtype=np.int64)
            self._kinds_cache = (types, kinds.reshape(len(types), 4))
        return self._kinds_cache

    def span_probs(self, em: np.ndarray, thr: float) -> list[tuple[int, int, str, float]]:
        """Every span whose probability under the CRF (forward-backward, all labellings of the rest of the
        text summed) is at least ``thr`` (> 0), as (start, end, type, probability)."""
        n = em.shape[0]
        if n == 0:
            return []
        types, kinds = self._span_kinds()
        em = np.ascontiguousarray(em, dtype=np.float64)
        cap = 2 * n + 16
        while True:
            out_s, out_e, out_k = (np.empty(cap, dtype=np.int64) for _ in range(3))
            out_p = np.empty(cap)
            got = _span_marginals(em, self.trans, kinds, float(thr), out_s, out_e, out_k, out_p)
            if got >= 0:
                break
            cap *= 4
        return [(s, e, types[k], p) for s, e, k, p in zip(out_s[:got].tolist(), out_e[:got].tolist(),
                                                          out_k[:got].tolist(), out_p[:got].tolist(), strict=True)]

    def marginal_decode(self, em: np.ndarray, thr: float) -> list[tuple[int, int, str]]:
        """Spans by their own probability instead of the single best labelling: every span with probability
        ≥ ``thr``, the most probable first, skipping any that overlaps one already taken (ties: leftmost, then
        shortest). With ``thr`` below 0.5 this names spans Viterbi leaves out when the best labelling is O
        only by summing many ways of being O (a decoder closer to what F1 rewards than the single best path)."""
        cand = sorted(self.span_probs(em, thr), key=lambda x: (-x[3], x[0], x[1]))
        taken: list[tuple[int, int, str]] = []
        used = bytearray(em.shape[0])
        for s, e, typ, _ in cand:
            if not any(used[s:e]):
                taken.append((s, e, typ))
                used[s:e] = b"\x01" * (e - s)
        return sorted(taken)

    def spans_of(self, path: np.ndarray) -> list[tuple[int, int, str]]:
        """``extract_model.decode`` of a label-index path, reading only the positions that are not O."""
        out: list[tuple[int, int, str]] = []
        labels = self.labels
        start = -1
        typ = ""
        prev = -2
        for i in np.flatnonzero(path != self.o).tolist():
            lab = labels[path[i]]
            tag, name = lab[:1], lab[2:]
            if start >= 0 and (i != prev + 1 or tag not in ("I", "E") or name != typ):
                out.append((start, prev + 1, typ))  # an O (a gap) or a new entity closes the open one
                start = -1
            if tag in ("B", "S") or (tag in ("I", "E") and start < 0):
                start, typ = i, name
            if tag in ("E", "S") and start >= 0:
                out.append((start, i + 1, typ))
                start = -1
            prev = i
        if start >= 0:
            out.append((start, prev + 1, typ))
        return out


#: what ends a clause for the ``q=`` feature (folded text: full-width punctuation is already half-width)
CLAUSE_PUNCT = "，。；：、,.;:！？!?（）()[]【】\n\r\t "
_CLAUSE_CPS = np.array(sorted({ord(c) for c in CLAUSE_PUNCT}), dtype=np.uint64)
_DIST_EDGES = np.array([2, 3, 4, 7])
#: the clause marks as a look-up table over the basic plane (``np.isin`` on every text cost more than the rest)
_CLAUSE_TABLE = np.zeros(0x10000, dtype=bool)
_CLAUSE_TABLE[_CLAUSE_CPS.astype(np.intp)] = True


def clause_codes(cp: np.ndarray) -> np.ndarray:
    """Where each character sits in its clause (``q=`` feature): 25 on punctuation, else 5 × bucket of the distance
    back to the previous clause mark + bucket of the distance on to the next one (buckets 1, 2, 3, 4–6, ≥ 7).
    Long descriptive symptoms run from one comma to the next; names of diseases and drugs rarely do."""
    n = len(cp)
    isp = _CLAUSE_TABLE[np.minimum(cp, 0xFFFF).astype(np.intp)]  # every clause mark is in the basic plane
    idx = np.arange(n)
    last = np.maximum.accumulate(np.where(isp, idx, -1)) if n else idx
    nxt = np.minimum.accumulate(np.where(isp, idx, n)[::-1])[::-1] if n else idx
    before = np.minimum(np.searchsorted(_DIST_EDGES, idx - last, side="right"), 4)
    after = np.minimum(np.searchsorted(_DIST_EDGES, nxt - idx, side="right"), 4)
    return np.where(isp, 25, before * 5 + after).astype(np.uint64)


_CLASS_TABLE: np.ndarray | None = None


def _class_table() -> np.ndarray:
    """Class ids of the basic plane's code points, computed once with ``_char_class``."""
    global _CLASS_TABLE
    if _CLASS_TABLE is None:
        _CLASS_TABLE = np.array([_CLASSES.index(_char_class(chr(c))) for c in range(0x10000)], dtype=np.uint64)
    return _CLASS_TABLE


def _classes_py(cp: np.ndarray, table: np.ndarray, out: np.ndarray) -> None:  # pragma: no cover - numba
    for i in range(2, len(cp) - 2):
        c = cp[i]
        out[i] = table[c] if c <= 0xFFFF else np.uint64(4)


def _char_classes(cp: np.ndarray) -> np.ndarray:
    """``extract_model._char_class`` of each code point: h (CJK), d (digit), a (ASCII letter), s (space), p."""
    out = _class_table()[np.minimum(cp, 0xFFFF).astype(np.intp)]
    for i in np.flatnonzero(cp > 0xFFFF).tolist():  # beyond the basic plane: ask Python
        out[i] = _CLASSES.index(_class_of(chr(int(cp[i]))))
    return out


def _class_of(c: str) -> str:
    return _char_class(c)


def _char_class(c: str) -> str:
    """The character class the CRF features use: h (CJK), d (digit), a (ASCII letter), s (space), p."""
    if "\u4e00" <= c <= "\u9fff":
        return "h"
    if c.isdigit():
        return "d"
    if c.isascii() and c.isalpha():
        return "a"
    if c.isspace():
        return "s"
    return "p"


def _match_positions(matches: Sequence[tuple[int, int, str]], n: int,
                     tag_ids: dict[str, int]) -> list[tuple[np.ndarray, np.ndarray]]:
    """Positions and type ids of the ``as=``, ``ae=`` and ``ai=`` attributes (one per term starting, ending or
    inside a position), in that order: terms in the order given, the inside positions of a term left to right (the
    order the weights are added in, so the sums are the same to the last bit as one term at a time)."""
    if not matches:
        empty = (np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.uint64))
        return [empty, empty, empty]
    starts, ends, typs = zip(*matches, strict=True)
    s = np.array(starts, dtype=np.intp)
    e = np.array(ends, dtype=np.intp)
    unknown = len(tag_ids) + 1
    ids_of = {typ: tag_ids.get(typ, unknown) for typ in set(typs)}
    tids = np.array([ids_of[x] for x in typs], dtype=np.uint64)
    keep = e <= n
    if not keep.all():
        s, e, tids = s[keep], e[keep], tids[keep]
    inner = np.maximum(e - s - 2, 0)
    total = int(inner.sum())
    if total:
        first = np.repeat(s + 1, inner)
        ip = first + (np.arange(total, dtype=np.intp) - np.repeat(np.cumsum(inner) - inner, inner))
        iid = np.repeat(tids, inner)
    else:
        ip, iid = np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.uint64)
    return [(s, tids), (e - 1, tids), (ip, iid)]


def _viterbi_py(em: np.ndarray, tr: np.ndarray) -> np.ndarray:  # pragma: no cover - compiled by numba
    """Plain Viterbi (first maximum wins, as in crfsuite); numba compiles it to machine code."""
    n, n_lab = em.shape
    path = np.zeros(n, dtype=np.int64)
    if n == 0:
        return path
    back = np.zeros((n, n_lab), dtype=np.int64)
    delta = em[0].copy()
    new = np.empty(n_lab)
    for i in range(1, n):
        for y in range(n_lab):
            best = 0
            bv = delta[0] + tr[0, y]
            for x in range(1, n_lab):
                v = delta[x] + tr[x, y]
                if v > bv:
                    bv = v
                    best = x
            new[y] = bv + em[i, y]
            back[i, y] = best
        for y in range(n_lab):
            delta[y] = new[y]
    y = 0
    for x in range(1, n_lab):
        if delta[x] > delta[y]:
            y = x
    for i in range(n - 1, -1, -1):
        path[i] = y
        y = back[i, y]
    return path


def _viterbi_two_pass_py(em: np.ndarray, trt: np.ndarray) -> np.ndarray:  # pragma: no cover - numba
    """``_viterbi_py`` with the transitions transposed (``trt[y, x]``) and each step in two passes: the best
    score into y (a plain max over a contiguous row, which the compiler turns into vector instructions), then
    the first predecessor reaching it — the same path, first maximum on ties."""
    n, n_lab = em.shape
    path = np.zeros(n, dtype=np.int64)
    if n == 0:
        return path
    back = np.zeros((n, n_lab), dtype=np.int64)
    delta = em[0].copy()
    new = np.empty(n_lab)
    for i in range(1, n):
        for y in range(n_lab):
            row = trt[y]
            bv = delta[0] + row[0]
            for x in range(1, n_lab):
                bv = max(bv, delta[x] + row[x])
            best = 0
            while delta[best] + row[best] != bv:
                best += 1
            new[y] = bv + em[i, y]
            back[i, y] = best
        for y in range(n_lab):
            delta[y] = new[y]
    y = 0
    for x in range(1, n_lab):
        if delta[x] > delta[y]:
            y = x
    for i in range(n - 1, -1, -1):
        path[i] = y
        y = back[i, y]
    return path


def _span_marginals_py(em: np.ndarray, tr: np.ndarray, kinds: np.ndarray, thr: float, out_s: np.ndarray,
                       out_e: np.ndarray, out_k: np.ndarray, out_p: np.ndarray) -> int:  # pragma: no cover - numba
    """Every entity span whose probability under the CRF is at least ``thr``, by forward-backward.

    ``kinds`` holds one row per entity type: the label indices of B, I, E, S (-1 where the layer lacks one).
    The probability of a span is that of the label run B I … I E (S for one character) on it, summed over all
    labellings of the rest of the text: scaled forward and backward vectors (each position's vector sums to 1,
    the scales kept as logs) and the run's own scores between them. A span is only walked while every
    position of it could still carry it (its per-position marginal is ≥ thr), so the search stays linear.
    Writes start, end (exclusive), type row and probability into the ``out_`` arrays; returns how many, or
    -1 when they are full (the caller retries with room for more)."""
    n, n_lab = em.shape
    if n == 0:
        return 0
    # the label axis padded to a multiple of 4 (one AVX2 vector of doubles): a padded label has weight 0 everywhere
    # (its alpha and its share of beta are 0), so every sum gets exact zeros added and no scalar remainder loop
    w4 = (n_lab + 3) // 4 * 4
    et = np.zeros((w4, w4))
    et[:n_lab, :n_lab] = np.exp(tr)
    ett = np.ascontiguousarray(et.T)  # ett[y, x]: the backward sum into x, one y at a time
    pem = np.zeros((n, w4))
    logs = np.empty(n)  # log of position i's scale: its largest state score + log of its forward sum
    fsum = np.empty(n)
    alpha = np.zeros((n, w4))
    beta = np.zeros((n, w4))
    acc_v = np.empty(w4)
    w = np.empty(w4)
    # both sums are written as one row added per source label (a vector over the target labels, contiguous), not
    # one dot product per target: no horizontal sums, and every sum runs over the source labels in order
    for i in range(n):
        m = em[i, 0]
        for y in range(1, n_lab):
            m = max(m, em[i, y])
        for y in range(n_lab):
            pem[i, y] = np.exp(em[i, y] - m)
        if i == 0:
            for y in range(w4):
                acc_v[y] = pem[0, y]
        else:
            for y in range(w4):
                acc_v[y] = 0.0
            for x in range(n_lab):
                a = alpha[i - 1, x]
                row = et[x]
                for y in range(w4):
                    acc_v[y] += a * row[y]
            for y in range(w4):
                acc_v[y] *= pem[i, y]
        tot = 0.0
        for y in range(n_lab):
            tot += acc_v[y]
        for y in range(w4):
            alpha[i, y] = acc_v[y] / tot
        fsum[i] = tot
        logs[i] = m + np.log(tot)
    for y in range(n_lab):
        beta[n - 1, y] = 1.0
    for i in range(n - 2, -1, -1):  # divided by position i + 1's forward sum, as alpha was
        for y in range(w4):
            w[y] = pem[i + 1, y] * beta[i + 1, y]
            acc_v[y] = 0.0
        for y in range(n_lab):
            b = w[y]
            row = ett[y]
            for x in range(w4):
                acc_v[x] += row[x] * b
        f = fsum[i + 1]
        for x in range(w4):
            beta[i, x] = acc_v[x] / f
    found = 0
    cap = len(out_s)
    lthr = np.log(thr)
    for k in range(kinds.shape[0]):
        b_, i_, e_, s_ = kinds[k, 0], kinds[k, 1], kinds[k, 2], kinds[k, 3]
        for s in range(n):
            if s_ >= 0:
                p = alpha[s, s_] * beta[s, s_]
                if p >= thr:
                    if found == cap:
                        return -1
                    out_s[found], out_e[found], out_k[found], out_p[found] = s, s + 1, k, p
                    found += 1
            if b_ < 0 or e_ < 0 or s + 1 >= n or alpha[s, b_] * beta[s, b_] < thr:
                continue
            la = np.log(alpha[s, b_])
            if alpha[s + 1, e_] * beta[s + 1, e_] >= thr:  # B E
                lp = la + tr[b_, e_] + em[s + 1, e_] - logs[s + 1] + np.log(beta[s + 1, e_])
                if lp >= lthr:
                    if found == cap:
                        return -1
                    out_s[found], out_e[found], out_k[found], out_p[found] = s, s + 2, k, np.exp(lp)
                    found += 1
            if i_ < 0:
                continue
            acc = la + tr[b_, i_] + em[s + 1, i_] - logs[s + 1]  # B at s, I at s + 1
            j = s + 1  # the last I of the run
            while j + 1 < n and alpha[j, i_] * beta[j, i_] >= thr:
                if alpha[j + 1, e_] * beta[j + 1, e_] >= thr:  # B I … I E ending at j + 1
                    lp = acc + tr[i_, e_] + em[j + 1, e_] - logs[j + 1] + np.log(beta[j + 1, e_])
                    if lp >= lthr:
                        if found == cap:
                            return -1
                        out_s[found], out_e[found], out_k[found], out_p[found] = s, j + 2, k, np.exp(lp)
                        found += 1
                acc += tr[i_, i_] + em[j + 1, i_] - logs[j + 1]
                j += 1
    return found


def _jit(fn: Any, **kw: Any) -> Any:
    """numba-compile ``fn``, cached on disk where a cache directory is writable (else compiled per process)."""
    try:
        return numba.njit(cache=True, **kw)(fn)
    except RuntimeError:  # pragma: no cover - no writable cache location
        return numba.njit(**kw)(fn)


try:
    import numba

    _viterbi_jit: Any = _jit(_viterbi_two_pass_py, nogil=True, fastmath={"nnan", "ninf", "nsz"})
    _span_marginals: Any = _jit(_span_marginals_py, nogil=True, fastmath={"reassoc", "contract", "nsz", "arcp"})
except ImportError:  # pragma: no cover - numba is a dependency; without it the numpy decoder answers
    _viterbi_jit = None
    _span_marginals = _span_marginals_py


#: template → key parts (source, offset): source 0 the padded code points, 1 the padded dictionary tags,
#: 2 the padded character classes, 3 the padded segment marks; parts are joined 21 bits apart
_PARTS: dict[str, tuple[tuple[int, int], ...]] = {
    **{t: tuple((0, o) for o in offs) for t, offs in CHAR_TEMPLATES.items()},
    "k": ((2, 0),), "d": ((1, 0),), "dp": ((1, -1),), "dn": ((1, 1),), "dc": ((1, 0), (0, 0)),
    "w": ((3, 0),), "wc": ((3, 0), (0, 0)), "b": (), "q": ((4, 0),),
    "as": (), "ae": (), "ai": (),  # read per dictionary term, not per position (``_pairs_jit``)
}


_MUL = np.uint64(0x9E3779B97F4A7C15)
_FILTER_BITS = 20  # a 128 KB bit set of the keys the model knows, checked before the hash table
_FILTER_SHIFT = np.uint64(64 - _FILTER_BITS)
_MUL_T = np.uint64(0xC2B2AE3D27D4EB4F)


def _slot(key: Any, t: Any, shift: Any) -> Any:  # pragma: no cover - compiled by numba
    return ((key * _MUL) ^ (t * _MUL_T)) >> shift


def _score_py(src: np.ndarray, n: int, parts: np.ndarray, nparts: np.ndarray, active: np.ndarray,
              slots: np.ndarray, shift: Any, rows: np.ndarray, seen: np.ndarray,
              out: np.ndarray) -> None:  # pragma: no cover - numba
    """Add each template's weight row at every position whose key the template knows (open-addressing hash;
    a slot is (key, row << 8 | template + 1), 0 in the second word when empty)."""
    n_lab = out.shape[1]
    mask = np.uint64(len(slots) - 1)
    for t in range(len(nparts)):
        if not active[t]:
            continue
        tt = np.uint64(t)
        tag = np.uint64(t + 1)
        for i in range(n):
            key = np.uint64(0)
            for c in range(nparts[t]):
                key = (key << np.uint64(21)) | src[parts[t, c, 0], 2 + i + parts[t, c, 1]]
            f = _slot(key, tt, _FILTER_SHIFT)
            if not (seen[f >> np.uint64(6)] >> (f & np.uint64(63))) & np.uint64(1):
                continue  # most n-grams of a text are unknown to the model: answered from a small bit set
            h = _slot(key, tt, shift)
            while True:
                v = slots[h, 1]
                if v == 0:
                    break
                if slots[h, 0] == key and (v & np.uint64(255)) == tag:
                    r = v >> np.uint64(8)
                    for y in range(n_lab):
                        out[i, y] += rows[r, y]
                    break
                h = (h + np.uint64(1)) & mask


def _pairs_py(pos: np.ndarray, keys: np.ndarray, t: int, slots: np.ndarray, shift: Any, rows: np.ndarray,
              out: np.ndarray) -> None:  # pragma: no cover - compiled by numba
    """Add template ``t``'s row for ``keys[j]`` at position ``pos[j]`` (attributes read per dictionary term)."""
    n_lab = out.shape[1]
    mask = np.uint64(len(slots) - 1)
    tt = np.uint64(t)
    tag = np.uint64(t + 1)
    for j in range(len(pos)):
        key = keys[j]
        h = _slot(key, tt, shift)
        while True:
            v = slots[h, 1]
            if v == 0:
                break
            if slots[h, 0] == key and (v & np.uint64(255)) == tag:
                r = v >> np.uint64(8)
                for y in range(n_lab):
                    out[pos[j], y] += rows[r, y]
                break
            h = (h + np.uint64(1)) & mask


if _viterbi_jit is not None:
    _slot = _jit(_slot, inline="always")
    _pairs_jit: Any = _jit(_pairs_py, nogil=True)
    _score_jit: Any = _jit(_score_py, nogil=True)
    _classes_jit: Any = _jit(_classes_py, nogil=True)
else:  # pragma: no cover
    _score_jit = _classes_jit = _pairs_jit = None


def merge_layers(layers: Sequence[CompiledLayer]) -> CompiledLayer:
    """One table for several layers over the same features: a key is looked up once and gives every layer's
    weights side by side (columns in layer order); decode each layer on its own columns with its own
    ``viterbi``. The result's labels and transitions are placeholders (block of all labels, no transitions)."""
    if len(layers) == 1:
        return layers[0]
    tag_ids: dict[str, int] = {}
    for layer in layers:
        for tag in sorted(layer.tag_ids, key=layer.tag_ids.__getitem__):
            tag_ids.setdefault(tag, len(tag_ids))
    width = sum(len(layer.labels) for layer in layers)
    groups: dict[str, _Group] = {}
    for g in {g for layer in layers for g in layer.groups}:
        keys: list[np.ndarray] = []
        parts: list[tuple[int, str, np.ndarray]] = []  # (layer's first key index, template, rows)
        offset = 0
        at = 0
        for layer in layers:
            grp = layer.groups.get(g)
            if grp is not None:
                k = grp.keys
                if g in ("tag", "match", "dc"):
                    inv = sorted(layer.tag_ids, key=layer.tag_ids.__getitem__)
                    remap = np.array([tag_ids[tag] for tag in inv], dtype=np.uint64)
                    k = remap[k.astype(np.intp)] if g != "dc" else (
                        (remap[(k >> _SHIFT).astype(np.intp)] << _SHIFT) | (k & np.uint64((1 << 21) - 1)))
                keys.append(k)
                for t, r in grp.rows.items():
                    wide = np.zeros((len(k), width))
                    wide[:, offset:offset + len(layer.labels)] = r[:-1]
                    parts.append((at, t, wide))
                at += len(k)
            offset += len(layer.labels)
        allk = np.concatenate(keys)
        uk, inv_idx = np.unique(allk, return_inverse=True)
        rows: dict[str, np.ndarray] = {}
        for start, t, wide in parts:
            m = rows.setdefault(t, np.zeros((len(uk), width)))
            np.add.at(m, inv_idx[start:start + len(wide)], wide)
        groups[g] = _Group(uk, rows)
    labels = [f"{j}:{lab}" for j, layer in enumerate(layers) for lab in layer.labels]
    labels[0] = "O"  # the placeholder's "O" (never decoded)
    return CompiledLayer(labels, np.zeros((width, width)), groups, tag_ids)


# ----- every dictionary term in a text (the model's ``as=``/``ae=``/``ai=`` features) -----------------------------
#
# pyahocorasick walks the extractor's 12,000-term automaton at ≈ 350 ns a character here (a small automaton runs ten
# times faster: the cost grows with the trie's fan-out), and the model path walked every text twice (leftmost-longest
# mentions, then every term). The
# every-term walk is compiled here: a plain trie walk from each start, its (node, code point) → child pairs in an
# open-addressing hash table, giving the terms ``Automaton.iter`` gives, in its order. (The leftmost-longest walk
# stays pyahocorasick's ``iter_long``: its 2.x rules for shorter terms were not reproduced exactly.)


class TermIndex:
    """Terms as a trie in one open-addressing hash table (``matches``: every occurrence)."""

    def __init__(self, keys: Sequence[str]) -> None:
        """``keys``: the terms (folded); a term's id is its place in ``keys`` (a key given twice keeps the last)."""
        child: dict[tuple[int, int], int] = {}
        term = [-1]
        for tid, k in enumerate(keys):
            node = 0
            for ch in k:
                nxt = child.get((node, ord(ch)))
                if nxt is None:
                    nxt = child[(node, ord(ch))] = len(term)
                    term.append(-1)
                node = nxt
            term[node] = tid
        size = 1 << max(4, (2 * len(child)).bit_length())
        self.keys = np.zeros(size, dtype=np.uint64)
        self.vals = np.full(size, -1, dtype=np.int64)
        ks = np.array([(node << 21) | cp for node, cp in child], dtype=np.uint64)
        _term_insert(self.keys, self.vals, ks, np.array(list(child.values()), dtype=np.int64))
        self.term = np.array(term, dtype=np.int64)  # node → term id, -1 where no term ends
        self._cap = 256

    def _codes(self, t: str) -> np.ndarray:
        return np.frombuffer(t.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)

    def matches(self, t: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(starts, ends, term ids) of every term occurrence in ``t``, overlapping ones too, ordered by end and,
        at one end, longest first (``Automaton.iter``'s order)."""
        cp = self._codes(t)
        while True:
            out_s = np.empty(self._cap, dtype=np.int64)
            out_e = np.empty(self._cap, dtype=np.int64)
            out_t = np.empty(self._cap, dtype=np.int64)
            got = _term_walk(cp, self.keys, self.vals, self.term, out_s, out_e, out_t)
            if got >= 0:
                break
            self._cap *= 4
        s, e, ty = out_s[:got], out_e[:got], out_t[:got]
        order = np.lexsort((s, e))  # by end, then by start (the longest first)
        return s[order], e[order], ty[order]


def _term_slot_py(key: Any, mask: Any) -> Any:  # pragma: no cover - numba
    return ((key * _MUL) >> np.uint64(20)) & mask


def _term_walk_py(cp: np.ndarray, keys: np.ndarray, vals: np.ndarray, term: np.ndarray, out_s: np.ndarray,
                  out_e: np.ndarray, out_t: np.ndarray) -> int:  # pragma: no cover - numba
    """Every (start, end, term id) of a term in ``cp``, by start then length; -1 when the ``out_`` arrays are full."""
    n = len(cp)
    mask = np.uint64(len(keys) - 1)
    found = 0
    cap = len(out_s)
    for i in range(n):
        node = 0
        j = i
        while j < n:
            key = (np.uint64(node) << np.uint64(21)) | cp[j]
            h = _term_slot(key, mask)
            nxt = -1
            while vals[h] >= 0:
                if keys[h] == key:
                    nxt = vals[h]
                    break
                h = (h + np.uint64(1)) & mask
            if nxt < 0:
                break
            node = nxt
            j += 1
            if term[node] >= 0:
                if found == cap:
                    return -1
                out_s[found], out_e[found], out_t[found] = i, j, term[node]
                found += 1
    return found


def _term_insert_py(keys: np.ndarray, vals: np.ndarray, ks: np.ndarray, vs: np.ndarray) -> None:  # pragma: no cover
    mask = np.uint64(len(keys) - 1)
    for j in range(len(ks)):
        h = _term_slot(ks[j], mask)
        while vals[h] >= 0:
            h = (h + np.uint64(1)) & mask
        keys[h] = ks[j]
        vals[h] = vs[j]


_term_slot: Any = _term_slot_py
_term_walk: Any = _term_walk_py
_term_insert: Any = _term_insert_py
if _viterbi_jit is not None:
    _term_slot = _jit(_term_slot_py, inline="always")
    _term_walk = _jit(_term_walk_py, nogil=True)
    _term_insert = _jit(_term_insert_py, nogil=True)
