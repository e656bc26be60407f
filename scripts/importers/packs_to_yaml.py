"""ONE-OFF importer (run once, issue #17): convert the generated JSONL packs to reviewed YAML sources.

Not the source of anything. Before #17 the drug, interaction and guideline packs were generated from the
Python tables in ``scripts/drug_pack/`` and the diagnosis pack by ``scripts/build_diagnosis_pack.py``; the
symptom, lab and department packs were hand-edited JSONL. This script read the shipped JSONL (the exact
objects the engines loaded), grouped items into files the way the tables grouped them (drugs by table
module, interactions by table section, diagnoses by ICD-10 chapter), kept the pack order, marked every
item ``review: {status: unreviewed}`` (nobody has signed any of them off) and wrote
``src/yizhu/knowledge/packs/<stem>/``. From then on the YAML is edited directly and ``yizhu kb build``
compiles it. Kept for the record; it needs the tables it read, which were deleted in the next commit.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "scripts"))

from yizhu.knowledge.packs import BUILTIN_PACKS_DIR, load_pack_file  # noqa: E402
from yizhu.knowledge.schema import PACK_FILE_STEMS, KnowledgeItem, PackKind  # noqa: E402
from yizhu.knowledge.sources import Review, dump_header, dump_records, record_dict  # noqa: E402

UNREVIEWED = Review(status="unreviewed")
EDIT_NOTE = "Reviewed source of the {kind} pack: edit here, run `yizhu kb validate` and `yizhu kb build`\n(docs/knowledge.md, 'Changing a pack'). Items keep this order; the number in the file name\nfixes the order of the files."

DRUG_MODULES = [  # the table modules in the order the generator imported them, with a file name each
    ("drugs_analgesic_gi_resp", "10-analgesic-gout-gi-respiratory", "analgesics, antigout, GI, antiemetics, respiratory, antihistamines"),
    ("drugs_antiinfective", "20-antiinfective", "antibacterials, antituberculosis, antifungals, antivirals"),
    ("drugs_cns", "30-cns", "antidepressants, antipsychotics, antiepileptics, hypnotics, dementia, Parkinson, muscle relaxants"),
    ("drugs_cv", "40-cardiovascular", "RAAS, CCB, beta-blockers, diuretics, nitrates, antiarrhythmics, vasoactive, lipids"),
    ("drugs_heme_endo", "50-haematology-endocrine", "anticoagulants, antiplatelets, thrombolytics, haemostatics, antidiabetics, insulins"),
    ("drugs_other", "60-other", "thyroid, corticosteroids, bone, hormones, urology, oncology, immunosuppressants, electrolytes, anaesthesia, 中成药"),
]

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV", "XVI",
         "XVII", "XVIII", "XIX", "XX", "XXI", "XXII"]


def drug_groups(ids: list[str]) -> list[tuple[str, str, list[str]]]:
    """Drug ids per table module, checked to be contiguous runs of the pack order."""
    dsl = importlib.import_module("drug_pack.dsl")
    out: list[tuple[str, str, list[str]]] = []
    for module, name, desc in DRUG_MODULES:
        before = len(dsl.DRUGS)
        importlib.import_module(f"drug_pack.{module}")
        out.append((name, desc, [f"drug:{d['id'].removeprefix('drug:')}" for d in dsl.DRUGS[before:]]))
    flat = [i for _, _, g in out for i in g]
    assert flat == ids, "drug table modules are not contiguous in the pack order"
    return out


def interaction_groups(ids: list[str]) -> list[tuple[str, str, list[str]]]:
    """Interaction ids per ``# ---- section`` of the rule table (each rule is one top-level ``I(...)``)."""
    path = ROOT / "scripts" / "drug_pack" / "interactions.py"
    text = path.read_text(encoding="utf-8")
    headers = [(n, line[len("# ---- "):].strip()) for n, line in enumerate(text.splitlines(), start=1)
               if line.startswith("# ---- ")]
    # Run the table with a recording hook: the module-level line that registered each rule (loops and
    # helpers included) tells its section.
    hook = ("_RULES.append((a, b, sev, effect, mech, mgmt, src))",
            "_RULES.append((a, b, sev, effect, mech, mgmt, src)); _LINES.append(_where())")
    assert hook[0] in text
    src = text.replace(hook[0], hook[1])
    calls: list[int] = []

    def _where() -> int:
        f = sys._getframe(2)
        while f.f_code.co_name != "<module>":
            f = f.f_back  # type: ignore[assignment]
        return f.f_lineno

    ns: dict[str, Any] = {"__name__": "interactions_oneoff", "_LINES": calls, "_where": _where}
    exec(compile(src, str(path), "exec"), ns)
    assert len(calls) == len(ids), (len(calls), len(ids))
    groups: list[tuple[str, str, list[str]]] = []
    for lineno, item_id in zip(calls, ids, strict=True):
        section = [h for n, h in headers if n < lineno][-1]
        if not groups or groups[-1][1] != section:
            groups.append(("", section, []))
        groups[-1][2].append(item_id)
    slugs = []
    for i, (_, section, members) in enumerate(groups, start=1):
        slug = section.split("/")[0].split(",")[0].strip().lower()
        slug = "".join(c if c.isalnum() else "-" for c in slug).strip("-")
        slug = "-".join(x for x in slug.split("-") if x)
        slugs.append((f"{i:02d}-{slug}", section, members))
    assert len({s for s, _, _ in slugs}) == len(slugs)
    return slugs


def chapter_groups(items: list[Any]) -> list[tuple[str, str, list[str]]]:
    """Diagnosis ids per ICD-10 chapter, in pack order."""
    groups: list[tuple[str, str, list[str]]] = []
    for it in items:
        if not groups or groups[-1][1] != it.chapter:
            groups.append(("", it.chapter, []))
        groups[-1][2].append(it.id)
    return [(f"{i:02d}-chapter-{ch}", f"ICD-10 chapter {ch}", m) for i, (_, ch, m) in enumerate(groups, start=1)]


def write(kind: PackKind) -> None:
    """Convert one pack kind."""
    stem = PACK_FILE_STEMS[kind]
    meta, rows = load_pack_file(BUILTIN_PACKS_DIR / f"{stem}.jsonl", kind)
    items: list[KnowledgeItem] = [it for _, it in rows]
    ids = [it.id for it in items]
    if kind == "drug":
        groups = drug_groups(ids)
    elif kind == "interaction":
        groups = interaction_groups(ids)
    elif kind == "diagnosis":
        groups = chapter_groups(items)
    else:
        groups = [(f"10-{stem}", f"all {stem}", ids)]
    folder = BUILTIN_PACKS_DIR / stem
    folder.mkdir(exist_ok=True)
    for old in folder.glob("*.yaml"):
        old.unlink()
    note = EDIT_NOTE.format(kind=kind)
    (folder / "_pack.yaml").write_text(dump_header(meta, f"Header of the {kind} pack.\n{note}"), encoding="utf-8")
    by_id = {it.id: it for it in items}
    for name, desc, members in groups:
        text = dump_records((record_dict(by_id[i], UNREVIEWED) for i in members), f"{desc}.\n{note}")
        (folder / f"{name}.yaml").write_text(text, encoding="utf-8")
    sys.stdout.write(f"{kind}: {len(items)} items in {len(groups)} files → {folder}\n")


if __name__ == "__main__":
    for k in ("drug", "interaction", "guideline", "diagnosis", "symptom", "lab", "department"):
        write(k)
