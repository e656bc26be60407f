"""The reversible mapping original ↔ surrogate, and its encrypted store on local disk.

A :class:`Mapping` remembers, per patient, which surrogate replaced which original value and the
patient's date offset. It is what lets the gateway re-identify a model's reply: exact surrogates
are swapped back, dates the model wrote itself are shifted back by the offset, and a surrogate
surname with a title (李医生) gets the real surname back.

The mapping holds identifying data, so it never leaves the machine and is stored encrypted
(Fernet: AES-128-CBC + HMAC-SHA256, key derived from ``Settings.deid_key``) under
``Settings.data_dir / "deid"``, one file per session, readable by the owner only.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet, InvalidToken

from yizhu.config import Settings
from yizhu.errors import ConfigError, InputError, NotFoundError
from yizhu.privacy.dates import parse_date, shift_parsed
from yizhu.privacy.keys import deid_secret, fernet_key
from yizhu.privacy.surrogates import normalize
from yizhu.privacy.types import PHIType

_SESSION_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
_TITLES = ("先生", "女士", "医生", "医师", "大夫", "主任", "教授", "老师", "护士", "阿姨", "师傅", "某")
_FORMAT = "yizhu.deid.mapping.v1"


@dataclass(frozen=True, slots=True)
class MappingEntry:
    """One replacement made for one patient."""

    patient: str
    type: str
    original: str
    surrogate: str


@dataclass
class Mapping:
    """Originals and their surrogates, per patient, plus each patient's date offset."""

    entries: list[MappingEntry] = field(default_factory=list)
    date_offsets: dict[str, int] = field(default_factory=dict)
    _by_key: dict[tuple[str, str, str], str] = field(default_factory=dict, repr=False)
    _by_surrogate: dict[str, str] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        entries, self.entries = self.entries, []
        for e in entries:
            self.add(e)

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[MappingEntry]:
        return iter(self.entries)

    def get(self, patient: str, entity_type: str, original: str) -> str | None:
        """The surrogate already chosen for this value of this patient, if any."""
        return self._by_key.get((patient, entity_type, normalize(entity_type, original)))

    def original_of(self, surrogate: str) -> str | None:
        """The original a surrogate stands for, if it is one."""
        return self._by_surrogate.get(surrogate)

    def taken(self, surrogate: str) -> bool:
        """True when ``surrogate`` already stands for some value."""
        return surrogate in self._by_surrogate

    def add(self, entry: MappingEntry) -> None:
        """Record a replacement (the first original wins if a surrogate repeats)."""
        key = (entry.patient, entry.type, normalize(entry.type, entry.original))
        if key in self._by_key:
            return
        self._by_key[key] = entry.surrogate
        self._by_surrogate.setdefault(entry.surrogate, entry.original)
        self.entries.append(entry)

    # ------------------------------------------------------------------ restore
    def reverse(self, text: str) -> str:
        """Re-identify text written with surrogates (a model's reply): the inverse of surrogate mode.

        Exact surrogates come back first; then dates the text contains that were not copied
        verbatim are shifted back (only when the mapping holds a single patient, so the offset is
        unambiguous); then a surrogate surname followed by a title gets the real surname.
        """
        replacements: list[tuple[int, int, str]] = []
        surrogates = sorted((s for s in self._by_surrogate if s and s != self._by_surrogate[s]), key=len, reverse=True)
        if surrogates:
            rx = re.compile("|".join(re.escape(s) for s in surrogates))
            replacements += [(m.start(), m.end(), self._by_surrogate[m.group(0)]) for m in rx.finditer(text)]
        offsets = set(self.date_offsets.values())
        if len(offsets) == 1:
            replacements += self._unshift_dates(text, -next(iter(offsets)))
        replacements += self._surnames(text)
        return _apply(text, replacements)

    def _unshift_dates(self, text: str, days: int) -> list[tuple[int, int, str]]:
        from yizhu.privacy.recognizers import get_recognizer  # local: recognizers are heavy to import

        out = []
        for ent in get_recognizer("phi.date.v1").find(text):
            parsed = parse_date(ent.text)
            if parsed is not None and parsed.has_date:
                out.append((ent.start, ent.end, shift_parsed(parsed, days)))
        return out

    def _surnames(self, text: str) -> list[tuple[int, int, str]]:
        pairs: dict[str, set[str]] = {}
        for e in self.entries:
            if e.type == PHIType.PERSON and e.original and e.surrogate:
                s_sur, o_sur = _surname(e.surrogate), _surname(e.original)
                pairs.setdefault(s_sur, set()).add(o_sur)
        unique = {s: next(iter(o)) for s, o in pairs.items() if len(o) == 1 and s not in self._by_surrogate}
        if not unique:
            return []
        rx = re.compile(f"({'|'.join(map(re.escape, unique))})(?=(?:{'|'.join(_TITLES)}))")
        return [(m.start(), m.end(), unique[m.group(1)]) for m in rx.finditer(text)]

    # ------------------------------------------------------------------ (de)serialise
    def to_json(self) -> dict[str, Any]:
        """A plain JSON-ready dict (identifying data: encrypt before writing it anywhere)."""
        return {
            "format": _FORMAT,
            "date_offsets": self.date_offsets,
            "entries": [[e.patient, e.type, e.original, e.surrogate] for e in self.entries],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Mapping:
        """Inverse of :meth:`to_json`; a foreign format is an InputError."""
        if not isinstance(data, dict) or data.get("format") != _FORMAT:
            raise InputError(f"not a yizhu de-identification mapping (expected format {_FORMAT}).")
        m = cls(date_offsets={str(k): int(v) for k, v in data.get("date_offsets", {}).items()})
        for patient, typ, original, surrogate in data.get("entries", []):
            m.add(MappingEntry(patient, typ, original, surrogate))
        return m


def _surname(name: str) -> str:
    from yizhu.privacy.surrogates import _COMPOUND  # the same list surrogates draw from

    return name[:2] if name[:2] in _COMPOUND else name[:1]


def _apply(text: str, replacements: list[tuple[int, int, str]]) -> str:
    """Apply non-overlapping replacements, earlier-listed ones winning a conflict."""
    chosen: list[tuple[int, int, str]] = []
    for r in replacements:
        if all(r[1] <= c[0] or r[0] >= c[1] for c in chosen):
            chosen.append(r)
    out, pos = [], 0
    for start, end, new in sorted(chosen):
        out.append(text[pos:start])
        out.append(new)
        pos = end
    out.append(text[pos:])
    return "".join(out)


class MappingStore:
    """Encrypted mapping files under ``data_dir/deid``, one per session id."""

    def __init__(self, settings: Settings) -> None:
        self.root = settings.data_dir / "deid"
        self._fernet = Fernet(fernet_key(deid_secret(settings)))

    def path(self, session_id: str) -> Path:
        """Where a session's mapping lives; ids are letters, digits, ``-`` and ``_`` only."""
        if not _SESSION_ID.fullmatch(session_id):
            raise InputError(f"invalid mapping session id {session_id!r}; use 1–64 letters, digits, '-' or '_'.")
        return self.root / f"{session_id}.map"

    def save(self, session_id: str, mapping: Mapping) -> Path:
        """Encrypt and write atomically, readable by the owner only."""
        path = self.path(session_id)
        self.root.mkdir(parents=True, exist_ok=True)
        token = self._fernet.encrypt(json.dumps(mapping.to_json(), ensure_ascii=False).encode("utf-8"))
        fd, tmp = tempfile.mkstemp(dir=self.root, prefix=".tmp-", suffix=".map")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(token)
            os.chmod(tmp, 0o600)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return path

    def load(self, session_id: str) -> Mapping:
        """Read and decrypt a session's mapping; a wrong key is a ConfigError that says so."""
        path = self.path(session_id)
        try:
            token = path.read_bytes()
        except FileNotFoundError:
            raise NotFoundError(f"no de-identification mapping for session {session_id!r} in {self.root}.") from None
        try:
            data = json.loads(self._fernet.decrypt(token))
        except InvalidToken:
            raise ConfigError(
                f"{path} cannot be decrypted with the configured deid_key; use the key it was written with "
                "(YIZHU_DEID_KEY) or delete the file."
            ) from None
        return Mapping.from_json(data)

    def delete(self, session_id: str) -> bool:
        """Remove a session's mapping; True when there was one."""
        path = self.path(session_id)
        if path.exists():
            path.unlink()
            return True
        return False
