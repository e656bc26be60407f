"""预问诊 pre-consultation interview: the next question from the complaint and a question bank (data,
``questions.yaml``), every answer kept with its question, red flags checked on every answer, and a record
for the doctor (主诉, 现病史, 既往史, 过敏史, 用药史) with every sentence traced to its answers. See docs/intake.md."""

from __future__ import annotations

from yizhu.clinical.intake.engine import AnswerIn, Engine, Interview, default_engine
from yizhu.clinical.intake.record import as_text, build_record

__all__ = ["AnswerIn", "Engine", "Interview", "as_text", "build_record", "default_engine"]
