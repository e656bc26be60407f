"""De-identification evaluation data: the synthetic corpus generator (``synth``), development notes and the
held-out hand-written corpus."""
