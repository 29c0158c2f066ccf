"""Synthetic corpora, built deterministically from the bundled dataset.

References are texts of the bundled digests (:func:`evalkit.dataset.load` and
:func:`~evalkit.dataset.build_examples`), resampled with a seeded
``numpy.random.default_rng`` and lightly perturbed so that no two are the same (a
tokenizer cache must not make a large corpus look cheap). Hypotheses are heavier
perturbations of their reference: words dropped, replaced by words of other texts of
the same language, swapped or repeated. Korean and English are perturbed word by
word; Japanese, written without spaces, two characters at a time.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

    from evalkit.dataset import Example

SEED = 20241021
#: Bump when the generator changes, so cached corpus files are rebuilt.
VERSION = 1


@cache
def base_examples() -> tuple[Example, ...]:
    """Every translation (all four directions) and summarization example of the bundled dataset."""
    from evalkit import dataset as ds

    pairs = dict.fromkeys(ds.TRANSLATION_PAIRS + ds.SUMMARIZATION_PAIRS)
    papers = ds.load()
    return tuple(ds.build_examples(papers, tasks=ds.TASKS, pairs=list(pairs)))


def _units(text: str) -> tuple[list[str], str]:
    """Units to perturb and the string that joins them back."""
    if text.count(" ") >= max(2, len(text) // 40):
        return text.split(" "), " "
    return [text[i : i + 2] for i in range(0, len(text), 2)], ""


@cache
def _pool(lang: str) -> tuple[str, ...]:
    """Replacement units: the words (or character pairs) of every text in ``lang``."""
    units: list[str] = []
    for e in base_examples():
        if e.tgt_lang == lang:
            units += _units(e.reference.replace("\n", " "))[0]
    return tuple(u for u in units if u)


def perturb(text: str, lang: str, rate: float, rng: np.random.Generator) -> str:
    """``text`` with about ``rate`` of its units dropped, ``rate`` replaced,
    ``rate / 2`` swapped with the next and ``rate / 4`` repeated."""
    units, sep = _units(text)
    pool = _pool(lang)
    draws = rng.random(len(units))
    picks = rng.integers(0, len(pool), len(units))
    out: list[str] = []
    for u, d, p in zip(units, draws, picks, strict=True):
        if d < rate:
            continue
        if d < 2 * rate:
            out.append(pool[p])
        elif d < 2.5 * rate and out:
            out.insert(len(out) - 1, u)
        elif d < 2.75 * rate:
            out += [u, u]
        else:
            out.append(u)
    return sep.join(out)


def references(
    n: int,
    *,
    langs: Sequence[str] = ("ko",),
    tasks: Sequence[str] = ("translation",),
    fields: Sequence[str] | None = None,
    seed: int = SEED,
) -> list[Example]:
    """``n`` examples resampled from the bundled ones, each reference lightly perturbed.

    Args:
        n: How many.
        langs: Target languages to draw from.
        tasks: Tasks to draw from.
        fields: Fields (``title``, ``summary``, ``abstract``, ``summarize``); None: all.
        seed: Seed of the generator.
    """
    import numpy as np

    pool = [
        e
        for e in base_examples()
        if e.tgt_lang in langs and e.task in tasks and (fields is None or e.field in fields)
    ]
    if not pool:
        raise ValueError(f"no bundled examples for {langs} {tasks} {fields}")
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, len(pool), n)
    out = []
    for i, p in enumerate(picks):
        e = pool[p]
        ref = perturb(e.reference.replace("\n", " "), e.tgt_lang, 0.03, rng)
        out.append(replace(e, id=f"{e.id}#{i}", reference=ref))
    return out


def hypotheses(refs: Sequence[Example], rate: float, seed: int) -> list[str]:
    """One system's outputs: each reference perturbed at ``rate``."""
    import numpy as np

    rng = np.random.default_rng(seed)
    return [perturb(e.reference, e.tgt_lang, rate, rng) for e in refs]


#: Perturbation rates of the systems of a multi-system corpus (good to poor).
SYSTEM_RATES = (0.04, 0.08, 0.12, 0.16, 0.2)


def write_files(folder: Path, n: int, *, lang: str = "ko", systems: int = 1) -> dict[str, Path]:
    """Reference and system files (one segment per line) for the command-line benchmarks.

    Files are cached under ``folder`` by a key of their parameters and are rebuilt
    only when missing. Returns ``{"ref": path, "sys1": path, ...}``.
    """
    key = hashlib.sha256(json.dumps([VERSION, SEED, n, lang, systems]).encode()).hexdigest()[:10]
    base = folder / f"{lang}-{n}-{key}"
    paths = {"ref": base / "ref.txt"} | {
        f"sys{k + 1}": base / f"sys{k + 1}.txt" for k in range(systems)
    }
    if all(p.is_file() for p in paths.values()):
        return paths
    base.mkdir(parents=True, exist_ok=True)
    refs = references(n, langs=(lang,))
    _write_lines(paths["ref"], [e.reference for e in refs])
    for k in range(systems):
        rate = SYSTEM_RATES[k % len(SYSTEM_RATES)]
        _write_lines(paths[f"sys{k + 1}"], hypotheses(refs, rate, SEED + k + 1))
    return paths


def _write_lines(path: Path, lines: Sequence[str]) -> None:
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
        for line in lines:
            fh.write(" ".join(line.split()) + "\n")
    tmp.replace(path)
