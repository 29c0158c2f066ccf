"""Digests -> aligned papers: the library behind ``evalkit extract``.

>>> from evalkit.extract import extract
>>> result = extract([Path("fixtures/digests")])          # doctest: +SKIP
>>> len(result.papers), [str(p) for p in result.problems]  # doctest: +SKIP

Bad content never raises: it becomes a :class:`Problem` naming the file and line, and
the rest of the file is still extracted. Only unusable arguments raise
(:class:`~evalkit.errors.EvalkitError`: a missing path, an unknown format).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from evalkit.digests.model import Entry, Problem
from evalkit.errors import DataError
from evalkit.paper import Paper

__all__ = ["ExtractResult", "FileSummary", "Problem", "aligned_pairs", "digest_files", "extract"]

#: Language pairs and fields counted in summaries (the real direction of the digests).
PAIRS = ("en-ko", "en-ja")
FIELDS = ("title", "summary", "abstract")


@dataclass(frozen=True)
class FileSummary:
    """What one input file gave: its format, entries (papers) and problems."""

    path: str
    format: str | None
    papers: int
    problems: int
    weeks: tuple[str, ...] = ()

    def __str__(self) -> str:
        weeks = f" ({', '.join(self.weeks)})" if self.weeks else ""
        fmt = self.format or "unknown format"
        return (
            f"{self.path}: {fmt}, {_plural(self.papers, 'paper')}{weeks},"
            f" {_plural(self.problems, 'problem')}"
        )


@dataclass(frozen=True)
class ExtractResult:
    """Aligned papers (sorted by week and id), problems in input order, per-file summaries."""

    papers: list[Paper]
    problems: list[Problem] = field(default_factory=list)
    files: list[FileSummary] = field(default_factory=list)

    def pairs(self) -> dict[str, dict[str, int]]:
        """Aligned pairs per language pair and field: ``{"en-ko": {"title": 20, ...}}``."""
        return aligned_pairs(self.papers)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def aligned_pairs(papers: Iterable[Paper]) -> dict[str, dict[str, int]]:
    """Count papers that have both sides of each language pair, per field."""
    counts = {pair: dict.fromkeys(FIELDS, 0) for pair in PAIRS}
    for paper in papers:
        for pair in PAIRS:
            src, tgt = pair.split("-")
            for name in FIELDS:
                if paper.text(name, src) and paper.text(name, tgt):
                    counts[pair][name] += 1
    return counts


def digest_files(paths: Sequence[str | Path]) -> list[Path]:
    """Expand folders to the ``*.txt`` files directly in them (sorted by name).

    Raises:
        DataError: for a path that does not exist or a folder with no ``*.txt`` file.
    """
    files: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found = sorted(
                f
                for f in p.iterdir()
                if f.suffix == ".txt" and not f.name.startswith(".") and f.is_file()
            )
            if not found:
                raise DataError("no digest files (*.txt) in this folder", path=p)
            files.extend(found)
        elif p.is_file():
            files.append(p)
        else:
            raise DataError("no such file or folder", path=p)
    return files


def _parse_one(path: Path, fmt: str | None) -> tuple[str | None, list[Entry], list[Problem]]:
    from evalkit.digests import parse_file

    try:
        found, result = parse_file(path, fmt=fmt)
    except DataError:
        raise
    except Exception as exc:  # noqa: BLE001 - a parser bug must surface as a located problem
        return (
            fmt,
            [],
            [
                Problem(
                    str(path),
                    1,
                    f"internal error while parsing ({type(exc).__name__}: {exc});"
                    " please report this file",
                    "internal_error",
                )
            ],
        )
    problems = sorted(result.problems, key=lambda p: p.line)
    return found, result.entries, problems


def extract(
    paths: Sequence[str | Path],
    *,
    fmt: str | None = None,
    arxiv_metadata: str | Path | None = None,
) -> ExtractResult:
    """Extract digest files (or folders of them) into aligned papers.

    Args:
        paths: Digest files and folders (their ``*.txt`` files, sorted by name).
        fmt: Force this format for every file instead of detecting it
            (``pytorchkr-ko``, ``pytorchkr-ja``, ``paper-notes``).
        arxiv_metadata: An arXiv metadata snapshot (JSON lines) to fill English
            abstracts, titles and authors by arXiv id.

    Returns:
        The papers, the problems met, and a summary per file.

    Raises:
        DataError: a path or the metadata file does not exist or cannot be read.
        ConfigError: an unknown ``fmt``.
    """
    from evalkit.digests import check_format
    from evalkit.digests.align import align

    if fmt is not None:
        check_format(fmt)
    files = digest_files(paths)
    if arxiv_metadata is not None and not Path(arxiv_metadata).is_file():
        raise DataError("no such arXiv metadata file", path=arxiv_metadata)
    entries: list[Entry] = []
    problems: list[Problem] = []
    summaries: list[FileSummary] = []
    for path in files:
        found, file_entries, file_problems = _parse_one(path, fmt)
        entries.extend(file_entries)
        problems.extend(file_problems)
        weeks = tuple(dict.fromkeys(e.week.label for e in file_entries))
        summaries.append(
            FileSummary(str(path), found, len(file_entries), len(file_problems), weeks)
        )
    papers = align(entries)
    if arxiv_metadata is not None:
        from evalkit.digests.arxiv_metadata import enrich

        papers, meta_problems = enrich(papers, Path(arxiv_metadata))
        problems.extend(meta_problems)
    return ExtractResult(papers=papers, problems=problems, files=summaries)
