"""Content tables of the drug, interaction and guideline packs (see scripts/build_drug_pack.py)."""
