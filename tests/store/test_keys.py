"""API keys: the right key gives its name and role; anything else gives None; secrets are not stored."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from yizhu.errors import InputError, NotFoundError
from yizhu.store import Role, authenticate_api_key, create_api_key, list_api_keys, revoke_api_key
from yizhu.store.schema import api_keys


@pytest.mark.parametrize("role", list(Role))
def test_right_key_gives_name_and_role(engine: Engine, role: Role) -> None:
    key = create_api_key(engine, role, "his-gateway")
    assert key.startswith("yz_")
    assert authenticate_api_key(engine, key) == ("his-gateway", role)


def test_role_may_be_given_as_text(engine: Engine) -> None:
    key = create_api_key(engine, "qc_officer", "qc-nightly")
    assert authenticate_api_key(engine, key) == ("qc-nightly", Role.qc_officer)


def _wrong_keys(key: str) -> list[str]:
    key_id = key[3:15]
    return [
        "",
        "yz_",
        "not-a-key",
        key[:-1] + ("A" if key[-1] != "A" else "B"),  # same key id, wrong secret
        f"yz_{'0' * 12}_{key[16:]}",  # unknown key id, right secret
        key.upper(),
        key + "x",
        f"yz_{key_id}_' OR '1'='1",
    ]


def test_wrong_keys_give_none(engine: Engine) -> None:
    key = create_api_key(engine, Role.clinician, "ward-7")
    for wrong in _wrong_keys(key):
        assert authenticate_api_key(engine, wrong) is None, wrong


def test_revoked_key_gives_none(engine: Engine) -> None:
    key = create_api_key(engine, Role.pharmacist, "pharmacy")
    other = create_api_key(engine, Role.pharmacist, "pharmacy-2")
    assert revoke_api_key(engine, "pharmacy") == 1
    assert authenticate_api_key(engine, key) is None
    assert authenticate_api_key(engine, other) == ("pharmacy-2", Role.pharmacist)
    with pytest.raises(NotFoundError, match="no active API key"):
        revoke_api_key(engine, "pharmacy")


def test_revoke_by_pasting_the_key_itself(engine: Engine) -> None:
    key = create_api_key(engine, Role.admin, "ops")
    assert revoke_api_key(engine, key) == 1
    assert authenticate_api_key(engine, key) is None


def test_plaintext_is_never_stored(engine: Engine) -> None:
    key = create_api_key(engine, Role.patient_app, "app")
    secret = key.split("_", 2)[2]
    with engine.connect() as conn:
        row = conn.execute(sa.select(api_keys)).one()
    stored = " ".join(str(v) for v in row)
    assert key not in stored and secret not in stored
    assert len(row.key_hash) == 64 and len(row.salt) == 32


def test_same_role_and_name_get_different_salts(engine: Engine) -> None:
    create_api_key(engine, Role.clinician, "twin")
    create_api_key(engine, Role.clinician, "twin")
    with engine.connect() as conn:
        salts = conn.execute(sa.select(api_keys.c.salt)).scalars().all()
    assert len(set(salts)) == 2


def test_list_shows_no_secrets_and_hides_revoked(engine: Engine) -> None:
    create_api_key(engine, Role.clinician, "a")
    create_api_key(engine, Role.admin, "b")
    revoke_api_key(engine, "a")
    assert [(k.name, k.role, k.revoked) for k in list_api_keys(engine)] == [("b", Role.admin, False)]
    everything = list_api_keys(engine, include_revoked=True)
    assert [k.name for k in everything] == ["a", "b"] and everything[0].revoked_at is not None
    assert "key_hash" not in everything[0].model_dump()


@pytest.mark.parametrize(
    ("role", "name", "message"), [("doctor", "x", "unknown role"), ("admin", " ", "name")]
)
def test_bad_key_requests(engine: Engine, role: str, name: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        create_api_key(engine, role, name)


def test_last_used_is_recorded_on_authentication_at_most_once_a_minute(engine: Engine) -> None:
    from datetime import timedelta

    import sqlalchemy as sa

    from yizhu.store.db import transaction
    from yizhu.store.keys import forget_key_use_cache, note_key_used
    from yizhu.store.schema import api_keys

    forget_key_use_cache()
    key = create_api_key(engine, "clinician", "last-used")
    key_id = key.split("_")[1]
    assert next(k for k in list_api_keys(engine) if k.key_id == key_id).last_used_at is None
    assert authenticate_api_key(engine, key) is not None
    first = next(k for k in list_api_keys(engine) if k.key_id == key_id).last_used_at
    assert first is not None
    for _ in range(50):  # a request storm: no further writes
        assert authenticate_api_key(engine, key) is not None
    assert next(k for k in list_api_keys(engine) if k.key_id == key_id).last_used_at == first
    assert note_key_used(engine, key_id) is False  # throttled in memory
    # another replica (no memory of this one) does not write either while the stored time is fresh
    forget_key_use_cache()
    assert note_key_used(engine, key_id) is False
    # a minute later it writes again
    with transaction(engine) as conn:
        conn.execute(sa.update(api_keys).where(api_keys.c.key_id == key_id)
                     .values(last_used_at=api_keys.c.last_used_at - timedelta(seconds=61)))
    forget_key_use_cache()
    assert note_key_used(engine, key_id) is True
    assert next(k for k in list_api_keys(engine) if k.key_id == key_id).last_used_at > first  # type: ignore[operator]


def test_a_wrong_key_does_not_touch_last_used(engine: Engine) -> None:
    from yizhu.store.keys import forget_key_use_cache

    forget_key_use_cache()
    key = create_api_key(engine, "clinician", "never-used")
    assert authenticate_api_key(engine, key[:-2] + ("AA" if not key.endswith("AA") else "BB")) is None
    assert next(k for k in list_api_keys(engine) if k.name == "never-used").last_used_at is None
