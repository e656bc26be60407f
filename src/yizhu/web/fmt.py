"""How numbers, units, routes and frequencies read on the clinicians' pages (Chinese hospital style).

- numbers without a spurious ``.0`` (``6.0`` → ``6``, ``0.30`` → ``0.3``), also inside engine messages
  (``间隔 5.0 天`` → ``间隔 5 天``);
- units as a chart writes them: ``×10^9/L`` → ``×10⁹/L``, ``g/l`` → ``g/L``, ``mmol/l`` → ``mmol/L``, ``ml`` → ``mL``;
- route codes glossed in Chinese (``po`` → ``口服``), frequencies with their daily count (``tid`` → ``tid（每日3次）``).

Pure functions; ``install(env)`` registers them as Jinja filters.
"""

from __future__ import annotations

import math
import re
from typing import Any

from jinja2 import Environment

_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def fmt_number(value: Any, *, digits: int = 4) -> str:
    """``6.0`` → ``6``, ``0.30`` → ``0.3``, ``1234.5`` → ``1234.5``; text is returned as it is; None → ``—``."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return "—"
        if value == int(value) and abs(value) < 1e15:
            return str(int(value))
        if abs(value) < 10 ** -digits:
            return f"{value:.3g}"
        text = f"{value:.{digits}f}".rstrip("0").rstrip(".")
        return text if text not in ("", "-0") else "0"
    return str(value)


_TRAILING_ZERO = re.compile(r"(?<![\d.])(\d+)\.0+(?![\d])")


def clean_numbers(text: Any) -> str:
    """Engine messages as a person writes them: ``5.0 天`` → ``5 天`` (only a whole ``.0`` goes)."""
    return _TRAILING_ZERO.sub(r"\1", str(text)) if text is not None else ""


_POWER = re.compile(r"(?:[x×*]\s*)?10\s*(?:\^|\*\*|E|e|\*)\s*(-?\d+)")
_UNIT_CASE = {
    "ml": "mL", "l": "L", "dl": "dL", "g/l": "g/L", "mg/l": "mg/L", "mg/dl": "mg/dL", "g/dl": "g/dL",
    "mmol/l": "mmol/L", "μmol/l": "μmol/L", "umol/l": "μmol/L", "µmol/l": "μmol/L", "nmol/l": "nmol/L",
    "pmol/l": "pmol/L", "u/l": "U/L", "iu/l": "IU/L", "ng/ml": "ng/mL", "pg/ml": "pg/mL", "μg/l": "μg/L",
    "ug": "μg", "mcg": "μg", "µg": "μg", "iu": "IU", "u": "U", "mmhg": "mmHg",
    "ml/min": "mL/min", "ml/min/1.73m2": "mL/min/1.73m²", "ml/min/1.73m²": "mL/min/1.73m²",
}  # fmt: skip


def fmt_unit(unit: Any) -> str:
    """A unit as the chart writes it: ``×10^9/L`` → ``×10⁹/L``, ``10*12/l`` → ``×10¹²/L``, ``mmol/l`` → ``mmol/L``."""
    if unit is None:
        return ""
    text = str(unit).strip()
    if not text:
        return ""
    m = _POWER.search(text)
    if m:
        rest = text[m.end():].strip()
        rest = _UNIT_CASE.get(rest.lower(), rest.replace("/l", "/L"))
        return f"{text[:m.start()]}×10{m.group(1).translate(_SUPERSCRIPT)}{rest}"
    return _UNIT_CASE.get(text.lower(), text)


def fmt_quantity(value: Any, unit: Any = None) -> str:
    """``6.0, "mg"`` → ``6 mg``; ``5.06, "×10^9/L"`` → ``5.06 ×10⁹/L``; a missing value → ``—``."""
    number = fmt_number(value)
    if number == "—":
        return number
    shown = fmt_unit(unit)
    return f"{number} {shown}" if shown else number


#: route codes (the rx engine's and the usual Latin abbreviations) → the Chinese a chart uses
ROUTE_CN = {
    "po": "口服", "iv": "静脉", "ivgtt": "静脉滴注", "ivp": "静脉推注", "im": "肌内注射", "ih": "皮下注射",
    "sc": "皮下注射", "id": "皮内注射", "sl": "舌下含服", "inh": "吸入", "pr": "直肠给药", "td": "经皮",
    "topical": "外用", "ophthalmic": "滴眼", "otic": "滴耳", "nasal": "鼻用", "vaginal": "阴道给药",
    "buccal": "口颊", "intrathecal": "鞘内注射", "epidural": "硬膜外", "local": "局部",
}  # fmt: skip
#: frequency abbreviations → times a day (text when not a fixed count)
FREQ_CN = {
    "qd": "每日1次", "bid": "每日2次", "tid": "每日3次", "qid": "每日4次", "qn": "每晚1次", "qod": "隔日1次",
    "q8h": "每8小时1次", "q12h": "每12小时1次", "q6h": "每6小时1次", "q4h": "每4小时1次", "qw": "每周1次",
    "biw": "每周2次", "tiw": "每周3次", "st": "立即", "stat": "立即", "prn": "必要时", "sos": "必要时",
    "qh": "每小时1次", "hs": "睡前", "qm": "每晨1次", "once": "单次",
}  # fmt: skip


#: an internal name in brackets inside an engine message: ``（statin_cyp3a4_sensitive × cyp3a4_strong_inhibitor）``
_INTERNAL = re.compile(
    r"\s*[（(]\s*(?:[a-z][a-z0-9_.:]*_[a-z0-9_.:]*(?:\s*[×x+/,，、]\s*[a-z][a-z0-9_.:]*)*"  # class_key × class_key
    r"|[a-z][a-z0-9_]*(?:\s*×\s*[a-z][a-z0-9_]*)+)\s*[）)]"  # group × group
)


def plain_message(text: Any) -> str:
    """An engine message for clinicians: whole-number ``.0`` dropped and bracketed internal names (rule groups,
    class keys with underscores) left out; the full text stays in the audit log and behind 详情."""
    return clean_numbers(_INTERNAL.sub("", str(text))) if text is not None else ""


def fmt_route(route: Any) -> str:
    """``po`` → ``口服``; Chinese as written stays; ``ivgtt`` → ``静脉滴注``."""
    if route is None or str(route).strip() == "":
        return "—"
    text = str(route).strip()
    return ROUTE_CN.get(text.lower().replace(" ", "").replace(".", ""), text)


def fmt_frequency(freq: Any) -> str:
    """``tid`` → ``tid（每日3次）``; Chinese as written stays."""
    if freq is None or str(freq).strip() == "":
        return "—"
    text = str(freq).strip()
    gloss = FREQ_CN.get(text.lower().replace(" ", "").replace(".", ""))
    return f"{text}（{gloss}）" if gloss else text


def fmt_days(days: Any) -> str:
    """``30.0`` → ``30天``; None → ``—``."""
    number = fmt_number(days)
    return number if number == "—" else f"{number}天"


def install(env: Environment) -> None:
    """Register the filters: ``num``, ``unit``, ``qty``, ``route``, ``freq``, ``days``, ``clean``, ``plain``."""
    env.filters.update(
        num=fmt_number, unit=fmt_unit, qty=fmt_quantity, route=fmt_route, freq=fmt_frequency, days=fmt_days,
        clean=clean_numbers, plain=plain_message,
    )
