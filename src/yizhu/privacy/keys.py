"""Secrets for de-identification, derived from the one key in configuration.

``Settings.deid_key`` (``YIZHU_DEID_KEY``) is the root secret. Separate keys are derived from it
with HKDF-SHA256 for each purpose, so the mapping-store key, the surrogate seeds and the date
offsets cannot be told from one another: knowing one patient's date offset reveals nothing else.
Outside production an unset ``deid_key`` falls back to ``secret_key`` so development works out of
the box; production refuses to start without a real one.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from yizhu.config import PLACEHOLDER_SECRETS, Settings
from yizhu.errors import ConfigError

#: Date offsets lie in ±[MIN_SHIFT_DAYS, MAX_SHIFT_DAYS]: never zero, never small enough to guess.
MIN_SHIFT_DAYS = 30
MAX_SHIFT_DAYS = 730


def deid_secret(settings: Settings) -> bytes:
    """The root de-identification secret; production requires ``deid_key`` to be set and real."""
    key = settings.deid_key
    if key is None or key in PLACEHOLDER_SECRETS:
        if settings.env == "production":
            raise ConfigError(
                "YIZHU_DEID_KEY is not set (or is a placeholder); set a long random value before running "
                "with YIZHU_ENV=production, e.g. `python -c 'import secrets;print(secrets.token_urlsafe(32))'`. "
                "Keep it: mappings encrypted with it cannot be read without it."
            )
        key = key or settings.secret_key
    return key.encode("utf-8")


def derive(secret: bytes, purpose: str) -> bytes:
    """A 32-byte key for one purpose (HKDF-SHA256, info = purpose)."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose.encode()).derive(secret)


def fernet_key(secret: bytes) -> bytes:
    """The Fernet key that encrypts mappings at rest."""
    return base64.urlsafe_b64encode(derive(secret, "yizhu.deid.mapping.v1"))


def keyed_int(key: bytes, *parts: str) -> int:
    """A deterministic 64-bit integer from HMAC-SHA256 of the parts (unit-separated)."""
    digest = hmac.new(key, "\x1f".join(parts).encode("utf-8"), hashlib.sha256).digest()
    return int.from_bytes(digest[:8], "big")


def date_offset(secret: bytes, patient_key: str) -> int:
    """The patient's secret date shift in days: same patient, same shift; never within ±29 days."""
    n = keyed_int(derive(secret, "yizhu.deid.dateshift.v1"), patient_key)
    span = MAX_SHIFT_DAYS - MIN_SHIFT_DAYS + 1
    days = MIN_SHIFT_DAYS + n % span
    return days if (n >> 32) & 1 else -days


def patient_tag(secret: bytes, patient_key: str) -> str:
    """A short pseudonymous tag for a patient key (safe to show in logs and file names)."""
    return hmac.new(derive(secret, "yizhu.deid.tag.v1"), patient_key.encode(), hashlib.sha256).hexdigest()[:16]
