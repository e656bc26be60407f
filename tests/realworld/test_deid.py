"""Blind real-world cases for de-identification (docs/deid.md, `yizhu.privacy.deidentify`).

Each case under tests/realworld/deid/cases/ holds a whole document or dialogue written with inline
markup, so that no offset is ever counted by hand:

    [[NAME:梁建华]]     an identifier of type NAME that must be masked completely
    {{头孢曲松}}        a span that must NOT be touched (drug, disease, department, role word …)

The runner strips the markup to get the plain text and the exact spans, sends the plain text through
the public function `yizhu.privacy.deidentify(text)` (redact mode, as `yizhu deid FILE` does) and checks:

* no character of any marked identifier survives: every character of every [[TYPE:…]] span lies inside
  some returned entity, and (for a span so covered) the identifier string itself does not occur in the
  redacted text either (unless the same string also occurs unmarked in the input);
* no returned entity overlaps a {{…}} span, and every term of the case's `keep:` list survives every
  time it occurs (no entity overlaps any of its occurrences).

A case with `surrogate: true` is also sent in surrogate mode (`deidentify(text, mode="surrogate",
patient_key=...)`): no marked identifier may appear in the output, the kept spans must survive, and every
shifted date must keep the form it was written in (docs/deid.md: "in the form it was written"), checked on
the returned mapping: same separators, and zero-padded (or ISO) month/day groups stay two digits.
Times of day are kept in surrogate mode by design and are not checked there.

Cases that fail today are listed in tests/realworld/deid/known_gaps.yaml and run as strict xfail
(key `deid-NNN` for the redact check, `deid-NNN/surrogate` for the surrogate check).
`python tests/realworld/test_deid.py` (or the last test, with -s) prints recall per identifier type.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

HERE = Path(__file__).parent / "deid"
CASES = sorted((HERE / "cases").glob("*.yaml"))
GAPS_FILE = HERE / "known_gaps.yaml"
GAPS: dict[str, str] = (yaml.safe_load(GAPS_FILE.read_text(encoding="utf-8")) or {}) if GAPS_FILE.exists() else {}

MARK = re.compile(r"\[\[([A-Z_]+):(.+?)\]\]|\{\{(.+?)\}\}", re.S)


def strip_markup(marked: str) -> tuple[str, list[tuple[str, int, int, str]], list[tuple[int, int, str]]]:
    """Return (plain text, identifiers [(type, start, end, value)], keeps [(start, end, value)])."""
    out: list[str] = []
    pos = 0
    length = 0
    phi: list[tuple[str, int, int, str]] = []
    keep: list[tuple[int, int, str]] = []
    for m in MARK.finditer(marked):
        chunk = marked[pos:m.start()]
        out.append(chunk)
        length += len(chunk)
        if m.group(1):
            value = m.group(2)
            phi.append((m.group(1), length, length + len(value), value))
        else:
            value = m.group(3)
            keep.append((length, length + len(value), value))
        out.append(value)
        length += len(value)
        pos = m.end()
    out.append(marked[pos:])
    text = "".join(out)
    assert "[[" not in text and "{{" not in text, "unbalanced markup"
    return text, phi, keep


def _field(entity, name):
    return entity[name] if isinstance(entity, dict) else getattr(entity, name)


def run_engine(text: str) -> tuple[str, list[tuple[int, int, str]]]:
    from yizhu.privacy import deidentify

    result = deidentify(text)
    ents = [(int(_field(e, "start")), int(_field(e, "end")), str(_field(e, "type"))) for e in result.entities]
    return result.text, ents


def coverage(text_len: int, ents: list[tuple[int, int, str]]) -> list[bool]:
    covered = [False] * text_len
    for s, e, _ in ents:
        for i in range(max(0, s), min(text_len, e)):
            covered[i] = True
    return covered


def load(path: Path) -> dict:
    case = yaml.safe_load(path.read_text(encoding="utf-8"))
    for key in ("id", "title", "synthetic", "written_by", "situation", "input", "expect"):
        assert key in case, f"{path.name}: missing {key}"
    return case


def check(case: dict) -> list[str]:
    text, phi, keeps = strip_markup(case["input"])
    redacted, ents = run_engine(text)
    covered = coverage(len(text), ents)
    problems: list[str] = []
    for typ, s, e, value in phi:
        left = "".join(ch if not covered[i] else "·" for i, ch in zip(range(s, e), value, strict=True))
        if any(not covered[i] for i in range(s, e)):
            problems.append(f"{typ} {value!r} at {s} not fully masked (unmasked: {left!r})")
    unmarked = MARK.sub(lambda m: "\0" if m.group(1) else m.group(3), case["input"])
    for typ, s, e, value in phi:
        long_enough = len(value) >= (2 if typ == "NAME" else 4)
        if all(covered[s:e]) and long_enough and value in redacted and value not in unmarked:
            problems.append(f"{typ} {value!r} still present in the redacted text")
    for s, e, value in keeps:
        for es, ee, et in ents:
            if es < e and s < ee:
                problems.append(f"kept span {value!r} at {s} overlapped by {et} entity {text[es:ee]!r}")
    for term in case.get("keep") or []:
        start = text.find(term)
        assert start >= 0, f"keep term {term!r} does not occur in the input"
        while start >= 0:
            end = start + len(term)
            inside = any(start < pe and ps < end for _t, ps, pe, _v in phi)
            for es, ee, et in [] if inside else ents:
                if es < end and start < ee:
                    problems.append(f"keep term {term!r} at {start} overlapped by {et} entity {text[es:ee]!r}")
            start = text.find(term, start + 1)
    return problems


def _params():
    out = []
    for p in CASES:
        cid = p.stem.split("-")[0] + "-" + p.stem.split("-")[1]
        marks = []
        if cid in GAPS:
            marks.append(pytest.mark.xfail(strict=True, reason=str(GAPS[cid])))
        out.append(pytest.param(p, id=cid, marks=marks))
    return out


def test_cases_present():
    assert len(CASES) >= 30
    ids = [load(p)["id"] for p in CASES]
    assert len(ids) == len(set(ids))
    unknown = {g for g in GAPS if g.split("/")[0] not in ids}
    assert not unknown, f"known_gaps.yaml names cases that do not exist: {sorted(unknown)}"


@pytest.mark.parametrize("path", _params())
def test_case(path: Path):
    case = load(path)
    assert case["synthetic"] is True
    assert path.stem.startswith(case["id"]), f"{path.name}: file name must start with id {case['id']}"
    problems = check(case)
    assert not problems, f"{case['id']} {case['title']}:\n  " + "\n  ".join(problems)


def _surrogate_params():
    out = []
    for p in CASES:
        case = yaml.safe_load(p.read_text(encoding="utf-8"))
        if not case.get("surrogate"):
            continue
        key = f"{case['id']}/surrogate"
        marks = [pytest.mark.xfail(strict=True, reason=str(GAPS[key]))] if key in GAPS else []
        out.append(pytest.param(p, id=key, marks=marks))
    return out


def _form_kept(original: str, surrogate: str) -> bool:
    """Same separators; zero-padded (or ISO YYYY-MM-DD) month/day groups stay two digits."""
    if not re.search(r"[0-9０-９]", original):
        return True  # dates in Chinese numerals: not checked here
    if re.sub(r"[0-9０-９]+", "9", original) != re.sub(r"[0-9０-９]+", "9", surrogate):
        return False
    groups = re.findall(r"[0-9０-９]+", original)
    padded = bool(re.match(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", original)) or any(
        len(g) == 2 and g[0] in "0０" for g in groups[1:])
    return not padded or all(len(g) == 2 for g in re.findall(r"[0-9０-９]+", surrogate)[1:3])


@pytest.mark.parametrize("path", _surrogate_params())
def test_case_surrogate(path: Path):
    from yizhu.config import Settings
    from yizhu.privacy import deidentify

    case = load(path)
    text, phi, keeps = strip_markup(case["input"])
    # a fixed secret, so that the surrogates and the date shift are the same on every machine
    settings = Settings(deid_key="realworld-deid-cases-fixed-key")
    result = deidentify(text, mode="surrogate", patient_key=f"realworld-{case['id']}", settings=settings)
    out = result.text
    unmarked = MARK.sub(lambda m: "\0" if m.group(1) else m.group(3), case["input"])
    problems = []
    for typ, _s, _e, value in phi:
        if typ == "TIME" or len(value) < (2 if typ == "NAME" else 4):
            continue  # times of day are kept by design; short numbers recur by chance
        if value in out and value not in unmarked:
            problems.append(f"{typ} {value!r} still present in the surrogate text")
    for _s, _e, value in keeps:
        if out.count(value) < text.count(value):
            problems.append(f"kept span {value!r} altered in the surrogate text")
    for entry in getattr(result.mapping, "entries", []) or []:
        if entry.type == "DATE" and not _form_kept(entry.original, entry.surrogate):
            problems.append(f"date {entry.original!r} became {entry.surrogate!r}: form not kept")
    assert not problems, f"{case['id']} surrogate:\n  " + "\n  ".join(problems)


def test_api_route_matches_function(tmp_path, monkeypatch):
    """POST /v1/deid (README, docs/deid.md) returns what `deidentify` returns, for every case."""
    from fastapi.testclient import TestClient

    from yizhu.api.app import create_app
    from yizhu.store import create_api_key, init_db

    monkeypatch.setenv("YIZHU_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("YIZHU_DATABASE_URL", f"sqlite:///{tmp_path}/yizhu.db")
    engine = init_db(f"sqlite:///{tmp_path}/yizhu.db")
    key = create_api_key(engine, "clinician", "realworld-deid")
    client = TestClient(create_app(engine=engine))
    for p in CASES:
        text, _phi, _keeps = strip_markup(load(p)["input"])
        r = client.post("/v1/deid", json={"text": text}, headers={"X-API-Key": key})
        assert r.status_code == 200, (p.name, r.status_code, r.text[:200])
        body = r.json()
        redacted, ents = run_engine(text)
        assert body["text"] == redacted, p.name
        assert sorted((e["start"], e["end"], e["type"]) for e in body["entities"]) == sorted(ents), p.name


def recall_report() -> str:
    full: Counter[str] = Counter()
    partial: Counter[str] = Counter()
    gold: Counter[str] = Counter()
    keep_total = keep_hit = 0
    for p in CASES:
        case = load(p)
        text, phi, keeps = strip_markup(case["input"])
        _, ents = run_engine(text)
        covered = coverage(len(text), ents)
        for typ, s, e, _v in phi:
            for key in (typ, "ALL"):
                gold[key] += 1
                full[key] += all(covered[s:e])
                partial[key] += any(covered[s:e])
        spans = [(s, e) for s, e, _ in keeps]
        for term in case.get("keep") or []:
            i = text.find(term)
            while i >= 0:
                if not any(i < pe and ps < i + len(term) for _t, ps, pe, _v in phi):
                    spans.append((i, i + len(term)))
                i = text.find(term, i + 1)
        for s, e in spans:
            keep_total += 1
            keep_hit += any(es < e and s < ee for es, ee, _ in ents)
    lines = [f"{'type':<10}{'gold':>6}{'fully masked':>14}{'recall':>8}{'any char':>10}"]
    for typ in sorted(gold, key=lambda t: (t == "ALL", -gold[t])):
        lines.append(f"{typ:<10}{gold[typ]:>6}{full[typ]:>14}{full[typ] / gold[typ]:>8.3f}"
                     f"{partial[typ] / gold[typ]:>10.3f}")
    lines.append(f"negative spans: {keep_total}, over-masked: {keep_hit}"
                 f" ({keep_hit / max(keep_total, 1):.3f})")
    return "\n".join(lines)


def test_zz_recall_report():
    print("\n" + recall_report())


if __name__ == "__main__":
    print(recall_report())
