"""Loaders for the dataset layouts a hospital may bring, all turned into ``Dataset``/``Case``.

| format       | layout                                                                         | case shape |
|--------------|--------------------------------------------------------------------------------|------------|
| yizhu        | our own YAML/JSON/JSONL (``yizhu.evaluation.dataset``)                          | as written |
| mcq          | CMExam CSV (Question, Options, Answer…), CMB-Exam JSON (question, option{A..}, | question, options → answer letters |
|              | answer), MedQA-MCMLE JSONL (question, options, answer_idx), flat A–E columns   |            |
| cdn          | CHIP-CDN JSON: text, normalized_result ("term##term")                          | text → terms |
| cmeee        | CMeEE JSON: text, entities[start_idx, end_idx, type, entity]                  | text → spans |
| imcs-ner     | IMCS-V2 JSON: {id: {dialogue: [{sentence, BIO_label}]}}                         | utterance → spans |
| imcs-bio     | IMCS-V2 NER JSONL: {text, bio: [B-Symptom, I-Symptom, O, …]} a line             | utterance → spans |
| imcs-mrg     | IMCS-V2 JSON: {id: {dialogue, report: [{主诉, 现病史, 辅助检查, 既往史, 诊断, 建议}]}} | dialogue → report |
| note-dialogues | JSONL: id, type, transcript ("医生：…"), gold (the note as printed)          | dialogue → note |
| phi-spans    | JSONL: text, doc_type, spans[type, start, end] (yizhu.evaluation.data.deid.synth)           | note → PHI spans |
| phi-markup   | text: `=== id title ===` documents with `[[TYPE:value]]` / `{{value}}` marks (deid corpora)   | note → PHI spans |
| healthbench  | HealthBench JSONL: prompt (messages), rubrics [{criterion, points, tags}]       | messages → rubric |

Spans are always Python offsets with an exclusive end (``text[start:end]``). CMeEE's ``end_idx``
is inclusive in the first release; the loader checks against the ``entity`` text when present and
takes whichever convention matches. The files themselves are the user's; shipped examples are
small synthetic ones (``yizhu/evaluation/data``).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from yizhu.errors import InputError
from yizhu.evaluation.dataset import Case, Dataset, parse_structured, read_text, read_yizhu_dataset

Parsed = Any


@dataclass(frozen=True)
class Loader:
    """One file layout: how to recognise it and how to read it."""

    name: str
    description: str
    sniff: Callable[[Path, Parsed], bool]
    load: Callable[[Path, Parsed], Dataset]


LOADERS: dict[str, Loader] = {}


def register_loader(loader: Loader) -> Loader:
    """Add a layout (a hospital's own export, say); replaces one of the same name."""
    LOADERS[loader.name] = loader
    return loader


def parse_file(path: Path) -> Parsed:
    """The raw records of a file: CSV rows, JSON/YAML value, or JSONL objects."""
    text = read_text(path)
    suffix = path.suffix.lower()
    if suffix in (".csv", ".tsv"):
        reader = csv.DictReader(io.StringIO(text), delimiter="\t" if suffix == ".tsv" else ",")
        return [{(k or "").strip(): (v or "").strip() for k, v in row.items()} for row in reader]
    if suffix == ".txt":
        return text  # (a plain-text layout: the de-identification corpora's inline markup, ``phi-markup``)
    if suffix == ".jsonl":
        out = []
        for lineno, line in enumerate(text.splitlines(), 1):
            if line.strip():
                try:
                    out.append(json.loads(line))
                except ValueError as exc:
                    raise InputError(f"{path}:{lineno}: not JSON ({exc}); each line must be one JSON object") from exc
        return out
    return parse_structured(path, text)


def load_dataset(path: str | Path, *, format: str | None = None, accept: Sequence[str] | None = None) -> Dataset:
    """Read a dataset file in any registered layout; ``format`` forces one, ``accept`` limits detection."""
    p = Path(path)
    if format is not None:
        if format not in LOADERS:
            raise InputError(f"unknown dataset format '{format}'; known formats: {', '.join(LOADERS)}")
        if accept is not None and format not in accept and format != "yizhu":
            raise InputError(f"this suite reads {', '.join(accept)}, not '{format}'")
        if format == "yizhu":
            return read_yizhu_dataset(p)
        return LOADERS[format].load(p, parse_file(p))
    parsed = parse_file(p)
    candidates = ["yizhu", *(accept or [n for n in LOADERS if n != "yizhu"])]
    for name in candidates:
        loader = LOADERS.get(name)
        if loader is not None and loader.sniff(p, parsed):
            return read_yizhu_dataset(p) if name == "yizhu" else loader.load(p, parsed)
    raise InputError(
        f"{p}: layout not recognised; this suite reads: {', '.join(candidates)} "
        "(pass --format to force one; see docs/evaluation.md)"
    )


# ── yizhu's own layout ───────────────────────────────────────────────────────────────────


def _records(parsed: Parsed) -> list[Any]:
    if isinstance(parsed, list):
        return parsed
    if isinstance(parsed, dict):
        for key in ("data", "examples", "items", "questions"):
            if isinstance(parsed.get(key), list):
                return parsed[key]
    return []


def _first(parsed: Parsed) -> dict[str, Any]:
    recs = _records(parsed)
    return recs[0] if recs and isinstance(recs[0], dict) else {}


def _sniff_yizhu(path: Path, parsed: Parsed) -> bool:
    if isinstance(parsed, dict) and isinstance(parsed.get("cases"), list):
        return True
    if isinstance(parsed, list) and parsed and isinstance(parsed[0], dict):
        head = parsed[0]
        return "_dataset" in head or ("id" in head and "inputs" in head)
    return False


register_loader(Loader("yizhu", "yizhu Case/Dataset file (YAML, JSON, JSONL)", _sniff_yizhu,
                       lambda p, _: read_yizhu_dataset(p)))


# ── multiple-choice exams ────────────────────────────────────────────────────────────────

LETTERS = "ABCDEFGH"
_OPTION_LINE = re.compile(r"^\s*([A-H])\s*[\.．、:：)）\s]\s*(.*\S)\s*$")
_OPTION_INLINE = re.compile(r"(?:^|\s)([A-H])[\.．、:：)）]\s*")


def parse_options(raw: Any) -> dict[str, str]:
    """Options as {letter: text} from a mapping, a list, or CMExam's "A 文本\\nB 文本" string."""
    if isinstance(raw, dict):
        return {str(k).strip().upper(): str(v).strip() for k, v in raw.items() if str(v).strip()}
    if isinstance(raw, list):
        out: dict[str, str] = {}
        for i, item in enumerate(raw):
            if isinstance(item, dict) and "key" in item:
                out[str(item["key"]).upper()] = str(item.get("value", "")).strip()
            else:
                m = _OPTION_LINE.match(str(item))
                if m:
                    out[m.group(1)] = m.group(2)
                else:
                    out[LETTERS[i]] = str(item).strip()
        return out
    text = str(raw or "")
    out = {}
    for line in text.splitlines():
        m = _OPTION_LINE.match(line)
        if m:
            out[m.group(1)] = m.group(2)
    if len(out) >= 2:
        return out
    parts = _OPTION_INLINE.split(text)
    # parts: [prefix, letter, text, letter, text, ...]
    out = {}
    for i in range(1, len(parts) - 1, 2):
        if parts[i + 1].strip():
            out[parts[i]] = parts[i + 1].strip()
    return out


def parse_answer_letters(raw: Any, options: dict[str, str] | None = None) -> str:
    """Answer letters, sorted and unique ("BA", "A,B", "A、B", ["A","B"] → "AB"); answer text is matched to options."""
    if isinstance(raw, list):
        raw = "".join(str(x) for x in raw)
    text = str(raw or "").strip()
    letters = re.sub(r"[\s,，、;；/|和及]", "", text.upper())
    if letters and all(ch in LETTERS for ch in letters):
        return "".join(sorted(set(letters)))
    if options:
        for k, v in options.items():
            if v and v.strip() == text:
                return k
    return ""


def _pick(rec: dict[str, Any], *keys: str) -> Any:
    for k in keys:
        if k in rec and rec[k] not in (None, ""):
            return rec[k]
    return None


def _sniff_mcq(path: Path, parsed: Parsed) -> bool:
    rec = _first(parsed)
    has_q = _pick(rec, "question", "Question", "题目", "问题") is not None
    has_opts = any(k in rec for k in ("options", "option", "Options", "选项")) or all(k in rec for k in "ABCD")
    return has_q and has_opts


def _mcq_case(i: int, rec: dict[str, Any], path: Path) -> Case | None:
    question = str(_pick(rec, "question", "Question", "题目", "问题") or "").strip()
    raw_opts = _pick(rec, "options", "option", "Options", "选项")
    if raw_opts is None:
        raw_opts = {k: rec[k] for k in LETTERS if rec.get(k) not in (None, "")}
    options = parse_options(raw_opts)
    answer = parse_answer_letters(_pick(rec, "answer_idx", "Answer", "answer", "答案"), options)
    if not question or len(options) < 2 or not answer or any(a not in options for a in answer):
        return None
    qtype = str(_pick(rec, "question_type", "type", "题型") or "")
    multi = len(answer) > 1 or "多" in qtype or "multi" in qtype.lower()
    category = _pick(rec, "category", "exam_subject", "Clinical Department", "meta_info", "exam_class", "Disease Group")
    meta: dict[str, Any] = {"question_type": "multi" if multi else "single"}
    if category is not None:
        meta["category"] = str(category)
    for src, dst in (("Explanation", "explanation"), ("explanation", "explanation"), ("analysis", "explanation"),
                     ("exam_type", "exam_type"), ("exam_class", "exam_class"), ("Difficulty level", "difficulty"),
                     ("Competency", "competency"), ("Medical Discipline", "discipline"), ("source", "source"),
                     ("synthetic", "synthetic")):
        if rec.get(src) not in (None, ""):
            meta[dst] = rec[src]
    if isinstance(meta.get("synthetic"), str):
        meta["synthetic"] = meta["synthetic"].strip().lower() in ("1", "true", "yes", "是")
    cid = str(_pick(rec, "id", "qid", "ID", "question_id") or f"{path.stem}-{i + 1:04d}")
    return Case(id=cid, inputs={"question": question, "options": options}, expected={"answer": answer}, metadata=meta)


def load_mcq(path: Path, parsed: Parsed) -> Dataset:
    """CMExam, CMB-Exam, MedQA-MCMLE, CNMLEQA-style flat columns: question, options A–E, answer letters."""
    recs = _records(parsed)
    cases: list[Case] = []
    skipped = 0
    for i, rec in enumerate(recs):
        case = _mcq_case(i, rec, path) if isinstance(rec, dict) else None
        if case is None:
            skipped += 1
            continue
        cases.append(case)
    if not cases:
        raise InputError(f"{path}: no usable multiple-choice question (each needs question, ≥2 options and answer letters)")
    return _dataset(path, "mcq", cases, skipped)


register_loader(Loader("mcq", "multiple-choice exams: CMExam, CMB-Exam, MedQA-MCMLE, CNMLEQA", _sniff_mcq, load_mcq))


# ── CHIP-CDN diagnosis normalisation ─────────────────────────────────────────────────────


def _sniff_cdn(path: Path, parsed: Parsed) -> bool:
    rec = _first(parsed)
    return "text" in rec and "normalized_result" in rec


def load_cdn(path: Path, parsed: Parsed) -> Dataset:
    """CHIP-CDN: ``text`` → ``normalized_result`` (standard names joined by ``##``)."""
    cases = []
    for i, rec in enumerate(_records(parsed)):
        # names the CBLUE CSV export wrapped in double quotes ("下肢未特指的损伤,水平未特指") are unwrapped
        terms = [t.strip().removeprefix('"').removesuffix('"').strip()
                 for t in str(rec.get("normalized_result", "")).split("##") if t.strip()]
        meta = {k: rec[k] for k in ("category", "synthetic", "source") if k in rec}
        cases.append(Case(id=str(rec.get("id") or f"{path.stem}-{i + 1:04d}"), inputs={"text": str(rec["text"])},
                          expected={"terms": terms, "codes": list(rec.get("codes") or [])}, metadata=meta))
    return _dataset(path, "cdn", cases)


register_loader(Loader("cdn", "CHIP-CDN diagnosis normalisation (CBLUE)", _sniff_cdn, load_cdn))


# ── CMeEE NER with character offsets ─────────────────────────────────────────────────────


def _sniff_cmeee(path: Path, parsed: Parsed) -> bool:
    rec = _first(parsed)
    ents = rec.get("entities")
    return "text" in rec and isinstance(ents, list) and (not ents or "start_idx" in ents[0])


def cmeee_span(text: str, ent: dict[str, Any]) -> tuple[int, int]:
    """(start, exclusive end) of a CMeEE entity, whichever end convention matches its ``entity`` text."""
    start, end = int(ent["start_idx"]), int(ent["end_idx"])
    surface = ent.get("entity")
    if surface is not None:
        if text[start:end + 1] == surface:
            return start, end + 1
        if text[start:end] == surface:
            return start, end
        raise InputError(
            f"entity {surface!r} does not sit at [{start}, {end}] of {text[:30]!r}…; fix start_idx/end_idx"
        )
    return start, end + 1  # the CMeEE release convention: inclusive end


def load_cmeee(path: Path, parsed: Parsed) -> Dataset:
    """CMeEE: text with entities (start_idx, end_idx, type, entity)."""
    cases = []
    for i, rec in enumerate(_records(parsed)):
        text = str(rec["text"])
        spans = []
        for ent in rec.get("entities", []):
            s, e = cmeee_span(text, ent)
            spans.append({"start": s, "end": e, "type": str(ent["type"]), "text": text[s:e]})
        meta = {k: rec[k] for k in ("category", "synthetic", "source") if k in rec}
        cases.append(Case(id=str(rec.get("id") or f"{path.stem}-{i + 1:04d}"), inputs={"text": text},
                          expected={"entities": spans}, metadata=meta))
    return _dataset(path, "cmeee", cases)


register_loader(Loader("cmeee", "CMeEE medical NER with character offsets (CBLUE)", _sniff_cmeee, load_cmeee))


# ── IMCS-V2: dialogue NER and dialogue → medical report ───────────────────────────────────

MRG_FIELDS = ("主诉", "现病史", "辅助检查", "既往史", "诊断", "建议")


def _sniff_imcs(path: Path, parsed: Parsed) -> bool:
    if not isinstance(parsed, dict) or not parsed:
        return False
    first = next(iter(parsed.values()))
    return isinstance(first, dict) and isinstance(first.get("dialogue"), list)


def bio_spans(text: str, labels: Sequence[str]) -> list[dict[str, Any]]:
    """Entity spans from per-character BIO labels (``B-Symptom I-Symptom O``)."""
    if len(labels) != len(text):
        raise InputError(f"BIO labels ({len(labels)}) do not match the sentence length ({len(text)}): {text[:30]!r}")
    spans: list[dict[str, Any]] = []
    start, typ = None, None
    for i, lab in enumerate([*labels, "O"]):
        tag, _, name = lab.partition("-")
        if start is not None and (tag != "I" or name != typ):
            spans.append({"start": start, "end": i, "type": typ, "text": text[start:i]})
            start, typ = None, None
        if tag == "B" or (tag == "I" and start is None):
            start, typ = i, name
    return spans


def load_imcs_ner(path: Path, parsed: Parsed) -> Dataset:
    """IMCS-V2-NER: one case per utterance with its BIO-labelled entities."""
    cases = []
    for did, dlg in parsed.items():
        for turn in dlg.get("dialogue", []):
            text = str(turn.get("sentence", ""))
            raw = turn.get("BIO_label")
            if not text or raw is None:
                continue
            labels = raw.split() if isinstance(raw, str) else list(raw)
            meta = {"speaker": turn.get("speaker"), "dialogue": str(did)}
            if dlg.get("diagnosis"):
                meta["category"] = dlg["diagnosis"]
            if "synthetic" in dlg:
                meta["synthetic"] = dlg["synthetic"]
            cases.append(Case(id=f"{did}-{turn.get('sentence_id', len(cases) + 1)}", inputs={"text": text},
                              expected={"entities": bio_spans(text, labels)}, metadata=meta))
    return _dataset(path, "imcs-ner", cases)


def load_imcs_mrg(path: Path, parsed: Parsed) -> Dataset:
    """IMCS-V2-MRG: the dialogue → the six-field report (every annotator's report is a reference)."""
    cases = []
    for did, dlg in parsed.items():
        reports = dlg.get("report") or []
        if isinstance(reports, dict):
            reports = [reports]
        refs = [{f: str(r.get(f, "")) for f in MRG_FIELDS} for r in reports if isinstance(r, dict)]
        if not refs:
            continue
        turns = [{"speaker": t.get("speaker", ""), "text": t.get("sentence", "")} for t in dlg.get("dialogue", [])]
        meta: dict[str, Any] = {}
        if dlg.get("diagnosis"):
            meta["category"] = dlg["diagnosis"]
        if "synthetic" in dlg:
            meta["synthetic"] = dlg["synthetic"]
        cases.append(Case(id=str(did), inputs={"dialogue": turns, "self_report": dlg.get("self_report", "")},
                          expected={"reports": refs}, metadata=meta))
    return _dataset(path, "imcs-mrg", cases)


def _sniff_imcs_bio(path: Path, parsed: Parsed) -> bool:
    rec = _first(parsed)
    return "text" in rec and isinstance(rec.get("bio"), (list, str))


def load_imcs_bio(path: Path, parsed: Parsed) -> Dataset:
    """IMCS-V2 NER as one utterance a line: ``{"text", "bio": [per-character BIO labels]}``."""
    cases = []
    for i, rec in enumerate(_records(parsed)):
        text = str(rec.get("text", ""))
        raw = rec.get("bio")
        if not text or raw is None:
            continue
        labels = raw.split() if isinstance(raw, str) else list(raw)
        try:
            spans = bio_spans(text, labels)
        except InputError as exc:
            raise InputError(f"{path}: record {i + 1}: {exc}") from exc
        cases.append(Case(id=str(rec.get("id") or f"{path.stem}-{i + 1:05d}"), inputs={"text": text},
                          expected={"entities": spans}, metadata={}))
    return _dataset(path, "imcs-bio", cases)


register_loader(Loader("imcs-ner", "IMCS-V2 dialogue NER (BIO labels)", _sniff_imcs, load_imcs_ner))
register_loader(Loader("imcs-bio", "IMCS-V2 NER utterances, JSONL {text, bio}", _sniff_imcs_bio, load_imcs_bio))
register_loader(Loader("imcs-mrg", "IMCS-V2 dialogue → medical report (MRG)", _sniff_imcs, load_imcs_mrg))


# ── note drafting: dialogues with gold notes (yizhu's note evaluation set) ──────────────


def _sniff_note_dialogues(path: Path, parsed: Parsed) -> bool:
    recs = [r for r in _records(parsed) if isinstance(r, dict) and "_meta" not in r]
    return bool(recs) and "transcript" in recs[0] and "gold" in recs[0]


def load_note_dialogues(path: Path, parsed: Parsed) -> Dataset:
    """Dialogue transcripts ("医生：…\n患者：…") with the gold note a clinician would write, JSONL."""
    cases = []
    for i, rec in enumerate(r for r in _records(parsed) if isinstance(r, dict) and "_meta" not in r):
        meta: dict[str, Any] = {"category": rec.get("type", "outpatient")}
        for k in ("synthetic", "source"):
            if k in rec:
                meta[k] = rec[k]
        cases.append(Case(id=str(rec.get("id") or f"{path.stem}-{i + 1:04d}"),
                          inputs={"transcript": str(rec["transcript"]), "type": str(rec.get("type", "outpatient"))},
                          expected={"gold": str(rec["gold"])}, metadata=meta))
    return _dataset(path, "note-dialogues", cases)


register_loader(Loader("note-dialogues", "dialogue transcripts with gold notes (yizhu note-drafting set)",
                       _sniff_note_dialogues, load_note_dialogues))


# ── de-identification gold (yizhu.evaluation.data.deid.synth) ─────────────────────────────────────────


def _sniff_phi(path: Path, parsed: Parsed) -> bool:
    rec = _first(parsed)
    spans = rec.get("spans")
    return "text" in rec and isinstance(spans, list) and (not spans or {"type", "start", "end"} <= set(spans[0]))


def load_phi(path: Path, parsed: Parsed) -> Dataset:
    """Notes with gold PHI spans, one JSON object a line (``SyntheticNote.to_dict`` of yizhu.evaluation.data.deid.synth)."""
    cases = []
    for i, rec in enumerate(_records(parsed)):
        text = str(rec["text"])
        spans = []
        for sp in rec.get("spans", []):
            s, e = int(sp["start"]), int(sp["end"])
            if not 0 <= s < e <= len(text):
                raise InputError(f"{path}: record {i + 1}: span [{s}, {e}] lies outside the text; fix the offsets")
            spans.append({"type": str(sp["type"]), "start": s, "end": e, "text": text[s:e]})
        meta: dict[str, Any] = {"category": rec.get("doc_type") or "note"}
        for k in ("patient_id", "synthetic", "source"):
            if k in rec:
                meta[k] = rec[k]
        cases.append(Case(id=str(rec.get("id") or f"{path.stem}-{i + 1:04d}"),
                          inputs={"text": text, "doc_type": rec.get("doc_type", "")},
                          expected={"spans": spans}, metadata=meta))
    return _dataset(path, "phi-spans", cases)


register_loader(Loader("phi-spans", "notes with gold PHI spans (yizhu.evaluation.data.deid.synth layout)", _sniff_phi, load_phi))


def _sniff_phi_markup(path: Path, parsed: Parsed) -> bool:
    from yizhu.evaluation.deid_markup import looks_like_markup

    return isinstance(parsed, str) and looks_like_markup(parsed)


def load_phi_markup(path: Path, parsed: Parsed) -> Dataset:
    """Documents written blind with inline markup (``=== id title ===``, ``[[NAME:张三]]``, ``{{阿莫西林}}``;
    ``yizhu.evaluation.deid_markup``), their marked identifiers as gold PHI spans of the engine's types."""
    from yizhu.evaluation.deid_markup import TYPES, MarkupError, parse_markup

    try:
        docs = parse_markup(str(parsed))
    except MarkupError as exc:
        raise InputError(f"{path}: {exc}") from exc
    cases = []
    for d in docs:
        unknown = sorted({typ for typ, *_ in d["phi"] if typ not in TYPES})
        if unknown:
            raise InputError(f"{path}: {d['id']}: unknown mark type(s) {', '.join(unknown)}; known: {', '.join(TYPES)}")
        spans = [{"type": TYPES[typ], "start": s, "end": e, "text": v} for typ, s, e, v in d["phi"]]
        cases.append(Case(id=d["id"], inputs={"text": d["text"], "doc_type": d["title"]}, expected={"spans": spans},
                          metadata={"category": d["title"], "synthetic": True, "marked_types": [t for t, *_ in d["phi"]]}))
    return _dataset(path, "phi-markup", cases)


register_loader(Loader("phi-markup", "documents with inline PHI markup (evaluation/data/deid/*/*.txt, written blind)",
                       _sniff_phi_markup, load_phi_markup))


# ── HealthBench-style rubric cases ───────────────────────────────────────────────────────


def _sniff_rubric(path: Path, parsed: Parsed) -> bool:
    rec = _first(parsed)
    return "rubrics" in rec and ("prompt" in rec or "messages" in rec)


def load_rubric(path: Path, parsed: Parsed) -> Dataset:
    """HealthBench layout: ``prompt`` (chat messages) and ``rubrics`` (criterion, points, tags)."""
    cases = []
    for i, rec in enumerate(_records(parsed)):
        messages = rec.get("prompt") or rec.get("messages") or []
        if isinstance(messages, str):
            messages = [{"role": "user", "content": messages}]
        rubrics = [
            {"criterion": str(r["criterion"]), "points": float(r["points"]), "tags": list(r.get("tags") or [])}
            for r in rec.get("rubrics", [])
        ]
        if not messages or not rubrics:
            continue
        tags = list(rec.get("example_tags") or [])
        theme = next((t.split(":", 1)[1] for t in tags if t.startswith("theme:")), None)
        meta: dict[str, Any] = {"tags": tags}
        if theme:
            meta["category"] = theme
        for k in ("synthetic", "source"):
            if k in rec:
                meta[k] = rec[k]
        cases.append(Case(id=str(rec.get("prompt_id") or rec.get("id") or f"{path.stem}-{i + 1:04d}"),
                          inputs={"messages": [{"role": m["role"], "content": m["content"]} for m in messages]},
                          expected={"rubrics": rubrics}, metadata=meta))
    return _dataset(path, "healthbench", cases)


register_loader(Loader("healthbench", "open clinical cases with rubric criteria (HealthBench layout)", _sniff_rubric,
                       load_rubric))


# ── helpers ──────────────────────────────────────────────────────────────────────────────


def _dataset(path: Path, fmt: str, cases: Iterable[Case], skipped: int = 0) -> Dataset:
    cases = list(cases)
    if not cases:
        raise InputError(f"{path}: no cases found in the {fmt} layout")
    synthetic = all(c.metadata.get("synthetic") is True for c in cases)
    description = f"{len(cases)} cases read from {path.name} ({fmt})"
    if skipped:
        description += f"; {skipped} records skipped (incomplete)"
    try:
        return Dataset(name=path.stem, format=fmt, path=str(path), synthetic=synthetic, description=description,
                       source="合成示例 synthetic" if synthetic else f"user file {path.name}", cases=cases)
    except ValidationError as exc:
        raise InputError(f"{path}: {exc.errors()[0]['msg']}") from exc
