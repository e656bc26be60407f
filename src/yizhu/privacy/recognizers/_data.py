"""Load the word lists under ``recognizers/data/`` with strict schemas."""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from typing import TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from yizhu.errors import ConfigError

M = TypeVar("M", bound=BaseModel)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _chars(v: str) -> str:
    return "".join(dict.fromkeys(v.replace(" ", "").replace("\n", "")))


class PersonData(_Strict):
    """Surnames, labels, titles and the blocklist of phi.person.v1."""

    source: str
    surnames: str
    compound_surnames: list[str]
    title_surnames: str
    nonname_chars: str
    follow_words: list[str]
    colon_labels: list[str]
    bare_labels: list[str]
    after_labels: list[str]
    surname_titles: list[str]
    surname_title_blockers: list[str] = Field(default_factory=list)
    blocklist: list[str]
    not_names: list[str] = Field(default_factory=list)
    given_chars: str = ""
    weak_surnames: str = ""
    role_words: list[str] = Field(default_factory=list)
    title_before: list[str] = Field(default_factory=list)
    kin_before: list[str] = Field(default_factory=list)
    verb_after: list[str] = Field(default_factory=list)
    minority_name_parts: list[str] = Field(default_factory=list)
    people_titles: list[str] = Field(default_factory=list)
    kin_words: list[str] = Field(default_factory=list)
    lead_words: list[str] = Field(default_factory=list)
    clause_verbs: list[str] = Field(default_factory=list)
    latin_surnames: list[str] = Field(default_factory=list)
    slot_nouns: list[str] = Field(default_factory=list)
    slot_roles: list[str] = Field(default_factory=list)
    slot_not_values: list[str] = Field(default_factory=list)
    reduplicated_words: list[str] = Field(default_factory=list)

    _c1 = field_validator("surnames", "title_surnames", "nonname_chars", "given_chars", "weak_surnames")(_chars)


class PlaceData(_Strict):
    """Place names that can start an address, and address labels, for phi.address.v1."""

    source: str
    provinces: list[str]
    cities: list[str]
    districts: list[str] = Field(default_factory=list)
    labels: list[str]
    nonplace_chars: str
    generic_values: list[str] = Field(default_factory=list)

    _c1 = field_validator("nonplace_chars")(_chars)


class IdColumnData(_Strict):
    """Table column headers whose cells are identifiers, by type, for phi.id_columns.v1."""

    source: str
    columns: dict[str, list[str]]


class NotPersonLabels(_Strict):
    """Labels of numbers that belong to no person, with why and where that is written."""

    labels: list[str] = Field(min_length=1)
    reason: str
    source: str


class NumberLabelData(_Strict):
    """Label endings that name a number and the labels of numbers about no person, for phi.number_label.v1."""

    source: str
    han_suffixes: list[str] = Field(min_length=1)
    document_suffixes: list[str] = Field(default_factory=list)
    latin_suffixes: list[str] = Field(default_factory=list)
    latin_not_labels: list[str] = Field(default_factory=list)
    numeral_before: str = ""
    fillers: list[str] = Field(default_factory=list)
    not_a_person: list[NotPersonLabels] = Field(default_factory=list)

    _c1 = field_validator("numeral_before")(_chars)


class OrgData(_Strict):
    """Organisation suffixes, employer labels and generic names for phi.org.v1."""

    source: str
    suffixes: list[str]
    weak_suffixes: list[str] = Field(default_factory=list)
    employer_labels: list[str]
    boundary_words: list[str]
    generic_parts: list[str]
    generic_values: list[str]
    not_followed_by: dict[str, str] = Field(default_factory=dict)
    class_after: list[str] = Field(default_factory=list)
    name_words: list[str] = Field(default_factory=list)
    national_prefixes: list[str] = Field(default_factory=list)
    national_suffixes: list[str] = Field(default_factory=list)
    bank_branch_suffixes: list[str] = Field(default_factory=list)
    faculty_subjects: list[str] = Field(default_factory=list)
    government_suffixes: list[str] = Field(default_factory=list)
    subunit_suffixes: list[str] = Field(default_factory=list)
    chain_only_suffixes: list[str] = Field(default_factory=list)
    employer_before: list[str] = Field(default_factory=list)
    employer_after: list[str] = Field(default_factory=list)
    trade_words: list[str] = Field(default_factory=list)
    brand_suffixes: list[str] = Field(default_factory=list)
    brand_stop: str = ""
    department_subjects: list[str] = Field(default_factory=list)
    department_suffixes: list[str] = Field(default_factory=list)
    clause_words: list[str] = Field(default_factory=list)


@cache
def _load(name: str) -> dict[str, object]:
    path = files("yizhu.privacy.recognizers") / "data" / name
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"recognizer data {name}: cannot read ({exc}); reinstall yizhu or fix the file.") from exc
    if not isinstance(raw, dict):
        raise ConfigError(f"recognizer data {name}: expected a mapping at the top level.")
    return raw


def load_data(name: str, model: type[M]) -> M:
    """Validate ``data/<name>`` against ``model``; errors name the file and field."""
    try:
        return model.model_validate(_load(name))
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = ".".join(str(x) for x in err["loc"])
        raise ConfigError(f"recognizer data {name}: '{loc}': {err['msg']}; fix the file.") from exc
