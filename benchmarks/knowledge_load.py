"""Knowledge packs: load time of the compiled JSONL against compiling the reviewed YAML, in one process.

Three ways to get the same 4,723 items, each timed best-of-N after one warm-up:

* ``jsonl``      — the compiled files alone (``load_pack_file``): the pre-#17 loading path;
* ``kb``         — ``KnowledgeBase.load()``: compiled files, digest check of each YAML source folder, indexes;
* ``yaml``       — reading and validating every YAML source (``read_source``): what loading would cost
                   without the compiled files, and what ``yizhu kb build`` / ``kb validate`` pay.

    .venv/bin/python benchmarks/knowledge_load.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from yizhu.knowledge.packs import BUILTIN_PACKS_DIR, KnowledgeBase, load_pack_file  # noqa: E402
from yizhu.knowledge.schema import PACK_KINDS  # noqa: E402
from yizhu.knowledge.sources import compiled_file, read_source, source_digest, source_folder  # noqa: E402


def best(fn: Callable[[], object], repeat: int) -> float:
    """Best wall time of ``repeat`` runs after one warm-up (seconds)."""
    fn()
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main(argv: list[str] | None = None) -> int:
    """Print the three timings, the digest cost and the ratios as JSON."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args(argv)

    def jsonl() -> None:
        for k in PACK_KINDS:
            load_pack_file(compiled_file(BUILTIN_PACKS_DIR, k), k)

    def digests() -> None:
        for k in PACK_KINDS:
            source_digest(source_folder(BUILTIN_PACKS_DIR, k))

    def yaml_sources() -> None:
        for k in PACK_KINDS:
            read_source(source_folder(BUILTIN_PACKS_DIR, k), k)

    items = sum(len(KnowledgeBase.load().pack(k)) for k in PACK_KINDS)
    t_jsonl = best(jsonl, args.repeat)
    t_digest = best(digests, args.repeat)
    t_kb = best(KnowledgeBase.load, args.repeat)
    t_yaml = best(yaml_sources, max(1, args.repeat // 2))
    out = {
        "items": items,
        "jsonl_s": round(t_jsonl, 3),
        "digest_check_s": round(t_digest, 4),
        "knowledge_base_load_s": round(t_kb, 3),
        "yaml_compile_s": round(t_yaml, 3),
        "yaml_over_jsonl": round(t_yaml / t_jsonl, 1),
        "digest_share_of_kb_load": round(t_digest / t_kb, 3),
    }
    sys.stdout.write(json.dumps(out, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
