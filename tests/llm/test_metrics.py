"""/metrics speaks the Prometheus text format."""

from __future__ import annotations

from yizhu.llm.metrics import Metrics


def test_exposition_format() -> None:
    m = Metrics()
    m.inc("yizhu_llm_requests_total", model="q", task="notes", outcome="ok")
    m.inc("yizhu_llm_requests_total", model="q", task="notes", outcome="ok")
    m.set("yizhu_llm_inflight", 3, model='we"ird')
    m.observe("yizhu_llm_request_seconds", 0.07, model="q", task="notes")
    m.observe("yizhu_llm_request_seconds", 7.0, model="q", task="notes")
    text = m.render()
    assert "# TYPE yizhu_llm_requests_total counter" in text
    assert 'yizhu_llm_requests_total{model="q",outcome="ok",task="notes"} 2' in text
    assert 'yizhu_llm_inflight{model="we\\"ird"} 3' in text
    assert 'yizhu_llm_request_seconds_bucket{model="q",task="notes",le="0.1"} 1' in text
    assert 'yizhu_llm_request_seconds_bucket{model="q",task="notes",le="10.0"} 2' in text
    assert 'yizhu_llm_request_seconds_bucket{model="q",task="notes",le="+Inf"} 2' in text
    assert 'yizhu_llm_request_seconds_count{model="q",task="notes"} 2' in text
    assert text.endswith("\n")
