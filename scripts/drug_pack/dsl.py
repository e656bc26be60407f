"""A compact notation for the drug tables: short constructors that expand to pack dictionaries.

Every drug starts from a *family* (shared class facts: tags, allergy group, pregnancy note …) and
overrides what differs. Nothing here is clinical content; the tables in the sibling modules are.
"""

from __future__ import annotations

from typing import Any

LABEL = "药品说明书（国内上市产品）"
CHP = "《中华人民共和国药典临床用药须知·化学药和生物制品卷》2020年版"
TCM_CHP = "《中华人民共和国药典临床用药须知·中药成方制剂卷》2020年版"
BEERS = "AGS Beers Criteria 2023 (J Am Geriatr Soc 2023)"
ISMP_CN = "中国高警示药品推荐目录（2019版），中国药学会医院药学专业委员会"
GRADE = "《抗菌药物临床应用管理办法》（卫生部令第84号）2012 + 省级分级目录典型默认"
FDA_PREG = "FDA 妊娠分级（2015年PLLR前旧字母分级，国内说明书仍常引用）"
QT = "CredibleMeds QTdrugs 分类（AZCERT）"
SKIN = "《β内酰胺类抗菌药物皮肤试验指导原则（2021年版）》，国家卫生健康委"
CONTROLLED = "《麻醉药品品种目录》《精神药品品种目录》（2013年版及后续调整）"
HLA = "卡马西平/苯妥英类药品说明书 HLA-B*1502 警示"

DRUGS: list[dict[str, Any]] = []


def D(route: str, usual: str, max_single: float | None = None, max_daily: float | None = None,
      unit: str | None = None, note: str | None = None, indication: str | None = None) -> dict[str, Any]:
    """One dose entry."""
    return _clean({"route": route, "usual": usual, "max_single": max_single, "max_daily": max_daily,
                   "unit": unit, "note": note, "indication": indication})


def P(below: float, action: str, note: str, condition: str | None = None) -> dict[str, Any]:
    """One paediatric age limit."""
    return _clean({"below_years": below, "action": action, "note": note, "condition": condition})


def PG(category: str | None, note: str) -> dict[str, Any]:
    """Pregnancy risk."""
    return _clean({"category": category, "note": note})


def L(risk: str, note: str | None = None) -> dict[str, Any]:
    """Lactation risk."""
    return _clean({"risk": risk, "note": note})


def R(measure: str, below: float, action: str, note: str) -> dict[str, Any]:
    """One renal rule."""
    return {"measure": measure, "below": below, "action": action, "note": note}


def H(severity: str, action: str, note: str) -> dict[str, Any]:
    """One hepatic rule."""
    return {"severity": severity, "action": action, "note": note}


def C(icd: str, text: str, level: str = "contraindicated") -> dict[str, Any]:
    """One contraindicated condition; ``icd`` is a comma-separated list of ICD-10 prefixes."""
    return {"icd10": [c.strip() for c in icd.split(",") if c.strip()], "text": text, "level": level}


def X(group: str, risk: str, note: str) -> dict[str, Any]:
    """One cross-reactivity entry."""
    return {"group": group, "risk": risk, "note": note}


def B(rec: str, note: str) -> dict[str, Any]:
    """A Beers 2023 note."""
    return {"recommendation": rec, "note": note}


def _clean(d: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if v is not None}


def _split(v: Any) -> list[str]:
    if v is None:
        return []
    if isinstance(v, str):
        return [x.strip() for x in v.split(",") if x.strip()]
    return list(v)


def fam(**kw: Any) -> dict[str, Any]:
    """A family template (shared defaults)."""
    return kw


def drug(slug: str, name: str, en: str, atc: str | None, cls: str, base: dict[str, Any] | None = None,
         **kw: Any) -> None:
    """Register one drug. List-valued fields may be given as comma-separated strings."""
    merged: dict[str, Any] = {**(base or {}), **kw}
    extra_tags = _split(merged.pop("tags_extra", None))
    tags = _split(merged.pop("tags", None)) + [t for t in extra_tags]
    seen: list[str] = []
    for t in tags:
        if t not in seen:
            seen.append(t)
    item: dict[str, Any] = {
        "id": f"drug:{slug}",
        "name": name,
        "synonyms": _split(merged.pop("syn", None)),
        "name_en": en,
        "atc": atc,
        "drug_class": cls,
        "brands": _split(merged.pop("brands", None)),
        "salts": _split(merged.pop("salts", None)),
        "dose_forms": _split(merged.pop("forms", None)),
        "routes": _split(merged.pop("routes", None)),
        "class_tags": seen,
    }
    item["duplicate_group"] = merged.pop("dup", None)
    item["doses"] = list(merged.pop("doses", []))
    item["paediatric"] = list(merged.pop("peds", []))
    item["pregnancy"] = merged.pop("preg", None)
    item["lactation"] = merged.pop("lact", None)
    item["renal"] = list(merged.pop("renal", []))
    item["hepatic"] = list(merged.pop("hepatic", []))
    item["contraindications"] = list(merged.pop("contra", [])) + list(merged.pop("contra_extra", []))
    item["allergy_group"] = merged.pop("allergy", None)
    item["cross_reactivity"] = list(merged.pop("cross", []))
    ha = merged.pop("high_alert", None)
    item["high_alert"] = bool(ha)
    item["high_alert_scope"] = ha if isinstance(ha, str) else None
    grade = merged.pop("grade", None)
    item["antimicrobial_grade"] = grade
    item["antimicrobial_grade_note"] = merged.pop("grade_note", None) or (
        "典型默认分级；各省/各医院目录可能不同，以本院目录为准" if grade else None)
    item["controlled"] = merged.pop("controlled", None)
    item["beers"] = merged.pop("beers", None)
    item["is_tcm"] = bool(merged.pop("tcm", False))
    item["notes"] = merged.pop("notes", None)
    src_extra = _split(merged.pop("src", None))
    if merged:
        raise TypeError(f"{slug}: unknown keys {sorted(merged)}")
    # criteria lists actually used by this item, and the source line citing them
    criteria: list[str] = []
    if item["beers"]:
        criteria.append(BEERS)
    if item["high_alert"]:
        criteria.append(ISMP_CN)
    if item["antimicrobial_grade"]:
        criteria.append(GRADE)
    if item["pregnancy"] and item["pregnancy"].get("category"):
        criteria.append(FDA_PREG)
    if any(t in ("qt_known", "qt_possible") for t in seen):
        criteria.append(QT)
    if item["controlled"]:
        criteria.append(CONTROLLED)
    for s in src_extra:
        if s not in criteria:
            criteria.append(s)
    item["criteria"] = criteria
    base_src = [LABEL, TCM_CHP if item["is_tcm"] else CHP]
    item["source"] = "；".join(base_src + criteria)
    DRUGS.append(item)


def pregnancy_letters(clear: str, fix: dict[str, str]) -> None:
    """Review pass over family defaults: clear the legacy FDA letter of drugs never rated by the FDA
    (not marketed in the US), and correct members whose letter differs from their family's."""
    by_id = {d["id"].removeprefix("drug:"): d for d in DRUGS}
    for slug in _split(clear):
        preg = by_id[slug].get("pregnancy")
        if preg and "category" in preg:
            by_id[slug]["pregnancy"] = {"note": preg["note"] + "（该药无FDA字母分级）"}
    for slug, letter in fix.items():
        preg = by_id[slug].get("pregnancy") or {"note": "见说明书"}
        by_id[slug]["pregnancy"] = {**preg, "category": letter}
    for d in DRUGS:
        criteria = d["criteria"]
        has_letter = bool(d.get("pregnancy") and d["pregnancy"].get("category"))
        if not has_letter and FDA_PREG in criteria:
            criteria.remove(FDA_PREG)
        elif has_letter and FDA_PREG not in criteria:
            criteria.append(FDA_PREG)
        d["source"] = "；".join([LABEL, TCM_CHP if d["is_tcm"] else CHP, *criteria])
