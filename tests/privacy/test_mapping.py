"""The mapping store: encrypted at rest with the configured key, owner-only, round trip."""

from __future__ import annotations

import stat

import pytest

from yizhu.config import Settings
from yizhu.errors import ConfigError, InputError, NotFoundError
from yizhu.privacy import Mapping, MappingEntry, MappingStore


def _mapping() -> Mapping:
    m = Mapping(date_offsets={"P1": 45})
    m.add(MappingEntry("P1", "PERSON", "张三", "李明"))
    m.add(MappingEntry("P1", "PHONE", "13812345678", "15998765432"))
    return m


def test_round_trip(settings: Settings) -> None:
    store = MappingStore(settings)
    path = store.save("session-1", _mapping())
    back = store.load("session-1")
    assert list(back) == list(_mapping())
    assert back.date_offsets == {"P1": 45}
    assert path.parent == settings.data_dir / "deid"


def test_file_is_encrypted_and_owner_only(settings: Settings) -> None:
    path = MappingStore(settings).save("s2", _mapping())
    raw = path.read_bytes()
    assert "张三".encode() not in raw and b"13812345678" not in raw
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_wrong_key_is_a_config_error_that_names_the_key(settings: Settings, tmp_path) -> None:
    MappingStore(settings).save("s3", _mapping())
    other = Settings(env="test", deid_key="a-different-key-000000", data_dir=settings.data_dir)
    with pytest.raises(ConfigError, match="deid_key"):
        MappingStore(other).load("s3")


def test_missing_session_and_bad_ids(settings: Settings) -> None:
    store = MappingStore(settings)
    with pytest.raises(NotFoundError):
        store.load("never-saved")
    with pytest.raises(InputError, match="session id"):
        store.save("../escape", _mapping())
    assert store.delete("never-saved") is False


def test_reverse_swaps_surrogates_back() -> None:
    assert _mapping().reverse("李明的电话是15998765432。") == "张三的电话是13812345678。"


def test_foreign_json_is_refused() -> None:
    with pytest.raises(InputError, match="mapping"):
        Mapping.from_json({"entries": []})
