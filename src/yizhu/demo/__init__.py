"""The synthetic demo hospital (合成数据): patients, notes, orders, labs and planted defects.

Use ``generate_hospital()`` for the data and ``write_notes()`` / ``write_manifest()`` /
``write_contexts()`` to put it on disk; ``DEFECT_KINDS`` lists what may be planted.
"""

from yizhu.demo.generator import (
    DemoHospital,
    generate_hospital,
    write_contexts,
    write_manifest,
    write_notes,
)
from yizhu.demo.model import AS_OF, DEFAULT_PATIENTS, DEFAULT_SEED, DEFECT_KINDS, SYNTHETIC_LABEL, DefectKind

__all__ = [
    "AS_OF",
    "DEFAULT_PATIENTS",
    "DEFAULT_SEED",
    "DEFECT_KINDS",
    "SYNTHETIC_LABEL",
    "DefectKind",
    "DemoHospital",
    "generate_hospital",
    "write_contexts",
    "write_manifest",
    "write_notes",
]
