"""Tiny checker for blind case files (set 7 onwards): YAML parses, documented keys only, value shapes.

Usage: .venv/bin/python tests/realworld/notes/check_case_files.py tests/realworld/notes/cases "notes-6*.yaml"
"""
import sys, pathlib, yaml
TOP = {"id", "title", "synthetic", "written_by", "situation", "input", "expect",
       "added_after_output", "revised_after_output"}
INPUT = {"type", "text", "notes"}
EXPECT = {"covers", "section_includes", "section_excludes", "text_excludes", "flags", "no_flags",
          "draft_sentences_grounded", "section_max_chars", "left_out", "section_excludes_active"}
SECTIONS = {"outpatient": {"主诉", "现病史", "既往史", "个人史", "家族史", "过敏史", "体格检查", "辅助检查", "初步诊断", "处理意见"},
            "admission": {"主诉", "现病史", "既往史", "个人史", "家族史", "过敏史", "体格检查", "辅助检查", "初步诊断", "入院诊断"},
            "discharge": {"出院诊断", "出院医嘱", "诊疗经过", "入院诊断", "入院情况", "出院情况"}}
errs, warns = [], []
def term_ok(t):
    return (isinstance(t, str) and t) or (isinstance(t, list) and t and all(isinstance(x, str) and x for x in t))
def alts(t):
    return [t] if isinstance(t, str) else t
files = sorted(pathlib.Path(sys.argv[1]).glob(sys.argv[2] if len(sys.argv) > 2 else "notes-6*.yaml"))
for f in files:
    d = yaml.safe_load(f.read_text(encoding="utf-8"))
    e = lambda m: errs.append(f"{f.name}: {m}")
    if set(d) - TOP: e(f"unknown top keys {set(d) - TOP}")
    for k in ("id", "title", "synthetic", "written_by", "situation", "input", "expect"):
        if k not in d: e(f"missing {k}")
    if d.get("id") != f.stem: e("id != file name")
    if d.get("synthetic") is not True: e("synthetic must be true")
    if d.get("written_by") != "blind case writer: clinical situation and public contract only": e("written_by")
    inp = d["input"]
    if set(inp) - INPUT: e(f"unknown input keys {set(inp) - INPUT}")
    typ = inp.get("type")
    if typ not in SECTIONS: e(f"type {typ}")
    if typ == "discharge":
        if not isinstance(inp.get("notes"), dict) or not inp["notes"]: e("discharge needs notes")
        source = "\n".join(inp["notes"].values())
    else:
        if not isinstance(inp.get("text"), str): e("dialogue needs text")
        source = inp["text"]
        for ln in source.strip().splitlines():
            if not ln.startswith(("医生：", "患者：", "家属：")): e(f"bad speaker line: {ln[:20]}")
    ex = d["expect"]
    if set(ex) - EXPECT: e(f"unknown expect keys {set(ex) - EXPECT}")
    for key in ("section_includes", "section_excludes", "section_excludes_active", "section_max_chars"):
        for sec, v in (ex.get(key) or {}).items():
            for s in sec.split("|"):
                if s not in SECTIONS.get(typ, ()): e(f"{key}: section {s} not a {typ} section")
            if key == "section_max_chars":
                if not isinstance(v, int): e(f"max chars {sec}")
                continue
            if not isinstance(v, list): e(f"{key}.{sec} not a list"); continue
            for t in v:
                if not term_ok(t): e(f"{key}.{sec}: bad term {t!r}")
    for key in ("covers", "left_out", "text_excludes", "no_flags"):
        for t in ex.get(key) or []:
            if not term_ok(t): e(f"{key}: bad term {t!r}")
    for t in ex.get("flags") or []:
        if isinstance(t, dict):
            if set(t) - {"term", "why"} or not term_ok(t.get("term")): e(f"flags: bad {t!r}")
        elif not term_ok(t): e(f"flags: bad {t!r}")
    if "draft_sentences_grounded" in ex and ex["draft_sentences_grounded"] is not True: e("dsg must be true")
    # sanity: required terms (some spelling) should occur in the source, else warn (may be a rewording)
    req = [t for v in (ex.get("section_includes") or {}).values() for t in v] + list(ex.get("covers") or []) + list(ex.get("left_out") or [])
    for t in req:
        if not any(a in source for a in alts(t)): warns.append(f"{f.name}: required {t!r} not verbatim in input")
    # conflicts: same term required and excluded in one section
    inc, exc = ex.get("section_includes") or {}, ex.get("section_excludes") or {}
    for sec in set(inc) & set(exc):
        for t in inc[sec]:
            for a in alts(t):
                for x in exc[sec]:
                    if x in a and all(x in b for b in alts(t)): e(f"{sec}: requires {t!r} but excludes {x!r}")
    # text_excludes must not be a required spelling
    for x in ex.get("text_excludes") or []:
        for t in req:
            if all(x in a for a in alts(t)): e(f"text_excludes {x!r} vs required {t!r}")
print(f"{len(files)} files, {len(errs)} errors, {len(warns)} warnings")
for m in errs: print("ERROR", m)
for m in warns: print("warn ", m)
sys.exit(1 if errs else 0)
