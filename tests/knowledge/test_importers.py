"""Importers: ICD tables, formularies and documents load without code; bad rows are reported, not fatal."""

from __future__ import annotations

import zlib
from pathlib import Path

import pytest

from yizhu.errors import InputError
from yizhu.knowledge.imported import KnowledgeStore
from yizhu.knowledge.importers import (
    chunk_document,
    import_file,
    split_icd_name,
)

REAL_ICD = Path(__file__).resolve().parents[3] / "shared" / "data" / "icd10" / "icd10_beijing_clinical_v601.tsv"


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


# ---- ICD tables


@pytest.mark.parametrize(
    ("content", "rows"),
    [
        ("code,name\nI10,特发性(原发性)高血压\nE11.900,2型糖尿病\n", 2),
        ("编码\t名称\nI10\t特发性(原发性)高血压\nE11.900\t2型糖尿病\n", 2),
        ("I10,特发性(原发性)高血压\nE11.900,2型糖尿病\nJ44.100,慢阻肺急性加重\n", 3),  # no header
        ("code,name,synonyms\nJ44.9,慢性阻塞性肺病,COPD|慢阻肺\n", 1),
    ],
    ids=["csv-english-header", "tsv-chinese-header", "no-header", "synonyms-column"],
)
def test_icd_tables_in_common_shapes_load(tmp_path: Path, content: str, rows: int) -> None:
    report = import_file(write(tmp_path / "icd.csv", content), "icd", data_dir=tmp_path)
    assert (report.rows, report.loaded, report.errors) == (rows, rows, [])
    assert len(KnowledgeStore(tmp_path).icd_rows()) == rows


def test_bad_rows_are_reported_with_file_and_line_and_the_rest_loads(tmp_path: Path) -> None:
    content = "code,name\nI10,高血压\nNOT-A-CODE,坏行\nE11.900,\nI10,重复\nJ18.900,肺炎\n"
    report = import_file(write(tmp_path / "hosp.csv", content), "icd", data_dir=tmp_path)
    assert report.loaded == 2
    assert [(e.file, e.line) for e in report.errors] == [("hosp.csv", 3), ("hosp.csv", 4), ("hosp.csv", 5)]
    assert "not an ICD-10 code" in report.errors[0].message
    assert "duplicate code I10" in str(report.errors[2])


def test_reimport_is_idempotent_and_a_changed_file_replaces_the_old_rows(tmp_path: Path) -> None:
    f = write(tmp_path / "icd.csv", "code,name\nI10,高血压\nE11.900,2型糖尿病\n")
    first = import_file(f, "icd", data_dir=tmp_path)
    again = import_file(f, "icd", data_dir=tmp_path)
    assert not first.unchanged and again.unchanged
    assert len(KnowledgeStore(tmp_path).icd_rows()) == 2
    write(f, "code,name\nI10,高血压\n")
    changed = import_file(f, "icd", data_dir=tmp_path)
    assert not changed.unchanged and len(KnowledgeStore(tmp_path).icd_rows()) == 1
    assert list(KnowledgeStore(tmp_path).manifest()) == ["icd/icd"]


def test_gb18030_tables_and_bracketed_alternatives(tmp_path: Path) -> None:
    f = write(tmp_path / "gb.csv", "code,name\nA06.401,肝阿米巴病[阿米巴肝脓肿]\n", encoding="gb18030")
    import_file(f, "icd", data_dir=tmp_path)
    (row,) = KnowledgeStore(tmp_path).icd_rows()
    assert (row.name, row.synonyms) == ("肝阿米巴病", ("阿米巴肝脓肿",))
    assert split_icd_name("未特指的肺炎") == ("未特指的肺炎", ())


@pytest.mark.parametrize(
    ("content", "message"),
    [("code,name\nbad,坏\n", "no row could be loaded"), ("foo,bar\nI10,高血压\n", "header lacks column")],
)
def test_unusable_tables_fail_with_the_fix(tmp_path: Path, content: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        import_file(write(tmp_path / "x.csv", content), "icd", data_dir=tmp_path)


def test_tables_need_a_kind_and_missing_files_are_input_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="--kind icd or --kind formulary"):
        import_file(write(tmp_path / "x.csv", "a,b\n"), data_dir=tmp_path)
    with pytest.raises(InputError, match="no such file"):
        import_file(tmp_path / "missing.csv", "icd", data_dir=tmp_path)


@pytest.mark.skipif(not REAL_ICD.is_file(), reason="the shared 40,473-row ICD table is not present")
def test_the_real_beijing_table_imports_with_its_one_bad_line_reported(tmp_path: Path) -> None:
    report = import_file(REAL_ICD, "icd", data_dir=tmp_path)
    # 40,474 data lines, one of which has the code 'N': reported with its line, the other 40,473 load.
    assert (report.rows, report.loaded) == (40_474, 40_473)
    assert [e.line for e in report.errors] == [19_744]


# ---- formulary


def test_formulary_with_chinese_headers_and_a_bad_atc_row(tmp_path: Path) -> None:
    content = (
        "药品编码,药品名称,通用名,商品名,规格,剂型,ATC\n"
        "Y001,阿托伐他汀钙片(立普妥),阿托伐他汀,立普妥,20mg*7片,片剂,C10AA05\n"
        "Y002,盐酸二甲双胍片,二甲双胍,,0.5g*20片,片剂,XX\n"
        "Y003,阿司匹林肠溶片,阿司匹林,拜阿司匹灵,100mg*30片,肠溶片,B01AC06\n"
    )
    report = import_file(write(tmp_path / "formulary.csv", content), "formulary", data_dir=tmp_path)
    assert report.loaded == 2 and report.errors[0].line == 3 and "ATC" in report.errors[0].message
    items = {f.code: f for f in KnowledgeStore(tmp_path).formulary()}
    assert items["Y001"].brand == "立普妥" and items["Y001"].atc == "C10AA05"


# ---- documents

GUIDE_MD = """# 社区获得性肺炎诊治要点（合成示例）

## 1 诊断
### 1.1 临床表现
新近出现的咳嗽、咳痰，伴或不伴发热。

### 1.2 影像
胸部影像可见新出现的斑片状浸润影。

## 2 治疗
门诊患者可经验性口服抗菌药物，住院患者按病情分层选药。
"""


def test_markdown_is_chunked_by_headings_with_locators(tmp_path: Path) -> None:
    chunks = chunk_document(write(tmp_path / "cap.md", GUIDE_MD))
    assert [c.section for c in chunks] == ["1 诊断 > 1.1 临床表现", "1 诊断 > 1.2 影像", "2 治疗"]
    assert chunks[0].title == "社区获得性肺炎诊治要点（合成示例）"
    assert chunks[0].locator == "§ 1 诊断 > 1.1 临床表现, line 4"
    assert chunks[0].id == "doc:cap#1"


def test_long_sections_are_split_into_parts(tmp_path: Path) -> None:
    body = "。".join(f"第{i}条建议内容较长需要拆分" for i in range(120)) + "。"
    chunks = chunk_document(write(tmp_path / "long.md", f"# 长文\n\n## 建议\n{body}\n"))
    assert len(chunks) > 1 and all(len(c.text) <= 600 for c in chunks)
    assert chunks[0].locator.startswith("§ 建议, part 1/")


def test_plain_text_with_numbered_headings(tmp_path: Path) -> None:
    text = "一、诊断标准\n空腹血糖≥7.0 mmol/L。\n（一）分型\n分为1型和2型。\n二、治疗\n生活方式干预为基础。\n"
    chunks = chunk_document(write(tmp_path / "dm.txt", text))
    assert [c.section for c in chunks] == ["一、诊断标准", "一、诊断标准 > （一）分型", "二、治疗"]


def test_docx_headings_become_sections(tmp_path: Path) -> None:
    docx = pytest.importorskip("docx")
    d = docx.Document()
    d.add_heading("慢阻肺管理（合成示例）", level=0)
    d.add_heading("评估", level=1)
    d.add_paragraph("根据症状和急性加重风险评估。")
    d.add_heading("治疗", level=1)
    d.add_paragraph("稳定期以支气管扩张剂为主。")
    d.save(tmp_path / "copd.docx")
    chunks = chunk_document(tmp_path / "copd.docx")
    assert chunks[0].title == "慢阻肺管理（合成示例）"
    assert [(c.section, c.text) for c in chunks] == [("评估", "根据症状和急性加重风险评估。"),
                                                    ("治疗", "稳定期以支气管扩张剂为主。")]


def make_pdf(pages: list[list[str]]) -> bytes:
    """A minimal PDF with a Type0 font whose CIDs are Unicode code points (ToUnicode identity), so text extracts."""
    objs: list[bytes] = []
    cmap = (b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /U def "
            b"1 begincodespacerange <0000> <FFFF> endcodespacerange 1 beginbfrange <0000> <FFFF> <0000> "
            b"endbfrange endcmap CMapName currentdict /CMap defineresource pop end end")
    objs.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    kids = " ".join(f"{6 + 2 * i} 0 R" for i in range(len(pages)))
    objs.append(f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode())
    objs.append(b"<< /Type /Font /Subtype /Type0 /BaseFont /Song /Encoding /Identity-H "
                b"/DescendantFonts [4 0 R] /ToUnicode 5 0 R >>")
    objs.append(b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /Song "
                b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor "
                b"<< /Type /FontDescriptor /FontName /Song /Flags 4 /FontBBox [0 0 1000 1000] /ItalicAngle 0 "
                b"/Ascent 880 /Descent -120 /CapHeight 700 /StemV 80 >> >>")
    data = zlib.compress(cmap)
    objs.append(b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream")
    for i, lines in enumerate(pages):
        ops = ["BT /F1 12 Tf 14 TL 50 780 Td"]
        for line in lines:
            ops.append("<" + "".join(f"{ord(c):04X}" for c in line) + "> Tj T*")
        ops.append("ET")
        content = "\n".join(ops).encode()
        objs.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> "
                    f"/Contents {7 + 2 * i} 0 R >>".encode())
        objs.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def test_pdf_chunks_carry_page_locators(tmp_path: Path) -> None:
    pytest.importorskip("pypdf")
    pdf = make_pdf([["一、诊断", "血压持续升高即可诊断。"], ["二、治疗", "首选生活方式干预。"]])
    (tmp_path / "htn.pdf").write_bytes(pdf)
    report = import_file(tmp_path / "htn.pdf", data_dir=tmp_path)
    chunks = list(KnowledgeStore(tmp_path).documents())
    assert report.kind == "document" and report.loaded == 2
    assert [(c.section, c.page) for c in chunks] == [("一、诊断", 1), ("二、治疗", 2)]
    assert chunks[1].locator == "§ 二、治疗, p. 2" and "生活方式" in chunks[1].text


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [("scan.pdf", b"not a pdf", "not a readable PDF"), ("x.odt", b"x", "unknown document type"),
     ("bad.docx", b"PK-not-a-zip", "not a readable DOCX")],
)
def test_unreadable_documents_fail_clearly(tmp_path: Path, name: str, data: bytes, message: str) -> None:
    (tmp_path / name).write_bytes(data)
    with pytest.raises(InputError, match=message):
        import_file(tmp_path / name, "document", data_dir=tmp_path)
