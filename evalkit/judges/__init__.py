"""LLM judges: reference-free translation and summary judgments with error spans.

- :mod:`~evalkit.judges.prompts`: the published prompts (GEMBA-MQM, GEMBA-ESA, FineSurE),
  kept as data in ``templates/``;
- :mod:`~evalkit.judges.mqm`: MQM / ESA answers parsed into error spans, GEMBA's scoring;
- :mod:`~evalkit.judges.finesure`: FineSurE fact checking and key-fact alignment;
- :mod:`~evalkit.judges.reasoning`: reasoning text (``<think>``) stripped before parsing;
- :mod:`~evalkit.judges.client`: asking a judge model, cached and resumable;
- :mod:`~evalkit.judges.scorers`: the ``gemba-mqm``, ``gemba-esa`` and ``summary-judge``
  scorers, whose segment statistics feed slices, intervals, paired tests and the gate.
"""
