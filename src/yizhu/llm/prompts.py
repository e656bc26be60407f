"""Prompts as versioned Jinja2 template files with a content hash.

A template file is named ``<id>.v<N>.j2`` (``notes.discharge.v2.j2``); editing a prompt means a new
version file, so the audit's (id, version, sha256) of every call says exactly which words the
model saw. A template may define ``{% block system %}`` and ``{% block user %}``; without blocks
the whole text is the user message. Rendering is sandboxed and strict: a missing variable is an
error, not an empty string in a clinical prompt.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import StrictUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment

from yizhu.errors import ConfigError, InputError
from yizhu.llm.types import Message

_FILE = re.compile(r"^(?P<id>[a-z0-9][a-z0-9_.\-]*)\.v(?P<version>[0-9]+)\.j2$")
PACKAGE_PROMPTS = Path(__file__).parent / "prompts"


@dataclass(frozen=True)
class RenderedPrompt:
    """A rendered prompt and the identity of the template it came from."""

    template_id: str
    version: str
    sha256: str
    user: str
    system: str | None = None

    @property
    def messages(self) -> list[Message]:
        """The prompt as chat messages."""
        out = [Message(role="system", content=self.system)] if self.system else []
        out.append(Message(role="user", content=self.user))
        return out


@dataclass(frozen=True)
class _Entry:
    template_id: str
    version: int
    path: Path
    source: str
    sha256: str


class PromptLibrary:
    """The templates of one directory (an engine may keep its own next to its code)."""

    def __init__(self, directory: Path | str = PACKAGE_PROMPTS) -> None:
        self.directory = Path(directory)
        if not self.directory.is_dir():
            raise ConfigError(f"prompt directory {self.directory} does not exist; create it or fix the path")
        self._env = SandboxedEnvironment(
            undefined=StrictUndefined, autoescape=False, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=False
        )
        self._entries: dict[str, dict[int, _Entry]] = {}
        for path in sorted(self.directory.glob("*.j2")):
            m = _FILE.match(path.name)
            if not m:
                raise ConfigError(f"prompt file {path.name} is not named <id>.v<N>.j2 (e.g. notes.discharge.v1.j2); rename it")
            source = path.read_text(encoding="utf-8")
            entry = _Entry(
                template_id=m["id"],
                version=int(m["version"]),
                path=path,
                source=source,
                sha256=hashlib.sha256(source.encode("utf-8")).hexdigest(),
            )
            self._entries.setdefault(entry.template_id, {})[entry.version] = entry

    def ids(self) -> list[str]:
        """Template ids in this library."""
        return sorted(self._entries)

    def _entry(self, template_id: str, version: int | None) -> _Entry:
        versions = self._entries.get(template_id)
        if not versions:
            raise ConfigError(f"no prompt template '{template_id}' in {self.directory}; known: {', '.join(self.ids())}")
        if version is None:
            return versions[max(versions)]
        if version not in versions:
            raise ConfigError(
                f"prompt '{template_id}' has no version {version}; versions: {', '.join(map(str, sorted(versions)))}"
            )
        return versions[version]

    def render(self, template_id: str, version: int | None = None, **variables: Any) -> RenderedPrompt:
        """Render the newest (or the given) version of a template."""
        entry = self._entry(template_id, version)
        try:
            template = self._env.from_string(entry.source)
            if "user" in template.blocks or "system" in template.blocks:
                ctx = template.new_context(variables)
                user = "".join(template.blocks["user"](ctx)).strip() if "user" in template.blocks else ""
                system = "".join(template.blocks["system"](ctx)).strip() if "system" in template.blocks else None
            else:
                user, system = template.render(**variables).strip(), None
        except TemplateError as exc:
            raise InputError(f"prompt '{template_id}' v{entry.version} failed to render: {exc}") from exc
        return RenderedPrompt(
            template_id=template_id, version=f"v{entry.version}", sha256=entry.sha256, user=user, system=system or None
        )


@lru_cache(maxsize=1)
def default_library() -> PromptLibrary:
    """The gateway's own templates (probe, JSON instruction, repair)."""
    return PromptLibrary(PACKAGE_PROMPTS)


def render_prompt(template_id: str, version: int | None = None, **variables: Any) -> RenderedPrompt:
    """Render one of the gateway's own templates."""
    return default_library().render(template_id, version, **variables)
