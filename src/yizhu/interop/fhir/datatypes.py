"""Small readers of FHIR datatypes: codes checked against their value set, CodeableConcept text and codes,
numbers, local times, names, references and narrative XHTML.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from datetime import date, datetime, tzinfo
from html.parser import HTMLParser
from typing import Any

from yizhu.interop.fhir.validation import Entry, Index

# ------------------------------------------------------------------------------------------------
# Small readers of FHIR datatypes


def check_code(e: Entry, field_path: str, value: str | None, allowed: Collection[str]) -> str | None:
    """A code we rely on must be in its value set; fhir.resources does not check this."""
    if value is not None and value not in allowed:
        raise e.error(field_path, f"{value!r} is not one of {', '.join(allowed)}", "use one of these codes")
    return value


def cc_codes(e: Entry, field_path: str, concepts: Any, system: str, allowed: Collection[str]) -> list[str]:
    """Codes of one system in a CodeableConcept (or a list of them), each checked against ``allowed``."""
    if concepts is None:
        return []
    items = concepts if isinstance(concepts, list) else [concepts]
    prefix = field_path
    found: list[str] = []
    for i, cc in enumerate(items):
        base = f"{prefix}.{i}" if isinstance(concepts, list) else prefix
        for j, coding in enumerate(cc.coding or []):
            if coding.system in (system, None) and coding.code is not None:
                check_code(e, f"{base}.coding.{j}.code", coding.code, allowed)
                found.append(coding.code)
    return found


def cc_text(cc: Any) -> str | None:
    """What a clinician would read: the concept's text, else the first coding display."""
    if cc is None:
        return None
    if cc.text and cc.text.strip():
        return str(cc.text).strip()
    for coding in cc.coding or []:
        if coding.display and coding.display.strip():
            return str(coding.display).strip()
    return None


def coding_code(cc: Any, system_prefix: str | None = None) -> str | None:
    if cc is None:
        return None
    for coding in cc.coding or []:
        if coding.code and (system_prefix is None or (coding.system or "").startswith(system_prefix)):
            return str(coding.code)
    return None


def json_number(value: Any) -> float | None:
    return None if value is None else float(value)


def fmt_number(value: float) -> str:
    return f"{value:g}"


def local_time(value: Any, tz: tzinfo) -> datetime | None:
    """FHIR date/dateTime/instant to naive hospital-local time; partial dates (YYYY, YYYY-MM) give None."""
    if isinstance(value, datetime):
        return value.astimezone(tz).replace(tzinfo=None) if value.tzinfo else value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    return None


def human_name(names: Any) -> str | None:
    """Chinese names are family+given without a space (张三); Western ones given family."""
    if not names:
        return None
    chosen = next((n for n in names if n.use in ("official", "usual")), names[0])
    if chosen.text and chosen.text.strip():
        return str(chosen.text).strip()
    family = chosen.family or ""
    given = list(chosen.given or [])
    parts = [family, *given]
    if any(_is_cjk(p) for p in parts):
        return "".join(parts) or None
    return " ".join(p for p in [*given, family] if p) or None


def _is_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def ref_name(ref: Any, index: Index) -> str | None:
    """A person or place named by a reference: its display, else the referenced resource's name."""
    if ref is None:
        return None
    if ref.display:
        return str(ref.display)
    target = index.resolve(ref.reference)
    if target is None:
        return None
    r = target.resource
    if target.type in ("Practitioner", "Patient", "RelatedPerson"):
        return human_name(r.name)
    name = getattr(r, "name", None)
    return str(name) if isinstance(name, str) else None


def is_synthetic(resource: Any) -> bool:
    """Synthetic (合成) records are tagged in meta.tag / meta.security or say so in their narrative."""
    meta = resource.meta
    if meta is not None:
        for coding in [*(meta.tag or []), *(meta.security or [])]:
            if coding.code in ("synthetic", "HTEST") or re.search(r"合成|synthetic", coding.display or "", re.I):
                return True
    text = getattr(resource, "text", None)
    return bool(text is not None and re.search(r"合成|synthetic", text.div or "", re.IGNORECASE))


class _TextExtractor(HTMLParser):
    """XHTML narrative to plain text: block elements and <br> become line breaks."""

    _BLOCKS = frozenset(
        {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol", "pre"}
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._BLOCKS:
            self.parts.append("\n")
        elif tag in ("td", "th"):
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def xhtml_to_text(xhtml: str) -> str:
    """Plain text of an XHTML fragment (FHIR narrative), one line per block, blank lines removed."""
    parser = _TextExtractor()
    parser.feed(xhtml)
    parser.close()
    lines = (re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in "".join(parser.parts).splitlines())
    return "\n".join(line for line in lines if line)
