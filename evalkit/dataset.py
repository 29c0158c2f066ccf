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
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from evalkit.errors import ConfigError, DataError
from evalkit.io import dumps, read_jsonl, write_jsonl

LANGS = ("en", "ko", "ja")
TEXT_FIELDS = ("title", "summary", "abstract")
TASKS = ("translation", "summarization")
#: The real direction of the digests; ko-en and ja-en are available on request.
DEFAULT_TRANSLATION_PAIRS = ("en-ko", "en-ja")
TRANSLATION_PAIRS = ("en-ko", "en-ja", "ko-en", "ja-en")
#: Summarization: abstract -> summary within a language and across.
SUMMARIZATION_PAIRS = ("en-en", "ko-ko", "ja-ja", "en-ko", "en-ja")
SUMMARIZE_FIELD = "summarize"

PAPERS_FILE = "papers.jsonl"


def _texts(value: dict[str, str | None] | None) -> dict[str, str | None]:
    value = value or {}
    return {lang: value.get(lang) for lang in LANGS}


@dataclass(frozen=True)
class Paper:
    """One paper of one week, in every language the digests carry.

    Field meanings are those of the dataset record in the README.
    """

    id: str
    week: str
    week_start: str
    week_end: str
    arxiv_id: str | None
    title: dict[str, str | None]
    summary: dict[str, str | None]
    abstract: dict[str, str | None]
    commentary: dict[str, str | None] | None = None
    authors: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    sources: list[dict[str, Any]] = field(default_factory=list)
    flags: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The record as written to ``papers.jsonl`` (every field, fixed key set)."""
        d = asdict(self)
        for name in TEXT_FIELDS:
            d[name] = _texts(d[name])
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Paper:
        """Build a paper from a record; unknown keys are ignored (forward compatibility)."""
        try:
            return cls(
                id=d["id"],
                week=d["week"],
                week_start=d["week_start"],
                week_end=d["week_end"],
                arxiv_id=d.get("arxiv_id"),
                title=_texts(d.get("title")),
                summary=_texts(d.get("summary")),
                abstract=_texts(d.get("abstract")),
                commentary=d.get("commentary"),
                authors=list(d.get("authors") or []),
                tags=list(d.get("tags") or []),
                links=list(d.get("links") or []),
                sources=list(d.get("sources") or []),
                flags=list(d.get("flags") or []),
            )
        except (KeyError, TypeError, AttributeError) as exc:
            raise DataError(f"not a paper record: missing or invalid {exc}") from exc

    def text(self, field_name: str, lang: str) -> str | None:
        """The text of ``field_name`` (title, summary, abstract) in ``lang``, or None."""
        value: dict[str, str | None] = getattr(self, field_name)
        return value.get(lang)


@dataclass(frozen=True)
class Example:
    """One scoring unit: a source text, its reference, and where it comes from.

    ``id`` is ``<paper id>/<field>/<src>-<tgt>`` for translation and
    ``<paper id>/summarize/<src>-<tgt>`` for summarization.
    """

    id: str
    paper_id: str
    week: str
    task: str
    field: str
    src_lang: str
    tgt_lang: str
    source: str
    reference: str

    @property
    def pair(self) -> str:
        return f"{self.src_lang}-{self.tgt_lang}"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


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
    papers = []
    for line, record in read_jsonl(path):
        try:
            papers.append(Paper.from_dict(record))
        except DataError as exc:
            raise DataError(exc.message, path=path, line=line) from exc
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
        src, tgt = pair.split("-")
        out.append((src, tgt))
    return out


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
        pairs: Language pairs like ``en-ko``; default: en-ko and en-ja for translation,
            every summarization pair for summarization. A pair that does not apply to a
            task is ignored for that task.
        fields: Translation fields (title, summary, abstract); default all.
        weeks: Restrict to these ISO weeks (``2023-W41``).

    Returns:
        One example per paper, field and pair where both source and reference exist.

    Raises:
        ConfigError: for an unknown task, pair or field.
    """
    tasks = list(tasks)
    for t in tasks:
        if t not in TASKS:
            raise ConfigError(f"unknown task {t!r}; known: {', '.join(TASKS)}")
    pair_list = list(pairs) if pairs is not None else None
    if pair_list is not None:
        bad = [p for p in pair_list if p not in TRANSLATION_PAIRS and p not in SUMMARIZATION_PAIRS]
        if bad:
            known = sorted(set(TRANSLATION_PAIRS) | set(SUMMARIZATION_PAIRS))
            raise ConfigError(f"unknown language pair {bad[0]!r}; known: {', '.join(known)}")
    field_list = list(fields) if fields is not None else list(TEXT_FIELDS)
    for f in field_list:
        if f not in TEXT_FIELDS:
            raise ConfigError(f"unknown field {f!r}; known: {', '.join(TEXT_FIELDS)}")
    week_set = set(weeks) if weeks is not None else None

    ordered = [
        p
        for p in sorted(papers, key=lambda p: (p.week, p.id))
        if week_set is None or p.week in week_set
    ]
    examples: list[Example] = []
    for task in tasks:
        allowed = TRANSLATION_PAIRS if task == "translation" else SUMMARIZATION_PAIRS
        default = DEFAULT_TRANSLATION_PAIRS if task == "translation" else SUMMARIZATION_PAIRS
        chosen = [p for p in pair_list if p in allowed] if pair_list is not None else list(default)
        lang_pairs = _parse_pairs(chosen, allowed, task)
        # (example field, source field, reference field) per task
        if task == "translation":
            parts = [(f, f, f) for f in field_list]
        else:
            parts = [(SUMMARIZE_FIELD, "abstract", "summary")]
        for paper in ordered:
            for name, src_field, ref_field in parts:
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
