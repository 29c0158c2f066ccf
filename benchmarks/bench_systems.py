"""Five systems against the same Korean references: one ``evalkit score -i a b c d e``
against five ``sacrebleu REF -i SYS`` runs (BLEU and chrF, ``ko-mecab``).

Both are the command lines as a user runs them, one process each, timed from start to
exit. evalkit also computes 1,000-resample bootstrap CIs (its default); sacrebleu does
not. evalkit runs with ``--jobs 1`` so the comparison is one core against one core.
Every printed score is checked against sacrebleu's (4 decimals, ``-w 4``).
"""

from __future__ import annotations

import json
import sys
from typing import Any

from benchmarks import corpora
from benchmarks.harness import Context, check, measure, run_command

K = 5


def run(ctx: Context) -> dict[str, Any]:
    n = ctx.size(1000, 40)
    files = corpora.write_files(ctx.folder("systems"), n, lang="ko", systems=K)
    ref = str(files["ref"])
    systems = [str(files[f"sys{k + 1}"]) for k in range(K)]
    outputs: dict[str, Any] = {}

    def sacrebleu_runs() -> None:
        outputs["sacrebleu"] = [
            run_command(
                [
                    sys.executable,
                    "-m",
                    "sacrebleu",
                    ref,
                    "-i",
                    s,
                    "-m",
                    "bleu",
                    "chrf",
                    "-tok",
                    "ko-mecab",
                    "-w",
                    "4",
                    "-b",
                ]
            ).stdout
            for s in systems
        ]

    def evalkit_run() -> None:
        argv = [sys.executable, "-m", "evalkit", "score", "-r", ref, "-i", *systems]
        argv += ["-l", "ko", "-m", "bleu", "chrf", "--jobs", "1", "--format", "json"]
        outputs["evalkit"] = run_command(argv).stdout

    t = measure({"sacrebleu_x5": sacrebleu_runs, "evalkit": evalkit_run}, repeat=ctx.repeat)
    report = json.loads(outputs["evalkit"])
    mismatches = []
    for s, out in zip(systems, outputs["sacrebleu"], strict=True):
        want = json.loads(out)
        got = [round(report["systems"][s]["scores"][m]["score"], 4) for m in ("bleu", "chrf")]
        if got != want:
            mismatches.append({"system": s, "evalkit": got, "sacrebleu": want})
    ratio = t["evalkit"].median / t["sacrebleu_x5"].median
    return {
        "title": "evalkit score -i (5 systems) against five sacrebleu runs",
        "size": {"segments": n, "systems": K, "metrics": ["bleu", "chrf"], "lang": "ko"},
        "timings": {name: tm.to_dict() for name, tm in t.items()},
        "figures": {
            "ratio": round(ratio, 3),
            "sacrebleu_per_system_s": round(t["sacrebleu_x5"].median / K, 3),
            "scores_differing": len(mismatches),
        },
        "checks": [
            check("evalkit (K=5) / five sacrebleu runs", ratio, "<=", 0.7),
            check("scores differing from sacrebleu (4 decimals)", len(mismatches), "<=", 0, ""),
        ],
        "notes": [
            "evalkit tokenizes and counts the references once and shares the bootstrap"
            " draws; each sacrebleu run starts a process, loads MeCab and tokenizes the"
            " references again.",
            "evalkit's time includes 1,000-resample CIs for all 10 scores.",
        ],
        "mismatches": mismatches[:5],
    }
