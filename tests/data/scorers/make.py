"""Rebuild the scorer test files from the bundled digests (deterministic).

    python tests/data/scorers/make.py

References are sentences of the digests (crudely parsed: Korean and Japanese
paragraphs, English originals); the two "systems" are seeded perturbations of them
(dropped and swapped words or characters, a few segments answered with another
segment, one empty line), so scores are neither 0 nor 100.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
DIGESTS = HERE.parents[2] / "fixtures" / "digests"
HANGUL = re.compile(r"[\uac00-\ud7a3]")
KANA = re.compile(r"[\u3040-\u30ff]")
N = 60


def _lines(name: str) -> list[str]:
    return [ln.strip() for ln in (DIGESTS / name).read_text(encoding="utf-8").splitlines()]


def _sentences(paragraphs: list[str], splitter: str) -> list[str]:
    out = []
    for p in paragraphs:
        out += [s.strip() for s in re.split(splitter, p) if len(s.strip()) >= 15]
    return out


def korean() -> list[str]:
    paras = [
        ln.lstrip("• ").strip()
        for f in ("001_d1cdc3da727fa672.txt", "002_2d275b1d774cf9ef.txt")
        for ln in _lines(f)
        if len(HANGUL.findall(ln)) > 20
    ]
    return _sentences(paras, r"(?<=다\.)\s+")


def japanese() -> list[str]:
    paras = [
        ln[2:]
        for ln in _lines("003_b91e32f9ad96d161.txt")
        if ln.startswith("- ") and KANA.search(ln)
    ]
    return _sentences(paras, r"(?<=。)")


def english() -> list[str]:
    paras = [
        ln.lstrip("> ").strip()
        for f in sorted(p.name for p in DIGESTS.glob("*.txt"))
        for ln in _lines(f)
        if ln.isascii() and len(ln) > 60
    ]
    return _sentences(paras, r"(?<=\.)\s+")


def _perturb_words(s: str, rng: random.Random, rate: float) -> str:
    words = s.split()
    out = [w for w in words if rng.random() > rate] or words[:1]
    for _ in range(max(1, len(out) // 8)):
        if len(out) > 2:
            i = rng.randrange(len(out) - 1)
            out[i], out[i + 1] = out[i + 1], out[i]
    return " ".join(out)


def _perturb_chars(s: str, rng: random.Random, rate: float) -> str:
    chars = list(s)
    k = max(1, int(len(chars) * rate))
    for _ in range(k // 3 + 1):
        i = rng.randrange(len(chars))
        del chars[i : i + 3]
    if len(chars) > 10:
        a = rng.randrange(len(chars) // 2)
        chars = chars[a:] + chars[:a] if rng.random() < 0.2 else chars
    return "".join(chars)


def systems(refs: list[str], seed: int, chars: bool) -> tuple[list[str], list[str]]:
    rng = random.Random(seed)
    perturb = _perturb_chars if chars else _perturb_words
    a = [perturb(r, rng, 0.1) for r in refs]
    b = [
        perturb(r, rng, 0.3) if rng.random() > 0.15 else refs[rng.randrange(len(refs))]
        for r in refs
    ]
    b[3] = ""
    return a, b


def main() -> None:
    for lang, refs, chars in (
        ("en", english(), False),
        ("ko", korean(), False),
        ("ja", japanese(), True),
    ):
        refs = refs[:N]
        a, b = systems(refs, seed=len(lang) * 7 + ord(lang[0]), chars=chars)
        for name, seg in (("ref", refs), ("sysA", a), ("sysB", b)):
            (HERE / f"{lang}.{name}.txt").write_text("\n".join(seg) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
