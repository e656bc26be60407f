"""Beds written with their ward area, room or unit (phi.ward_beds.v1) and bed columns of tables: invented sentences
per class, and look-alikes that must stay (the department, a stay in a unit, a count)."""

from __future__ import annotations

import pytest

from yizhu.privacy import Analyzer


def beds(analyzer: Analyzer, text: str) -> list[str]:
    return [e.text for e in analyzer.analyze(text) if e.type == "BED"]


WARD_BEDS = [
    ("床号：东三区17床", "东三区17床"),  # a numbered area with its direction
    ("转到了五楼南六区9床", "南六区9床"),
    ("现在是三病区41床", "三病区41床"),
    ("床位：妇一区8床", "妇一区8床"),  # a one-character ward before its area
    ("床位：骨二病区加7床", "骨二病区加7床"),
    ("产21床 何女士今日出院", "产21床"),
    ("位置：抢救室5床", "抢救室5床"),  # rooms
    ("位置：抢救区2号床", "抢救区2号床"),
    ("暂时安置急诊留观走廊8号床", "急诊留观走廊8号床"),
    ("病房满了，住在走廊加床5，明天有床", "走廊加床5"),
    ("走廊6床 老爷子夜间躁动", "走廊6床"),
    ("床号：母婴同室11床", "母婴同室11床"),
    ("今天透析3床换了管路", "透析3床"),
    ("收入创伤ICU-07", "创伤ICU-07"),  # a unit's code without 床
    ("转入NICU-4，继续观察", "NICU-4"),
    ("OICU-1产后出血患者", "OICU-1"),
    ("白板上写着ICU-加02", "ICU-加02"),
    ("神外NICU 3床家属来电", "NICU 3床"),  # a unit with a space before its bed
    ("申请科室：心内科　CCU-2床", "CCU-2床"),  # the unit's bed with 床 is one span
    ("床号：内分泌科**床", "**床"),  # a starred (already hidden) bed
    ("床号：B区7床", "B区7床"),  # a lettered area
    ("住在5病房3床", "5病房3床"),  # a room's number
    ("隔离间2床 发热待查", "隔离间2床"),
    ("移到层流床4，继续化疗", "层流床4"),  # a bed named by its kind
    ("抢救床2号 患者躁动", "抢救床2号"),
    ("住3号病房12床", "3号病房12床"),
    ("308房间2号床的老太太", "308房间2号床"),
    ("抢救1床 心肺复苏后", "抢救1床"),
    ("产房2床 宫口开全", "产房2床"),
    ("待产室3床", "待产室3床"),
    ("安排在临时床位3", "临时床位3"),
    ("走廊临时床2 患者", "走廊临时床2"),
]


@pytest.mark.parametrize(("text", "value"), WARD_BEDS)
def test_a_bed_is_masked_with_its_area_room_or_unit(analyzer: Analyzer, text: str, value: str) -> None:
    assert value in beds(analyzer, text)


WARD_BEDS_STAY = [
    ("床号：老年医学科19床", "老年医学科"),  # the department stays (older corpora keep it)
    ("肾内科9床患者", "肾内科"),
    ("泌外1-07床，术后第2天", "泌外"),
    ("急诊科留观6床", "急诊科"),
    ("心内二病区28床", "心内"),
    ("神经内科三病区　22床", "三病区"),  # a ward written apart from the bed is its own field
    ("患儿3床，发热", "患儿"),  # a word ending in a ward's character
    ("入住ICU 3天后转出", "ICU 3"),  # a stay in a unit
    ("本月转入ICU 2例", "ICU 2"),  # a count
    ("2. ICU 12份 原姐代订", "ICU 12"),  # meals ordered for a unit
    ("ICU-2周后复查", "ICU-2"),
    ("社区医院就诊", "社区"),
    ("科里抢救床3天没空过", "抢救床3"),  # a bed's kind before a duration
    ("新进层流床2台", "层流床2"),  # a count of beds bought
    ("两室1厅，住3楼", "1厅"),
    ("科里临时床位3天没空过", "临时床位3"),
    ("临时床位3张已满", "临时床位3"),
    ("抢救1小时无效", "抢救1"),
    ("去过产房2次", "产房2"),
]


@pytest.mark.parametrize(("text", "value"), WARD_BEDS_STAY)
def test_a_department_a_stay_or_a_count_stays(analyzer: Analyzer, text: str, value: str) -> None:
    pos = text.find(value)
    end = pos + len(value)
    assert not any(e.start < end and e.end > pos for e in analyzer.analyze(text) if e.type == "BED")


def test_a_bed_column_reads_ward_codes_and_rows_with_empty_last_cells(analyzer: Analyzer) -> None:
    text = ("床号 | 姓名 | 性别 | 住院号 | 诊断\n"
            "ICU-01 | 某甲 | 男 | 0701233 | 重症胰腺炎\n"
            "ICU-02 | （空床） | | |\n"
            "ICU-加01 | 某乙 | 女 | 0702461 | 肺炎\n"
            "心内9 | 某丙 | 男 | 0703140 | 心衰\n")
    found = {(e.type, e.text) for e in analyzer.analyze(text)}
    for bed in ("ICU-01", "ICU-02", "ICU-加01", "心内9"):
        assert ("BED", bed) in found
    for record in ("0701233", "0702461", "0703140"):  # the rows after the one with empty cells are still read
        assert ("RECORD_ID", record) in found
    assert not any(e.text in ("男", "女", "（空床）") for e in analyzer.analyze(text))
