"""Bundle loading and validation: JSON in, each entry checked by ``fhir.resources`` and by our own rules
(codes in their value sets, numbers as JSON numbers), every failure a ``FHIRError`` naming the entry,
the resource, the field and the fix; references resolved within the bundle (``_Index``).
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.bundle import Bundle
from pydantic import ValidationError

from yizhu.errors import FHIRError
from yizhu.interop.fhir.valuesets import (
    BUNDLE_TYPES,
    IMPORTABLE_BUNDLE_TYPES,
    QUANTITY_KEYS,
    REF_TAIL_RE,
    REPEAT_NUMBERS,
)

# ------------------------------------------------------------------------------------------------
# Bundle loading and validation


@dataclass(frozen=True)
class Entry:
    """One validated bundle entry: its position, fullUrl, raw JSON and R4B model."""

    index: int
    full_url: str | None
    raw: dict[str, Any]
    resource: Any

    @property
    def type(self) -> str:
        return str(self.raw["resourceType"])

    @property
    def id(self) -> str:
        if self.resource.id:
            return str(self.resource.id)
        if self.full_url:
            return self.full_url.removeprefix("urn:uuid:").removeprefix("urn:oid:").rsplit("/", 1)[-1]
        return f"entry{self.index}"

    @property
    def key(self) -> str:
        return f"{self.type}/{self.id}"

    @property
    def label(self) -> str:
        return _label(self.type, self.resource.id, self.full_url)

    def error(self, field: str, problem: str, fix: str = "fix the resource") -> FHIRError:
        """A FHIRError naming this entry, the field and the fix."""
        return FHIRError(f"Bundle.entry[{self.index}] {self.label}: field '{field}': {problem}; {fix}")


def _label(rtype: str, rid: Any, full_url: str | None) -> str:
    if isinstance(rid, str) and rid:
        return f"{rtype}/{rid}"
    if full_url:
        return f"{rtype} ({full_url})"
    return rtype


def load_json(data: dict[str, Any] | str | bytes) -> dict[str, Any]:
    """Decode the caller's input into a Bundle dict, or say exactly why it is not one."""
    obj: Any = data
    if isinstance(data, bytes | bytearray):
        try:
            obj = bytes(data).decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise FHIRError(f"Bundle: input is not UTF-8 text ({exc}); send FHIR JSON encoded as UTF-8.") from exc
    if isinstance(obj, str):
        try:
            obj = json.loads(obj)
        except json.JSONDecodeError as exc:
            raise FHIRError(
                f"Bundle: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}); fix the JSON syntax."
            ) from exc
    if not isinstance(obj, dict):
        raise FHIRError(
            f"Bundle: expected a JSON object with resourceType 'Bundle', got a JSON {type(obj).__name__}; "
            "send one Bundle resource."
        )
    rtype = obj.get("resourceType")
    if rtype != "Bundle":
        raise FHIRError(
            f"Bundle: field 'resourceType': expected 'Bundle', got {rtype!r}; wrap the resources in a "
            "Bundle of type 'collection' (each one as entry[].resource)."
        )
    return obj


def _pydantic_problem(err: Any) -> tuple[str, str]:
    """(field path, readable problem) for one pydantic error of a FHIR model."""
    loc = [str(x) for x in err.get("loc", ())]
    msg = str(err.get("msg", "invalid"))
    msg = msg.removeprefix("Value error, ")
    kind = str(err.get("type"))
    given = err.get("input")
    choice = re.search(r"Expect any of field value from this list \[(.*?)\]", msg)
    if choice:
        names = re.findall(r"'(\w+)'", choice.group(1))
        stem = re.match(r"[a-z]+", names[0]) if names else None
        loc.append((stem.group(0) if stem else "value") + "[x]")
        msg = f"one of {', '.join(names)} is required"
    elif kind == "missing" or re.fullmatch(r"Value for the field '\w+' is required\.?", msg):
        msg = "is required but missing"
    elif kind == "extra_forbidden":
        msg = "is not an element of this resource in FHIR R4 (check the spelling and nesting)"
    elif isinstance(given, int | float) and not isinstance(given, bool) and "date" in f"{kind} {msg}".lower():
        msg = f"must be a JSON string such as 2024-03-01, got the number {given}"
    elif kind == "json_invalid":
        msg = "expected a JSON object here, got a plain value"
    elif "does not match spec regex" in msg:
        msg += (
            " (FHIR dates are YYYY, YYYY-MM or YYYY-MM-DD; dateTimes with a time need seconds and an "
            "offset, e.g. 2024-03-01T08:30:00+08:00)"
        )
    return ".".join(loc), msg


def _validation_error(prefix: str, exc: ValidationError, strip: int = 0) -> FHIRError:
    errors = exc.errors()
    field_path, problem = _pydantic_problem({**errors[0], "loc": tuple(errors[0]["loc"])[strip:]})
    more = ""
    if len(errors) > 1:
        others = [_pydantic_problem({**e, "loc": tuple(e["loc"])[strip:]})[0] for e in errors[1:4]]
        more = f" ({len(errors) - 1} more problem(s), in: {', '.join(repr(o) for o in others)})"
    where = f"field '{field_path}': " if field_path else ""
    return FHIRError(f"{prefix}: {where}{problem}; fix the resource{more}")


def _check_raw(index: int, label: str, node: Any, path: str = "", parent: str = "") -> None:
    """What fhir.resources lets through: numbers sent as JSON strings ("5.6") and loose base64."""
    if isinstance(node, dict):
        for key, value in node.items():
            sub = f"{path}.{key}" if path else key
            numeric = (
                key == "rank"
                or (parent == "repeat" and key in REPEAT_NUMBERS)
                or (parent in QUANTITY_KEYS and key == "value")
            )
            if numeric and isinstance(value, str):
                raise FHIRError(
                    f"Bundle.entry[{index}] {label}: field '{sub}': must be a JSON number, got the string "
                    f"{value!r}; write the number without quotes"
                )
            if key == "data" and isinstance(value, str):  # Attachment.data, Binary.data: base64Binary
                try:
                    base64.b64decode(re.sub(r"\s+", "", value), validate=True)
                except ValueError as exc:
                    raise FHIRError(
                        f"Bundle.entry[{index}] {label}: field '{sub}': is not valid base64 ({exc}); "
                        "encode the content with standard base64"
                    ) from exc
            _check_raw(index, label, value, sub, key)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            _check_raw(index, label, value, f"{path}.{i}", parent)


def validate_bundle(raw: dict[str, Any]) -> tuple[str, list[Entry]]:
    """Validate the Bundle shell and each resource; return the bundle type and the entries."""
    entries_raw = raw.get("entry")
    if entries_raw is None:
        entries_raw = []
    if not isinstance(entries_raw, list):
        raise FHIRError("Bundle: field 'entry': must be a JSON array of entries; fix the bundle.")
    shell = {k: v for k, v in raw.items() if k != "entry"}
    shell["entry"] = [
        {k: v for k, v in e.items() if k != "resource"} if isinstance(e, dict) else e for e in entries_raw
    ]
    if not shell["entry"]:
        del shell["entry"]
    try:
        bundle = Bundle.model_validate(shell)
    except ValidationError as exc:
        loc = exc.errors()[0]["loc"]
        if len(loc) >= 2 and loc[0] == "entry":
            raise _validation_error(f"Bundle.entry[{loc[1]}]", exc, strip=2) from exc
        raise _validation_error("Bundle", exc) from exc
    btype = str(bundle.type)
    if btype not in BUNDLE_TYPES:
        raise FHIRError(f"Bundle: field 'type': {btype!r} is not one of {', '.join(BUNDLE_TYPES)}; fix the code.")
    if btype not in IMPORTABLE_BUNDLE_TYPES:
        raise FHIRError(
            f"Bundle: field 'type': {btype!r} bundles are not imported (they hold responses or versions); "
            f"send one of {', '.join(IMPORTABLE_BUNDLE_TYPES)}."
        )
    entries: list[Entry] = []
    for i, entry in enumerate(entries_raw):
        res = entry.get("resource")
        if res is None:
            request = entry.get("request")
            if isinstance(request, dict) and request.get("method") == "DELETE":  # a DELETE in a transaction
                continue
            raise FHIRError(
                f"Bundle.entry[{i}]: field 'resource': is missing; every entry but a transaction DELETE holds one."
            )
        if not isinstance(res, dict):
            raise FHIRError(f"Bundle.entry[{i}]: field 'resource': must be a JSON object; fix the entry.")
        rtype = res.get("resourceType")
        full_url = entry.get("fullUrl")
        if not isinstance(rtype, str) or not rtype:
            raise FHIRError(
                f"Bundle.entry[{i}]: field 'resource.resourceType': is missing; name the resource type."
            )
        label = _label(rtype, res.get("id"), full_url)
        try:
            model_class = get_fhir_model_class(rtype)
        except ValueError as exc:
            raise FHIRError(
                f"Bundle.entry[{i}] {label}: field 'resourceType': {rtype!r} is not a FHIR R4 resource type; "
                "fix the spelling (e.g. 'MedicationRequest')."
            ) from exc
        _check_raw(i, label, res)
        try:
            model = model_class.model_validate(res)
        except ValidationError as exc:
            raise _validation_error(f"Bundle.entry[{i}] {label}", exc) from exc
        except (ValueError, TypeError, KeyError) as exc:  # fhir.resources raises these for nested types
            raise FHIRError(f"Bundle.entry[{i}] {label}: {exc}; fix the resource") from exc
        entries.append(Entry(i, full_url, res, model))
    return btype, entries


class Index:
    """Resolves references inside the bundle: by fullUrl, by Type/id, or by an absolute URL's tail."""

    def __init__(self, entries: Iterable[Entry]) -> None:
        self._by: dict[str, Entry] = {}
        for e in entries:
            if e.full_url:
                self._by.setdefault(e.full_url, e)
            self._by.setdefault(e.key, e)

    def resolve(self, reference: str | None) -> Entry | None:
        if not reference:
            return None
        if reference in self._by:
            return self._by[reference]
        m = REF_TAIL_RE.search(reference)
        return self._by.get(f"{m.group(1)}/{m.group(2)}") if m else None


class Skip(Exception):
    """A valid resource with nothing to import; the reason is kept in the context."""


class NoKnownAllergy(Skip):
    """An AllergyIntolerance saying "no known allergy": not an allergen, but 过敏史 was taken."""
