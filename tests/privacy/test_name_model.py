"""Names without a cue word, read through the learned name model; one row per class of position.

Written by hand for yizhu (合成: every name is invented), not from any corpus: each row is a place where
Chinese clinical text puts a name with no label, title or kinship word before it. The negatives are
ordinary and clinical words that start with a surname character and sit in the same positions.
"""

from __future__ import annotations

import pytest

from yizhu.privacy import Analyzer
from yizhu.privacy.recognizers.namescore import NameModel, NameScorer, scorer

from .test_realistic_cues import covered, touching

POSITIVES = [
    # a clause mark, then a name and a person's verb or title
    ("after a comma, before 诉", "床旁交接时，邬蔓菁诉夜间胸闷。", "邬蔓菁"),
    ("after a comma, before a time word", "查房完毕，覃伟明今晨自行下床活动。", "覃伟明"),
    ("after a comma, before its sex", "患儿，左小麦，男，3岁。", "左小麦"),
    ("after 、 in a list ending before a count word", "由伍思远、鲍一凡两位医师共同完成手术。", "鲍一凡"),
    ("after a hand-over word", "今日查房，建议王芳明日复查血常规。", "王芳"),
    # fields, cells and quotes: the value ends where the field ends
    ("after any field colon", "值班：冼浩然\n", "冼浩然"),
    ("after a colon, names listed with 、", "抄送：滕玉洁、房文博", "房文博"),
    ("in a table cell", "| 姓名 | 性别 | 年龄 |\n| 纪晓岚 | 男 | 56 |", "纪晓岚"),
    ("in a tab-separated cell", "姓名\t性别\t年龄\n蔺韶华\t女\t44", "蔺韶华"),
    ("in quotes", "“汪焕然”是患者的曾用名。", "汪焕然"),
    # brackets, signatures, said surnames
    ("in brackets after a role word", "电话随访：患者本人（谭秀兰）接听。", "谭秀兰"),
    ("signature after a dash, before a date", "——殷淑贞 2026.11.3", "殷淑贞"),
    ("spaced name before a date", "住院医师签名：莫  然 2026-12-01", "莫  然"),
    ("surname said after 姓", "我是她老公，我姓秦。", "秦"),
    ("named with 名为", "主诉由患者女儿代述，患者名为包桂花。", "包桂花"),
    ("surname before 老爷子", "给隔壁床的孟老爷子也测了血压。", "孟"),
    ("familiar name before a verb", "下午2点，护士小吴发现患者呼吸急促。", "吴"),
    # tables: a header names a person column; every cell below it is a name, whatever words it spells
    ("duty roster of names that are words", "日期　　白班一线　　夜班一线\n周一　　高山　　石林\n周二　　文雅　　江川",
     "石林"),
    ("OCR table with a broken row, narrow gaps", "序号　时间　姓 名　　性别\n01　08:10　赖 秋 生　　男\n02　08:30　龚\n"
     "梅　女\n03　09:05　蒙晓川　　男", "蒙晓川"),
    ("bar table with a spaced name", "序号｜收件人｜电话\n1｜卜  捷｜13300001111\n2｜邵丽君｜13300002222", "卜  捷"),
    # beds, weak surnames, minority names, spaced names in lists
    ("name after a unit bed", "　NICU-2床　柴欣怡　住院号：0012", "柴欣怡"),
    ("weak surname after a role label, vouched by the model", "执行者：单晓燕\n", "单晓燕"),
    ("one minority name part after a field colon", "丈夫：巴特尔　电话：略", "巴特尔"),
    ("one minority name part after a kinship word", "长子旦增在拉萨工作。", "旦增"),
    ("spaced names after a department colon", "心内科：蔺　飞、常　宁\n", "常　宁"),
    ("a single ideographic space ends a spaced name", "经办：冉　红　复核：略", "冉　红"),
    ("familiar name in quotes", "他说同事\"老葛\"也有这个病。", "葛"),
    ("familiar name after 的", "我跟夜班的小邹说了。", "邹"),
    ("surname before 总", "家属陈总要求转病房。", "陈"),
    # chat and dialogue forms
    ("chat line of a name and a time", "蓝海燕 10:15\n医生我妈今天又咳了\n", "蓝海燕"),
    ("quoted speaker after >", "> 蓝海燕：医生您好", "蓝海燕"),
    ("speaker with a space before 说", "蓝海燕 说：我头疼", "蓝海燕"),
    ("speaker called by the given name", "晓雯：妈，我来了。\n母亲：好。", "晓雯"),
    ("mention with @", "@岳鹏 请看一下15床", "岳鹏"),
    ("name in brackets after a signature label", "医生签名：（庞海燕）", "庞海燕"),
    ("name on a signature underline", "签名：___庞海燕___", "庞海燕"),
    ("name after a time word", "今日岳鹏来院探视", "岳鹏"),
    ("name after a hand-over word, sentence end", "转交给孙建平。", "孙建平"),
    ("name before 他", "孙建平他老婆来了", "孙建平"),
    ("surname before 老", "梁老今天精神好。", "梁"),
    # speaker labels with a role before the name, honorifics, traditional characters
    ("speaker after a bracketed role", "家属（儿子）柏文涛：他昨晚没睡。", "柏文涛"),
    ("speaker after a role and a space", "呼救人 蒲晓琳：我爸晕倒了", "蒲晓琳"),
    ("speaker after a role and a dash", "医生-翁子健：先做个CT。", "翁子健"),
    ("name after 受托人", "受托人柏文涛已签字。", "柏文涛"),
    ("surname before 伯", "邱伯说他腿疼。", "邱"),
    ("surname before 工", "请蔡工看一下。", "蔡"),
    ("traditional characters after a header", "病人姓名：陳嘉文　性別：女", "陳嘉文"),
    ("traditional characters after 患者", "患者黃志堅，男，56歲，因胸痛入院。", "黃志堅"),
    ("minority name after a bed", "8床 其木格　新入，发热。", "其木格"),
    ("one minority part before a bracket, two-part names later", "其侄旦增（翻译）陪同。\n签名：扎西次仁", "旦增"),
    ("name after a unit bed after a ward code", "ICU　CCU-2床　贾正义　住院号：1", "贾正义"),
    ("married woman's name", "家属探视：妻柯王氏、子柯亮", "柯王氏"),
    ("name after 代收人", "（代收人蒋丽）", "蒋丽"),
    ("Cantonese name in three words", "姓名：陈嘉怡 (CHAN KA YI)　证件", "CHAN KA YI"),
    ("English given name and a Hong Kong surname", "专员：Vivian Chow　联系电话略", "Vivian Chow"),
    # Latin letters
    ("title before a Latin name", "Dr. Zhang Wei reviewed the ECG.", "Zhang Wei"),
    ("Pinyin name after a label", "主治医生：Li Na（英文名Lina）", "Li Na"),
    ("upper-case Pinyin surname", "联系人：ZHANG Xiaoming", "ZHANG Xiaoming"),
    ("title before a surname alone", "主刀：Dr. Chen", "Chen"),
]


@pytest.mark.parametrize(("cls", "text", "value"), POSITIVES, ids=[p[0] for p in POSITIVES])
def test_masked(analyzer: Analyzer, cls: str, text: str, value: str) -> None:
    assert covered(analyzer, text, value), f"{cls}: {value!r} leaks in {text!r}: {analyzer.analyze(text)}"


NEGATIVES = [
    ("a word after 患者: surname + character spell a word", "患者舒适体位，安静休息。", "舒适"),
    ("a word after 患者 that a name could open", "患者高明显的改变。", "高明显"),
    ("a drug name after 患者", "患者梅尼埃病发作。", "梅尼埃"),
    ("an ordinary character before a title", "肇事司机已离开。", "肇事"),
    ("clause mark then a clinical word", "查体：常规检查未见异常。", "常规"),
    ("field colon then a word", "睡眠：尚可\n", "尚可"),
    ("field colon then a state", "意识：清楚，精神：安静\n", "安静"),
    ("comma then an adverb before a verb", "患者胸闷，明显好转后出院。", "明显"),
    ("quoted disease name", "诊断为“高血压”。", "高血压"),
    ("table cell of a drug", "| 药名 | 剂量 |\n| 甘露醇 | 125ml |", "甘露醇"),
    ("English words that are Pinyin too", "He Said the Long Term plan was fine.", "Long Term"),
    ("a word ending in 老 before a verb", "古老的方法不再用。", "古老"),
    ("a two-character speaker that is not a name", "主诉：咳嗽3天\n医嘱：出院", "医嘱"),
    ("a word starting with a surname before 工", "病房正在施工。", "施工"),
    ("a canned drink", "平时爱喝王老吉。", "王老吉"),
    ("a clan name", "王氏家族均有高血压。", "王氏"),
    ("placeholder in a name column", "序号　姓 名　　性别\n05　无名氏　　男", "无名氏"),
    ("a spaced word after a colon", "诊断：高 血压\n", "高 血压"),
    ("a table without a person column", "药名　　剂量　　用法\n甘露醇　　125ml　　静滴", "甘露醇"),
]


@pytest.mark.parametrize(("cls", "text", "value"), NEGATIVES, ids=[n[0] for n in NEGATIVES])
def test_kept(analyzer: Analyzer, cls: str, text: str, value: str) -> None:
    touched = touching(analyzer, text, value)
    assert not touched, f"{cls}: {value!r} over-masked by {touched}"


def test_model_rates_name_characters_above_text_characters() -> None:
    sc = scorer()
    assert sc.score("王", "芳") > sc.score("高", "明显")  # 高明 is a word
    assert sc.score("邬", "蔓菁") > 2 > sc.score("常", "规")
    assert sc.known_bad("哌", -3) is False or sc.given.get("哌", 0) <= -3  # listed low, or not listed
    assert sc.known_bad("事", -3) and not sc.known_bad("芳", -3)


def test_model_is_validated_strictly() -> None:
    m = NameModel(source="s", method="m", given={5: "芳 菁"}, surname={3: "王"}, words="王者")
    sc = NameScorer(m)
    assert sc.given == {"芳": 5, "菁": 5}
    assert sc.score("王", "者") < sc.score("王", "芳")  # unknown character scores the floor, 王者 is a word
    with pytest.raises(ValueError):
        NameModel.model_validate({"source": "s", "method": "m", "given": {}, "surname": {}, "words": "", "x": 1})


def test_traditional_fold_keeps_offsets() -> None:
    from yizhu.privacy.analyzer import fold_fullwidth

    text = "聯絡人：黃志強（於2023年）"
    folded = fold_fullwidth(text)
    assert len(folded) == len(text)
    assert folded.startswith("联络人：黄志强")
    assert "於" in folded  # 於 is also simplified (於 → 于 or 於): left as written
