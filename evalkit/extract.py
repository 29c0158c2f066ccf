"""Digests -> aligned papers: the library behind ``evalkit extract``.

>>> from evalkit.extract import extract
>>> result = extract([Path("fixtures/digests")])          # doctest: +SKIP
>>> len(result.papers), [str(p) for p in result.problems]  # doctest: +SKIP

Bad content never raises: it becomes a :class:`Problem` naming the file and line, and
the rest of the file is still extracted. Only unusable arguments raise
(:class:`~evalkit.errors.EvalkitError`: a missing path, an unknown format).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from evalkit.digests.model import Entry, Problem
from evalkit.errors import DataError
from evalkit.paper import (
    COMMENTARY,
    DEFAULT_TRANSLATION_PAIRS,
    TEXT_FIELDS,
    Paper,
    languages_of,
)

__all__ = ["ExtractResult", "FileSummary", "Problem", "aligned_pairs", "digest_files", "extract"]

#: Language pairs and fields counted in summaries (the real direction of the digests).
PAIRS = DEFAULT_TRANSLATION_PAIRS
FIELDS = TEXT_FIELDS
#: Problems listed per file; the rest are counted in one last problem (``more_problems``).
MAX_PROBLEMS_PER_FILE = 100
#: Suffixes of input files found in folders: week files directly in the folder, notes
#: (one paper per Markdown file) in the folder and every folder under it.
DIGEST_SUFFIX = ".txt"
NOTE_SUFFIXES = (".md", ".markdown")
_DATED = re.compile(r"\d{6}(?!\d)|\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class FileSummary:
    """What one input file gave: its format, entries (papers) and problems."""

    path: str
    format: str | None
    papers: int
    problems: int
    weeks: tuple[str, ...] = ()
    announced: int = 0

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
    """Count papers that have both sides of each language pair, per field.

    The notes commentary (ko-en) is counted under ``"ko-en"`` when any paper has both.
    """
    counts = {pair: dict.fromkeys(FIELDS, 0) for pair in PAIRS}
    commentary = 0
    for paper in papers:
        for pair in PAIRS:
            src, tgt = languages_of(pair)
            for name in FIELDS:
                if paper.text(name, src) and paper.text(name, tgt):
                    counts[pair][name] += 1
            if pair == "en-ko" and paper.text(COMMENTARY, "ko") and paper.text(COMMENTARY, "en"):
                commentary += 1
    if commentary:  # human ko-en pairs from the notes (listed only where there are some)
        counts["ko-en"] = {COMMENTARY: commentary}
    return counts


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def _note_files(folder: Path) -> list[Path]:
    """The ``*.md`` notes under ``folder``.

    A note's name starts with its date (``YYMMDD Title.md``). An undated Markdown file
    is taken (and reported) only beside dated notes, where it is a misnamed note; a
    README or a format description in a folder of week files is not a note.
    """
    notes = [f for f in folder.rglob("*") if f.suffix.lower() in NOTE_SUFFIXES and f.is_file()]
    dated_dirs = {f.parent for f in notes if _DATED.match(f.name)}
    return [f for f in notes if f.parent in dated_dirs]


def digest_files(paths: Sequence[str | Path]) -> list[Path]:
    """Expand folders to their input files, sorted by path within each folder.

    A folder gives its week files (``*.txt`` directly in it) and its paper notes
    (``*.md``, searched recursively: ``arXiv/YYYY/YYMMDD Title.md``); hidden files and
    folders are skipped.

    Raises:
        DataError: for a path that does not exist or a folder with no input file.
    """
    files: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found = [f for f in p.iterdir() if f.suffix == DIGEST_SUFFIX and f.is_file()]
            found += _note_files(p)
            found = sorted((f for f in found if not _hidden(f, p)), key=lambda f: f.parts)
            if not found:
                raise DataError(
                    "no digest files (*.txt) in this folder, and no paper notes (*.md) under it",
                    path=p,
                )
            files.extend(found)
        elif p.is_file():
            files.append(p)
        else:
            raise DataError("no such file or folder", path=p)
    return files


def _parse_one(
    path: Path, fmt: str | None
) -> tuple[str | None, list[Entry], list[Problem], int, int]:
    """Parse one file: format, entries, problems, papers announced, problems not kept."""
    from evalkit.digests import parse_file
    from evalkit.digests.accounting import check_accounted

    try:
        found, result, lines = parse_file(path, fmt=fmt, keep_lines=True)
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
            0,
            0,
        )
    announced, lost = check_accounted(str(path), found, lines, result)
    problems = sorted(result.problems + lost, key=lambda p: p.line)
    return found, result.entries, problems, announced, result.dropped


def bound_problems(
    problems: list[Problem], dropped: int = 0, limit: int = MAX_PROBLEMS_PER_FILE
) -> list[Problem]:
    """The first ``limit`` problems of a file and one more counting the rest.

    ``dropped`` problems were counted by the parser without being kept.
    """
    if len(problems) <= limit and not dropped:
        return problems
    rest = problems[limit:]
    codes = ", ".join(sorted({p.code for p in rest})) or "same kinds"
    last = Problem(
        problems[-1].file,
        problems[-1].line,
        f"{len(rest) + dropped} more problems in this file, not listed ({codes})",
        "more_problems",
    )
    return [*problems[:limit], last]


def extract(
    paths: Sequence[str | Path],
    *,
    fmt: str | None = None,
    arxiv_metadata: str | Path | None = None,
) -> ExtractResult:
    """Extract digest files (or folders of them) into aligned papers.

    Args:
        paths: Digest files, paper notes (``*.md``, one paper each) and folders of them
            (see :func:`digest_files`).
        fmt: Force this format for every file instead of detecting it
            (``pytorchkr-ko``, ``pytorchkr-ja``, ``paper-notes``, ``paper-note``).
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
    from tqdm import tqdm

    bar = tqdm(files, unit="file", desc="extract", disable=None, leave=False)
    for path in bar:
        found, file_entries, file_problems, announced, dropped = _parse_one(path, fmt)
        entries.extend(file_entries)
        problems.extend(bound_problems(file_problems, dropped))
        weeks = tuple(dict.fromkeys(e.week.label for e in file_entries))
        summaries.append(
            FileSummary(
                str(path),
                found,
                len(file_entries),
                len(file_problems) + dropped,
                weeks,
                announced,
            )
        )
    bar.close()
    papers = align(entries)
    merged = sum(len(p.sources) for p in papers)
    if merged != len(entries):  # every entry must end up in exactly one record
        problems.append(
            Problem(
                "(alignment)",
                1,
                f"{len(entries)} entries were aligned into records holding {merged};"
                " please report this input",
                "lost_paper",
            )
        )
    if arxiv_metadata is not None:
        from evalkit.digests.arxiv_metadata import enrich

        papers, meta_problems = enrich(papers, Path(arxiv_metadata))
        problems.extend(meta_problems)
    return ExtractResult(papers=papers, problems=problems, files=summaries)
