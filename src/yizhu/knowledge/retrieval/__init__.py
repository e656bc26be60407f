"""Retrieval with citations over guideline cards and imported documents.

    search(query, top=5) -> list[Hit]            # each Hit has .citation (core Citation)
    search_response(query, top=5) -> SearchResponse  # hits + mode (hybrid | bm25) + degraded reasons

The corpus is every section of every guideline card in the packs plus every chunk of every imported
document. The index lives under ``<data_dir>/knowledge/index`` and is brought up to date incrementally
when the packs or the imports change (checked on open by a fingerprint, so a search costs no scan).
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from yizhu.knowledge.imported import KnowledgeStore, knowledge_dir, on_change
from yizhu.knowledge.packs import KnowledgeBase, get_kb
from yizhu.knowledge.retrieval.embed import Embedder, KnowledgeConfig, make_embedder
from yizhu.knowledge.retrieval.index import Hit, HybridIndex, Passage, SearchResponse, SyncReport
from yizhu.knowledge.terminology.text import Segmenter

__all__ = [
    "Hit",
    "HybridIndex",
    "KnowledgeConfig",
    "Passage",
    "Retriever",
    "SearchResponse",
    "SyncReport",
    "card_passages",
    "invalidate",
    "retriever",
    "search",
    "search_response",
]


def card_passages(kb: KnowledgeBase) -> Iterator[Passage]:
    """One passage per section (and one for the key points) of every guideline card."""
    for card in kb.pack("guideline"):
        title = card.title or card.name
        sections = dict(card.sections())
        if card.points:
            sections = {"要点": "；".join(card.points), **sections}
        for heading, body in sections.items():
            yield Passage(
                id=f"{card.id}#{heading}", doc_id=card.id, title=title, section=heading,
                text=f"{card.name}·{heading}：{body}", source=card.source, locator=f"{card.id} {heading}",
                url=card.url, kind="guideline",
            )


def document_passages(store: KnowledgeStore) -> Iterator[Passage]:
    """Every chunk of every imported document as a passage."""
    for c in store.documents():
        yield Passage(id=c.id, doc_id=c.doc_id, title=c.title, section=c.section, text=c.text,
                      source=c.source, locator=c.locator, kind="document")


def _segmenter_words(kb: KnowledgeBase) -> Iterator[str]:
    for kind in ("diagnosis", "symptom", "lab", "drug"):
        for item in kb.pack(kind):  # type: ignore[arg-type]
            yield from item.terms()


class Retriever:
    """The hybrid index of one data directory, synced with the packs and imports it was built from."""

    def __init__(self, data_dir: Path | str | None = None, *, kb: KnowledgeBase | None = None,
                 settings: Any | None = None, embedder: Embedder | None = None, bm25_only: bool = False) -> None:
        if settings is None and data_dir is None:
            from yizhu.config import get_settings

            settings = get_settings()
        self.cfg = KnowledgeConfig.from_settings(settings)
        self.store = KnowledgeStore(data_dir if data_dir is not None else settings.data_dir)
        self.kb = kb or get_kb()
        degraded: list[str] = []
        if bm25_only:
            embedder, degraded = None, ["bm25_only: dense retrieval switched off for this index"]
        elif embedder is None:
            embedder, degraded = make_embedder(self.cfg, settings)
        self.segmenter = Segmenter(_segmenter_words(self.kb))
        self.index = HybridIndex(self.store.root / "index", self.segmenter, embedder, degraded,
                                 candidates=self.cfg.candidates, rrf_k=self.cfg.rrf_k)
        self.last_sync: SyncReport | None = None
        self.ensure_synced()

    def fingerprint(self) -> str:
        """Changes when the guideline pack or the imported documents change."""
        gl = self.kb.pack("guideline")
        parts = [gl.version, str(len(gl)), *sorted(f"{f.path.name}:{f.count}" for f in gl.files),
                 self.store.version(), self.index.embedder_name]
        return hashlib.sha1(json.dumps(parts).encode()).hexdigest()[:16]

    def ensure_synced(self) -> SyncReport | None:
        """Update the index if its sources changed since it was last synced."""
        fp = self.fingerprint()
        if self.index.meta.get("fingerprint") == fp:
            return None
        passages = [*card_passages(self.kb), *document_passages(self.store)]
        self.last_sync = self.index.sync(passages, fingerprint=fp)
        return self.last_sync

    def search(self, query: str, top: int = 5) -> SearchResponse:
        """Hybrid (or BM25-only, said in ``degraded``) search with a citation on every hit."""
        return self.index.search(query, top)


_cache: dict[Path, Retriever] = {}
_lock = threading.Lock()


def retriever(data_dir: Path | str | None = None, settings: Any | None = None) -> Retriever:
    """The process-wide retriever of a data directory (built and synced on first use)."""
    if settings is None:
        from yizhu.config import get_settings

        settings = get_settings()
    root = knowledge_dir(data_dir if data_dir is not None else settings.data_dir).resolve()
    r = _cache.get(root)
    if r is None:
        with _lock:
            r = _cache.get(root)
            if r is None:
                r = Retriever(root.parent, settings=settings)
                _cache[root] = r
    return r


@on_change
def invalidate(data_dir: Path | str | None = None) -> None:
    """Drop cached retrievers (the next search re-opens and syncs the index)."""
    with _lock:
        if data_dir is None:
            _cache.clear()
        else:
            _cache.pop(knowledge_dir(data_dir).resolve(), None)


def search_response(query: str, top: int = 5, *, data_dir: Path | str | None = None) -> SearchResponse:
    """Hits plus the mode (hybrid or bm25) and any degraded reasons."""
    return retriever(data_dir).search(query, top)


def search(query: str, top: int = 5, *, data_dir: Path | str | None = None) -> list[Hit]:
    """Guideline and document passages for a query, best first, each with its citation."""
    return search_response(query, top, data_dir=data_dir).hits
