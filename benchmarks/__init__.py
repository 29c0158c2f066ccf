"""evalkit's performance benchmarks: ``python -m benchmarks`` or ``evalkit bench``.

Each comparison runs evalkit and the reference tool side by side on synthetic corpora
built from the bundled dataset, checks that the numbers are identical, and records
medians and ratios in ``benchmarks/RESULTS.md`` and ``benchmarks/results.json``
(:mod:`benchmarks.suite`).
"""
