"""De-identification of Chinese clinical text.

Find PHI with recognizers (a small class or a YAML file each, see :mod:`.recognizers`), then
redact it or replace it with consistent surrogates. The model gateway calls
:class:`EgressGuard` around every call to an ``external`` endpoint::

    guard = EgressGuard(settings)
    prompt = guard.protect(note, patient_key="P0001")
    reply = guard.restore(model_reply)

>>> from yizhu.privacy import deidentify
>>> deidentify("姓名：张三  电话：13812345678").text
'姓名：[姓名]  电话：[电话]'
>>> [(e.type, e.text, e.recognizer) for e in deidentify("患者李四，2023年5月1日入院").entities]
[('PERSON', '李四', 'phi.person.v1'), ('DATE', '2023年5月1日', 'phi.date.v1')]

See docs/deid.md for what is recognised, how it was measured and how to add a recognizer.
"""

from yizhu.privacy.analyzer import Analyzer, resolve_overlaps
from yizhu.privacy.deid import Deidentifier, DeidResult, default_analyzer, deidentify, redact_text
from yizhu.privacy.guard import EgressGuard
from yizhu.privacy.mapping import Mapping, MappingEntry, MappingStore
from yizhu.privacy.recognizer import Pattern, Recognizer
from yizhu.privacy.recognizers import default_recognizers, get_recognizer, register
from yizhu.privacy.types import PLACEHOLDERS, Entity, Explanation, PHIType

__all__ = [
    "PLACEHOLDERS",
    "Analyzer",
    "DeidResult",
    "Deidentifier",
    "EgressGuard",
    "Entity",
    "Explanation",
    "Mapping",
    "MappingEntry",
    "MappingStore",
    "PHIType",
    "Pattern",
    "Recognizer",
    "default_analyzer",
    "default_recognizers",
    "deidentify",
    "get_recognizer",
    "redact_text",
    "register",
    "resolve_overlaps",
]
