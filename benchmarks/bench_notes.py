"""``evalkit extract`` on a notes repository of 3,900 generated notes, and on a tenth of it.

The corpus has the layout and the variations of the real notes repository
(``arXiv/YYYY/YYMMDD Title.md``, 2017 to 2025): plain and emphasized titles, wrapped
titles, author lists up to 2,000 characters, English abstracts as quotes, Korean
commentary with ``<english>`` versions, tags, link sections, notes without an arXiv
link or without a title line, and notes about several papers. Texts are drawn with a
seeded ``random.Random`` from the bundled digests, so every run extracts the same bytes.
The command runs as a user runs it, a fresh process each time.
"""

from __future__ import annotations

import random
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from benchmarks.harness import Context, LoadMeter, Timing, check, run_command

SEED = 3900
KOREAN = [
    "프리트레이닝 데이터의 비율을 조정하는 방법이네요.",
    "실험 규모가 작은 것이 아쉽습니다. (https://arxiv.org/abs/2401.00001)",
    "추론 시의 연산량을 늘리는 방향의 연구가 계속 나오고 있군요.",
    "1. 데이터 구축 2. 모델 학습 3. 평가라는 일반적인 단계입니다.",
]
ENGLISH = [
    "A method to tune the mixture of pretraining data.",
    "It is a pity that the experiments are small (see Table 2).",
    "Research on scaling inference-time compute keeps coming (https://arxiv.org/abs/2401.00002).",
]
WORDS = [
    "Scaling",
    "Laws",
    "Sparse",
    "Experts",
    "Diffusion",
    "Tokens",
    "Reasoning",
    "Agents",
    "Vision",
    "Language",
]


def _title(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 12)))


def _authors(rng: random.Random) -> str:
    n = rng.choice([2, 5, 8, 30, 90])  # 90 authors: about 2,000 characters
    return ", ".join(f"Given{rng.randint(0, 999)} Family{rng.randint(0, 999)}" for _ in range(n))


def _note(rng: random.Random, day: date, k: int) -> str:
    arxiv = f"https://arxiv.org/abs/{day:%y%m}.{rng.randint(0, 99999):05d}"
    kind = rng.random()
    title, authors = _title(rng), _authors(rng)
    if kind < 0.03:  # no title line
        return f"{arxiv}\n\n{rng.choice(KOREAN)}\n\n#llm\n"
    if kind < 0.05:  # several papers
        other = f"https://arxiv.org/abs/{day:%y%m}.{rng.randint(0, 99999):05d}"
        return f"소개.\n\n[{arxiv}]({arxiv})\n\n{KOREAN[0]}\n\n[{other}]({other})\n\n{KOREAN[2]}\n"
    link = arxiv if kind > 0.1 else f"https://github.com/org/repo{k}"
    if day.year < 2024:
        head = f"{title} ({authors})" if kind > 0.2 else f"{title[:30]}\n  {title[30:]} ({authors})"
        body = "\n\n".join(rng.sample(KOREAN, 2))
        return f"{link}\n\n{head}\n\n{body}\n\n#tag{k % 50} #lm\n"
    abstract = " ".join(rng.choice(ENGLISH) for _ in range(12))
    return (
        f"{link}\n\n*{title}* ({authors})\n\n> {abstract}\n\n{rng.choice(KOREAN)}\n\n"
        f"<english>\n{rng.choice(ENGLISH)}\n</english>\n\n#tag{k % 50}\n\n# Links\n\n"
        f"[[{day:%y%m%d} Other Note.md]]\n"
    )


def write_corpus(folder: Path, n: int) -> Path:
    """``n`` notes under ``folder/arXiv/YYYY/``, about two a day from 2017 on."""
    root = folder / f"notes-{n}"
    if (root / ".complete").is_file():
        return root
    rng = random.Random(SEED)
    start = date(2017, 1, 2)
    span = (date(2025, 6, 30) - start).days
    for k in range(n):
        day = start + timedelta(days=k * span // n)
        path = root / "arXiv" / str(day.year) / f"{day:%y%m%d} Note {k}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_note(rng, day, k), encoding="utf-8")
    (root / ".complete").write_text("", encoding="utf-8")
    return root


def run(ctx: Context) -> dict[str, Any]:
    large, small = ctx.size(3_900, 390), ctx.size(390, 39)
    folder = ctx.folder("notes")
    roots = {n: write_corpus(folder, n) for n in (small, large)}
    timings: dict[int, Timing] = {}
    outputs: dict[int, str] = {}
    for n in (small, large):
        argv = [sys.executable, "-m", "evalkit", "extract", str(roots[n])]
        argv += ["--out", str(folder / f"papers-{n}.jsonl")]
        run_command(argv)  # warm-up: file caches, compiled modules
        timings[n] = Timing()
        for _ in range(ctx.repeat):
            with LoadMeter() as load:
                res = run_command(argv)
            timings[n].wall.append(res.wall)
            timings[n].cpu.append(res.cpu)
            timings[n].other_load.append(load.cores)
            outputs[n] = res.stdout
    total = next(ln for ln in outputs[large].splitlines() if ln.startswith("total:"))
    ratio = timings[large].median / timings[small].median
    return {
        "title": f"evalkit extract on {large:,} and {small:,} generated paper notes",
        "size": {"large": large, "small": small},
        "timings": {f"n_{n}": timings[n].to_dict() for n in (small, large)},
        "figures": {
            "seconds_large": round(timings[large].median, 3),
            "time_ratio": round(ratio, 3),
            "size_ratio": large / small,
            "notes_per_second": round(large / timings[large].median, 1),
            "summary_large": total,
        },
        "checks": [
            check(f"seconds for {large:,} notes", timings[large].median, "<", 10, "s"),
            check(f"time({large:,}) / time({small:,})", ratio, "<=", 11),
        ],
        "notes": [
            "Each run is a fresh `python -m evalkit extract FOLDER` process (start-up included).",
            "The ratio of the two sizes shows the cost grows linearly with the number of notes.",
        ],
    }
