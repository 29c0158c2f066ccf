"""The aligned dataset: the paper record, loading and saving, and task examples.

One code path for everything downstream: ``evalkit run``, ``check``, ``publish`` and
users' notebooks all go through :func:`load` and :func:`build_examples`.

>>> from evalkit import dataset
>>> papers = dataset.load()                      # the bundled sample digests
>>> examples = dataset.build_examples(papers, tasks=["translation"])
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from pathlib import Path

from evalkit.errors import ConfigError, DataError
from evalkit.io import dumps, read_jsonl, write_jsonl
from evalkit.paper import (
    COMMENTARY,
    COMMENTARY_PAIRS,
    DEFAULT_COMMENTARY_PAIRS,
    DEFAULT_TRANSLATION_PAIRS,
    LANGS,
    SUMMARIZATION_PAIRS,
    SUMMARIZE_FIELD,
    TASKS,
    TEXT_FIELDS,
    TRANSLATION_FIELDS,
    TRANSLATION_PAIRS,
    Example,
    Paper,
    languages_of,
)

__all__ = [
    "COMMENTARY",
    "COMMENTARY_PAIRS",
    "DEFAULT_COMMENTARY_PAIRS",
    "DEFAULT_TRANSLATION_PAIRS",
    "LANGS",
    "PAPERS_FILE",
    "SUMMARIZATION_PAIRS",
    "SUMMARIZE_FIELD",
    "TASKS",
    "TEXT_FIELDS",
    "TRANSLATION_FIELDS",
    "TRANSLATION_PAIRS",
    "Example",
    "Paper",
    "build_examples",
    "bundled_digests",
    "fingerprint",
    "load",
    "save",
]

PAPERS_FILE = "papers.jsonl"


def save(papers: Iterable[Paper], path: str | Path) -> Path:
    """Write ``papers`` to ``path`` (a ``.jsonl`` file, or a folder to hold ``papers.jsonl``).

    Output is deterministic: records sorted by week then id, keys sorted.
    """
    path = Path(path)
    if path.suffix != ".jsonl":
        path = path / PAPERS_FILE
    records = sorted((p.to_dict() for p in papers), key=lambda r: (r["week"], r["id"]))
    write_jsonl(path, records)
    return path


def bundled_digests() -> Path:
    """The folder of bundled sample digests, in a wheel or in a source checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "_bundled" / "digests", here.parent / "fixtures" / "digests"):
        if candidate.is_dir():
            return candidate
    raise DataError("the bundled sample digests are missing from this installation")


def load(path: str | Path | Sequence[str | Path] | None = None) -> list[Paper]:
    """Load a dataset.

    Args:
        path: ``None`` for the bundled sample digests; a ``papers.jsonl`` file; a folder
            holding ``papers.jsonl``; or digest files / folders of digests, extracted
            on the fly.

    Raises:
        DataError: naming the file and line of a malformed record.
    """
    if path is None:
        paths: list[Path] = [bundled_digests()]
    elif isinstance(path, (str, Path)):
        paths = [Path(path)]
    else:
        paths = [Path(p) for p in path]
    if len(paths) == 1:
        p = paths[0]
        if p.is_file() and p.suffix == ".jsonl":
            return _load_jsonl(p)
        if p.is_dir() and (p / PAPERS_FILE).is_file():
            return _load_jsonl(p / PAPERS_FILE)
    for p in paths:
        if not p.exists():
            raise DataError("no such file or folder", path=p)
    from evalkit.extract import extract

    return extract(paths).papers


def _load_jsonl(path: Path) -> list[Paper]:
    """Read a ``papers.jsonl``; a malformed record or a repeated id names its line(s)."""
    papers = []
    first_line: dict[str, int] = {}
    for line, record in read_jsonl(path):
        if not isinstance(record, dict):
            raise DataError("not a paper record: expected a JSON object", path=path, line=line)
        try:
            paper = Paper.from_dict(record)
        except DataError as exc:
            raise DataError(exc.message, path=path, line=line) from exc
        seen = first_line.setdefault(paper.id, line)
        if seen != line:
            raise DataError(
                f"duplicate paper id {paper.id!r}: also at {path}:{seen}", path=path, line=line
            )
        papers.append(paper)
    return papers


def fingerprint(papers: Iterable[Paper]) -> str:
    """A short stable hash of the dataset content (independent of record order)."""
    h = hashlib.sha256()
    for record in sorted((p.to_dict() for p in papers), key=lambda r: r["id"]):
        record = {k: v for k, v in record.items() if k not in ("sources", "flags")}
        h.update(dumps(record).encode("utf-8"))
        h.update(b"\n")
    return h.hexdigest()[:16]


def _parse_pairs(pairs: Iterable[str], allowed: Sequence[str], task: str) -> list[tuple[str, str]]:
    out = []
    for pair in pairs:
        if pair not in allowed:
            raise ConfigError(f"unknown {task} language pair {pair!r}; known: {', '.join(allowed)}")
        out.append(languages_of(pair))
    return out


def check_weeks(papers: Iterable[Paper], weeks: Iterable[str]) -> set[str]:
    """The requested ``weeks``, each checked against the weeks the dataset has.

    Raises:
        ConfigError: for a week the dataset does not have, listing the weeks it has and
            the closest one (``2023-41`` -> ``2023-W41``).
    """
    import difflib

    have = sorted({p.week for p in papers})
    wanted = set(weeks)
    for week in sorted(wanted):
        if week in have:
            continue
        normal = week.strip().upper().replace("W", "")
        by_number = [w for w in have if w.replace("W", "") == normal.replace("-W", "-")]
        close = by_number or difflib.get_close_matches(week, have, n=1, cutoff=0.5)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        listed = ", ".join(have) if len(have) <= 30 else ", ".join([*have[:15], "...", *have[-15:]])
        raise ConfigError(
            f"week {week!r} is not in the dataset (ISO weeks like 2023-W41);"
            f" it has {len(have)}: {listed or '(none)'}{hint}"
        )
    return wanted


def _parts(task: str, fields: list[str]) -> list[tuple[str, str, str]]:
    """(example field, source field, reference field) per task."""
    if task == "translation":
        return [(f, f, f) for f in fields]
    return [(SUMMARIZE_FIELD, "abstract", "summary")]


def _pairs_for(task: str, name: str, pair_list: list[str] | None) -> list[tuple[str, str]]:
    """The language pairs of one task and field: the defaults, or those requested."""
    allowed: Sequence[str]
    default: Sequence[str]
    if task == "summarization":
        allowed, default = SUMMARIZATION_PAIRS, SUMMARIZATION_PAIRS
    elif name == COMMENTARY:
        allowed, default = COMMENTARY_PAIRS, DEFAULT_COMMENTARY_PAIRS
    else:
        allowed, default = TRANSLATION_PAIRS, DEFAULT_TRANSLATION_PAIRS
    chosen = [p for p in pair_list if p in allowed] if pair_list is not None else list(default)
    return _parse_pairs(chosen, allowed, task)


def build_examples(
    papers: Iterable[Paper],
    *,
    tasks: Iterable[str] = ("translation",),
    pairs: Iterable[str] | None = None,
    fields: Iterable[str] | None = None,
    weeks: Iterable[str] | None = None,
) -> list[Example]:
    """Build task examples from papers, in a stable order.

    Args:
        papers: The dataset.
        tasks: ``translation`` and/or ``summarization``.
        pairs: Language pairs like ``en-ko``; default: en-ko and en-ja for the title,
            summary and abstract, ko-en for the notes commentary (its real direction),
            every summarization pair for summarization. A pair that does not apply to a
            task or field is ignored there.
        fields: Translation fields (title, summary, abstract, commentary); default all.
        weeks: Restrict to these ISO weeks (``2023-W41``); each must be in the dataset.

    Returns:
        One example per paper, field and pair where both source and reference exist.

    Raises:
        ConfigError: for an unknown task, pair or field, or a week the dataset lacks.
    """
    papers = list(papers)
    tasks = list(tasks)
    for t in tasks:
        if t not in TASKS:
            raise ConfigError(f"unknown task {t!r}; known: {', '.join(TASKS)}")
    pair_list = list(pairs) if pairs is not None else None
    if pair_list is not None:
        known = set(TRANSLATION_PAIRS) | set(SUMMARIZATION_PAIRS) | set(COMMENTARY_PAIRS)
        bad = [p for p in pair_list if p not in known]
        if bad:
            raise ConfigError(
                f"unknown language pair {bad[0]!r}; known: {', '.join(sorted(known))}"
            )
    field_list = list(fields) if fields is not None else list(TRANSLATION_FIELDS)
    for f in field_list:
        if f not in TRANSLATION_FIELDS:
            raise ConfigError(f"unknown field {f!r}; known: {', '.join(TRANSLATION_FIELDS)}")
    week_set = check_weeks(papers, weeks) if weeks is not None else None

    ordered = [
        p
        for p in sorted(papers, key=lambda p: (p.week, p.id))
        if week_set is None or p.week in week_set
    ]
    examples: list[Example] = []
    for task in tasks:
        plan = [(part, _pairs_for(task, part[0], pair_list)) for part in _parts(task, field_list)]
        for paper in ordered:
            for (name, src_field, ref_field), lang_pairs in plan:
                for src, tgt in lang_pairs:
                    s, r = paper.text(src_field, src), paper.text(ref_field, tgt)
                    if s and r:
                        examples.append(
                            Example(
                                id=f"{paper.id}/{name}/{src}-{tgt}",
                                paper_id=paper.id,
                                week=paper.week,
                                task=task,
                                field=name,
                                src_lang=src,
                                tgt_lang=tgt,
                                source=s,
                                reference=r,
                            )
                        )
    return examples
