"""OpenAI-compatible HTTP: vLLM, SGLang, Ollama, llama.cpp server, LM Studio and cloud APIs.

One wire protocol (``/chat/completions`` with SSE streaming, ``/models``, ``/embeddings``); the
differences between servers live in profiles (yizhu.llm.profiles). Every transport or protocol
failure becomes a ModelCallError whose ``retryable`` tells the gateway whether to try again:
timeouts, refused connections, 408/429/5xx, malformed bodies and truncated streams are
retryable; other 4xx are not (the request itself is wrong).
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlparse

import httpx

from yizhu.errors import ConfigError, ModelCallError
from yizhu.llm.backends.base import Backend, register_backend
from yizhu.llm.config import ModelConfig
from yizhu.llm.profiles import Profile, detect_profile, get_profile
from yizhu.llm.types import Capabilities, ChatChunk, ChatRequest, ChatResponse, ServedModel, Usage

_RETRYABLE_STATUS = {408, 409, 425, 429, 500, 502, 503, 504}
_CONTEXT_KEYS = ("max_model_len", "context_length", "context_window", "max_context_length")


def _dumps(obj: Any) -> bytes:
    # ensure_ascii=False: Chinese travels as UTF-8, a third of the size of \\u escapes
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _usage(raw: Any) -> Usage | None:
    if not isinstance(raw, dict):
        return None
    return Usage(prompt_tokens=raw.get("prompt_tokens"), completion_tokens=raw.get("completion_tokens"))


def _reasoning(obj: dict[str, Any]) -> str | None:
    # vLLM/SGLang/DeepSeek/DashScope use reasoning_content; Ollama and newer servers use reasoning
    value = obj.get("reasoning_content") or obj.get("reasoning")
    return value if isinstance(value, str) and value else None


def _retry_after(resp: httpx.Response) -> float | None:
    value = resp.headers.get("retry-after")
    try:
        return float(value) if value else None
    except ValueError:
        return None


def _status_error(name: str, resp: httpx.Response, body: bytes) -> ModelCallError:
    snippet = body[:200].decode("utf-8", "replace").replace("\n", " ")
    status = resp.status_code
    hint = {
        401: "check the API key (api_key_env)",
        403: "check the API key's permissions",
        404: "check base_url (it ends in /v1) and the model id (`yizhu models check`)",
        400: "the server rejected the request; if it names response_format, set profile in yizhu.toml",
        413: "the prompt is too long for the server",
    }.get(status, "see the server's log")
    return ModelCallError(
        f"model '{name}': HTTP {status} from the server ({snippet}); {hint}",
        retryable=status in _RETRYABLE_STATUS,
        retry_after_s=_retry_after(resp),
    )


@register_backend
class OpenAIBackend(Backend):
    """Any server that speaks the OpenAI chat-completions protocol."""

    name = "openai"
    capabilities = Capabilities(can_stream=True, supports_schema=True, supports_embeddings=True)

    def __init__(self, config: ModelConfig, *, api_key: str | None = None) -> None:
        super().__init__(config, api_key=api_key)
        self.profile: Profile = get_profile(config.profile or detect_profile(config.base_url))
        self.capabilities = Capabilities(
            can_stream=True, supports_schema=self.profile.native_schema, supports_embeddings=True
        )
        self.base_url = (config.base_url or "").rstrip("/")
        self._client: httpx.AsyncClient | None = None
        headers = {"content-type": "application/json", "accept": "application/json"}
        if api_key:
            headers["authorization"] = f"Bearer {api_key}"
        self._headers = headers

    @classmethod
    def validate_config(cls, config: ModelConfig, source: str) -> None:
        where = f"{source}: [models.{config.name}]"
        if not config.base_url:
            raise ConfigError(f'{where} needs base_url, e.g. base_url = "http://127.0.0.1:8000/v1"')
        parsed = urlparse(config.base_url)
        if parsed.scheme not in ("http", "https") or not parsed.hostname:
            raise ConfigError(f"{where} base_url '{config.base_url}' is not an http(s) URL; write it like http://host:8000/v1")
        if not config.model:
            raise ConfigError(f"{where} needs model, the id the server serves (see `curl {config.base_url}/models`)")
        if config.path:
            raise ConfigError(f"{where} has path, which only the llamacpp backend uses; remove it or set backend = \"llamacpp\"")
        get_profile(config.profile or detect_profile(config.base_url))

    @property
    def client(self) -> httpx.AsyncClient:
        """The connection pool, made on first use inside the gateway's event loop."""
        if self._client is None:
            cfg = self.config
            # a bounded idle pool: httpcore scans every pooled connection on each request
            self._client = httpx.AsyncClient(
                timeout=httpx.Timeout(cfg.timeout_s, connect=min(10.0, cfg.timeout_s)),
                limits=httpx.Limits(
                    max_connections=cfg.max_concurrency + 4, max_keepalive_connections=min(cfg.max_concurrency, 32)
                ),
                headers=self._headers,
            )
        return self._client

    def _body(self, request: ChatRequest, *, stream: bool) -> dict[str, Any]:
        body: dict[str, Any] = {
            "model": self.config.model,
            "messages": [{"role": m.role, "content": m.content} for m in request.messages],
        }
        body.update(request.params.model_dump(exclude_none=True))
        if request.json_schema is not None:
            body.update(self.profile.schema_body(request.json_schema, request.schema_name or "output"))
        body.update(self.config.extra_body)
        if stream:
            body["stream"] = True
            if self.profile.stream_usage:
                body["stream_options"] = {"include_usage": True}
        return body

    def _refuse_unprotected(self, request: ChatRequest) -> None:
        # defence in depth: the gateway guards external models; a request that skipped it never leaves
        if self.config.external and not request.protected:
            raise ModelCallError(
                f"model '{self.config.name}' is external and the request was not de-identified; refusing to send"
            )

    def _transport_error(self, exc: httpx.HTTPError) -> ModelCallError:
        name = self.config.name
        if isinstance(exc, httpx.TimeoutException):
            return ModelCallError(
                f"model '{name}': no answer within {self.config.timeout_s:g} s ({type(exc).__name__}); "
                "raise timeout_s or check the server's load",
                retryable=True,
            )
        if isinstance(exc, httpx.ConnectError):
            return ModelCallError(
                f"model '{name}': cannot connect to {self.base_url} ({exc}); is the server running?", retryable=True
            )
        return ModelCallError(f"model '{name}': connection failed ({type(exc).__name__}: {exc})", retryable=True)

    async def chat(self, request: ChatRequest) -> ChatResponse:
        self._refuse_unprotected(request)
        name = self.config.name
        try:
            resp = await self.client.post(f"{self.base_url}/chat/completions", content=_dumps(self._body(request, stream=False)))
            raw = resp.content
        except httpx.HTTPError as exc:
            raise self._transport_error(exc) from exc
        if resp.status_code != 200:
            raise _status_error(name, resp, raw)
        try:
            data = json.loads(raw)
        except ValueError:
            data = None
        if isinstance(data, dict) and "error" in data:
            raise ModelCallError(f"model '{name}': server error {str(data['error'])[:200]}", retryable=True)
        try:
            choice = data["choices"][0]  # type: ignore[index]
            message = choice.get("message") or {}
        except (KeyError, IndexError, TypeError, AttributeError) as exc:
            raise ModelCallError(
                f"model '{name}': the server's reply is not a chat completion (malformed JSON: {raw[:80]!r})",
                retryable=True,
            ) from exc
        return ChatResponse(
            text=message.get("content") or "",
            model_id=str(data.get("model") or self.config.model),
            reasoning=_reasoning(message),
            usage=_usage(data.get("usage")) or Usage(),
            finish_reason=choice.get("finish_reason"),
        )

    async def stream(self, request: ChatRequest) -> AsyncIterator[ChatChunk]:  # type: ignore[override]
        self._refuse_unprotected(request)
        name = self.config.name
        body = _dumps(self._body(request, stream=True))
        try:
            async with self.client.stream("POST", f"{self.base_url}/chat/completions", content=body) as resp:
                if resp.status_code != 200:
                    raise _status_error(name, resp, await resp.aread())
                if "text/event-stream" not in resp.headers.get("content-type", "text/event-stream"):
                    # a server that ignores stream=true answers in one piece; accept that
                    data = json.loads(await resp.aread())
                    message = data["choices"][0].get("message") or {}
                    yield ChatChunk(
                        text=message.get("content") or "",
                        reasoning=_reasoning(message) or "",
                        finish_reason=data["choices"][0].get("finish_reason") or "stop",
                        usage=_usage(data.get("usage")),
                        model_id=data.get("model"),
                    )
                    return
                finished = False
                lines = resp.aiter_lines()
                async for line in lines:
                    if not line.startswith("data:"):
                        continue  # blank separators, comments, event:/id: fields
                    payload = line[5:].strip()
                    if payload == "[DONE]":
                        finished = True
                        break
                    try:
                        data = json.loads(payload)
                    except ValueError as exc:
                        raise ModelCallError(
                            f"model '{name}': malformed stream event ({payload[:80]!r})", retryable=True
                        ) from exc
                    if "error" in data:
                        raise ModelCallError(f"model '{name}': server error in stream {str(data['error'])[:200]}", retryable=True)
                    chunk = ChatChunk(usage=_usage(data.get("usage")), model_id=data.get("model"))
                    choices = data.get("choices") or []
                    if choices:
                        delta = choices[0].get("delta") or {}
                        chunk.text = delta.get("content") or ""
                        chunk.reasoning = _reasoning(delta) or ""
                        chunk.finish_reason = choices[0].get("finish_reason")
                        finished = finished or chunk.finish_reason is not None
                    yield chunk
                if not finished:
                    raise ModelCallError(f"model '{name}': the stream ended before the reply was complete", retryable=True)
                # Not draining the response after [DONE]: httpx then closes this connection rather
                # than pooling it; with hundreds of concurrent streams a large idle pool costs far
                # more CPU (measured: 4x) than a new loopback/LAN connection per stream.
                await lines.aclose()  # type: ignore[attr-defined]
        except httpx.HTTPError as exc:
            raise self._transport_error(exc) from exc
        except (ValueError, KeyError, IndexError, TypeError) as exc:
            raise ModelCallError(f"model '{name}': malformed reply to a stream request", retryable=True) from exc

    async def embed(self, texts: list[str]) -> list[list[float]]:
        name = self.config.name
        try:
            resp = await self.client.post(
                f"{self.base_url}/embeddings", content=_dumps({"model": self.config.model, "input": texts})
            )
        except httpx.HTTPError as exc:
            raise self._transport_error(exc) from exc
        if resp.status_code != 200:
            raise _status_error(name, resp, resp.content)
        try:
            items = sorted(json.loads(resp.content)["data"], key=lambda d: d.get("index", 0))
            vectors = [[float(x) for x in item["embedding"]] for item in items]
        except (ValueError, KeyError, TypeError) as exc:
            raise ModelCallError(f"model '{name}': malformed embeddings reply", retryable=True) from exc
        if len(vectors) != len(texts):
            raise ModelCallError(f"model '{name}': {len(vectors)} embeddings for {len(texts)} texts", retryable=True)
        return vectors

    async def list_models(self) -> list[ServedModel]:
        name = self.config.name
        try:
            resp = await self.client.get(f"{self.base_url}/models")
        except httpx.HTTPError as exc:
            raise self._transport_error(exc) from exc
        if resp.status_code != 200:
            raise _status_error(name, resp, resp.content)
        try:
            items = json.loads(resp.content)["data"]
        except (ValueError, KeyError, TypeError) as exc:
            raise ModelCallError(f"model '{name}': /models did not return a model list", retryable=True) from exc
        served = []
        for item in items:
            ctx = next((item[k] for k in _CONTEXT_KEYS if isinstance(item.get(k), int)), None)
            meta = item.get("meta") if isinstance(item.get("meta"), dict) else {}
            ctx = ctx or meta.get("n_ctx") or meta.get("n_ctx_train")
            served.append(ServedModel(id=str(item.get("id")), context_length=ctx if isinstance(ctx, int) else None))
        return served

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None
