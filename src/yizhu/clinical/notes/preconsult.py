"""Pre-consultation (预问诊) records: a patient-facing form read into the sections of a medical record.

Forms ask in the patient's words (主要不适：…, 正在服用的药物：…); ``preconsult_headings.yaml`` maps those
headings to record sections (主诉, 用药史 …). Lines without a heading belong to the section above; a line
before the first heading (the form's title) and headings the table does not know are kept as sections
of their own name, so nothing written is lost, but they fill no section of the draft.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from yizhu.core import ClinicalDocument
from yizhu.core.models import Section
from yizhu.datafile import load_yaml_model

HEADINGS_FILE = Path(__file__).parent / "preconsult_headings.yaml"


class HeadingTable(BaseModel):
    """Form heading → record section, with the source of the section names."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    source: str = Field(min_length=10)
    sections: dict[str, tuple[str, ...]]

    def section_of(self, heading: str) -> str | None:
        h = re.sub(r"[\s　（(].*$", "", heading.strip())
        for name, words in self.sections.items():
            if h in words:
                return name
        return None


@lru_cache(maxsize=1)
def headings() -> HeadingTable:
    return load_yaml_model(HEADINGS_FILE, HeadingTable, "pre-consultation heading table")


_LINE_HEAD = re.compile(r"^[ \t\u3000]*(?:\d{1,2}[.、．)）][ \t\u3000]*)?(?P<h>[^：:\n]{2,14}?)[ \t\u3000]*[：:][ \t\u3000]*")


def parse_preconsult(text: str, *, doc_id: str = "preconsult", doc_type: str = "预问诊记录") -> ClinicalDocument:
    """A pre-consultation form as a document whose sections carry record section names."""
    table = headings()
    sections: list[Section] = []
    pos = 0
    for line in text.splitlines(keepends=True):
        body_end = pos + len(line.rstrip("\r\n"))
        m = _LINE_HEAD.match(line)
        name = table.section_of(m.group("h")) if m else None
        if m and (name or re.fullmatch(r"[\u4e00-\u9fff]{2,10}", m.group("h").strip())):
            a = pos + m.end()
            sections.append(Section(name=name or m.group("h").strip(), heading=m.group("h").strip(), start=a,
                                    end=body_end, text=text[a:body_end], heading_start=pos + m.start("h"),
                                    known=name is not None))
        elif sections and line.strip():
            last = sections[-1]
            sections[-1] = last.model_copy(update={"end": body_end, "text": text[last.start:body_end]})
        pos += len(line)
    return ClinicalDocument(id=doc_id, doc_type=doc_type, text=text, sections=sections)
