"""EgressGuard: what an external model sees, and what the clinician reads back."""

from __future__ import annotations

from yizhu.config import Settings
from yizhu.privacy import EgressGuard

NOTE = (
    "姓名：张三  性别：男  住院号：ZY20230001\n"
    "患者张三于2023年5月1日因发热入院，2023年5月8日好转出院。联系电话13812345678，家住杭州市西湖区文三路123号。"
)


def test_the_model_never_sees_the_identifiers(settings: Settings) -> None:
    guard = EgressGuard(settings)
    sent = guard.protect(NOTE, "P1")
    for secret in ("张三", "ZY20230001", "2023年5月1日", "13812345678", "文三路123号"):
        assert secret not in sent


def test_restore_reidentifies_a_model_reply(settings: Settings) -> None:
    guard = EgressGuard(settings)
    guard.protect(NOTE, "P1")
    sur = {e.original: e.surrogate for e in guard.mapping}
    name, admitted, phone = sur["张三"], sur["2023年5月1日"], sur["13812345678"]
    # the model copies some values, writes a date of its own and calls the patient by surname
    offset = guard.mapping.date_offsets["P1"]
    from yizhu.privacy.dates import shift_date_text

    follow_up = shift_date_text("2023年5月22日", offset)
    reply = f"{name}于{admitted}入院，住院7天。建议{follow_up}复查，请{name[0]}先生保持电话{phone}畅通。"
    assert guard.restore(reply) == "张三于2023年5月1日入院，住院7天。建议2023年5月22日复查，请张先生保持电话13812345678畅通。"


def test_one_guard_keeps_surrogates_consistent_across_messages(settings: Settings) -> None:
    guard = EgressGuard(settings)
    first = guard.protect("患者张三，电话13812345678。", "P1")
    second = guard.protect("张三今日复查，电话13812345678。", "P1")
    sur = guard.mapping.get("P1", "PERSON", "张三")
    assert sur is not None and sur in first and sur in second


def test_protect_messages_wraps_chat_messages(settings: Settings) -> None:
    guard = EgressGuard(settings)
    msgs = [{"role": "system", "content": "你是临床助手"}, {"role": "user", "content": "患者张三，电话13812345678。"}]
    out = guard.protect_messages(msgs, "P1")
    assert out[0] == msgs[0] and "张三" not in out[1]["content"] and out[1]["role"] == "user"
    assert guard.restore(out[1]["content"]) == msgs[1]["content"]


def test_saved_guard_resumes_in_another_process(settings: Settings) -> None:
    guard = EgressGuard(settings)
    sent = guard.protect(NOTE, "P1")
    guard.save()
    again = EgressGuard.resume(guard.session_id, settings)
    assert again.restore(sent) == guard.restore(sent)
    assert again.forget() is True
