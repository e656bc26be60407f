"""Configuration: a vLLM/Ollama endpoint is a table; every mistake names the key and the fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from yizhu.config import Settings
from yizhu.errors import ConfigError
from yizhu.llm import Gateway, load_llm_config, parse_llm_config

OK = {"base_url": "http://127.0.0.1:8000/v1", "model": "Qwen2.5-7B-Instruct"}


def test_issue_example_parses_with_defaults() -> None:
    cfg = parse_llm_config(
        {"local-qwen": {**OK, "backend": "openai", "api_key_env": "VLLM_API_KEY", "external": False,
                        "max_concurrency": 16, "timeout_s": 60}},
        {"notes.discharge": ["local-qwen", "none"]},
    )
    m = cfg.models["local-qwen"]
    assert (m.backend, m.max_concurrency, m.timeout_s, m.retries, m.external) == ("openai", 16, 60, 2, False)
    assert cfg.routes["notes.discharge"] == ("local-qwen", "none")


@pytest.mark.parametrize(
    ("routes", "task", "expected"),
    [
        ({"notes.discharge": ["a"]}, "notes.discharge", ("a",)),
        ({"notes": ["a", "none"]}, "notes.discharge", ("a", "none")),  # nearest dotted parent
        ({"notes": ["a"], "default": ["b"]}, "qc.admission", ("b",)),  # then default
        ({}, "anything", ("none",)),  # nothing configured: rule path
        ({"notes": {"discharge": ["b"]}}, "notes.discharge", ("b",)),  # unquoted dotted key in TOML
        ({"rx": "a"}, "rx.review", ("a",)),  # a single name is a route of one
    ],
)
def test_route_resolution(routes: dict, task: str, expected: tuple[str, ...]) -> None:
    cfg = parse_llm_config({"a": OK, "b": OK}, routes)
    assert cfg.route_for(task) == expected


@pytest.mark.parametrize(
    ("models", "routes", "message_parts"),
    [
        ({"m": {**OK, "base_ur": "x"}}, {}, ["[models.m]", "unknown key 'base_ur'", "base_url"]),
        ({"m": {**OK, "timeout_s": 0}}, {}, ["[models.m]", "'timeout_s'", "greater than 0"]),
        ({"m": {**OK, "max_concurrency": "many"}}, {}, ["'max_concurrency'", "integer"]),
        ({"none": OK}, {}, ["[models.none] is reserved"]),
        ({"m": {**OK, "name": "x"}}, {}, ["remove the key 'name'"]),
        ({"bad name": OK}, {}, ["model name 'bad name'"]),
        ({"m": "http://x"}, {}, ["must be a table"]),
        ({"m": OK}, {"notes": ["ghost"]}, ['"notes"', "model 'ghost'", "add [models.ghost]", "m, none"]),
        ({"m": OK}, {"notes": ["none", "m"]}, ["'none' ends a route"]),
        ({"m": OK}, {"notes": []}, ["non-empty list"]),
        ({"m": OK}, {"notes": ["m", "m"]}, ["lists a model twice"]),
    ],
)
def test_bad_tables_fail_naming_key_and_fix(models: dict, routes: dict, message_parts: list[str]) -> None:
    with pytest.raises(ConfigError) as exc:
        parse_llm_config(models, routes)
    for part in message_parts:
        assert part in str(exc.value)


@pytest.mark.parametrize(
    ("table", "message_parts"),
    [
        ({"model": "x"}, ["needs base_url"]),
        ({"base_url": "127.0.0.1:8000/v1", "model": "x"}, ["not an http(s) URL"]),
        ({"base_url": "http://h/v1"}, ["needs model"]),
        ({**OK, "profile": "vlm"}, ["unknown profile 'vlm'", "vllm"]),
        ({"backend": "opnai", **OK}, ["unknown model backend 'opnai'", "llamacpp, none, openai"]),
        ({"backend": "llamacpp"}, ["needs path"]),
        ({"backend": "llamacpp", "path": "/nonexistent/model.gguf"}, ["is not a file"]),
        ({"backend": "none", "model": "x"}, ['backend = "none" but also']),
        ({**OK, "api_key_env": "YIZHU_TEST_UNSET_KEY_VAR"}, ["YIZHU_TEST_UNSET_KEY_VAR", "is not set", "export"]),
    ],
)
def test_backend_checks_fail_at_start_up(table: dict, message_parts: list[str]) -> None:
    with pytest.raises(ConfigError) as exc:
        Gateway(parse_llm_config({"m": table}, {}), secret=lambda name: None)
    for part in message_parts:
        assert part in str(exc.value), str(exc.value)


def test_external_model_needs_the_privacy_guard() -> None:
    with pytest.raises(ConfigError, match="external = true but the de-identification guard"):
        Gateway(parse_llm_config({"cloud": {**OK, "external": True}}, {}), guard_factory=None)


def test_api_key_comes_from_the_named_environment_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("YIZHU_TEST_VLLM_KEY", "sk-test")
    with Gateway(parse_llm_config({"m": {**OK, "api_key_env": "YIZHU_TEST_VLLM_KEY"}}, {})) as gw:
        backend = gw._runtimes["m"].backend
        assert backend.api_key == "sk-test"


def test_settings_carry_the_tables(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    settings.extra_sections = {"models": {"m": OK}, "routes": {"default": ["m", "none"]}}
    cfg = load_llm_config(settings)
    assert cfg.route_for("x.y") == ("m", "none")


def test_profile_is_guessed_only_from_unambiguous_endpoints() -> None:
    from yizhu.llm.profiles import detect_profile

    assert detect_profile("http://127.0.0.1:11434/v1") == "ollama"
    assert detect_profile("http://127.0.0.1:1234/v1") == "lmstudio"
    assert detect_profile("https://api.deepseek.com/v1") == "deepseek"
    assert detect_profile("https://dashscope.aliyuncs.com/compatible-mode/v1") == "dashscope"
    assert detect_profile("http://127.0.0.1:8000/v1") == "openai"  # vLLM or llama-cpp-python: say which
