"""Egress: no identifier reaches an external model, whichever task calls it (数据不出院).

Every task that can call a model — note drafting from a record and from a dialogue, semantic QC,
chat (blocking and streamed), an evaluation suite against an ad-hoc URL model — runs against a real
OpenAI-compatible server on loopback (``yizhu.llm.testing.FakeOpenAIServer``) that records every
byte it receives; every route is sent to it as an ``external`` model. The record holds realistic
PHI of every kind, written the ways records write it: names with and without cues (the header is
not what the engines send), a relative's and clinicians' names, a mobile in full-width digits, a
身份证号 plain, full-width and split 4-4-4-4-2, a WeChat id and a QQ number, an estate address with
building and room, a record number, an e-mail. The test fails on any of them, in any encoding
(UTF-8, JSON escapes, ASCII-folded digits), in any request. All identities are synthetic (合成).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from yizhu.config import Settings
from yizhu.core import ClinicalContext, Patient
from yizhu.core.parsing import parse_document
from yizhu.llm import Gateway, parse_llm_config
from yizhu.llm.guard import egress_guard_factory
from yizhu.llm.runtime import use_gateway
from yizhu.llm.testing import FakeOpenAIServer, Script
from yizhu.privacy.analyzer import fold_fullwidth
from yizhu.privacy.validators import cn_id_check_char

MODEL = "cloud"


def _id(body17: str) -> str:
    return body17 + cn_id_check_char(body17)


ID_PLAIN = _id("44030419750315123")
ID_WIDE = _id("32010219850315123")
ID_SPLIT = _id("11010519790315421")
PHI = {
    "patient": "梁建华",
    "mother": "王秀英",
    "doctor": "李明华",
    "nurse": "赵丽娟",
    "registry_patient": "欧阳志远",
    "phone": "13712345678",
    "phone_wide": "13987654321",
    "id_plain": ID_PLAIN,
    "id_wide": ID_WIDE,
    "id_split": ID_SPLIT,
    "wechat": "liang_jh1975",
    "qq": "87654321",
    "mrn": "ZY20240315007",
    "estate": "万科城",
    "room": "1834室",
    "email": "liangjh1975@example.com",
}


def wide(s: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if c.isascii() and c.isalnum() else c for c in s)


def split_id(s: str) -> str:
    return " ".join([s[0:4], s[4:8], s[8:12], s[12:16], s[16:18]])


ADMISSION = f"""入院记录（合成病历 · synthetic）
姓名：{PHI['patient']}  性别：男  年龄：48岁  住院号：{PHI['mrn']}
身份证号：{PHI['id_plain']}  联系电话：{PHI['phone']}  微信：{PHI['wechat']}
现住址：广东省深圳市龙岗区坂田街道{PHI['estate']}10栋{PHI['room']}
主诉：胸闷、气短3天。
现病史：{PHI['patient']}3天前活动后出现胸闷，伴气短，休息后可缓解。其母{PHI['mother']}陪同来院，家属电话{wide(PHI['phone_wide'])}，QQ {PHI['qq']}，邮箱{PHI['email']}。
既往史：高血压病史5年，规律服用氨氯地平。患者身份证{wide(PHI['id_wide'])}，医保备用证件号{split_id(PHI['id_split'])}。
体格检查：血压150/95mmHg，心率88次/分，两肺呼吸音清，心律齐。
初步诊断：1.冠状动脉粥样硬化性心脏病 2.高血压病2级
诊疗计划：予阿司匹林、阿托伐他汀口服，由护士{PHI['nurse']}执行，与{PHI['mother']}沟通病情。
记录医师：{PHI['doctor']}
"""

DIALOGUE = f"""医生：您好，哪里不舒服？
患者：医生，我是{PHI['patient']}，胸口闷了三天了。
医生：谁陪您来的？
患者：我妈{PHI['mother']}陪我来的，她手机{wide(PHI['phone_wide'])}。
医生：留个联系方式，出结果通知您。
患者：微信号{PHI['wechat']}，QQ {PHI['qq']}，身份证{split_id(PHI['id_split'])}，住在{PHI['estate']}10栋{PHI['room']}。
家属：他以前有高血压，一直吃氨氯地平。
医生：好的，先做个心电图，考虑冠心病可能，予阿司匹林口服，三天后复诊。
"""


def forms(value: str) -> set[bytes]:
    """Every way a value can travel in a request body: UTF-8, JSON-escaped, full-width, digits only."""
    out = {value.encode("utf-8"), json.dumps(value).strip('"').encode("ascii")}
    for v in (wide(value), fold_fullwidth(value)):
        out |= {v.encode("utf-8"), json.dumps(v).strip('"').encode("ascii")}
    digits = "".join(c for c in value if c.isdigit())
    if len(digits) >= 8:
        out.add(digits.encode("ascii"))
    return out


def leaked(server: FakeOpenAIServer) -> list[str]:
    sent = b"".join(r.raw for r in server.requests)
    folded = fold_fullwidth(sent.decode("utf-8", "replace")).encode("utf-8")
    digits_only = bytes(c for c in sent if 0x30 <= c <= 0x39)
    hits = []
    for key, value in PHI.items():
        in_digits = key.startswith(("id_", "phone")) and value[:11].encode() in digits_only
        if in_digits or any(f in sent or f in folded for f in forms(value)):
            hits.append(key)
    return hits


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    from yizhu.store import init_db
    from yizhu.store.repo import save_patient

    s = Settings(env="test", deid_key="egress-test-key-0123456789", data_dir=tmp_path)
    engine = init_db(s.resolved_database_url)
    save_patient(engine, Patient(id="P-EGRESS-1", name=PHI["registry_patient"], phone="13600001111", synthetic=True))
    engine.dispose()
    return s


@pytest.fixture
def fake() -> Iterator[FakeOpenAIServer]:
    with FakeOpenAIServer({MODEL: Script(reply="echo", chunk_chars=5)}) as server:
        yield server


@pytest.fixture
def gateway(fake: FakeOpenAIServer, settings: Settings) -> Iterator[Gateway]:
    cfg = parse_llm_config(
        {MODEL: {"base_url": fake.base_url, "model": MODEL, "external": True, "backoff_s": 0.001, "retries": 0}},
        {"default": [MODEL, "none"]},
    )
    gw = Gateway(cfg, guard_factory=egress_guard_factory(settings))
    use_gateway(gw)
    yield gw
    use_gateway(None)
    gw.close()


def _record() -> ClinicalContext:
    doc = parse_document(ADMISSION, doc_id="adm-egress")
    return ClinicalContext(patient=Patient(id="P-EGRESS-2", name=PHI["patient"], synthetic=True), documents=[doc])


def test_the_record_itself_holds_every_identifier() -> None:
    """The guard is tested on something: each value is really in the inputs, in the form listed."""
    both = ADMISSION + DIALOGUE
    for value in PHI.values():
        if value == PHI["registry_patient"]:
            continue
        assert any(v in both for v in (value, wide(value), split_id(value))), value


def test_notes_drafting_sends_no_identifier(fake: FakeOpenAIServer, gateway: Gateway) -> None:
    from yizhu.clinical.notes import dialogue_context, draft_note

    draft_note("discharge", _record(), gateway=gateway)
    draft_note("outpatient", dialogue_context(DIALOGUE), gateway=gateway)
    assert fake.requests_for("/chat/completions"), "the drafts never called the model"
    assert leaked(fake) == []


def test_semantic_qc_sends_no_identifier(fake: FakeOpenAIServer, gateway: Gateway) -> None:
    from yizhu.clinical.qc.semantic import semantic_findings

    semantic_findings(_record())
    assert fake.requests_for("/chat/completions"), "semantic QC never called the model"
    assert leaked(fake) == []


def test_chat_with_the_record_in_the_system_prompt_sends_no_identifier(fake: FakeOpenAIServer, gateway: Gateway) -> None:
    """Whole-request de-identification: names from the system prompt's header are masked in the user turn."""
    from yizhu.llm.types import Message

    messages = [
        Message(role="system", content="你是临床助手。当前病历：\n" + ADMISSION),
        Message(role="user", content=f"{PHI['patient']}的母亲{PHI['mother']}问能不能出院？请{PHI['doctor']}回复。"),
    ]
    reply = gateway.chat("chat", messages, patient_key="P-EGRESS-2")
    streamed = "".join(e.text for e in gateway.stream("chat", DIALOGUE, patient_key="P-EGRESS-2") if e.type == "delta")
    assert leaked(fake) == []
    # the echo of the user turn comes back with the real names, restored locally
    assert PHI["mother"] in reply.text and PHI["patient"] in reply.text
    assert PHI["mother"] in streamed


def test_a_name_known_only_to_the_patient_registry_is_masked(fake: FakeOpenAIServer, gateway: Gateway) -> None:
    """No cue at all in the text: the stored patient's name is masked because the registry knows it."""
    gateway.chat("chat", f"{PHI['registry_patient']}今天复诊，血压控制可。", patient_key="P-EGRESS-1")
    assert leaked(fake) == []


def test_an_evaluation_run_against_an_adhoc_url_model_is_de_identified(
    fake: FakeOpenAIServer, settings: Settings, tmp_path: Path
) -> None:
    """``yizhu eval run … --model http://…``: a URL model is external unless declared local."""
    from yizhu.evaluation.runner import run_suite

    data = tmp_path / "exam_phi.json"
    cases = [
        {"id": "phi-1", "question": f"患者{PHI['patient']}，电话{PHI['phone']}，住{PHI['estate']}10栋{PHI['room']}，"
                                    f"胸闷3天，最可能的诊断是？", "options": {"A": "冠心病", "B": "胃炎"}, "answer": "A"},
        {"id": "phi-2", "question": f"{PHI['patient']}的微信{PHI['wechat']}，身份证{ID_PLAIN}，应首选哪项检查？",
         "options": {"A": "心电图", "B": "胃镜"}, "answer": "A"},
    ]
    data.write_text(json.dumps(cases, ensure_ascii=False), encoding="utf-8")
    outcome = run_suite("exam", data=data, models=[f"{fake.base_url}#{MODEL}"], settings=settings, out=tmp_path / "run")
    assert outcome.report.settings.models[0].external is True
    assert fake.requests_for("/chat/completions"), "the evaluation never called the model"
    assert leaked(fake) == []


def test_a_loopback_url_declared_local_is_not_external(fake: FakeOpenAIServer) -> None:
    from yizhu.errors import ConfigError
    from yizhu.evaluation.runner import adhoc_model

    assert adhoc_model(f"{fake.base_url}#{MODEL}").external is True
    assert adhoc_model(f"{fake.base_url}#{MODEL}", local=True).external is False
    with pytest.raises(ConfigError, match="not on loopback"):
        adhoc_model("http://10.1.2.3:8000/v1#m", local=True)
