"""The drug, interaction and guideline packs: counts, integrity, and the facts prescription review relies on."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from yizhu.knowledge.packs import KnowledgeBase
from yizhu.knowledge.schema import DrugItem, GuidelineCard, InteractionItem

SEVERITY_ORDER = ["contraindicated", "major", "moderate", "minor"]
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return KnowledgeBase.load()


@pytest.fixture(scope="module")
def drugs(kb: KnowledgeBase) -> list[DrugItem]:
    return list(kb.pack("drug"))


@pytest.fixture(scope="module")
def rules(kb: KnowledgeBase) -> list[InteractionItem]:
    return list(kb.pack("interaction"))


@pytest.fixture(scope="module")
def cards(kb: KnowledgeBase) -> list[GuidelineCard]:
    return list(kb.pack("guideline"))


def _side(ref: str, drugs: list[DrugItem]) -> set[str]:
    if ref.startswith("drug:"):
        return {ref}
    tag = ref.removeprefix("class:")
    return {d.id for d in drugs if d.has_tag(tag)}


def _pairs(rule: InteractionItem, drugs: list[DrugItem]) -> set[frozenset[str]]:
    a, b = (_side(r, drugs) for r in rule.drugs)
    return {frozenset((x, y)) for x, y in itertools.product(a, b) if x != y}


def _drug(kb: KnowledgeBase, term: str) -> DrugItem:
    item = kb.resolve(term, "drug")
    assert isinstance(item, DrugItem), f"{term} does not resolve to one drug"
    return item


@pytest.fixture(scope="module")
def severities(drugs: list[DrugItem], rules: list[InteractionItem]) -> dict[frozenset[str], list[str]]:
    """Every expanded drug pair with the severities of the rules that match it."""
    index: dict[frozenset[str], list[str]] = {}
    for r in rules:
        for pair in _pairs(r, drugs):
            index.setdefault(pair, []).append(r.severity)
    return index


def _worst(kb: KnowledgeBase, severities: dict[frozenset[str], list[str]], a: str, b: str) -> str | None:
    """The most severe rule matching two drug names, as a review engine would report it."""
    hits = severities.get(frozenset((_drug(kb, a).id, _drug(kb, b).id)), [])
    return min(hits, key=SEVERITY_ORDER.index) if hits else None


# ---- counts and integrity


def test_counts(
    drugs: list[DrugItem], rules: list[InteractionItem], cards: list[GuidelineCard],
    severities: dict[frozenset[str], list[str]],
) -> None:
    assert len(drugs) >= 300
    assert len(cards) >= 100
    assert len(rules) >= 300 and len(severities) >= 600


@pytest.mark.parametrize("kind", ["drug", "interaction", "guideline"])
def test_ids_unique_and_sources_present(kb: KnowledgeBase, kind: str) -> None:
    items = list(kb.pack(kind))  # type: ignore[arg-type]
    ids = [i.id for i in items]
    assert len(ids) == len(set(ids))
    assert all(i.source.strip() for i in items)


def test_no_term_collisions_between_drugs(kb: KnowledgeBase) -> None:
    assert kb.collisions("drug") == {}


def test_every_interaction_side_resolves_and_matches_a_pair(rules: list[InteractionItem], drugs: list[DrugItem]) -> None:
    ids = {d.id for d in drugs}
    tags = {t for d in drugs for t in d.class_tags}
    for r in rules:
        for ref in r.drugs:
            if ref.startswith("drug:"):
                assert ref in ids, f"{r.id}: unknown drug {ref}"
            else:
                assert ref.removeprefix("class:") in tags, f"{r.id}: unknown class {ref}"
        assert _pairs(r, drugs), f"{r.id} matches no pair of drugs"
        assert r.effect and r.management and r.mechanism


def test_guideline_cards_are_complete_and_cross_references_resolve(
    kb: KnowledgeBase, cards: list[GuidelineCard]
) -> None:
    drug_ids = {d.id for d in kb.pack("drug")}
    dept_ids = {d.id for d in kb.pack("department")}
    for c in cards:
        assert c.title and c.issuer and c.year, c.id
        assert c.diagnoses, c.id
        assert len(c.sections()) == 4, f"{c.id} lacks a section"
        assert set(c.related_drugs) <= drug_ids, c.id
        if dept_ids:
            assert set(c.departments) <= dept_ids, c.id
        assert c.title in c.passage() and c.name in c.passage()


def test_dose_limits_are_consistent(drugs: list[DrugItem]) -> None:
    for d in drugs:
        for dose in d.doses:
            if dose.max_single is not None and dose.max_daily is not None:
                assert dose.max_single <= dose.max_daily, d.id


def test_graded_antimicrobials_say_the_grade_is_a_typical_default(drugs: list[DrugItem]) -> None:
    graded = [d for d in drugs if d.antimicrobial_grade]
    assert len(graded) >= 60
    assert all(d.antimicrobial_grade_note and (d.has_tag("antibacterial") or d.has_tag("antifungal")) for d in graded)


def test_items_cite_the_criteria_they_use(drugs: list[DrugItem]) -> None:
    for d in drugs:
        if d.beers:
            assert any("Beers" in c for c in d.criteria), d.id
        if d.high_alert:
            assert d.high_alert_scope and any("高警示" in c for c in d.criteria), d.id


# ---- spot checks a pharmacist would make


@pytest.mark.parametrize(
    ("term", "generic"),
    [
        ("立普妥", "drug:atorvastatin"),
        ("阿托伐他汀钙", "drug:atorvastatin"),
        ("氯吡格雷硫酸氢盐", "drug:clopidogrel"),
        ("波立维", "drug:clopidogrel"),
        ("拜新同", "drug:nifedipine"),
        ("扑热息痛", "drug:paracetamol"),
        ("胰岛素", "drug:insulin_human_regular"),
        ("Paxlovid", "drug:nirmatrelvir_ritonavir"),
    ],
)
def test_brand_salt_and_synonym_resolve_to_the_generic(kb: KnowledgeBase, term: str, generic: str) -> None:
    assert _drug(kb, term).id == generic


@pytest.mark.parametrize(
    ("a", "b", "severity"),
    [
        ("华法林", "阿司匹林", "major"),
        ("辛伐他汀", "克拉霉素", "contraindicated"),
        ("西地那非", "硝酸甘油", "contraindicated"),
        ("氯吡格雷", "奥美拉唑", "major"),
        ("沙库巴曲缬沙坦", "依那普利", "contraindicated"),
        ("替扎尼定", "环丙沙星", "contraindicated"),
        ("丙戊酸钠", "美罗培南", "major"),
        ("吗啡", "地西泮", "major"),
        ("左氧氟沙星", "碳酸钙D3", "moderate"),
        ("立普妥", "伊曲康唑", "major"),
        ("氨氯地平", "二甲双胍", None),
    ],
)
def test_interaction_severity(
    kb: KnowledgeBase, severities: dict[frozenset[str], list[str]], a: str, b: str, severity: str | None
) -> None:
    assert _worst(kb, severities, a, b) == severity


def test_ceftriaxone_cross_reacts_with_penicillins(kb: KnowledgeBase) -> None:
    d = _drug(kb, "头孢曲松")
    assert d.allergy_group == "cephalosporin"
    assert "penicillin" in {x.group for x in d.cross_reactivity}
    assert d.has_tag("cephalosporin_3g") and d.has_tag("beta_lactam")


@pytest.mark.parametrize(
    ("term", "below", "action"),
    [("左氧氟沙星", 18, "contraindicated"), ("莫西沙星", 18, "contraindicated"), ("多西环素", 8, "contraindicated"),
     ("可待因", 12, "contraindicated"), ("异丙嗪", 2, "contraindicated"), ("阿司匹林", 16, "avoid")],
)
def test_paediatric_age_limits(kb: KnowledgeBase, term: str, below: float, action: str) -> None:
    limits = _drug(kb, term).paediatric
    assert any(lim.below_years == below and lim.action == action for lim in limits)


def test_aspirin_limit_applies_to_viral_illness(kb: KnowledgeBase) -> None:
    (lim,) = _drug(kb, "阿司匹林").paediatric
    assert lim.condition and "病毒" in lim.condition


@pytest.mark.parametrize("term", ["胰岛素", "甘精胰岛素", "氯化钾", "肝素", "吗啡", "硫酸镁", "华法林", "胺碘酮"])
def test_high_alert(kb: KnowledgeBase, term: str) -> None:
    assert _drug(kb, term).high_alert


@pytest.mark.parametrize(
    ("term", "grades"),
    [("万古霉素", {"特殊使用级", "限制使用级"}), ("美罗培南", {"特殊使用级"}), ("替加环素", {"特殊使用级"}),
     ("阿莫西林", {"非限制使用级"}), ("奥司他韦", {None})],
)
def test_antimicrobial_grade(kb: KnowledgeBase, term: str, grades: set[str | None]) -> None:
    assert _drug(kb, term).antimicrobial_grade in grades


@pytest.mark.parametrize(
    ("term", "tag"),
    [("阿托伐他汀", "statin"), ("依那普利", "acei"), ("缬沙坦", "arb"), ("布洛芬", "nsaid"), ("奥美拉唑", "ppi"),
     ("左氧氟沙星", "fluoroquinolone"), ("头孢呋辛", "cephalosporin_2g"), ("克拉霉素", "cyp3a4_strong_inhibitor"),
     ("艾司西酞普兰", "qt_known"), ("舍曲林", "serotonergic")],
)
def test_class_tags(kb: KnowledgeBase, term: str, tag: str) -> None:
    assert _drug(kb, term).has_tag(tag)


def test_metformin_renal_threshold(kb: KnowledgeBase) -> None:
    rules = _drug(kb, "二甲双胍").renal
    assert any(r.measure == "eGFR" and r.below == 30 and r.action == "contraindicated" for r in rules)


def test_max_daily_dose_for_a_common_drug(kb: KnowledgeBase) -> None:
    dose = _drug(kb, "阿托伐他汀").dose_for("po")
    assert dose is not None and dose.max_daily == 80 and dose.unit == "mg"
