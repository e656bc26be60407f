"""The shared allergy model as a specification: what an allergy as written covers, what free text states,
and how a drug relates to an allergy. QC and prescription review both read it (see
tests/clinical/test_allergy_agreement.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from yizhu.errors import ConfigError
from yizhu.knowledge.allergy import GROUPS_FILE, AllergyModel, load_groups
from yizhu.knowledge.packs import get_kb


@pytest.fixture(scope="module")
def model() -> AllergyModel:
    from yizhu.clinical.rx.resolve import resolver_for
    from yizhu.knowledge.allergy import model_for

    kb = get_kb()
    return model_for(kb, resolver_for(kb))


@pytest.mark.parametrize(
    ("written", "groups", "drug"),
    [
        ("头孢类过敏", {"cephalosporin"}, None),
        ("头孢菌素类", {"cephalosporin"}, None),
        ("头孢", {"cephalosporin"}, None),
        ("头孢类抗生素", {"cephalosporin"}, None),
        ("青霉素类", {"penicillin"}, "drug:penicillin_g"),  # the class is named after its first drug
        ("青霉素", {"penicillin"}, "drug:penicillin_g"),
        ("磺胺类药物", {"sulfonamide_antibiotic"}, None),
        ("喹诺酮类", {"fluoroquinolone"}, None),
        ("沙星类", {"fluoroquinolone"}, None),
        ("阿莫西林克拉维酸钾", {"penicillin"}, "drug:amoxicillin_clavulanate"),
        ("头孢曲松钠", {"cephalosporin"}, "drug:ceftriaxone"),
        ("β-内酰胺类", {"beta_lactam", "penicillin", "cephalosporin", "carbapenem", "monobactam"}, None),
        ("花粉", set(), None),
    ],
)
def test_an_allergy_as_written_resolves_to_its_groups(model: AllergyModel, written: str, groups: set[str], drug: str | None) -> None:
    a = model.resolve(written)
    assert set(a.groups) == groups
    assert (a.drug.id if a.drug else None) == drug


@pytest.mark.parametrize(
    ("text", "allergens"),
    [
        ("否认药物、食物过敏史。", []),
        ("否认肝炎、结核等传染病史，否认药物过敏史。", []),
        ("无青霉素过敏史。", []),
        ("青霉素皮试（-）。", []),
        ("过敏史：无。", []),
        ("患者有青霉素过敏史，否认食物过敏史。", ["青霉素"]),
        ("自述对头孢类药物过敏（全身皮疹）。", ["头孢类"]),
        ("药物过敏史：磺胺类，头孢克洛。", ["磺胺类", "头孢克洛"]),
        ("除青霉素外无其他药物过敏。", ["青霉素"]),
        ("2019年外院青霉素皮试阳性。", ["青霉素"]),
        ("其母对青霉素过敏。", []),
        ("家属代诉患者对青霉素过敏。", ["青霉素"]),
        ("患者女儿诉其对磺胺类药物过敏。", ["磺胺类药物"]),
        ("头孢菌素类过敏，改用左氧氟沙星抗感染。", ["头孢菌素类"]),
        ("入院后予头孢曲松抗感染，未出现过敏反应。", []),
        ("有过敏性鼻炎病史，服用氯雷他定。", []),
        ("服用阿莫西林期间如出现皮疹等过敏反应及时就诊。", []),
        ("用药期间注意观察有无头孢曲松过敏表现。", []),
        ("青霉素过敏试验阴性。", []),
        ("青霉素过敏试验（+）。", ["青霉素"]),
        ("曾用阿莫西林后出现过敏反应，表现为荨麻疹。", ["阿莫西林"]),
    ],
)
def test_allergies_stated_in_free_text_respect_negation_and_relatives(model: AllergyModel, text: str, allergens: list[str]) -> None:
    assert [m.allergen.text for m in model.allergens_in(text)] == allergens


def test_a_bare_list_counts_only_in_an_allergy_section(model: AllergyModel) -> None:
    assert [m.allergen.text for m in model.allergens_in("青霉素（皮疹）、磺胺类", as_list=True)] == ["青霉素", "磺胺类"]
    assert model.allergens_in("青霉素（皮疹）、磺胺类") == []
    assert model.allergens_in("不详", as_list=True) == []


@pytest.mark.parametrize(
    ("allergy", "drug_id", "relation", "risk"),
    [
        ("头孢类过敏", "drug:cefaclor", "same_group", None),
        ("青霉素", "drug:amoxicillin_clavulanate", "same_group", None),
        ("青霉素", "drug:penicillin_g", "same_drug", None),
        ("青霉素", "drug:cefaclor", "cross", "moderate"),
        ("青霉素", "drug:ceftriaxone", "cross", "low"),
        ("青霉素", "drug:meropenem", "cross", "rare"),
        ("磺胺类", "drug:furosemide", "cross", "low"),
        ("青霉素", "drug:azithromycin", None, None),
        ("头孢类", "drug:levofloxacin", None, None),
    ],
)
def test_conflict_relation(model: AllergyModel, allergy: str, drug_id: str, relation: str | None, risk: str | None) -> None:
    c = model.conflict(model.resolve(allergy), get_kb().pack("drug").get(drug_id))
    assert (c.relation if c else None) == relation
    assert (c.risk if c else None) == risk


def test_groups_file_is_validated_and_every_group_names_a_source(tmp_path: Path) -> None:
    table = load_groups()
    assert all(g.source.strip() for g in table.entries.values())
    broken = tmp_path / "allergy_groups.yaml"
    broken.write_text(GROUPS_FILE.read_text(encoding="utf-8") + "  odd:\n    aliases: [x]\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="odd"):
        load_groups(broken)
