"""Evaluation data and the generators that make it — the one home for both.

- the flat files here are the small synthetic example datasets shipped with the package, one per loader
  layout (``yizhu eval datasets`` lists them; see ``yizhu.evaluation.dataset.shipped_examples``);
- ``deid/``: the de-identification test corpus generator (``deid.synth.generate_corpus``, run by the
  ``deid`` suite itself), the development notes (``deid/dev/``) and the hand-written held-out corpus
  (``deid/realistic/``);
- ``rx/``: the prescription-review evaluation sets (``cases.jsonl``, ``holdout.jsonl``) and their
  builders (``python -m yizhu.evaluation.data.rx.build_cases``);
- ``terminology/``: the labelled normalisation and extraction sets;
- ``notes/``: the note-drafting evaluation notes.

Everything here is synthetic (合成); nothing is a real patient.
"""
