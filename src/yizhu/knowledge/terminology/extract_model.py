"""The trainable extractor (小模型): a linear-chain CRF over character and dictionary features.

``yizhu train extractor --data FILE`` (layouts in ``ner_data``) fits one CRF per *layer* of entity
types with python-crfsuite (L-BFGS, L1+L2), measures strict span+type F1 on the held-back part of the
hash split, and writes ``<data_dir>/models/extractor/<version>/`` (``model.json``, one ``layer-N.crfsuite``
per layer, ``card.json``/``card.md``). Nested entities (a body part inside a symptom) are kept by giving
the types the training data nests others in (CMeEE: sym) a layer of their own and every other type one
flat layer (``layers=auto``; ``two`` is the older outer/inner split by ``INNER_TYPES``); each layer tags
BIO (default) or BIOES (``bioes=true``, used for the CMeEE figures) over its own types.

Features of character i (folded text): the characters at i-2…i+2, the bigrams around i, a character
class (CJK, digit, Latin, punctuation), and what the dictionary extractor (packs, imported ICD table and
formulary, lexicon, colloquial lexicon) found there: B-/I-/E-/S- with the mention's type, for i-1, i and
i+1. The hospital's dictionary therefore keeps helping the model after training. Optional features
(hyper-parameters, off by default so older models and figures stay as they were): ``memory=true``, the
surfaces annotated in the training data with their type and how reliably they are annotated (``Memory``;
each training fold sees the memory of the other folds only); ``clause=true``, where the character sits
between clause marks (``crf_compiled.clause_codes``); ``cross_fit=K``, the learned lexicon re-learned out
of fold for the training features (for training on the data the shipped lexicon was learned from).

Each layer is also compiled into ``layer-N.npz`` (``crf_compiled``): at run time the same weights are
scored and decoded by numba kernels over integer keys instead of crfsuite over attribute strings, with
identical labels and several times faster; ``spans(..., reference=True)`` still asks crfsuite.

Once trained, ``Extractor.extract`` answers with the model (``mode`` = ``model <version>``): the model
decides every type its training data labelled (``covers``); dictionary mentions of other types are kept;
a model span that is also a dictionary mention takes its code, id and standard name, and a lab mention
with a value (血红蛋白 85 g/L ↓) keeps the value.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from yizhu.errors import ConfigError, InputError
from yizhu.knowledge.terminology.crf_compiled import CompiledLayer, _char_class, clause_codes, merge_layers
from yizhu.knowledge.terminology.extract import Entity, Extractor
from yizhu.knowledge.terminology.ner_data import EXPORT, LAYOUTS, NerRecord, Span, read_ner, scheme_of
from yizhu.knowledge.terminology.text import fold
from yizhu.learn.registry import Progress, Trainer, TrainingData

FEATURE_VERSION = 2
MODEL_FILE = "model.json"
MEMORY_FILE = "memory.json"
#: types that sit inside others in the standards' annotation (a body part in a symptom, a drug in a procedure)
INNER_TYPES = frozenset({"body_part", "drug", "drug_category", "lab", "microorganism"})


def dictionary_tags(n: int, mentions: Sequence[Entity]) -> list[str]:
    """Per character: B-/I-/E-/S-<type> of the dictionary mention covering it, else O."""
    tags = ["O"] * n
    for m in mentions:
        s, e = m.start, min(m.end, n)
        if e - s == 1:
            tags[s] = "S-" + m.type
            continue
        tags[s] = "B-" + m.type
        for i in range(s + 1, e - 1):
            tags[i] = "I-" + m.type
        if e - 1 > s:
            tags[e - 1] = "E-" + m.type
    return tags


def match_features(n: int, matches: Sequence[tuple[int, int, str]]) -> list[list[str]]:
    """Per character: the types of every dictionary term (overlapping too) starting, ending or inside there."""
    out: list[list[str]] = [[] for _ in range(n)]
    for s, e, typ in matches:
        if e > n:
            continue
        out[s].append("as=" + typ)
        out[e - 1].append("ae=" + typ)
        for i in range(s + 1, e - 1):
            out[i].append("ai=" + typ)
    return out


class Memory:
    """Surfaces annotated in the training data, each with its majority type and how reliably it is annotated.

    A feature the CRF cannot learn from characters alone: "this exact string was marked as a disease in
    the training data, nearly every time it occurred". Each surface (>= 2 characters) gets a value
    ``m<bucket>:<type>``: the bucket is h when it was annotated in >= 60 % of the places it occurs in the
    texts, m for >= 30 %, l below, and a trailing 1 when annotated only once. The values go to the CRF as
    extra dictionary terms (the ``as=``/``ae=``/``ai=`` attributes), so the compiled decoder needs nothing new.
    While training, each fold's memory comes from the other folds (cross-fitted), so the CRF learns how far
    to trust it on text it has not seen; the model keeps the memory of all its training data
    (``memory.json``, aggregates with counts, no sentence).
    """

    def __init__(self, items: dict[str, str]) -> None:
        import ahocorasick

        self.items = items  # folded surface → value
        self._auto = ahocorasick.Automaton()
        for k, v in items.items():
            self._auto.add_word(k, (len(k), v))
        if items:
            self._auto.make_automaton()

    def __call__(self, t: str) -> list[tuple[int, int, str]]:
        if not self.items:
            return []
        return [(end - length + 1, end + 1, v) for end, (length, v) in self._auto.iter(t)]

    @classmethod
    def learn(cls, records: Sequence[NerRecord]) -> tuple[Memory, dict[str, list[Any]]]:
        """The memory of these records, and its aggregates (surface → [type, times annotated, times seen])."""
        import ahocorasick

        by_type: dict[str, Counter[str]] = {}
        for r in records:
            t = fold(r.text)
            for sp in r.spans:
                surface = t[sp.start:sp.end]
                if len(surface) >= 2 and surface.strip() == surface:
                    by_type.setdefault(surface, Counter())[sp.type] += 1
        auto = ahocorasick.Automaton()
        for k in by_type:
            auto.add_word(k, k)
        seen: Counter[str] = Counter()
        if by_type:
            auto.make_automaton()
            for r in records:
                seen.update(k for _, k in auto.iter(fold(r.text)))
        agg: dict[str, list[Any]] = {}
        items: dict[str, str] = {}
        for k, types in by_type.items():
            typ, n = types.most_common(1)[0]
            total = sum(types.values())
            ratio = total / max(seen[k], total)
            bucket = "h" if ratio >= 0.6 else "m" if ratio >= 0.3 else "l"
            items[k] = f"m{bucket}{'1' if total == 1 else ''}:{typ}"
            agg[k] = [typ, n, seen[k]]
        return cls(items), agg

    @classmethod
    def from_aggregates(cls, agg: dict[str, list[Any]]) -> Memory:
        items = {}
        for k, (typ, n, seen) in agg.items():
            ratio = n / max(seen, n)
            bucket = "h" if ratio >= 0.6 else "m" if ratio >= 0.3 else "l"
            items[k] = f"m{bucket}{'1' if n == 1 else ''}:{typ}"
        return cls(items)


def features(t: str, dtags: Sequence[str], matches: Sequence[tuple[int, int, str]] = (),
             bounds: bytearray | None = None, clause: bool = False) -> list[list[str]]:
    """Attribute strings per character (see the module docstring); ``bounds``: word boundaries (segmenter);
    ``clause``: where the character sits between clause marks (``crf_compiled.clause_codes``)."""
    p = "\x02\x02" + t + "\x03\x03"
    d = ["^", *dtags, "$"]
    cls = [_char_class(c) for c in t]
    extra = match_features(len(t), matches) if matches else None
    seg = None
    if bounds is not None:
        seg = [("w=B" if bounds[i] else "w=I") + ("E" if bounds[i + 1] else "") for i in range(len(t))]
    q = None
    if clause:
        q = clause_codes(np.frombuffer(t.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)).tolist()
    out = []
    for i in range(len(t)):
        c = p[i + 2]
        f = [
            "b", "c=" + c, "p=" + p[i + 1], "n=" + p[i + 3], "pp=" + p[i], "nn=" + p[i + 4],
            "pc=" + p[i + 1:i + 3], "cn=" + p[i + 2:i + 4], "pn=" + p[i + 1] + p[i + 3], "ppc=" + p[i:i + 3],
            "cnn=" + p[i + 2:i + 5], "k=" + cls[i], "d=" + d[i + 1], "dp=" + d[i], "dn=" + d[i + 2],
            "dc=" + d[i + 1] + c,
        ]
        if extra is not None and extra[i]:
            f.extend(extra[i])
        if seg is not None:
            f.append(seg[i])
            f.append(seg[i] + c)
        if q is not None:
            f.append(f"q={q[i]}")
        out.append(f)
    return out


def _compiled(model_file: Path) -> CompiledLayer:
    """The numpy form of a crfsuite layer: ``layer-N.npz`` beside it, compiled (and cached) when missing."""
    cache = model_file.with_suffix(".npz")
    if cache.is_file():
        return CompiledLayer.load(cache)
    layer = CompiledLayer.from_crfsuite(model_file)
    try:
        tmp = cache.with_suffix(".npz.tmp")
        layer.save(tmp)
        tmp.replace(cache)
    except OSError:
        pass  # a read-only model directory: compile again next time
    return layer


def layer_labels(n: int, spans: Sequence[Span], types: frozenset[str], bioes: bool = False) -> list[str]:
    """BIO (or BIOES) labels of one layer: its types' spans, longest first where they overlap."""
    labels = ["O"] * n
    taken = bytearray(n)
    for sp in sorted((s for s in spans if s.type in types), key=lambda s: (s.start - s.end, s.start)):
        if taken.find(1, sp.start, sp.end) != -1:
            continue
        taken[sp.start:sp.end] = b"\x01" * (sp.end - sp.start)
        labels[sp.start] = "B-" + sp.type
        for i in range(sp.start + 1, sp.end):
            labels[i] = "I-" + sp.type
        if bioes:
            if sp.end - sp.start == 1:
                labels[sp.start] = "S-" + sp.type
            else:
                labels[sp.end - 1] = "E-" + sp.type
    return labels


def decode(labels: Sequence[str]) -> list[tuple[int, int, str]]:
    """(start, end, type) from BIO or BIOES labels; an I-/E- after O or another type opens an entity."""
    out: list[tuple[int, int, str]] = []
    start: int | None = None
    typ = ""
    for i, lab in enumerate([*labels, "O"]):
        tag, name = lab[:1], lab[2:]
        if start is not None and (tag not in ("I", "E") or name != typ):
            out.append((start, i, typ))
            start = None
        if tag in ("B", "S") or (tag in ("I", "E") and start is None):
            start, typ = i, name
        if tag in ("E", "S") and start is not None:
            out.append((start, i + 1, typ))
            start = None
    return out


@dataclass
class ExtractorModel:
    """A trained CRF extractor: its layers, the types it decides, and where it came from."""

    version: str
    layers: list[tuple[frozenset[str], CompiledLayer]]
    covers: frozenset[str]
    scheme: str = "own"
    matches: Any = None  # folded text → every dictionary term in it (Extractor.all_matches)
    memory: Memory | None = None  # surfaces of the training data (``memory=true``)
    segment: Any = None  # folded text → word boundaries, when the model was trained with them

    use_segments: bool = False
    use_clause: bool = False
    #: per layer, subtracted from the O label's score at every character before decoding (``o_bias``): a larger
    #: value makes the layer name more entities (recall up, precision down); 0 decodes the CRF as trained
    o_bias: tuple[float, ...] = ()
    directory: Path | None = None
    _taggers: list[Any] | None = None
    _merged: CompiledLayer | None = None

    @property
    def types(self) -> frozenset[str]:
        return frozenset().union(*(ts for ts, _ in self.layers))

    @classmethod
    def load(cls, directory: Path, version: str = "") -> ExtractorModel:
        try:
            meta = json.loads((directory / MODEL_FILE).read_text(encoding="utf-8"))
            if meta.get("feature_version") != FEATURE_VERSION:
                raise ConfigError(f"{directory}: extractor model features v{meta.get('feature_version')}, this "
                                  f"yizhu reads v{FEATURE_VERSION}; retrain with `yizhu train extractor`")
            layers = []
            for layer in meta["layers"]:
                layers.append((frozenset(layer["types"]), _compiled(directory / layer["file"])))
        except (OSError, KeyError, ValueError) as exc:
            raise ConfigError(f"{directory}: unreadable extractor model ({exc})") from exc
        model = cls(version or directory.name, layers, frozenset(meta["covers"]), meta.get("scheme", "own"))
        model.use_segments = bool(meta.get("segments"))
        model.use_clause = bool(meta.get("clause"))
        model.o_bias = tuple(float(x) for x in meta.get("o_bias", ()))
        model.directory = directory
        if meta.get("memory"):
            try:
                agg = json.loads((directory / meta["memory"]).read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise ConfigError(f"{directory}: unreadable extractor memory ({exc})") from exc
            model.memory = Memory.from_aggregates(agg)
        return model

    def crfsuite_taggers(self) -> list[Any]:
        """The layers as crfsuite taggers (the reference decoder; ``spans(..., reference=True)``)."""
        import pycrfsuite

        if self._taggers is None:
            if self.directory is None:
                raise ConfigError("this model was not loaded from a directory")
            meta = json.loads((self.directory / MODEL_FILE).read_text(encoding="utf-8"))
            taggers = []
            for layer in meta["layers"]:
                tagger = pycrfsuite.Tagger()
                tagger.open(str(self.directory / layer["file"]))
                taggers.append(tagger)
            self._taggers = taggers
        return self._taggers

    def spans(self, t: str, mentions: Sequence[Entity], *, reference: bool = False) -> list[tuple[int, int, str]]:
        """Entity spans the model finds in folded text ``t`` given the dictionary mentions.

        The compiled layers (numpy, ``crf_compiled``) answer; ``reference=True`` asks crfsuite itself over the
        attribute strings of ``features`` (the same result, several times slower: for checks and benchmarks).
        """
        if not t:
            return []
        bounds = self.segment(t) if self.use_segments and self.segment is not None else None
        matches = self.matches(t)
        if self.memory is not None:
            matches = matches + self.memory(t)
        out: list[tuple[int, int, str]] = []
        if reference:
            import pycrfsuite

            seq = pycrfsuite.ItemSequence(features(t, dictionary_tags(len(t), mentions), matches, bounds,
                                                   self.use_clause))
            for tagger in self.crfsuite_taggers():
                out.extend(decode(tagger.tag(seq)))
        else:
            if self._merged is None:
                self._merged = merge_layers([layer for _, layer in self.layers])
            merged = self._merged
            em = merged.scores(t, merged.tag_codes(len(t), mentions), matches, bounds)
            out.extend(self.decode_scores(em))
        return sorted(out, key=lambda x: (x[0], -x[1]))

    def decode_scores(self, em: np.ndarray, o_bias: Sequence[float] | None = None) -> list[tuple[int, int, str]]:
        """Spans of every layer from the merged state scores (each layer decodes its own columns)."""
        bias = self.o_bias if o_bias is None else o_bias
        out: list[tuple[int, int, str]] = []
        at = 0
        for li, (_, layer) in enumerate(self.layers):
            width = len(layer.labels)
            block = np.array(em[:, at:at + width])  # a contiguous copy
            if li < len(bias) and bias[li]:
                block[:, layer.o] -= bias[li]
            out.extend(layer.viterbi(block))
            at += width
        return out

    def merge(self, text: str, t: str, mentions: list[Entity]) -> list[Entity]:
        """The model's entities, with codes from matching dictionary mentions; other types from the dictionary."""
        by_span = {(m.start, m.end): m for m in mentions}
        lab_at = {m.start: m for m in mentions if m.type == "lab" and m.value is not None}
        out = [m for m in mentions if m.type not in self.covers]
        for s, e, typ in self.spans(t, mentions):
            lab = lab_at.get(s)
            if lab is not None and typ in ("lab", "exam") and lab.end >= e:
                out.append(replace(lab, analyte_end=e))  # the model's span is the analyte; the value follows
                continue
            m = by_span.get((s, e))
            if m is not None:
                out.append(replace(m, type=typ, rules=[]) if m.type != typ else m)  # type: ignore[arg-type]
            else:
                out.append(Entity(text[s:e], typ, s, e))  # type: ignore[arg-type]
        return sorted(out, key=lambda x: (x.start, -x.end))


def parse_bias(value: Any) -> tuple[float, ...]:
    """``o_bias`` as given: a number (every layer) or numbers by layer, comma-separated; empty: none."""
    if isinstance(value, (int, float)):
        return (float(value),)
    return tuple(float(x) for x in str(value).split(",") if x.strip())


def cross_fold(text: str, k: int) -> int:
    """The cross-fitting fold of a training record (a hash of its text, so duplicates share a fold)."""
    h = hashlib.sha256(("yizhu-cross-fit-v1\x1f" + text).encode("utf-8")).digest()
    return int.from_bytes(h[:8], "big") % k


def strict_counts(gold: Sequence[Span], pred: Sequence[tuple[int, int, str]]) -> dict[str, list[int]]:
    """tp, fp, fn per type for one text (strict span + type)."""
    g = {(s.start, s.end, s.type) for s in gold}
    p = set(pred)
    out: dict[str, list[int]] = {}
    for k in g:
        out.setdefault(k[2], [0, 0, 0])[0 if k in p else 2] += 1
    for k in p - g:
        out.setdefault(k[2], [0, 0, 0])[1] += 1
    return out


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


@dataclass
class _Fitted:
    files: dict[str, bytes]
    meta: dict[str, Any]
    model: ExtractorModel


class ExtractorTrainer(Trainer):
    """Trains the CRF extractor from labelled entity data (CMeEE, IMCS BIO, yizhu JSONL/CSV)."""

    kind = "extractor"
    method = ("linear-chain CRF (python-crfsuite, L-BFGS with L1+L2) over characters i-2..i+2, bigrams and "
              "trigrams around i, character class, the dictionary extractor's B/I/E/S type tags and every "
              "overlapping dictionary term's type; optionally (hyper-parameters) a memory of the training data's "
              "annotated surfaces with how reliably each is annotated (memory, cross-fitted in folds), the "
              "position between clause marks (clause), and the learned lexicon re-learned out of fold (cross_fit); "
              "one CRF per layer of entity types (the types the data nests others in get a layer of their own)")
    layouts = LAYOUTS

    DEFAULTS: ClassVar[dict[str, Any]] = {"c1": 0.05, "c2": 0.01, "max_iterations": 150, "min_freq": 1,
                                          "layers": "auto", "bioes": False, "segments": False,
                                          "cross_fit": 0, "memory": False, "clause": False,
                                          "o_bias": ""}

    def __init__(self, **params: Any) -> None:
        unknown = sorted(set(params) - set(self.DEFAULTS))
        if unknown:
            raise InputError(f"unknown extractor parameter(s) {', '.join(unknown)}; known: {', '.join(self.DEFAULTS)}")
        merged = {**self.DEFAULTS, **params}
        try:
            self.o_bias = parse_bias(merged["o_bias"])
        except ValueError as exc:
            raise InputError(f"o_bias must be a number or numbers by layer (0.5,1), got {merged['o_bias']!r}") from exc
        if merged["layers"] not in ("auto", "one", "two", "nest"):
            raise InputError(f"layers must be auto (= nest), one, two or nest, got {merged['layers']!r}")
        super().__init__(**merged)
        self.scheme = "own"
        self._ext: Extractor | None = None

    def extractor(self, data_dir: Path | None) -> Extractor:
        if self._ext is None:
            from yizhu.knowledge.terminology import terminology

            self._ext = terminology(data_dir).rules_extractor
        return self._ext

    def load(self, path: Path, layout: str | None = None) -> TrainingData:
        lay, recs = read_ner(path, layout)
        self.scheme = scheme_of(lay)
        nested = sum(1 for r in recs for a in r.spans for b in r.spans
                     if a is not b and a.start <= b.start and b.end <= a.end and (a.start, a.end) != (b.start, b.end))
        notes = [f"type scheme: {self.scheme}", f"nested spans: {nested}"]
        return TrainingData(path, lay, recs, notes=notes)

    def text_of(self, record: NerRecord) -> str:
        return record.text

    def _layers(self, train: Sequence[NerRecord]) -> list[frozenset[str]]:
        types = frozenset(s.type for r in train for s in r.spans)
        mode = self.params["layers"]
        if mode == "two" and types & INNER_TYPES and types - INNER_TYPES:
            return [types - INNER_TYPES, types & INNER_TYPES]
        if mode in ("auto", "nest"):
            # the types the data nests others in (CMeEE: only sym holds bod, ite …) get a layer of their own; every
            # other type shares one flat layer, so it learns that 膀胱横纹肌肉瘤 is one disease and not 膀胱 inside
            total = sum(len(r.spans) for r in train)
            holds = Counter(a.type for r in train for a in r.spans for b in r.spans if a is not b
                            and a.start <= b.start and b.end <= a.end and (a.start, a.end) != (b.start, b.end))
            outer = frozenset(t for t, n in holds.items() if n >= 0.01 * max(1, total)) & types
            if outer and types - outer:
                return [outer, types - outer]
        return [types]

    def fit(self, train: Sequence[NerRecord], *, data_dir: Path | None, seed: int, progress: Progress) -> _Fitted:
        import pycrfsuite

        if len(train) < 5 or not any(r.spans for r in train):
            raise InputError(f"{len(train)} training record(s) with {sum(len(r.spans) for r in train)} entities; "
                             "at least 5 records with entities are needed")
        ext = self.extractor(data_dir)
        layers = self._layers(train)
        progress(f"layers: {' | '.join(','.join(sorted(ts)) for ts in layers)}; dictionary {ext.size} terms")
        k = int(self.params["cross_fit"])
        fold_of = [0] * len(train)
        fold_ext = [ext]
        if k > 1:
            fold_of = [cross_fold(r.text, k) for r in train]
            fold_ext = self._fold_extractors(train, fold_of, k, data_dir, progress)
        memory: Memory | None = None
        memory_agg: dict[str, list[Any]] = {}
        fold_memory: list[Memory] = []
        if self.params["memory"]:
            mk = k if k > 1 else 5
            mfold = [cross_fold(r.text, mk) for r in train]
            for f in range(mk):  # each fold's memory from the other folds: as unseen text will meet it
                fold_memory.append(Memory.learn([r for r, fi in zip(train, mfold, strict=True) if fi != f])[0])
            memory, memory_agg = Memory.learn(train)
            progress(f"memory: {len(memory.items)} surfaces, cross-fitted in {mk} folds")
        feats = []
        for i, (r, fi) in enumerate(zip(train, fold_of, strict=True)):
            ext = fold_ext[fi]
            t = fold(r.text)
            bounds = ext.segmenter.boundaries(t) if self.params["segments"] and ext.segmenter is not None else None
            matches = ext.all_matches(t)
            if fold_memory:
                matches = matches + fold_memory[mfold[i]](t)
            feats.append(features(t, dictionary_tags(len(t), ext.mentions(r.text, t)), matches, bounds,
                                  bool(self.params["clause"])))
        files: dict[str, bytes] = {}
        meta_layers = []
        taggers = []
        with tempfile.TemporaryDirectory() as tmp:
            for li, types in enumerate(layers):
                trainer = pycrfsuite.Trainer(verbose=False)
                for r, f in zip(train, feats, strict=True):
                    trainer.append(pycrfsuite.ItemSequence(f),
                                   layer_labels(len(r.text), r.spans, types, bool(self.params["bioes"])))
                trainer.set_params({"c1": float(self.params["c1"]), "c2": float(self.params["c2"]),
                                    "max_iterations": int(self.params["max_iterations"]),
                                    "feature.minfreq": float(self.params["min_freq"]),
                                    "feature.possible_transitions": True})
                name = f"layer-{li}.crfsuite"
                progress(f"layer {li}: fitting {len(train)} sequences")
                trainer.train(str(Path(tmp) / name))
                files[name] = (Path(tmp) / name).read_bytes()
                compiled = CompiledLayer.from_crfsuite(Path(tmp) / name)
                compiled.save(Path(tmp) / f"layer-{li}.npz")
                files[f"layer-{li}.npz"] = (Path(tmp) / f"layer-{li}.npz").read_bytes()
                taggers.append((types, compiled))
                meta_layers.append({"file": name, "types": sorted(types)})
        covers = set().union(*layers)
        export = EXPORT.get(self.scheme)
        if export is not None:  # the scheme labelled every type that maps into it (IMCS: disease is Symptom)
            covers |= {t for t, s in export.items() if s in {export.get(x) for x in covers}}
        meta = {"feature_version": FEATURE_VERSION, "layers": meta_layers, "covers": sorted(covers),
                "scheme": self.scheme, "segments": bool(self.params["segments"]), "bioes": bool(self.params["bioes"]),
                "clause": bool(self.params["clause"])}
        if self.o_bias:
            meta["o_bias"] = [self.o_bias[min(i, len(self.o_bias) - 1)] for i in range(len(layers))]
        if memory is not None:
            files[MEMORY_FILE] = json.dumps(memory_agg, ensure_ascii=False, sort_keys=True).encode("utf-8")
            meta["memory"] = MEMORY_FILE
        ext = self.extractor(data_dir)
        model = ExtractorModel("unsaved", taggers, frozenset(covers), self.scheme, ext.all_matches,
                               ext.segmenter.boundaries if ext.segmenter is not None else None)
        model.use_segments = bool(self.params["segments"])
        model.use_clause = bool(self.params["clause"])
        model.o_bias = tuple(meta.get("o_bias", ()))
        model.memory = memory
        return _Fitted(files, meta, model)

    def _fold_extractors(self, train: Sequence[NerRecord], fold_of: Sequence[int], k: int, data_dir: Path | None,
                         progress: Progress) -> list[Extractor]:
        """One dictionary extractor per fold, its learned lexicon learned from the other folds only."""
        from yizhu.knowledge.terminology import terminology
        from yizhu.knowledge.terminology.lexicon_learning import default_meta, dump, learn_doc

        term = terminology(data_dir)
        icd_rows, formulary = list(term.store.icd_rows()), list(term.store.formulary())
        export = EXPORT.get(self.scheme) or {}
        out = []
        with tempfile.TemporaryDirectory() as tmp:
            for f in range(k):
                rest = [r for r, fi in zip(train, fold_of, strict=True) if fi != f]
                doc = learn_doc(rest, export, default_meta(f"training data, all folds but {f} of {k}", "training data"),
                                kb=term.kb)
                path = Path(tmp) / f"learned-{f}.yaml"
                path.write_text(dump(doc), encoding="utf-8")
                out.append(Extractor.build(term.kb, icd_rows, formulary, learned=path))
                progress(f"fold {f}: learned lexicon of the other folds, {len(doc['terms'])} terms")
        return out

    def evaluate(self, model: _Fitted, held_back: Sequence[NerRecord], *, data_dir: Path | None) -> dict[str, float]:
        ext = self.extractor(data_dir)
        total: dict[str, list[int]] = {}
        for r in held_back:
            t = fold(r.text)
            pred = {(s, e, typ) for s, e, typ in model.model.spans(t, ext.mentions(r.text, t))}
            for typ, c in strict_counts(r.spans, sorted(pred)).items():
                acc = total.setdefault(typ, [0, 0, 0])
                for i in range(3):
                    acc[i] += c[i]
        gold_types = sorted(t for t, c in total.items() if c[0] + c[2] > 0)
        tp = sum(total[t][0] for t in gold_types)
        fp = sum(total[t][1] for t in gold_types)
        fn = sum(total[t][2] for t in gold_types)
        p, r, f = prf(tp, fp, fn)
        out = {"f1": f, "precision": p, "recall": r}
        for t in gold_types:
            out[f"f1_{t}"] = prf(*total[t])[2]
        return out

    def save(self, model: _Fitted, directory: Path) -> list[str]:
        for name, blob in model.files.items():
            (directory / name).write_bytes(blob)
        (directory / MODEL_FILE).write_text(json.dumps(model.meta, ensure_ascii=False, indent=1), encoding="utf-8")
        return [MODEL_FILE, *model.files]

    def hyper_parameters(self) -> dict[str, Any]:
        return {**self.params, "feature_version": FEATURE_VERSION}

    def metrics_note(self) -> str:
        return ("strict span+type micro P/R/F1 over the held-back part (types as trained; types with no gold "
                "left out), model spans only, before ConText")
