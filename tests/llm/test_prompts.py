"""Prompts are versioned Jinja2 files; the audit gets id, version and content hash."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from yizhu.errors import ConfigError, InputError
from yizhu.llm.prompts import PromptLibrary, render_prompt


@pytest.fixture
def library(tmp_path: Path) -> PromptLibrary:
    (tmp_path / "notes.discharge.v1.j2").write_text("出院小结：{{ name }}", encoding="utf-8")
    (tmp_path / "notes.discharge.v2.j2").write_text(
        "{% block system %}你是病历助手。{% endblock %}{% block user %}患者{{ name }}出院。{% endblock %}", encoding="utf-8"
    )
    return PromptLibrary(tmp_path)


def test_newest_version_with_blocks_as_messages(library: PromptLibrary, tmp_path: Path) -> None:
    p = library.render("notes.discharge", name="（合成）")
    assert (p.template_id, p.version) == ("notes.discharge", "v2")
    assert p.sha256 == hashlib.sha256((tmp_path / "notes.discharge.v2.j2").read_bytes()).hexdigest()
    assert [(m.role, m.content) for m in p.messages] == [("system", "你是病历助手。"), ("user", "患者（合成）出院。")]


def test_pinned_version_without_blocks_is_one_user_message(library: PromptLibrary) -> None:
    p = library.render("notes.discharge", version=1, name="x")
    assert p.version == "v1" and p.system is None and p.user == "出院小结：x"


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda lib: lib.render("notes.discharge"), InputError, "name"),  # missing variable: strict
        (lambda lib: lib.render("nope"), ConfigError, "no prompt template 'nope'"),
        (lambda lib: lib.render("notes.discharge", version=9, name="x"), ConfigError, "versions: 1, 2"),
    ],
)
def test_render_errors(library: PromptLibrary, call, error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        call(library)


def test_badly_named_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "discharge.j2").write_text("x", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"<id>.v<N>.j2"):
        PromptLibrary(tmp_path)


def test_gateway_templates_render() -> None:
    probe = render_prompt("models.check_probe")
    assert probe.system and "阳性" in probe.user and len(probe.sha256) == 64
