"""Synthetic clinical notes with gold PHI spans, for measuring de-identification.

Every note is 合成 (synthetic): identities come from Faker ``zh_CN`` plus random name characters,
and each note starts with the label :data:`SYNTHETIC_LABEL`. Fourteen document types are built from
pieces whose order, wording and PHI surface forms vary (eight date forms, five phone forms,
header fields or running text), mixed with clinical sentences chosen to trap a naive recognizer
(白细胞, 高峰期, 金黄色葡萄球菌, 何时, 马来酸氯苯那敏, 王不留行, 3点钟方向, 当地医院 …).

Gold spans follow the conventions of the recognizers: an age span is ``93岁``, an inline bed is
``12床`` but a labelled one is just ``12``, a date with a time is one DATE span, a surname before a
title (王主任) is a PERSON span. Generation is deterministic for a given seed.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from faker import Faker

from yizhu.privacy.types import PHIType
from yizhu.privacy.validators import cn_id_check_char, luhn_check_digit

SYNTHETIC_LABEL = "【合成病历 · synthetic · 非真实患者】"

DOC_TYPES: tuple[str, ...] = (
    "入院记录",
    "首次病程记录",
    "日常病程记录",
    "出院记录",
    "门诊病历",
    "急诊病历",
    "手术记录",
    "会诊记录",
    "影像检查报告",
    "病理报告",
    "检验报告",
    "护理记录",
    "知情同意书",
    "转科记录",
)

_NAME_CHARS = (
    "伟强磊洋勇军杰涛超明刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林欢佳阳建成峰晨瑞志兵雷东博彬坤岩杨文利楠"
    "芳娜敏静丽艳娟霞燕玲丹萍红英梅莉婷晶颖雪慧倩琴云洁柳淑琳璐瑶怡欣悦涵萱雨嘉思子梓轩睿泽宸铭昊然"
    "国庆春秋海江山川永福德仁义礼信忠孝贵富荣兴旺祥瑞安康宏伟振中正大小长新光亮金玉珍凤兰桂秀"
)
_COMPOUND = ("欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "令狐", "慕容", "司徒", "夏侯", "公孙", "端木")
_RELATIONS = (("其母", "母亲", "女"), ("其父", "父亲", "男"), ("其妻", "妻子", "女"), ("其夫", "丈夫", "男"),
              ("其子", "儿子", "男"), ("其女", "女儿", "女"))
_STREET_WORDS = ("解放", "人民", "建设", "中山", "文化", "健康", "胜利", "和平", "友谊", "新华", "光明", "幸福",
                 "长江", "黄河", "青年", "东风", "红旗", "迎宾", "学府", "滨河", "环城", "工业", "体育", "北京")
_ESTATE_WORDS = ("阳光", "翠湖", "金色", "锦绣", "碧水", "康乐", "华庭", "御景", "香樟", "枫林", "春晓", "明珠")
_ESTATE_SUFFIX = ("小区", "花园", "家园", "苑", "公寓", "新村")
_FAMOUS = ("协和", "同仁", "仁济", "华山", "湘雅", "华西", "齐鲁", "同济", "瑞金", "友谊", "仁爱", "博爱")
_UNIVERSITIES = ("浙江", "中山", "四川", "复旦", "郑州", "吉林", "山东", "中南", "武汉", "南昌", "昆明医科", "温州医科")
_CN_ORD = "一二三四五六七八九十"
_DEPARTMENTS = ("呼吸内科", "心血管内科", "消化内科", "神经内科", "内分泌科", "普外科", "骨科", "泌尿外科", "肾内科",
                "感染科", "老年医学科", "胸外科")


@dataclass(frozen=True, slots=True)
class GoldSpan:
    """One labelled PHI span of a synthetic note."""

    type: str
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class SyntheticNote:
    """A synthetic note (合成) with its gold PHI spans."""

    id: str
    doc_type: str
    patient_id: str
    text: str
    spans: tuple[GoldSpan, ...]
    synthetic: bool = True

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (one line of a gold .jsonl file)."""
        return {
            "id": self.id,
            "doc_type": self.doc_type,
            "patient_id": self.patient_id,
            "synthetic": True,
            "text": self.text,
            "spans": [{"type": s.type, "start": s.start, "end": s.end, "text": s.text} for s in self.spans],
        }


@dataclass
class _Builder:
    """Concatenates text pieces, remembering where each PHI value lands."""

    parts: list[str] = field(default_factory=list)
    spans: list[GoldSpan] = field(default_factory=list)
    length: int = 0

    def add(self, text: str) -> _Builder:
        self.parts.append(text)
        self.length += len(text)
        return self

    def phi(self, type_: PHIType, value: str) -> _Builder:
        self.spans.append(GoldSpan(type_.value, self.length, self.length + len(value), value))
        return self.add(value)

    def seq(self, *items: str | tuple[PHIType, str]) -> _Builder:
        for it in items:
            if isinstance(it, tuple):
                self.phi(*it)
            else:
                self.add(it)
        return self

    def text(self) -> str:
        return "".join(self.parts)


@dataclass
class _Identity:
    """One synthetic patient and the people and places around them."""

    pid: str
    name: str
    surname: str
    sex: str
    age: int
    birth: date
    id_number: str
    phone: str
    address: str
    postcode: str
    relative: str
    relation: tuple[str, str, str]
    relative_phone: str
    employer: str
    insurance: str
    inpatient_no: str
    outpatient_no: str
    case_no: str
    bed: str
    hospital: str
    other_hospital: str
    department: str
    doctors: list[str]
    nurse: str
    admitted: datetime
    days: int
    bank_card: str
    plate: str
    email: str


class _Gen:
    """Random choices behind the generator; one instance per corpus (seeded)."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.fake = Faker("zh_CN")
        self.fake.seed_instance(seed)
        ssn = self.fake.provider("faker.providers.ssn")
        self.area_codes = [c for c in getattr(ssn, "area_codes", ["110101"]) if not c.endswith("0000")]

    # ---------------------------------------------------------------- people
    def name(self) -> str:
        r = self.rng.random()
        surname = self.rng.choice(_COMPOUND) if r < 0.04 else self.fake.last_name()
        if self.rng.random() < 0.55:
            given = self.fake.first_name()
        else:
            given = "".join(self.rng.choice(_NAME_CHARS) for _ in range(self.rng.choice((1, 2, 2))))
        return surname + given

    def surname_of(self, name: str) -> str:
        return name[:2] if name[:2] in _COMPOUND or name[:2] == "欧阳" else name[:1]

    # ---------------------------------------------------------------- numbers
    def digits(self, n: int) -> str:
        return "".join(self.rng.choice("0123456789") for _ in range(n))

    def id_number(self, birth: date, sex: str) -> str:
        area = self.rng.choice(self.area_codes)
        seq = self.digits(2) + str(self.rng.choice("13579" if sex == "男" else "02468"))
        if self.rng.random() < 0.05:
            return f"{area}{birth:%y%m%d}{seq}"
        body = f"{area}{birth:%Y%m%d}{seq}"
        return body + cn_id_check_char(body)

    def mobile(self) -> str:
        prefix = str(self.rng.choice([134, 135, 136, 137, 138, 139, 150, 151, 152, 158, 159, 182, 186, 187, 188, 199]))
        return prefix + self.digits(8)

    def phone(self) -> str:
        m = self.mobile()
        style = self.rng.randrange(8)
        if style == 0:
            return f"{m[:3]}-{m[3:7]}-{m[7:]}"
        if style == 1:
            return f"{m[:3]} {m[3:7]} {m[7:]}"
        if style == 2:
            return f"+86 {m[:3]} {m[3:7]} {m[7:]}"
        if style == 3:
            area = self.rng.choice(["010", "021", "0571", "020", "028", "0755", "027", "0731"])
            local = str(self.rng.randint(2, 8)) + self.digits(7 if len(area) == 3 else 6 + self.rng.randint(0, 1))
            return self.rng.choice([f"{area}-{local}", f"({area}){local}", f"{area} {local}"])
        return m

    def bank_card(self) -> str:
        body = self.rng.choice(["622202", "621700", "622848", "621226"]) + self.digits(self.rng.choice((9, 12)))
        card = body + luhn_check_digit(body)
        if self.rng.random() < 0.5:
            return " ".join(card[i:i + 4] for i in range(0, len(card), 4))
        return card

    def plate(self) -> str:
        prov = self.rng.choice("京津沪渝冀豫云辽黑湘皖鲁苏浙赣鄂桂甘晋陕吉闽贵粤川")
        letter = self.rng.choice("ABCDEFGHJK")
        tail = "".join(self.rng.choice("0123456789ABCDEFGHJKLMNPQRSTUVWXYZ") for _ in range(4)) + self.digits(1)
        return prov + letter + self.rng.choice(["", "·", ""]) + tail

    # ---------------------------------------------------------------- places
    def city(self) -> str:
        while True:
            c = self.fake.city_name()
            if not c.endswith(("盟", "州")) or len(c) > 1:
                return c.removesuffix("盟")

    def address(self) -> str:
        r = self.rng.random()
        province = self.fake.province()
        city = self.city() + "市"
        district = self.fake.district() + "区"
        if r < 0.2:
            county = self.rng.choice(["长丰", "肥西", "桐庐", "建德", "宁乡", "浏阳", "新津", "大邑"]) + "县"
            town = self.rng.choice(["城关", "双桥", "石门", "青山", "柳林", "白马", "三河"]) + "镇"
            village = self.rng.choice(["新民", "红星", "永丰", "杨家", "李庄", "石桥"]) + "村"
            return f"{province}{city}{county}{town}{village}{self.rng.randint(1, 12)}组"
        street = self.rng.choice([self.rng.choice(_STREET_WORDS), self.city()]) + self.rng.choice(
            ["路", "路", "街", "大道", "大街"]
        )
        number = f"{self.rng.randint(1, 999)}号"
        tail = ""
        t = self.rng.random()
        if t < 0.4:
            estate = self.rng.choice(_ESTATE_WORDS) + self.rng.choice(_ESTATE_SUFFIX)
            tail = f"{estate}{self.rng.randint(1, 30)}栋{self.rng.randint(1, 6)}单元{self.rng.randint(1, 33)}0{self.rng.randint(1, 4)}室"
        elif t < 0.6:
            tail = f"{self.rng.randint(1, 20)}-{self.rng.randint(1, 6)}-{self.rng.randint(1, 30)}0{self.rng.randint(1, 4)}"
        head = f"{province}{city}{district}" if self.rng.random() < 0.7 else f"{city}{district}"
        return f"{head}{street}{number}{tail}"

    def hospital(self) -> str:
        city = self.city()
        return self.rng.choice(
            [
                f"{city}市第{self.rng.choice(_CN_ORD)}人民医院",
                f"{city}市中心医院",
                f"{city}市人民医院",
                f"{city}{self.rng.choice(_FAMOUS)}医院",
                f"{self.rng.choice(_UNIVERSITIES)}大学附属第{self.rng.choice(_CN_ORD[:4])}医院",
                f"{city}市妇幼保健院",
                f"{city}市中医院",
                f"{self.fake.district()}区{self.rng.choice(_STREET_WORDS)}街道社区卫生服务中心",
            ]
        )

    def employer(self) -> str:
        r = self.rng.random()
        if r < 0.7:
            return self.fake.company()
        if r < 0.85:
            return f"{self.city()}市第{self.rng.choice(_CN_ORD)}中学"
        return f"{self.city()}{self.rng.choice(['建设', '交通', '电力', '水务'])}集团"

    def email(self, name_hint: str) -> str:
        if self.rng.random() < 0.4:
            return f"{self.digits(self.rng.randint(6, 10)).lstrip('0') or '1'}@qq.com"
        return self.fake.user_name() + "@" + self.rng.choice(["example.com", "example.org", "example.net"])

    # ---------------------------------------------------------------- identity
    def identity(self, index: int) -> _Identity:
        sex = self.rng.choice("男女")
        age = self.rng.randint(90, 104) if self.rng.random() < 0.15 else self.rng.randint(18, 88)
        admitted = datetime(2015, 1, 1) + timedelta(
            days=self.rng.randint(0, 3600), hours=self.rng.randint(0, 23), minutes=self.rng.randint(0, 59)
        )
        birth = (admitted - timedelta(days=int(age * 365.25) + self.rng.randint(0, 300))).date()
        name = self.name()
        return _Identity(
            pid=f"SYN-{index:05d}",
            name=name,
            surname=self.surname_of(name),
            sex=sex,
            age=age,
            birth=birth,
            id_number=self.id_number(birth, sex),
            phone=self.phone(),
            address=self.address(),
            postcode=str(self.rng.randint(100000, 859999)),
            relative=self.name(),
            relation=self.rng.choice(_RELATIONS),
            relative_phone=self.phone(),
            employer=self.employer(),
            insurance=self.rng.choice(["", "E", "S"]) + self.digits(self.rng.choice((9, 10, 12))),
            inpatient_no=self.rng.choice(["ZY", "", "IP"]) + self.digits(self.rng.choice((7, 8, 10))),
            outpatient_no=self.digits(10),
            case_no=self.digits(self.rng.choice((6, 7, 8))),
            bed=f"{self.rng.randint(1, 60)}" if self.rng.random() < 0.85 else f"{self.rng.randint(1, 9)}-{self.rng.randint(1, 4)}",
            hospital=self.hospital(),
            other_hospital=self.hospital(),
            department=self.rng.choice(_DEPARTMENTS),
            doctors=[self.name() for _ in range(5)],
            nurse=self.name(),
            admitted=admitted,
            days=self.rng.randint(3, 21),
            bank_card=self.bank_card(),
            plate=self.plate(),
            email=self.email(name),
        )

    # ---------------------------------------------------------------- dates
    def date_text(self, d: datetime, *, with_time: bool = False, style: int | None = None) -> str:
        s = self.rng.randrange(7) if style is None else style
        if s == 0:
            out = f"{d.year}年{d.month}月{d.day}日"
            return out + (f" {d:%H:%M}" if with_time else "")
        if s == 1:
            return f"{d:%Y-%m-%d}" + (f" {d:%H:%M}" if with_time else "")
        if s == 2:
            return f"{d.year}/{d.month}/{d.day}" + (f" {d:%H:%M}" if with_time else "")
        if s == 3:
            return f"{d:%Y.%m.%d}"
        if s == 4:
            return f"{d:%Y年%m月%d日}" + (f"{d.hour}时{d.minute}分" if with_time else "")
        if s == 5:
            return f"{d.year}年{d.month}月{d.day}日" + (f"{d.hour}时" if with_time else "")
        return f"{d:%Y-%m-%d %H:%M}" if with_time else f"{d.year}年{d.month}月{d.day}日"

    def cn_date(self, d: datetime) -> str:
        digits = "〇一二三四五六七八九"
        year = "".join(digits[int(c)] for c in str(d.year))

        def small(n: int) -> str:
            if n <= 10:
                return "十" if n == 10 else digits[n]
            if n < 20:
                return "十" + digits[n - 10]
            t, o = divmod(n, 10)
            return digits[t] + "十" + (digits[o] if o else "")

        return f"{year}年{small(d.month)}月{small(d.day)}日"

    def time_text(self, d: datetime) -> str:
        return self.rng.choice([f"{d:%H:%M}", f"{d.hour}时{d.minute}分", f"{d.hour}点{d.minute}分"])


# ---------------------------------------------------------------------------------- clinical text
_CHIEF = ("发热3天", "反复咳嗽、咳痰2周", "胸痛2小时", "上腹痛1天", "头晕伴恶心3天", "右下腹痛12小时", "双下肢水肿1月",
          "心悸、气短1周", "腰痛伴尿频3天", "左侧肢体无力6小时", "多饮多尿半年", "咯血2天")
_DIAG = ("社区获得性肺炎", "急性冠脉综合征", "急性胰腺炎", "2型糖尿病", "高血压病3级（很高危）", "急性阑尾炎",
         "慢性心力衰竭急性加重", "脑梗死", "尿路感染", "慢性阻塞性肺疾病急性加重", "肝硬化失代偿期")
_TRAPS = (
    "患者白细胞计数明显升高，考虑细菌感染可能。",
    "患者高热，最高体温39.6℃，发热高峰期多在午后。",
    "痰培养回报：金黄色葡萄球菌（MRSA阴性）。",
    "患者不能回忆何时开始出现双下肢水肿。",
    "既往曾服用马来酸氯苯那敏片、马来酸依那普利片。",
    "中医会诊建议加用王不留行、黄芪、当归、白术。",
    "其母高血压病史，其父体健。",
    "家属高度紧张，已予安抚。",
    "患者平卧位，双肺呼吸音粗，可闻及少许湿啰音。",
    "患者常规行心电图检查，未见明显ST段改变。",
    "已向患者及家属交代病情，家属表示理解。",
    "嘱患者低盐低脂饮食，注意休息。",
    "请示上级医师后同意目前治疗方案。",
    "经治医师已向家属告知手术风险。",
    "值班医生巡视病房，患者安静入睡。",
    "予白蛋白10g静滴，甘露醇125ml静滴q8h。",
    "复查血钾3.2mmol/L，予补钾治疗。",
    "每周主任查房一次，讨论疑难病例。",
    "血压130/85mmHg，心率96次/分，呼吸20次/分，体温36.8℃。",
    "尿比重1.025，尿蛋白（+），血小板计数210×10^9/L。",
    "患者左侧肢体肌力4级，右侧5级。",
    "胃镜下于3点钟方向见一0.5cm溃疡。",
    "以1:1000肾上腺素局部喷洒止血。",
    "患者华法林抗凝，INR 2.3，予调整剂量。",
    "患者康复良好，连续3天复查血常规正常。",
    "曾于当地医院就诊，予抗感染治疗效果欠佳。",
    "病情加重时需转上级医院进一步诊治。",
    "患者石膏固定良好，末梢血运可。",
    "复查白细胞计数降至8.2×10^9/L，C反应蛋白56.3mg/L。",
    "口服叶酸片5mg qd，甲钴胺0.5mg tid。",
    "患者何时进食需遵医嘱。",
    "患者曾经有青霉素过敏史。",
    "患者方可下床活动，时有头晕。",
    "患者全身皮肤黏膜无黄染，周身乏力。",
    "其母亲体健，否认家族遗传病史。",
    "外院CT提示右肺下叶斑片影。",
    "住院7天，病情好转。",
    "国药准字H20003263。",
    "患者高龄，基础疾病多，预后较差。",
    "予头孢曲松2g静滴qd抗感染，雾化吸入布地奈德。",
)


def _trap(g: _Gen, k: int = 2) -> str:
    return "".join(g.rng.sample(_TRAPS, k))


def _header(b: _Builder, g: _Gen, p: _Identity, title: str) -> None:
    b.add(f"{SYNTHETIC_LABEL}\n")
    if g.rng.random() < 0.5:
        b.phi(PHIType.ORG, p.hospital).add("\n")
    b.add(f"{title}\n")
    b.seq("姓名：", (PHIType.PERSON, p.name), f"  性别：{p.sex}  年龄：")
    if p.age > 89:
        b.phi(PHIType.AGE, f"{p.age}岁")
    else:
        b.add(f"{p.age}岁")
    b.add(f"  科室：{p.department}  ")
    if g.rng.random() < 0.7:
        b.seq("床号：", (PHIType.BED, p.bed), "  ")
    b.seq(g.rng.choice(["住院号：", "住院号 ", "病案号："]), (PHIType.RECORD_ID, p.inpatient_no), "\n")


def _age_text(b: _Builder, p: _Identity) -> None:
    if p.age > 89:
        b.phi(PHIType.AGE, f"{p.age}岁")
    else:
        b.add(f"{p.age}岁")


def _signature(b: _Builder, g: _Gen, p: _Identity, label: str = "医师签名：", doctor: int = 1) -> None:
    b.seq(label, (PHIType.PERSON, p.doctors[doctor]), "  ")
    when = p.admitted + timedelta(days=g.rng.randint(0, p.days), hours=g.rng.randint(0, 5))
    b.phi(PHIType.DATE, g.date_text(when, with_time=True)).add("\n")


def _admission(b: _Builder, g: _Gen, p: _Identity) -> None:
    _header(b, g, p, "入院记录")
    b.seq("出生日期：", (PHIType.DATE, g.date_text(datetime.combine(p.birth, datetime.min.time()), style=g.rng.choice((0, 1, 3)))))
    b.seq("  身份证号：", (PHIType.ID_CARD, p.id_number), "\n")
    b.seq("职业：职员  工作单位：", (PHIType.ORG, p.employer), "\n")
    b.seq(g.rng.choice(["现住址：", "家庭住址：", "户籍地址："]), (PHIType.ADDRESS, p.address))
    if g.rng.random() < 0.4:
        b.seq(" ", (PHIType.POSTCODE, p.postcode))
    b.seq("\n联系电话：", (PHIType.PHONE, p.phone), "\n")
    b.seq("联系人：", (PHIType.PERSON, p.relative), f"（{p.relation[1]}）  电话：", (PHIType.PHONE, p.relative_phone), "\n")
    b.seq("入院时间：", (PHIType.DATE, g.date_text(p.admitted, with_time=True)), "  病史陈述者：患者本人\n")
    if g.rng.random() < 0.5:
        b.seq("医保卡号：", (PHIType.INSURANCE_ID, p.insurance), "\n")
    b.add(f"主诉：{g.rng.choice(_CHIEF)}。\n现病史：患者")
    b.phi(PHIType.DATE, g.date_text(p.admitted - timedelta(days=g.rng.randint(1, 10)), style=g.rng.choice((0, 1, 5))))
    b.add("无明显诱因出现症状，")
    b.add(_trap(g, 3))
    b.add("曾于").phi(PHIType.ORG, p.other_hospital).add("就诊，")
    b.add("为求进一步诊治来我院。\n既往史：否认肝炎、结核病史。")
    b.add(_trap(g, 1))
    b.add(f"\n家族史：{g.rng.choice(['其母高血压病史', '父母体健', '其父糖尿病史'])}。\n")
    b.add("体格检查：T 38.2℃，P 96次/分，R 20次/分，BP 130/85mmHg。\n")
    b.add(f"初步诊断：{g.rng.choice(_DIAG)}\n")
    _signature(b, g, p)


def _first_course(b: _Builder, g: _Gen, p: _Identity) -> None:
    _header(b, g, p, "首次病程记录")
    b.phi(PHIType.DATE, g.date_text(p.admitted, with_time=True)).add("\n")
    b.seq("患者", (PHIType.PERSON, p.name), f"，{p.sex}，")
    _age_text(b, p)
    b.add(f"，因“{g.rng.choice(_CHIEF)}”于")
    b.phi(PHIType.DATE, g.date_text(p.admitted, style=0))
    b.add("入院。\n病例特点：")
    b.add(_trap(g, 3))
    b.add(f"\n初步诊断：{g.rng.choice(_DIAG)}。\n诊疗计划：完善相关检查，")
    b.add(_trap(g, 1))
    b.add("\n")
    _signature(b, g, p, label=g.rng.choice(["记录医师：", "住院医师：", "医师签名："]))
    b.seq("上级医师：", (PHIType.PERSON, p.doctors[2]), "\n")


def _progress(b: _Builder, g: _Gen, p: _Identity) -> None:
    _header(b, g, p, "日常病程记录")
    for i in range(g.rng.randint(2, 4)):
        d = p.admitted + timedelta(days=i + 1, hours=g.rng.randint(0, 3))
        b.phi(PHIType.DATE, g.date_text(d, with_time=True)).add("\n")
        r = g.rng.randrange(3)
        if r == 0:
            b.seq("今日", (PHIType.PERSON, p.doctors[3]), "主任医师查房：")
        elif r == 1:
            b.seq("今日", (PHIType.PERSON, p.doctors[3][: len(g.surname_of(p.doctors[3]))]), "主任查房，指示：")
        else:
            b.seq("今日", (PHIType.PERSON, p.doctors[2]), "主治医师查房：")
        b.add(_trap(g, 2)).add("\n")
    b.seq((PHIType.BED, f"{p.bed}床"), "患者夜间")
    b.add(g.rng.choice(["于", "约"])).phi(PHIType.TIME, g.time_text(p.admitted)).add("诉胸闷，予吸氧后缓解。\n")
    _signature(b, g, p)


def _discharge(b: _Builder, g: _Gen, p: _Identity) -> None:
    _header(b, g, p, "出院记录")
    out = p.admitted + timedelta(days=p.days)
    b.seq("入院日期：", (PHIType.DATE, g.date_text(p.admitted)), "  出院日期：", (PHIType.DATE, g.date_text(out)))
    b.add(f"  住院天数：{p.days}天\n入院情况：患者")
    b.phi(PHIType.PERSON, p.name).add(f"，{p.sex}，")
    _age_text(b, p)
    b.add("。")
    b.add(_trap(g, 2))
    b.add(f"\n诊疗经过：入院后完善相关检查，{_trap(g, 2)}\n出院诊断：{g.rng.choice(_DIAG)}\n")
    b.add("出院医嘱：")
    b.phi(PHIType.DATE, g.date_text(out + timedelta(days=14), style=g.rng.choice((0, 1))))
    b.add("门诊复诊，如有不适及时就诊。随访电话：").phi(PHIType.PHONE, p.phone).add("\n")
    _signature(b, g, p, label="主治医师：", doctor=2)


def _outpatient(b: _Builder, g: _Gen, p: _Identity) -> None:
    b.add(f"{SYNTHETIC_LABEL}\n门诊病历\n")
    b.seq("姓名：", (PHIType.PERSON, p.name), f"  {p.sex}  ")
    _age_text(b, p)
    b.seq("  门诊号：", (PHIType.RECORD_ID, p.outpatient_no), "  就诊日期：")
    b.phi(PHIType.DATE, g.date_text(p.admitted, with_time=g.rng.random() < 0.5)).add("\n")
    b.seq("手机：", (PHIType.PHONE, p.phone))
    if g.rng.random() < 0.5:
        b.seq("  邮箱：", (PHIType.EMAIL, p.email))
    b.add(f"\n主诉：{g.rng.choice(_CHIEF)}。\n现病史：").add(_trap(g, 2))
    b.add(f"\n诊断：{g.rng.choice(_DIAG)}\n处理：").add(_trap(g, 1)).add("\n")
    if g.rng.random() < 0.5:
        b.seq("患者系", (PHIType.ORG, p.employer), "职工，")
    b.add("嘱").phi(PHIType.DATE, g.date_text(p.admitted + timedelta(days=7), style=0)).add("复诊。\n")
    b.seq("接诊医生：", (PHIType.PERSON, p.doctors[0]), "\n")


def _emergency(b: _Builder, g: _Gen, p: _Identity) -> None:
    b.add(f"{SYNTHETIC_LABEL}\n急诊病历\n")
    b.seq("姓名：", (PHIType.PERSON, p.name), f"  {p.sex}  急诊号：", (PHIType.RECORD_ID, p.outpatient_no), "\n")
    b.add("来诊时间：").phi(PHIType.DATE, g.date_text(p.admitted, with_time=True)).add("\n")
    b.add("现病史：患者约").phi(PHIType.TIME, g.time_text(p.admitted - timedelta(hours=2)))
    b.add("驾驶车牌号为").phi(PHIType.PLATE, p.plate).add("的小型汽车发生车祸，")
    b.add(_trap(g, 2))
    b.seq("由", (PHIType.PERSON, p.relative), f"（{p.relation[1]}）陪同就诊，联系电话", (PHIType.PHONE, p.relative_phone), "。\n")
    b.add(f"{p.relation[0]}").phi(PHIType.PERSON, p.relative).add("已签署知情同意书。\n")
    b.seq("急诊医师：", (PHIType.PERSON, p.doctors[0]), "\n")


def _operation(b: _Builder, g: _Gen, p: _Identity) -> None:
    _header(b, g, p, "手术记录")
    start = p.admitted + timedelta(days=2, hours=g.rng.randint(1, 6))
    b.add("手术日期：").phi(PHIType.DATE, g.date_text(start)).add("  开始时间：").phi(PHIType.TIME, f"{start:%H:%M}")
    b.add("  结束时间：").phi(PHIType.TIME, f"{start + timedelta(hours=2):%H:%M}").add("\n")
    b.seq("手术者：", (PHIType.PERSON, p.doctors[3]), "  一助：", (PHIType.PERSON, p.doctors[2]), "、",
          (PHIType.PERSON, p.doctors[1]), "\n")
    b.seq("麻醉医师：", (PHIType.PERSON, p.doctors[4]), "  器械护士：", (PHIType.PERSON, p.nurse), "\n")
    b.add("手术经过：").add(_trap(g, 3)).add("\n")
    b.seq("病理号：", (PHIType.RECORD_ID, f"P{p.admitted.year}-{g.digits(5)}"), "\n")


def _consult(b: _Builder, g: _Gen, p: _Identity) -> None:
    _header(b, g, p, "会诊记录")
    b.add("申请时间：").phi(PHIType.DATE, g.date_text(p.admitted + timedelta(days=1), with_time=True)).add("\n")
    b.seq("申请医师：", (PHIType.PERSON, p.doctors[1]), f"  邀请科室：{g.rng.choice(_DEPARTMENTS)}\n")
    b.add("会诊意见：").add(_trap(g, 2))
    b.seq("请", (PHIType.PERSON, p.doctors[4]), "医师协助诊治。\n")
    b.seq("会诊医师：", (PHIType.PERSON, p.doctors[4]), "  ")
    b.seq("（", (PHIType.ORG, p.other_hospital), "）\n")


def _imaging(b: _Builder, g: _Gen, p: _Identity) -> None:
    b.add(f"{SYNTHETIC_LABEL}\n")
    b.phi(PHIType.ORG, p.hospital).add(" 影像检查报告\n")
    b.seq("姓名：", (PHIType.PERSON, p.name), f"  性别：{p.sex}  年龄：")
    _age_text(b, p)
    b.seq("  检查号：", (PHIType.RECORD_ID, f"CT{p.admitted:%Y%m%d}{g.digits(3)}"), "  ")
    b.seq("床号：", (PHIType.BED, p.bed), "\n")
    b.add("检查时间：").phi(PHIType.DATE, g.date_text(p.admitted + timedelta(hours=5), with_time=True)).add("\n")
    b.add("影像所见：右肺下叶见斑片状高密度影，边界欠清。双侧胸腔未见积液。\n影像诊断：右肺下叶炎症。\n")
    b.seq("报告医师：", (PHIType.PERSON, p.doctors[0]), "  审核医师：", (PHIType.PERSON, p.doctors[3]), "\n")
    b.add("终端IP：").phi(PHIType.IP, f"192.168.{g.rng.randint(0, 255)}.{g.rng.randint(1, 254)}").add("\n")


def _pathology(b: _Builder, g: _Gen, p: _Identity) -> None:
    b.add(f"{SYNTHETIC_LABEL}\n病理报告\n")
    b.seq("病理号：", (PHIType.RECORD_ID, f"P{p.admitted.year}-{g.digits(5)}"), "  姓名：", (PHIType.PERSON, p.name))
    b.seq("  住院号：", (PHIType.RECORD_ID, p.inpatient_no), "\n")
    b.seq("送检医院：", (PHIType.ORG, p.hospital), "  送检医师：", (PHIType.PERSON, p.doctors[2]), "\n")
    b.add("送检日期：").phi(PHIType.DATE, g.date_text(p.admitted + timedelta(days=2))).add("\n")
    b.add("大体所见：灰白色组织一块，大小1.5cm×1.0cm×0.8cm。\n病理诊断：（胃窦）慢性非萎缩性胃炎，伴轻度肠化。\n")
    b.seq("诊断医师：", (PHIType.PERSON, p.doctors[4]), "  报告日期：")
    b.phi(PHIType.DATE, g.cn_date(p.admitted + timedelta(days=5)) if g.rng.random() < 0.3 else g.date_text(p.admitted + timedelta(days=5)))
    b.add("\n")


def _lab(b: _Builder, g: _Gen, p: _Identity) -> None:
    b.add(f"{SYNTHETIC_LABEL}\n检验报告单\n")
    b.seq("姓名：", (PHIType.PERSON, p.name), f"  性别：{p.sex}  ")
    b.seq("标本号：", (PHIType.RECORD_ID, f"{p.admitted:%Y%m%d}-{g.digits(4)}"), "  ")
    b.seq("床号：", (PHIType.BED, p.bed), "\n")
    b.add("采样日期：").phi(PHIType.DATE, f"{p.admitted:%Y%m%d}").add("  ")
    b.add("报告时间：").phi(PHIType.DATE, g.date_text(p.admitted + timedelta(hours=4), with_time=True, style=1)).add("\n")
    b.add("白细胞计数 12.6 ×10^9/L ↑；中性粒细胞百分比 85.2 % ↑；血红蛋白 112 g/L ↓；血小板计数 210 ×10^9/L。\n")
    b.add("报告查询：").phi(PHIType.URL, f"https://report.example.cn/q?no={g.digits(8)}").add("\n")
    b.seq("检验者：", (PHIType.PERSON, p.doctors[0]), "  审核者：", (PHIType.PERSON, p.doctors[1]), "\n")


def _nursing(b: _Builder, g: _Gen, p: _Identity) -> None:
    _header(b, g, p, "护理记录")
    for i in range(g.rng.randint(2, 4)):
        d = p.admitted + timedelta(hours=4 * i + 2)
        b.phi(PHIType.DATE, g.date_text(d, with_time=True)).add(" ")
        b.add(g.rng.choice(["T 37.8℃，P 92次/分，", "患者安静入睡，", "予更换输液，", "患者诉头晕，"]))
        b.add(_trap(g, 1))
        b.seq("责任护士：", (PHIType.PERSON, p.nurse), "\n")
    b.seq((PHIType.PERSON, p.name), g.rng.choice(["之子", "之女"]), (PHIType.PERSON, p.relative), "陪护，")
    b.add("告知注意事项。\n")


def _consent(b: _Builder, g: _Gen, p: _Identity) -> None:
    b.add(f"{SYNTHETIC_LABEL}\n")
    b.phi(PHIType.ORG, p.hospital).add("\n手术知情同意书\n")
    b.seq("患者姓名：", (PHIType.PERSON, p.name), f"  性别：{p.sex}  ")
    b.seq("身份证号：", (PHIType.ID_CARD, p.id_number), "\n")
    b.add("拟行手术：腹腔镜阑尾切除术。手术风险包括出血、感染、麻醉意外等。")
    b.add(_trap(g, 1)).add("\n")
    b.seq("本人", (PHIType.PERSON, p.name), "已知晓上述风险，同意手术。\n")
    b.seq("患者签名：", (PHIType.PERSON, p.name), "  家属签名：", (PHIType.PERSON, p.relative))
    b.add(f"（与患者关系：{p.relation[1]}）\n")
    if g.rng.random() < 0.5:
        b.seq("退费账户：银行卡号 ", (PHIType.BANK_CARD, p.bank_card), "\n")
    b.seq("谈话医师：", (PHIType.PERSON, p.doctors[1]), "\n日期：", (PHIType.DATE, g.cn_date(p.admitted + timedelta(days=1))), "\n")


def _transfer(b: _Builder, g: _Gen, p: _Identity) -> None:
    _header(b, g, p, "转科记录")
    b.add("转科时间：").phi(PHIType.DATE, g.date_text(p.admitted + timedelta(days=3), with_time=True)).add("\n")
    b.seq("患者", (PHIType.PERSON, p.name), "因病情变化，经", (PHIType.PERSON, p.doctors[3]), "主任同意转入")
    b.add(f"{g.rng.choice(_DEPARTMENTS)}。")
    b.add(_trap(g, 2))
    b.add("\n家属").phi(PHIType.PERSON, p.relative).add("同意转科，")
    b.add("家住").phi(PHIType.ADDRESS, p.address).add("。\n")
    if g.rng.random() < 0.5:
        b.seq("社保卡号：", (PHIType.INSURANCE_ID, p.insurance), "\n")
    _signature(b, g, p)


_BUILDERS: dict[str, Callable[[_Builder, _Gen, _Identity], None]] = {
    "入院记录": _admission,
    "首次病程记录": _first_course,
    "日常病程记录": _progress,
    "出院记录": _discharge,
    "门诊病历": _outpatient,
    "急诊病历": _emergency,
    "手术记录": _operation,
    "会诊记录": _consult,
    "影像检查报告": _imaging,
    "病理报告": _pathology,
    "检验报告": _lab,
    "护理记录": _nursing,
    "知情同意书": _consent,
    "转科记录": _transfer,
}


def iter_corpus(n: int, seed: int = 0, doc_types: tuple[str, ...] = DOC_TYPES) -> Iterator[SyntheticNote]:
    """Yield ``n`` synthetic notes cycling through ``doc_types``; same seed, same notes."""
    unknown = [t for t in doc_types if t not in _BUILDERS]
    if unknown:
        raise ValueError(f"unknown document types {unknown}; known: {', '.join(DOC_TYPES)}")
    g = _Gen(seed)
    patient: _Identity | None = None
    for i in range(n):
        if patient is None or g.rng.random() < 0.5:
            patient = g.identity(i)
        doc_type = doc_types[i % len(doc_types)]
        b = _Builder()
        _BUILDERS[doc_type](b, g, patient)
        text = b.text()
        yield SyntheticNote(f"syn-{seed}-{i:05d}", doc_type, patient.pid, text, tuple(b.spans))


def generate_corpus(n: int, seed: int = 0, doc_types: tuple[str, ...] = DOC_TYPES) -> list[SyntheticNote]:
    """A list of ``n`` synthetic notes with gold spans (see :func:`iter_corpus`)."""
    return list(iter_corpus(n, seed, doc_types))


def write_corpus(out_dir: Path, n: int, seed: int = 0) -> Path:
    """Write notes as ``<id>.txt`` plus ``gold.jsonl`` under ``out_dir``; returns the gold file."""
    out_dir.mkdir(parents=True, exist_ok=True)
    gold = out_dir / "gold.jsonl"
    with gold.open("w", encoding="utf-8") as fh:
        for note in iter_corpus(n, seed):
            (out_dir / f"{note.id}.txt").write_text(note.text, encoding="utf-8")
            fh.write(json.dumps(note.to_dict(), ensure_ascii=False) + "\n")
    return gold
